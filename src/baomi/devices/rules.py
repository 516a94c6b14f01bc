"""Obligation rules of the devices app (DESIGN.md 'Obligations'), autodiscovered by the
obligations app; one module per part registers its rules when imported here."""

# rule D4: media checked out and overdue; rule D6: device passwords changed in time;
# rule D10: classified information systems risk-assessed in time.
from . import rules_media, rules_passwords, rules_systems  # noqa: F401
