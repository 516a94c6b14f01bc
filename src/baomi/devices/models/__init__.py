"""Models of the devices app, one module per part (ledger, media, systems, usage, lifecycle,
checks)."""

from .checks import CheckFinding, CheckSignOff, DeviceCheck
from .ledger import Device, DeviceUser, Medium
from .lifecycle import Maintenance, Retirement
from .media import MediumBinding, MediumLoan
from .systems import ClassifiedSystem, RiskAssessment
from .usage import UsageBook, UsageEntry

__all__ = ["CheckFinding", "CheckSignOff", "ClassifiedSystem", "Device", "DeviceCheck",
           "DeviceUser", "Maintenance", "Medium", "MediumBinding", "MediumLoan", "Retirement",
           "RiskAssessment", "UsageBook", "UsageEntry"]
