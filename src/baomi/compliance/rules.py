"""Obligation rules of the compliance app (DESIGN.md 'Obligations'), autodiscovered by the
obligations app; one module per part registers its rules when imported here."""

# rule Q5: the annual self-inspection report filed by December 31.
# rules I1, I2: leak incidents reported within 24 hours and closed under 四不放过.
# rules Q4, Q6: qualifications renewed in time, unit changes reported in time.
# rule Q11: outside firms' changes re-reviewed in time, their yearly reports received.
# rule Q1: the secrecy committee meets at least twice a year.
# rules Q9, Q10: the yearly self-assessment, overdue rectifications.
# rule M2: documents of classified meetings collected back after the meeting.
from . import (  # noqa: F401
    rules_annual,
    rules_firms,
    rules_incidents,
    rules_inspections,
    rules_org,
    rules_places,
    rules_qualification,
)
