"""Obligation rules of the compliance app (DESIGN.md 'Obligations'), autodiscovered by the
obligations app; one module per part registers its rules when imported here."""

from . import rules_annual  # noqa: F401  rule Q5: the annual self-inspection report
# rules I1, I2: leak incidents reported within 24 hours and closed under 四不放过.
from . import rules_incidents  # noqa: F401
# rules Q4 and Q6: qualifications renewed in time, unit changes reported in time.
from . import rules_qualification  # noqa: F401
# rule Q11: outside firms' changes re-reviewed in time, their yearly reports received.
from . import rules_firms  # noqa: F401
# rule Q1: the secrecy committee meets at least twice a year.
from . import rules_org  # noqa: F401
# rule M2: documents of classified meetings collected back after the meeting.
from . import rules_places  # noqa: F401
