from .common import PublishableModel, TimeStampedModel
from .hant import TermOverride, TraditionalOverride
from .imports import ImportedRecord
from .organisations import Organisation
from .people import Person, Position, positions_label
from .press import MediaContact
from .programme import Edition, Forum, Session, SessionRole, Speech
from .reports import Credit, Report
from .search import SearchDocument, SearchTerm
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
    "SearchDocument",
    "SearchTerm",
    "Session",
    "SessionRole",
    "Speech",
    "TermOverride",
    "TimeStampedModel",
    "TraditionalOverride",
    "positions_label",
]
