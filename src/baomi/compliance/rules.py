"""Obligation rules of the compliance app (DESIGN.md 'Obligations'), autodiscovered by the
obligations app; one module per part registers its rules when imported here."""

# rule Q11: outside firms' changes re-reviewed in time, their yearly reports received.
from . import rules_firms  # noqa: F401
