"""What the public may see of reports is stated once (`ReportQuerySet.published()` and
`public()`): pages, the sitemap, feeds, search and the API all read it, so a scheduled
report appears in every one of them at the same moment, and in none before."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from forum.models.reports import ReportQuerySet
from tests.factories import PersonFactory, ReportFactory, SessionFactory

HEADLINE = "Zanzibar quantum accord"


def shown_on_report_list(client, report):
    return HEADLINE in client.get("/en/reports/").text


def shown_on_report_page(client, report):
    return client.get(f"/en/reports/{report.slug_en}/").status_code == 200


def shown_on_edition_page(client, report):
    return HEADLINE in client.get(f"/en/{report.edition.slug}/").text


def shown_on_session_page(client, report):
    session = report.session
    return HEADLINE in client.get(f"/en/{session.edition.slug}/sessions/{session.slug}/").text


def shown_on_person_page(client, report):
    person = report.credits.get().person
    return HEADLINE in client.get(f"/en/people/{person.slug}/").text


def shown_in_sitemap(client, report):
    return f"/en/reports/{report.slug_en}/" in client.get("/sitemap-reports.xml").text


def shown_in_feed(client, report):
    return HEADLINE in client.get("/en/feeds/reports.atom").text


def shown_in_search(client, report):
    return "Zanzibar" in client.get("/en/search/", {"q": "zanzibar"}).text


def shown_in_api(client, report):
    return report.slug_en in client.get("/api/v1/reports/").text


SURFACES = (
    shown_on_report_list,
    shown_on_report_page,
    shown_on_edition_page,
    shown_on_session_page,
    shown_on_person_page,
    shown_in_sitemap,
    shown_in_feed,
    shown_in_search,
    shown_in_api,
)


def make_report(published_at):
    report = ReportFactory(
        headline_en=HEADLINE,
        session=SessionFactory(),
        published_at=published_at,
    )
    report.edition = report.session.edition
    report.save()
    report.credits.create(person=PersonFactory(), role="author")
    return report


def shown(client, report):
    return {surface.__name__: surface(client, report) for surface in SURFACES}


@pytest.mark.django_db
def test_scheduled_report_appears_everywhere_at_its_publication_time(client):
    publication = timezone.now() + datetime.timedelta(hours=2)
    report = make_report(publication)

    assert shown(client, report) == dict.fromkeys(shown(client, report), False)
    just_before = publication - datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=just_before):
        assert not any(shown(client, report).values())
    just_after = publication + datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=just_after):
        assert all(shown(client, report).values()), shown(client, report)


@pytest.mark.django_db
def test_every_public_surface_asks_the_one_public_now_queryset(client):
    """Withholding a published report in ReportQuerySet.published() alone hides it on
    every page, the sitemap, the feeds, search and the API."""
    report = make_report(timezone.now() - datetime.timedelta(days=1))
    assert all(shown(client, report).values()), shown(client, report)

    published = ReportQuerySet.published

    def published_but_withheld(queryset):
        return published(queryset).exclude(pk=report.pk)

    with mock.patch.object(ReportQuerySet, "published", published_but_withheld):
        assert not any(shown(client, report).values()), shown(client, report)
