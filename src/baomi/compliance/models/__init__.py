"""Models of the compliance app, one module per part: leak incidents (rules I1, I2) and secure
rooms (rule Q7)."""

from .incidents import Incident, IncidentMeasure
from .inspections import (
    Inspection,
    InspectionEvidence,
    InspectionItem,
    Rectification,
    RectificationCheck,
)
from .rooms import SecureRoom

__all__ = ["Incident", "IncidentMeasure", "Inspection", "InspectionEvidence", "InspectionItem",
           "Rectification", "RectificationCheck", "SecureRoom"]
