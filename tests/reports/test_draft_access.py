"""Who may open which report in the admin (workflow.can_open): editors every report,
reviewers and translators those at their step, everyone their own; an author never
another author's draft, on any page of it."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from forum.models import Report
from forum.reports import workflow
from forum.reports.selectors import openable_reports
from tests.factories import ReportFactory, user_in
from tests.reports.editing import complete_report, live_report

Status = Report.Status
SECRET = "Draft headline zq4410"


@pytest.fixture
def reports(people):
    """A report by the author in every state of the workflow."""
    author = people["author"]
    live = live_report(people)
    with_draft_copy = live_report(people)
    with_draft_copy.pending_status = Status.DRAFT
    with_draft_copy.save(update_fields=["pending_status"])
    in_a_week = timezone.now() + datetime.timedelta(days=7)
    return {
        "draft": complete_report(author, headline_en=SECRET),
        "in review": complete_report(author, status=Status.IN_REVIEW),
        "approved": complete_report(author, status=Status.APPROVED),
        "live": live,
        "live with a draft copy": with_draft_copy,
        "scheduled": ReportFactory(created_by=author, published_at=in_a_week),
        "withdrawn": complete_report(author, status=Status.WITHDRAWN),
    }


OPENS = {
    "other author": set(),
    "translator": {"draft", "in review", "live", "live with a draft copy", "scheduled"},
    "reviewer": {
        "draft",
        "in review",
        "approved",
        "live",
        "live with a draft copy",
        "scheduled",
    },
}


@pytest.mark.parametrize("who", sorted(OPENS))
def test_who_opens_which_report(people, reports, who):
    user = user_in("Authors") if who == "other author" else people[who]

    opened = {state for state, report in reports.items() if workflow.can_open(user, report)}

    assert opened == OPENS[who]
    listed = set(openable_reports(user, Report.objects.all()))
    assert listed == {reports[state] for state in OPENS[who]}


def test_author_and_editor_open_every_report_of_the_author(people, reports):
    for user in (people["author"], people["editor"]):
        assert set(openable_reports(user, Report.objects.all())) == set(reports.values())


def report_pages(client, report):
    """{page: response} of every admin page of one report, and its preview."""
    admin = "admin:forum_report_"
    return {
        "form": client.get(reverse(f"{admin}change", args=[report.pk])),
        "history": client.get(reverse(f"{admin}history", args=[report.pk])),
        "revisions": client.get(reverse(f"{admin}revisions", args=[report.pk])),
        "compare": client.get(reverse(f"{admin}compare", args=[report.pk])),
        "preview": client.get(reverse("forum:report-preview", kwargs={"pk": report.pk})),
        "list": client.get(reverse(f"{admin}changelist")),
        "search": client.get(reverse(f"{admin}changelist"), {"q": "zq4410"}),
        "translation queue": client.get(reverse(f"{admin}outdated")),
    }


def test_another_author_opens_no_page_of_a_draft(client, reports):
    client.force_login(user_in("Authors"))

    for page, response in report_pages(client, reports["draft"]).items():
        assert response.status_code in (200, 302, 403, 404), page
        assert SECRET not in response.content.decode(), page


def test_its_author_opens_every_page_of_a_draft(client, people, reports):
    client.force_login(people["author"])

    pages = report_pages(client, reports["draft"])

    for page in ("form", "history", "revisions", "preview", "list", "search"):
        assert pages[page].status_code == 200, page
        assert SECRET in pages[page].content.decode(), page


def test_translator_opens_a_draft_at_their_step(client, people, reports):
    client.force_login(people["translator"])

    pages = report_pages(client, reports["draft"])

    assert SECRET in pages["form"].content.decode()
    assert SECRET in pages["preview"].content.decode()


def view_on_site(client, report):
    """The admin's "View on site" shortcut for the report: where it leads, if anywhere."""
    content_type = ContentType.objects.get_for_model(Report)
    response = client.get(f"/admin/r/{content_type.pk}/{report.pk}/")
    return response.status_code, response.headers.get("Location", "")


@pytest.mark.parametrize("who", ["other author", "press"])
def test_view_on_site_gives_no_address_of_a_report_one_may_not_open(client, people, reports, who):
    """A draft's address is its slug, made from its headline."""
    client.force_login(user_in("Authors") if who == "other author" else people["press"])

    status, location = view_on_site(client, reports["draft"])

    assert (status, location) == (404, "")


def test_view_on_site_leads_its_author_to_the_draft(client, people, reports):
    client.force_login(people["author"])

    status, location = view_on_site(client, reports["draft"])

    assert status == 302
    assert reports["draft"].slug_en in location
