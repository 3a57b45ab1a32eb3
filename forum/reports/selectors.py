"""Reads of reports for public pages, feeds, search, the API and the admin's lists.

What the public may see now is one queryset method, `Report.objects.public()` (published,
publication time passed, and a version in the language); everything public starts there.
"""

from django.db.models import Prefetch, Q

from forum.core import roles
from forum.core.roles import is_editor, user_roles
from forum.models import Credit, Report
from forum.press.selectors import public_contacts
from forum.programme.selectors import published_speeches

REPORT_LIST_RELATED = ("edition__forum", "session__edition")
Status = Report.Status


def listed_reports(language_code=None):
    """Reports the public can read in the language (default: the reader's), for lists."""
    return Report.objects.public(language_code).select_related(*REPORT_LIST_RELATED)


def reports_about(person):
    """Reports a person wrote, reviewed or spoke in, for their page."""
    return (
        listed_reports().filter(Q(credits__person=person) | Q(speeches__speaker=person)).distinct()
    )


def reports_with_credits(reports):
    """Reports with their public speeches and credits, for lists that print bylines (the
    API)."""
    return reports.select_related("edition", "publisher").prefetch_related(
        Prefetch("speeches", queryset=published_speeches()),
        Prefetch("credits", queryset=Credit.objects.select_related("person")),
    )


def report_page_queryset(reports):
    """What a report page shows beside the report, fetched in a fixed number of queries."""
    return reports.select_related(
        "edition__forum", "edition__press_office", "session__edition", "publisher"
    ).prefetch_related(
        Prefetch("credits", queryset=Credit.objects.select_related("person")),
        Prefetch("speeches", queryset=published_speeches()),
        Prefetch("media_contacts", queryset=public_contacts()),
    )


def reports_in_working_state(queryset, state):
    """Reports whose *working* state is `state` (a live report's changes count too)."""
    Status = Report.Status
    if state in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED):
        return queryset.filter(Q(status=state) | Q(status=Status.PUBLISHED, pending_status=state))
    if state == "scheduled":
        return queryset.scheduled()
    if state == Status.PUBLISHED:
        return queryset.published()
    if state == "changes":
        return queryset.filter(status=Status.PUBLISHED).exclude(pending_status="")
    if state == Status.WITHDRAWN:
        return queryset.filter(status=Status.WITHDRAWN)
    return queryset


def openable_reports(user, reports):
    """The reports of the queryset the user may open, for lists, search, the translation
    queue and the admin home's counts: workflow.can_open (editors every report, reviewers
    and translators those at their step, everyone their own) as a database filter."""
    if not user.is_authenticated:
        return reports.none()
    if is_editor(user):
        return reports
    states = set()
    if roles.REVIEWERS in user_roles(user):
        states |= {Status.DRAFT, Status.IN_REVIEW, Status.APPROVED}
    if roles.TRANSLATORS in user_roles(user):
        states |= {Status.DRAFT, Status.IN_REVIEW}
    allowed = Q(created_by=user.pk)
    if states:
        # A live report's working state is its working copy's (none: editing starts one).
        allowed |= Q(status__in=states) | Q(
            status=Status.PUBLISHED, pending_status__in=[*states, ""]
        )
    return reports.filter(allowed)
