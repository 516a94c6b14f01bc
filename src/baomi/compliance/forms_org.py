"""Forms of the 保密委员会 pages (rule Q1). They parse input only; `services_org` checks access,
the chair (the legal representative), the dates and the attendance again."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.accounts.models import User

from . import services_org as s
from .choices_org import CommitteeKind, MeetingKind, MemberPosition
from .models import CommitteeMember

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UserChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        department = obj.person.department
        return f"{obj.person.name}（{department.name}）" if department else obj.person.name


def unit_users(unit_id: int) -> Any:
    """Active logins of the unit (names inside the unit are no secret)."""
    return (User.objects.filter(person__unit_id=unit_id, person__active=True, is_active=True)
            .select_related("person", "person__department")
            .order_by("person__department__code", "person__name", "id"))


class CommitteeForm(forms.Form):
    """The committee's record: every field of `services_org.update_committee`."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CommitteeKind.choices)
    name = forms.CharField(label=_("Name"), max_length=s.NAME_MAX,
                           help_text=_("The name as in the founding document."))
    established_on = forms.DateField(label=_("Established on"), widget=DATE)
    document_number = forms.CharField(label=_("Founding document number"),
                                      max_length=s.DOCUMENT_NUMBER_MAX, required=False,
                                      help_text=_("The number of the founding document."))
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=s.NAME_MAX,
        help_text=_("Rule Q1: the legal representative chairs the committee."))
    duties = forms.CharField(label=_("Duties"), max_length=s.DUTIES_MAX, required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))

    def committee_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in (
            "kind", "name", "established_on", "document_number", "legal_representative",
            "duties")}


class EstablishForm(CommitteeForm):
    """A new committee with its chair, the legal representative (rule Q1)."""

    chair_user = UserChoice(label=_("Chair (login)"), queryset=User.objects.none(),
                            required=False)
    chair_name = forms.CharField(label=_("Chair (name, without a login)"),
                                 max_length=s.NAME_MAX, required=False)
    chair_title = forms.CharField(label=_("Chair's post in the unit"), max_length=s.TITLE_MAX,
                                  required=False)

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["chair_user"]
        field.queryset = unit_users(unit_id)

    def establish_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {**self.committee_fields(), "chair_user": data["chair_user"],
                "chair_name": data["chair_name"], "chair_title": data["chair_title"]}


class MemberForm(forms.Form):
    """A new member: every field of `services_org.add_member`."""

    user = UserChoice(label=_("Person (login)"), queryset=User.objects.none(), required=False)
    name = forms.CharField(label=_("Name (without a login)"), max_length=s.NAME_MAX,
                           required=False)
    title = forms.CharField(label=_("Post in the unit"), max_length=s.TITLE_MAX,
                            required=False)
    position = forms.ChoiceField(label=_("Position"), choices=MemberPosition.choices,
                                 initial=MemberPosition.MEMBER)
    duties = forms.CharField(label=_("Duties"), max_length=s.MEMBER_DUTIES_MAX,
                             required=False)
    from_on = forms.DateField(label=_("Member from"), widget=DATE)
    replaces_chair = forms.BooleanField(
        label=_("Replaces the current chair"), required=False,
        help_text=_("For a new chair: the current chair's membership ends the day before."))

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["user"]
        field.queryset = unit_users(unit_id)
        self.fields["from_on"].initial = timezone.localdate()

    def member_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in (
            "user", "name", "title", "position", "duties", "from_on", "replaces_chair")}


class EndMemberForm(forms.Form):
    to_on = forms.DateField(label=_("Member until"), widget=DATE)


class MeetingForm(forms.Form):
    """A meeting held, with the attendance of each current member (`present-<id>`,
    `reason-<id>`)."""

    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices,
                             initial=MeetingKind.REGULAR)
    place = forms.CharField(label=_("Place"), max_length=s.PLACE_MAX)
    topics = forms.CharField(label=_("Topics"), max_length=s.TOPICS_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("Minutes"), max_length=s.MINUTES_MAX,
                              widget=forms.Textarea(attrs={"rows": 8}))
    decisions = forms.CharField(label=_("Decisions"), max_length=s.DECISIONS_MAX,
                                required=False, widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(
        label=_("Attachment"), required=False,
        help_text=_("The signed minutes or the sign-in sheet, scanned."))

    def __init__(self, *args: Any, members: list[CommitteeMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"present-{member.pk}"] = forms.BooleanField(
                label=member.name, required=False, initial=True)
            self.fields[f"reason-{member.pk}"] = forms.CharField(
                label=_("Reason for absence"), max_length=s.REASON_MAX, required=False)

    def visible_fields(self) -> list[Any]:
        """The meeting's own fields; the attendance is shown as a table (`attendance_rows`)."""
        return [field for field in super().visible_fields()
                if not field.name.startswith(("present-", "reason-"))]

    def attendance_rows(self) -> list[dict[str, Any]]:
        return [{"member": member, "present": self[f"present-{member.pk}"],
                 "reason": self[f"reason-{member.pk}"]} for member in self.members]

    def meeting_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {**{name: data[name] for name in (
            "held_on", "kind", "place", "topics", "minutes", "decisions", "attachment")},
            "attendance": [{"member": member.pk, "present": data[f"present-{member.pk}"],
                            "absence_reason": data[f"reason-{member.pk}"]}
                           for member in self.members]}
