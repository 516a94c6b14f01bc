"""Forms of the compliance pages. They parse input only; the services check access and the
values again (rule Q7 is a reading of the measures, not a condition for registering: a room
that lacks one is registered and shown as not meeting Q7)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import ROOM_LOCATION_MAX, ROOM_NAME_MAX, ROOM_NOTE_MAX, VIDEO_RETENTION_DAYS_MAX

MEASURE_FLAGS = ("access_control", "video", "camera_inside", "alarm")


class RoomForm(forms.Form):
    """A secure room and its protective measures (rule Q7): every field of
    `services.register_room` and `services.update_room` but the unit."""

    name = forms.CharField(label=_("Name"), max_length=ROOM_NAME_MAX,
                           help_text=_("e.g. the secrecy room, the archive room"))
    location = forms.CharField(label=_("Location"), max_length=ROOM_LOCATION_MAX)
    access_control = forms.BooleanField(label=_("Door access control"), required=False)
    video = forms.BooleanField(label=_("Video surveillance"), required=False)
    video_retention_days = forms.IntegerField(
        label=_("Video kept for (days)"), min_value=0, max_value=VIDEO_RETENTION_DAYS_MAX,
        required=False, initial=0, help_text=_("Rule Q7: at least 30 days."))
    camera_inside = forms.BooleanField(
        label=_("A camera films the inside"), required=False,
        help_text=_("Cameras watch the entrance, never what is read inside (rule Q7)."))
    alarm = forms.BooleanField(label=_("Intrusion alarm"), required=False)
    note = forms.CharField(label=_("Note"), max_length=ROOM_NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean_video_retention_days(self) -> int:
        days: int | None = self.cleaned_data.get("video_retention_days")
        return days or 0

    def room_fields(self) -> dict[str, Any]:
        """The cleaned values as the room services take them."""
        data = self.cleaned_data
        return {"name": data["name"], "location": data["location"], "note": data["note"],
                "video_retention_days": data["video_retention_days"],
                **{flag: data[flag] for flag in MEASURE_FLAGS}}
