"""Obligation rules of the compliance app (DESIGN.md 'Obligations'), autodiscovered by the
obligations app; one module per part registers its rules when imported here."""

from importlib import import_module

# rules Q9, Q10: the yearly self-assessment, overdue rectifications. Imported by name: a
# static import of the rule modules here keeps mypy's django plugin from resolving the
# compliance models (found by experiment).
for part in ("rules_inspections",):
    import_module(f"{__package__}.{part}")
