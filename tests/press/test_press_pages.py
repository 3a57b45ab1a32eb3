"""An edition's press page with a long list: its contacts a page at a time in a fixed number
of queries, the press office on every page, each page cached and invalidated; and the
edition's contacts.vcf streamed whole in a fixed number of queries."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.models import MediaContact, Report
from forum.press.selectors import press_list
from forum.press.views import PressView
from tests.factories import (
    EditionFactory,
    MediaContactFactory,
    OrganisationFactory,
    ReportFactory,
    SessionFactory,
)
from tests.pagecache.test_cache import cached, warm  # noqa: F401 (cached: a fixture)
from tests.press.rfc2426 import assert_valid_vcards

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "zh-hans")
PER_PAGE = PressView.paginate_by
# As many contacts as the busiest press list seen (1,244 on one 904 KB page before).
MANY = 1244
# The edition, the count and the page of its contacts, the current edition (navigation).
PAGE_QUERIES = 4
# The edition, and the contacts in one query read in chunks.
VCF_QUERIES = 2


@pytest.fixture
def edition(db):
    return EditionFactory(press_office=OrganisationFactory(name_en="CDF Press Office"))


def add_contacts(edition, count):
    """`count` more public contacts covering the edition, written in bulk (no save
    signals: thousands of rows in a moment)."""
    organisation = OrganisationFactory()
    contacts = MediaContact.objects.bulk_create(
        MediaContactFactory.build(organisation=organisation) for _ in range(count)
    )
    MediaContact.editions.through.objects.bulk_create(
        MediaContact.editions.through(mediacontact=contact, edition=edition) for contact in contacts
    )


def press_path(edition, language_code="en", page=None):
    query = f"?page={page}" if page else ""
    return f"/{language_code}/{edition.slug}/press/{query}"


def listed_names(response):
    """The names of the contacts a press page lists, in its order."""
    names = re.findall(r'<p class="contact-name">(.*?)</p>', response.content.decode())
    return [html.unescape(name) for name in names]


def count_queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
        assert response.status_code == 200, path
        response.getvalue()  # a streamed response queries while it is read
    return len(context.captured_queries)


# --- Pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language_code", LANGUAGES)
def test_press_page_lists_each_contact_once_across_its_pages(client, edition, language_code):
    add_contacts(edition, PER_PAGE + 10)
    first = client.get(press_path(edition, language_code))
    second = client.get(press_path(edition, language_code, page=2))
    assert len(listed_names(first)) == PER_PAGE
    assert len(listed_names(second)) == 10
    with_language = "name_en" if language_code == "en" else "name_zh_hans"
    expected = [getattr(contact, with_language) for contact in press_list(edition)]
    assert listed_names(first) + listed_names(second) == expected


@pytest.mark.parametrize("language_code", LANGUAGES)
def test_press_page_links_its_next_and_previous_pages(client, edition, language_code):
    add_contacts(edition, PER_PAGE + 1)
    first = client.get(press_path(edition, language_code)).content.decode()
    second = client.get(press_path(edition, language_code, page=2)).content.decode()
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
    assert 'href="?page=1" rel="prev"' in second and 'rel="next"' not in second


@pytest.mark.parametrize("page", [1, 2])
def test_press_page_keeps_the_press_office_and_vcard_on_every_page(
    client, edition, page_text, page
):
    add_contacts(edition, PER_PAGE + 1)
    response = client.get(press_path(edition, page=page))
    text = page_text(response)
    assert "Press office" in text and "CDF Press Office" in text
    assert f'href="/en/{edition.slug}/press/contacts.vcf"' in response.content.decode()


def test_press_page_with_few_contacts_has_no_page_links(client, edition):
    add_contacts(edition, 3)
    content = client.get(press_path(edition)).content.decode()
    assert len(listed_names(client.get(press_path(edition)))) == 3
    assert 'class="pagination"' not in content


@pytest.mark.parametrize("page", ["3", "0", "-1", "abc", "2.5", "99999999999999999999"])
def test_press_page_number_out_of_range_is_404(client, edition, page):
    add_contacts(edition, PER_PAGE + 1)
    assert client.get(press_path(edition, page=page)).status_code == 404


@pytest.mark.parametrize("language_code", LANGUAGES)
def test_press_page_canonical_keeps_its_page_number(client, edition, language_code):
    add_contacts(edition, PER_PAGE + 1)
    path = press_path(edition, language_code)
    first = client.get(path).content.decode()
    second = client.get(press_path(edition, language_code, page=2)).content.decode()
    assert f'<link rel="canonical" href="http://testserver{path}">' in first
    assert f'<link rel="canonical" href="http://testserver{path}?page=2">' in second


def test_press_page_queries_constant_from_a_few_contacts_to_many(client, edition):
    add_contacts(edition, PER_PAGE + 10)
    few = [count_queries(client, press_path(edition, page=page)) for page in (1, 2)]
    add_contacts(edition, MANY - PER_PAGE - 10)
    last = -(-MANY // PER_PAGE)
    many = [count_queries(client, press_path(edition, page=page)) for page in (1, last)]
    assert many == few
    assert max(many) <= PAGE_QUERIES


def test_press_page_with_many_contacts_prints_one_page_of_them(client, edition):
    add_contacts(edition, MANY)
    response = client.get(press_path(edition, page=3))
    assert len(listed_names(response)) == PER_PAGE
    assert "Page 3 of 25" in response.content.decode()
    assert len(response.content) < 100_000  # not 904 KB


# --- Page cache ----------------------------------------------------------------------------


@pytest.mark.usefixtures("cached")
def test_press_pages_cached_each_and_invalidated_by_a_contact_on_either(
    client, edition, django_capture_on_commit_callbacks
):
    add_contacts(edition, PER_PAGE + 2)
    paths = [press_path(edition, code, page) for code in LANGUAGES for page in (None, 2)]
    warm(client, paths)  # each page: a miss, then a hit
    first = press_list(edition).first()
    with django_capture_on_commit_callbacks(execute=True):
        first.is_public = False
        first.save()
    for path in paths:
        response = client.get(path)
        assert response["X-Page-Cache"] == "miss", path
        assert not {first.name_en, first.name_zh_hans} & set(listed_names(response)), path
    # Page 2's first contact moved up to page 1.
    assert len(listed_names(client.get(press_path(edition)))) == PER_PAGE
    assert len(listed_names(client.get(press_path(edition, page=2)))) == 1


def covers_directly(contact, edition):
    contact.editions.add(edition)
    return lambda: contact.editions.remove(edition)


def covers_through_a_session(contact, edition):
    session = SessionFactory(edition=edition)
    contact.sessions.add(session)
    return lambda: session.media_contacts.remove(contact)


def covers_through_a_report(contact, edition):
    report = ReportFactory(edition=edition)
    report.media_contacts.add(contact)
    return lambda: report.media_contacts.clear()


@pytest.mark.usefixtures("cached")
@pytest.mark.parametrize(
    "covers", [covers_directly, covers_through_a_session, covers_through_a_report]
)
def test_press_page_two_shows_the_new_list_when_a_contact_stops_covering_the_edition(
    client, edition, covers, django_capture_on_commit_callbacks
):
    add_contacts(edition, PER_PAGE + 2)
    leaving = MediaContactFactory(name_en="A Leaving Contact")  # sorts first: on page 1
    stop_covering = covers(leaving, edition)
    assert press_list(edition).first() == leaving
    page_two = press_path(edition, page=2)
    warm(client, [page_two])
    with django_capture_on_commit_callbacks(execute=True):
        stop_covering()
    response = client.get(page_two)
    assert response["X-Page-Cache"] == "miss"
    # Page 1's last contact moved down to page 2 when the first one left.
    assert listed_names(response) == [contact.name_en for contact in press_list(edition)[PER_PAGE:]]


# --- The edition's contacts.vcf ------------------------------------------------------------


def test_press_list_vcard_streams_every_contact_as_valid_cards(client, edition):
    add_contacts(edition, MANY)
    for language_code in LANGUAGES:
        response = client.get(f"/{language_code}/{edition.slug}/press/contacts.vcf")
        assert response.streaming
        text = response.getvalue().decode("utf-8")
        assert assert_valid_vcards(text) == MANY
        assert text.count("\r\nFN:") == MANY


def test_press_list_vcard_queries_constant_from_a_few_contacts_to_many(client, edition):
    path = f"/en/{edition.slug}/press/contacts.vcf"
    add_contacts(edition, 10)
    few = count_queries(client, path)
    add_contacts(edition, MANY - 10)
    assert count_queries(client, path) == few <= VCF_QUERIES


def covered_by_a_draft_report(contact, edition):
    report = ReportFactory(edition=edition, status=Report.Status.DRAFT, published_at=None)
    report.media_contacts.add(contact)

    def publish():
        report.status, report.published_at = Report.Status.PUBLISHED, timezone.now()
        report.save()

    return publish


def covered_by_an_unpublished_session(contact, edition):
    session = SessionFactory(edition=edition, is_published=False)
    contact.sessions.add(session)

    def publish():
        session.is_published = True
        session.save()

    return publish


@pytest.mark.usefixtures("cached")
@pytest.mark.parametrize("covers", [covered_by_a_draft_report, covered_by_an_unpublished_session])
def test_a_contact_of_an_unpublished_report_or_session_joins_the_press_list_on_publication(
    client, edition, covers, django_capture_on_commit_callbacks
):
    """The press list is public: a draft's contacts, not yet reviewed, are not on it."""
    contact = MediaContactFactory(name_en="A Contact Of A Draft")
    publish = covers(contact, edition)
    path = press_path(edition)
    warm(client, [path])
    assert contact not in press_list(edition)
    assert contact.name_en not in listed_names(client.get(path))
    with django_capture_on_commit_callbacks(execute=True):
        publish()
    response = client.get(path)
    assert response["X-Page-Cache"] == "miss"
    assert contact.name_en in listed_names(response)


def test_a_contact_linked_every_way_is_listed_once():
    office = OrganisationFactory()
    edition = EditionFactory(press_office=office)
    contact = MediaContactFactory(organisation=office)
    contact.editions.add(edition)
    contact.sessions.add(SessionFactory(edition=edition))
    ReportFactory(edition=edition).media_contacts.add(contact)
    other = MediaContactFactory()
    other.editions.add(EditionFactory())
    assert list(press_list(edition)) == [contact]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")
def test_press_list_query_starts_from_the_edition_without_statistics():
    # As on a database just restored, before ANALYZE: the planner knows no table's size.
    edition = EditionFactory(press_office=OrganisationFactory())
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
        sql, params = press_list(edition).query.sql_with_params()
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    # Not every contact read and joined to every link: each link looked up by the edition.
    assert "SCAN forum_mediacontact" not in plan
    assert not any("DISTINCT" in step for step in plan)
