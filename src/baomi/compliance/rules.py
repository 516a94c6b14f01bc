"""Obligation rules of the compliance app (DESIGN.md 'Obligations'), autodiscovered by the
obligations app; one module per part registers its rules when imported here."""

# rules Q4 and Q6: qualifications renewed in time, unit changes reported in time.
from . import rules_qualification  # noqa: F401
