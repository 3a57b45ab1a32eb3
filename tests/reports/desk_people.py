"""Reports in a given state for the desk's tests (people in each role: tests/conftest.py). Its
complete report keeps no revision of its own, so revision lists start with the desk's."""

from forum.models import Credit, Report
from forum.reports import workflow
from tests.factories import CreditFactory, ReportFactory

Status = Report.Status


def complete_report(author, **kwargs):
    """A draft complete in both languages, an author and a reviewer credited."""
    kwargs.setdefault("status", Status.DRAFT)
    kwargs.setdefault("published_at", None)
    report = ReportFactory(created_by=author, **kwargs)
    CreditFactory(report=report, role=Credit.Role.AUTHOR)
    CreditFactory(report=report, role=Credit.Role.REVIEWER)
    return report


def edit(report, user, **values):
    """Save new values into the report's working copy, as the form does."""
    report = Report.objects.get(pk=report.pk)
    for column, value in (report.pending_changes or {}).items():
        setattr(report, column, value)
    for column, value in values.items():
        setattr(report, column, value)
    return workflow.report_save(report=report, user=user, expected_version=report.version)
