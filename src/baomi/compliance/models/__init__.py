"""Models of the compliance app, one module per part: leak incidents (rules I1, I2) and secure
rooms (rule Q7)."""

from .incidents import Incident, IncidentMeasure
from .org import Committee, CommitteeMeeting, CommitteeMember, MeetingAttendance
from .rooms import SecureRoom

__all__ = ["Committee", "CommitteeMeeting", "CommitteeMember", "Incident", "IncidentMeasure",
           "MeetingAttendance", "SecureRoom"]
