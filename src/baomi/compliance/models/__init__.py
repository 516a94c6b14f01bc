"""Models of the compliance app, one module per part: leak incidents (rules I1, I2) and secure
rooms (rule Q7)."""

from .assessments import Assessment, AssessmentScore, Standard
from .firms import Firm, FirmChange, FirmContract, FirmProtocol, FirmYearReport
from .incidents import Incident, IncidentMeasure
from .reports import AnnualReport
from .rooms import SecureRoom

__all__ = ["AnnualReport", "Incident", "IncidentMeasure", "SecureRoom"]
__all__ = ["Incident", "IncidentMeasure", "SecureRoom"]
__all__ += ["Assessment", "AssessmentScore", "Standard"]
from .qualification import Qualification, QualificationApplication, UnitChange
from .rooms import SecureRoom

__all__ = ["Incident", "IncidentMeasure", "SecureRoom", "Qualification", "QualificationApplication",
           "UnitChange"]
__all__ = ["Firm", "FirmChange", "FirmContract", "FirmProtocol", "FirmYearReport", "Incident",
           "IncidentMeasure", "SecureRoom"]
from .publications import PublicationReview, PublicationVersion
from .rooms import SecureRoom

__all__ = ["Incident", "IncidentMeasure", "PublicationReview", "PublicationVersion", "SecureRoom"]
from .org import Committee, CommitteeMeeting, CommitteeMember, MeetingAttendance
from .rooms import SecureRoom

__all__ = ["Committee", "CommitteeMeeting", "CommitteeMember", "Incident", "IncidentMeasure",
           "MeetingAttendance", "SecureRoom"]
from .places import ClassifiedMeeting, KeyPlace, KeyPlacePerson, MeetingAttendee, MeetingDocument
from .rooms import SecureRoom

__all__ = ["ClassifiedMeeting", "Incident", "IncidentMeasure", "KeyPlace", "KeyPlacePerson",
           "MeetingAttendee", "MeetingDocument", "SecureRoom"]
