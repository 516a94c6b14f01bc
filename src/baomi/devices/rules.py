"""Obligation rules of the devices app (DESIGN.md 'Obligations'), autodiscovered by the
obligations app; one module per part registers its rules when imported here."""

# rule D4: media checked out and overdue; rule D6: device passwords changed in time;
# rule D10: classified information systems risk-assessed in time; rule D5: a usage-log book
# for the current year on every classified computer in use.
# rule D11: classified computers checked in time, checks signed, findings rectified.
# rule Q7: 机密 and 绝密 servers stand in secure rooms meeting Q7.
from . import (  # noqa: F401
    rules_checks,
    rules_media,
    rules_passwords,
    rules_room,
    rules_systems,
    rules_usage,
)
