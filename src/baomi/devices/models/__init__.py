"""Models of the devices app, one module per part (ledger, media, systems)."""

from .ledger import Device, DeviceUser, Medium
from .media import MediumBinding, MediumLoan
from .systems import ClassifiedSystem, RiskAssessment

__all__ = ["ClassifiedSystem", "Device", "DeviceUser", "Medium", "MediumBinding", "MediumLoan",
           "RiskAssessment"]
