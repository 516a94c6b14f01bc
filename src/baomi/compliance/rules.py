"""Obligation rules of the compliance app (DESIGN.md 'Obligations'), autodiscovered by the
obligations app; one module per part registers its rules when imported here."""

# rule M2: documents of classified meetings collected back after the meeting.
from . import rules_places  # noqa: F401
