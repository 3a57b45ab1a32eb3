"""The fixed lists editors choose from, each value with its translated label.

Each list belongs to one model, which names it (Report.Status, Session.Kind, Credit.Role…);
other code uses those names: `Report.Status.PUBLISHED`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    """What an organisation is (Organisation.Kind)."""

    GOVERNMENT = "government", _("Government body")
    FOUNDATION = "foundation", _("Foundation")
    PUBLISHER = "publisher", _("Publisher")
    POLITICAL = "political", _("Political body")
    COMPANY = "company", _("Company")
    ACADEMIC = "academic", _("Academic institution")
    INTERNATIONAL = "international", _("International organisation")
    OTHER = "other", _("Other")


class SessionKind(models.TextChoices):
    """The format of a session (Session.Kind)."""

    PLENARY = "plenary", _("Plenary")
    SYMPOSIUM = "symposium", _("Symposium")
    ROUNDTABLE = "roundtable", _("Roundtable")
    PANEL = "panel", _("Panel discussion")
    LUNCHEON = "luncheon", _("Luncheon")
    OTHER = "other", _("Other")


class SessionPartOfDay(models.TextChoices):
    """When a session without exact times takes place (Session.PartOfDay)."""

    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")
    ALL_DAY = "all-day", _("All day")


class RoleAtSession(models.TextChoices):
    """What a person does at a session (SessionRole.Role)."""

    PRESIDER = "presider", _("Presided by")
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co-chair", _("Co-chair")
    MODERATOR = "moderator", _("Moderator")
    HOST = "host", _("Host")
    DISCUSSANT = "discussant", _("Discussant")
    PANELLIST = "panellist", _("Panellist")


class SpeechKind(models.TextChoices):
    """The kind of a speech (Speech.Kind)."""

    KEYNOTE = "keynote", _("Keynote speech")
    OPENING = "opening", _("Opening remarks")
    CLOSING = "closing", _("Closing remarks")
    ADDRESS = "address", _("Address")
    PANEL = "panel", _("Panel contribution")
    REMARKS = "remarks", _("Remarks")


class ReportStatus(models.TextChoices):
    """Where a report is in its workflow, see forum/reports/workflow.py (Report.Status)."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CreditRole(models.TextChoices):
    """What a person did for a report, as the byline says (Credit.Role)."""

    AUTHOR = "author", _("Author")
    REVIEWER = "reviewer", _("Reviewer")
    EDITOR = "editor", _("Editor")
    TRANSLATOR = "translator", _("Translator")
    PHOTOGRAPHER = "photographer", _("Photographer")

    @property
    def byline_label(self):
        # The publisher's byline headings: "Authors: …; Reviewer: …" / "撰稿：…；审核：…"
        return {
            "author": _("Authors"),
            "reviewer": _("Reviewer"),
            "editor": _("Editor"),
            "translator": _("Translator"),
            "photographer": _("Photographer"),
        }[self.value]


class SearchDocumentKind(models.TextChoices):
    """The kind of page a search document stands for (SearchDocument.Kind)."""

    REPORT = "report", _("report")
    EDITION = "edition", _("edition")
    SESSION = "session", _("session")
    SPEECH = "speech", _("speech")
    PERSON = "person", _("person")
