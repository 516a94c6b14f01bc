"""Obligation rules of the compliance app (DESIGN.md 'Obligations'), autodiscovered by the
obligations app; one module per part registers its rules when imported here."""

from . import rules_annual  # noqa: F401  rule Q5: the annual self-inspection report
