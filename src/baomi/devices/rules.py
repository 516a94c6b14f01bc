"""Obligation rules of the devices app (DESIGN.md 'Obligations'), autodiscovered by the
obligations app; one module per part registers its rules when imported here."""

# rule D4: media checked out and overdue.
from . import rules_media  # noqa: F401
