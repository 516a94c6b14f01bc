"""Pages of the 保密委员会 and its meetings (rule Q1)."""

from django.urls import path

from . import views_org

org_urls = [
    path("committee/", views_org.CommitteeView.as_view(), name="committee"),
    path("committee/roster.docx", views_org.RosterDocxView.as_view(), name="committee_roster"),
    path("committee/members/", views_org.MemberAddView.as_view(), name="member_add"),
    path("committee/members/<int:pk>/end/", views_org.MemberEndView.as_view(),
         name="member_end"),
    path("committee/meetings/", views_org.MeetingListView.as_view(), name="committee_meeting_list"),
    path("committee/meetings/export.xlsx", views_org.MeetingExportView.as_view(),
         name="committee_meeting_export"),
    path("committee/meetings/new/", views_org.MeetingCreateView.as_view(),
         name="committee_meeting_create"),
    path("committee/meetings/<int:pk>/", views_org.MeetingDetailView.as_view(),
         name="committee_meeting_detail"),
    path("committee/meetings/<int:pk>/attachment", views_org.MeetingAttachmentView.as_view(),
         name="committee_meeting_attachment"),
    path("committee/meetings/<int:pk>/minutes.docx", views_org.MinutesDocxView.as_view(),
         name="committee_meeting_minutes"),
]
