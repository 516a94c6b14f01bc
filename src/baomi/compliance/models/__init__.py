"""Models of the compliance app, one module per part: leak incidents (rules I1, I2) and secure
rooms (rule Q7)."""

from .firms import Firm, FirmChange, FirmContract, FirmProtocol, FirmYearReport
from .incidents import Incident, IncidentMeasure
from .rooms import SecureRoom

__all__ = ["Firm", "FirmChange", "FirmContract", "FirmProtocol", "FirmYearReport", "Incident",
           "IncidentMeasure", "SecureRoom"]
