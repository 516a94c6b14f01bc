"""定密 pages (rules S1–S11): the register of secret items, one item, the 定密权限, the
register export and the printed approval forms."""

from django.urls import path

from .views import items as views

app_name = "secrets"
urlpatterns = [
    path("", views.ItemListView.as_view(), name="item_list"),
    path("items.xlsx", views.ItemExportView.as_view(), name="item_export"),
    path("new/", views.ItemNewView.as_view(), name="item_new"),
    path("authority/", views.AuthorityView.as_view(), name="authority"),
    path("<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("<int:pk>/form.docx", views.ItemDocxView.as_view(), name="item_docx"),
    path("changes/<int:pk>/form.docx", views.ChangeDocxView.as_view(), name="change_docx"),
]
