from .common import PublishableModel, TimeStampedModel
from .imports import ImportedRecord
from .organisations import Organisation
from .people import Person, Position
from .press import MediaContact
from .programme import Edition, Forum, Session, SessionRole, Speech
from .reports import Credit, Report
from .workflow import ReportTransition

__all__ = [
    "Credit",
    "Edition",
    "Forum",
    "ImportedRecord",
    "MediaContact",
    "Organisation",
    "Person",
    "Position",
    "PublishableModel",
    "Report",
    "ReportTransition",
    "Session",
    "SessionRole",
    "Speech",
    "TimeStampedModel",
]
