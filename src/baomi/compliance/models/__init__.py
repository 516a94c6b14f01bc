"""Models of the compliance app, one module per part: leak incidents (rules I1, I2) and secure
rooms (rule Q7)."""

from .incidents import Incident, IncidentMeasure
from .places import ClassifiedMeeting, KeyPlace, KeyPlacePerson, MeetingAttendee, MeetingDocument
from .rooms import SecureRoom

__all__ = ["ClassifiedMeeting", "Incident", "IncidentMeasure", "KeyPlace", "KeyPlacePerson",
           "MeetingAttendee", "MeetingDocument", "SecureRoom"]
