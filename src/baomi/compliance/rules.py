"""Obligation rules of the compliance app (DESIGN.md 'Obligations'), autodiscovered by the
obligations app; one module per part registers its rules when imported here."""

# rule Q1: the secrecy committee meets at least twice a year.
from . import rules_org  # noqa: F401
