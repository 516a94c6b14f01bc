from django.db import models
from django.utils.translation import gettext_lazy as _


class ProfileBase(models.TextChoices):
    """What the scanner makes of its findings (see docs/scan-report.md `violations`)."""

    UNCLASSIFIED = "unclassified", _("unclassified computer")
    CLASSIFIED = "classified", _("classified computer")
