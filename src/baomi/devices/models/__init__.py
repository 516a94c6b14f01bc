"""Models of the devices app, one module per part (ledger, media)."""

from .ledger import Device, DeviceUser, Medium
from .media import MediumBinding, MediumLoan

__all__ = ["Device", "DeviceUser", "Medium", "MediumBinding", "MediumLoan"]
