"""Models of the compliance app, one module per part: leak incidents (rules I1, I2), secure
rooms (Q7), annual reports (Q5), scored assessments (Q2, Q3), qualifications and unit changes
(Q3, Q4, Q6), inspections and rectifications (Q9, Q10), outside firms (Q8, Q11), publication
review (Q12), the 保密委员会 (Q1), key places and classified meetings (M1, M2)."""

from .assessments import Assessment, AssessmentScore, Standard
from .firms import Firm, FirmChange, FirmContract, FirmProtocol, FirmYearReport
from .incidents import Incident, IncidentMeasure
from .inspections import (
    Inspection,
    InspectionEvidence,
    InspectionItem,
    Rectification,
    RectificationCheck,
)
from .org import Committee, CommitteeMeeting, CommitteeMember, MeetingAttendance
from .places import ClassifiedMeeting, KeyPlace, KeyPlacePerson, MeetingAttendee, MeetingDocument
from .publications import PublicationReview, PublicationVersion
from .qualification import Qualification, QualificationApplication, UnitChange
from .reports import AnnualReport
from .rooms import SecureRoom

__all__ = [
    "AnnualReport", "Assessment", "AssessmentScore", "ClassifiedMeeting", "Committee",
    "CommitteeMeeting", "CommitteeMember", "Firm", "FirmChange", "FirmContract", "FirmProtocol",
    "FirmYearReport", "Incident", "IncidentMeasure", "Inspection", "InspectionEvidence",
    "InspectionItem", "KeyPlace", "KeyPlacePerson",
    "MeetingAttendance", "MeetingAttendee", "MeetingDocument", "PublicationReview",
    "PublicationVersion", "Qualification", "QualificationApplication", "Rectification",
    "RectificationCheck", "SecureRoom", "Standard",
    "UnitChange",
]
