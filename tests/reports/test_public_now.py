"""What the public may see now is decided once, in forum/models/public.py, for reports
(`ReportQuerySet.published()` and `public()`) and for the programme (editions, sessions,
speeches, people): pages, the sitemap, feeds, search and the API all ask it, so a
scheduled report appears in every one of them at the same moment, and in none before, and
a change to the one rule moves every surface at once."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from forum.models import public
from forum.models.reports import ReportQuerySet
from tests.factories import PersonFactory, ReportFactory, SessionFactory, SpeechFactory

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


# The programme: a person who speaks at a session, credited on a published report.
SPEAKER = "Zqwithheld"
SESSION_TITLE = "Zqsession on tides"


@pytest.fixture
def programme(db):
    speaker = PersonFactory(given_name_en=SPEAKER, slug="zq-speaker")
    session = SessionFactory(title_en=SESSION_TITLE, slug="zq-session")
    SpeechFactory(session=session, speaker=speaker, title_en="Zqspeech")
    report = make_report(timezone.now() - datetime.timedelta(days=1))
    report.session = session
    report.edition = session.edition
    report.save()
    report.credits.update(person=speaker)
    return {"person": speaker, "session": session, "report": report}


def person_surfaces(client, programme):
    path = "/en/people/zq-speaker/"
    session = programme["session"]
    report_page = client.get(f"/en/reports/{programme['report'].slug_en}/").text
    return {
        "people list": SPEAKER in client.get("/en/people/").text,
        "person page": client.get(path).status_code == 200,
        "session page": SPEAKER
        in client.get(f"/en/{session.edition.slug}/sessions/{session.slug}/").text,
        "sitemap": path in client.get("/sitemap-people.xml").text,
        "search": path in client.get("/en/search/", {"q": SPEAKER.lower()}).text,
        "api": "zq-speaker" in client.get("/api/v1/people/").text,
        "byline link and structured data": path in report_page,
    }


def session_surfaces(client, programme):
    session = programme["session"]
    path = f"/en/{session.edition.slug}/sessions/{session.slug}/"
    report_page = client.get(f"/en/reports/{programme['report'].slug_en}/").text
    return {
        "session page": client.get(path).status_code == 200,
        "edition page": SESSION_TITLE in client.get(f"/en/{session.edition.slug}/").text,
        "sitemap": path in client.get("/sitemap-sessions.xml").text,
        "search": path in client.get("/en/search/", {"q": "zqsession"}).text,
        "api": "zq-session" in client.get("/api/v1/sessions/").text,
        "report page's session link": path in report_page,
    }


def withholding(label, slug):
    """The one rule of a kind of item, narrowed to withhold the item with this slug."""
    rule = public.RULES[label]
    narrowed = public.Rule(
        switch={**rule.switch, "slug": f"not-{slug}"},
        publication_time=rule.publication_time,
        belongs_to=rule.belongs_to,
    )
    return mock.patch.dict(public.RULES, {label: narrowed})


@pytest.mark.parametrize(
    ("label", "item", "surfaces"),
    [("forum.Person", "person", person_surfaces), ("forum.Session", "session", session_surfaces)],
)
def test_every_programme_surface_asks_the_one_public_now_rule(
    client, programme, label, item, surfaces
):
    """Withholding a published person or session in forum/models/public.py alone hides it
    on every page, in the sitemap, search, the API and the links of a report's page."""
    assert all(surfaces(client, programme).values()), surfaces(client, programme)

    with withholding(label, programme[item].slug):
        assert not any(surfaces(client, programme).values()), surfaces(client, programme)


@pytest.mark.django_db
def test_session_of_an_unpublished_edition_is_not_public_in_either_form():
    session = SessionFactory(edition__is_published=False)
    assert not session.is_public
    assert session not in session.__class__.objects.published()
