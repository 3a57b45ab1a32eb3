"""People in each editorial role and reports in a given state, for the desk's tests."""

import pytest
from django.contrib.auth.models import Group

from forum.core import roles
from forum.models import Credit, Report
from forum.reports import workflow
from tests.factories import CreditFactory, ReportFactory, UserFactory

Status = Report.Status


def user_in(group_name, **kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def people(db):
    return {
        "author": user_in(roles.AUTHORS),
        "translator": user_in(roles.TRANSLATORS),
        "reviewer": user_in(roles.REVIEWERS),
        "editor": user_in(roles.EDITORS),
        "press": user_in(roles.PRESS_OFFICERS),
    }


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
