"""Obligation rules of the compliance app (DESIGN.md 'Obligations'), autodiscovered by the
obligations app; one module per part registers its rules when imported here."""

# rules Q9, Q10: the yearly self-assessment, overdue rectifications.
from . import rules_inspections  # noqa: F401
