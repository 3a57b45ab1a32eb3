"""Sitemaps at scale: /sitemap.xml is an index of per-section files of at most `limit` URLs
(forum/discovery/sitemaps.py), each page of each section reachable, rendered one page at a
time with a fixed number of queries, and cached and invalidated like pages.

The tests lower the limit to 99 URLs (33 pages in three languages): a few hundred objects,
made with bulk_create, then fill several files, as more than 50,000 URLs fill several files
of the real limit (25,000 reports would take seconds to make; `make bench` renders the bulk
site's files). One test checks that the real limit keeps a file under 50 MB.
"""

import datetime
import math
from collections import Counter

import pytest
from django.utils import timezone

from forum.discovery.sitemaps import SITEMAPS, PageSitemap
from forum.models import Edition, Person, Report, Session
from forum.pagecache.tags import SITEMAP_SECTIONS
from tests.discovery.test_feeds_sitemaps import (
    BASE,
    SITEMAP,
    XHTML,
    alternates,
    sitemap_files,
    sitemap_urls,
    xml,
)
from tests.factories import EditionFactory, PersonFactory, ReportFactory, SessionFactory
from tests.pagecache import test_cache

# The page cache switched on, on-commit invalidation, and "miss"/"hit" (tests/pagecache/).
cached, committed = test_cache.cached, test_cache.committed
state, warm = test_cache.state, test_cache.warm

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "zh-hans", "zh-hant")
LIMIT = 99  # URLs per file in these tests: 33 pages in three languages
PER_FILE = LIMIT // len(LANGUAGES)
MAX_FILE_BYTES = 50 * 1024 * 1024  # sitemaps.org
MAX_FILE_URLS = 50_000
LONGEST_HOST = 253  # characters in a DNS name


@pytest.fixture
def small_files(monkeypatch):
    monkeypatch.setattr(PageSitemap, "limit", LIMIT)


def yesterday():
    return timezone.now() - datetime.timedelta(days=1)


def make_reports(edition, count, start=0, **fields):
    """Published bilingual reports (unless fields say otherwise), made in one statement."""
    published = {"status": Report.Status.PUBLISHED, "published_at": yesterday()}
    return Report.objects.bulk_create(
        Report(
            **{
                "edition": edition,
                "headline_en": f"Report {index}",
                "headline_zh_hans": f"报道{index}",
                "slug_en": f"report-{index}",
                "slug_zh_hans": f"baodao-{index}",
                # What saving converts (bulk_create does not save one by one).
                "headline_zh_hant": f"報道{index}",
                "slug_zh_hant": f"baodao-{index}",
                **published,
                **fields,
            }
        )
        for index in range(start, start + count)
    )


@pytest.fixture
def crowd(db):
    """Several files' worth of reports and people, some in one language only, and what the
    public must not see: drafts, scheduled reports, unpublished people."""
    edition = EditionFactory()
    SessionFactory.create_batch(3, edition=edition)
    make_reports(edition, 230)
    make_reports(edition, 20, start=1000, single_language="en")
    make_reports(edition, 10, start=2000, single_language="zh-hans")
    make_reports(edition, 15, start=3000, status=Report.Status.DRAFT)
    make_reports(edition, 5, start=4000, published_at=timezone.now() + datetime.timedelta(days=1))
    Person.objects.bulk_create(
        Person(
            family_name_en="Li",
            given_name_en=f"Lei{index}",
            slug=f"person-{index}",
            is_published=True,
        )
        for index in range(130)
    )
    Person.objects.filter(slug__in=[f"person-{index}" for index in range(10)]).update(
        is_published=False
    )
    return edition


def public_urls():
    """Every address the public may read, from the database: what the sitemap must list."""
    static = ("", "about/", "reports/", "people/")
    urls = {f"{BASE}/{code}/{path}" for code in LANGUAGES for path in static}
    for report in Report.objects.published():
        urls |= {f"{BASE}/{code}/reports/{slug}/" for code, slug in report_slugs(report).items()}
    for slug in Person.objects.published().values_list("slug", flat=True):
        urls |= {f"{BASE}/{code}/people/{slug}/" for code in LANGUAGES}
    for edition in Edition.objects.published():
        for path in (f"{edition.slug}/", f"{edition.slug}/press/"):
            urls |= {f"{BASE}/{code}/{path}" for code in LANGUAGES}
    for session in Session.objects.published():
        path = f"{session.edition.slug}/sessions/{session.slug}/"
        urls |= {f"{BASE}/{code}/{path}" for code in LANGUAGES}
    return urls


def report_slugs(report):
    slugs = {"en": report.slug_en, "zh-hans": report.slug_zh_hans, "zh-hant": report.slug_zh_hant}
    if report.single_language:  # Simplified only is Traditional too
        shown = {
            report.single_language,
            *(["zh-hant"] if report.single_language == "zh-hans" else []),
        }
        slugs = {code: slug for code, slug in slugs.items() if code in shown}
    return {code: slug for code, slug in slugs.items() if slug}


def index_locations(client):
    return [loc.text for loc in xml(client.get("/sitemap.xml")).iter(f"{SITEMAP}loc")]


def file_location(section, page):
    return f"{BASE}/sitemap-{section}.xml" + (f"?p={page}" if page > 1 else "")


# --- The index and its files ---------------------------------------------------------------


def test_sitemap_index_lists_every_page_of_every_section(client, crowd, small_files):
    public = {
        "pages": 4,
        "editions": 1,
        "press": 1,
        "sessions": 3,
        "people": 120,
        "reports": 260,
    }
    expected = [
        file_location(section, page)
        for section, count in public.items()
        for page in range(1, math.ceil(count / PER_FILE) + 1)
    ]
    assert index_locations(client) == expected


def test_sitemap_files_hold_at_most_the_limit(client, crowd, small_files):
    counts = {
        path: len(xml(response).findall(f"{SITEMAP}url"))
        for path, response in sitemap_files(client)
    }
    assert max(counts.values()) == LIMIT
    assert all(count <= LIMIT for count in counts.values()), counts


def test_sitemap_lists_every_public_url_exactly_once(client, crowd, small_files):
    listed = Counter(url.findtext(f"{SITEMAP}loc") for url in sitemap_urls(client))
    assert {loc: count for loc, count in listed.items() if count > 1} == {}
    assert set(listed) == public_urls()


def test_sitemap_alternates_are_reciprocal_with_x_default(client, crowd, small_files):
    entries = {url.findtext(f"{SITEMAP}loc"): alternates(url) for url in sitemap_urls(client)}
    for loc, links in entries.items():
        languages = {code: href for code, href in links.items() if code != "x-default"}
        assert loc in languages.values(), loc
        for href in languages.values():  # every version lists the same versions
            assert entries[href] == links, (loc, href)
        assert links["x-default"] == languages.get("en", next(iter(languages.values())))


def test_sitemap_lastmod_comes_from_the_content(client, db, small_files):
    edition = EditionFactory()
    old, recent = make_reports(edition, 2)
    changed = datetime.datetime(2030, 5, 6, 7, 8, tzinfo=datetime.UTC)
    Report.objects.filter(pk=old.pk).update(updated_at=changed - datetime.timedelta(days=30))
    Report.objects.filter(pk=recent.pk).update(live_updated_at=changed)
    index = xml(client.get("/sitemap.xml"))
    by_file = {
        entry.findtext(f"{SITEMAP}loc"): entry.findtext(f"{SITEMAP}lastmod")
        for entry in index.iter(f"{SITEMAP}sitemap")
    }
    assert by_file[file_location("reports", 1)].startswith("2030-05-06T15:08:00")  # Shanghai
    assert by_file[file_location("pages", 1)] is None  # no content date for the static pages
    dates = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in xml(client.get("/sitemap-reports.xml")).iter(f"{SITEMAP}url")
    }
    assert dates[f"{BASE}/zh-hans/reports/{recent.slug_zh_hans}/"] == "2030-05-06"
    assert dates[f"{BASE}/en/reports/{old.slug_en}/"] == "2030-04-06"


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "5", "99999999999999999999", ""])
def test_sitemap_page_that_does_not_exist_is_not_found(client, crowd, small_files, page):
    assert client.get(f"/sitemap-people.xml?p={page}").status_code == 404


def test_sitemap_section_that_does_not_exist_is_not_found(client, db):
    assert client.get("/sitemap-speeches.xml").status_code == 404


def test_sitemap_file_stays_under_the_protocol_limits_with_the_longest_addresses(client, db):
    """The longest slugs (120 characters) on the longest host name still fit `limit` URLs
    in 50 MB."""
    SessionFactory(slug="s" * 120, edition=EditionFactory(slug="e" * 50))
    ReportFactory(slug_en="r" * 120, slug_zh_hans="b" * 120)
    for section in ("sessions", "reports"):
        response = client.get(f"/sitemap-{section}.xml")
        [entry, *_others] = xml(response).findall(f"{SITEMAP}url")
        hosts = 1 + len(entry.findall(f"{XHTML}link"))  # the loc and each alternate
        entry_bytes = len(response.content) / 2 + hosts * (LONGEST_HOST - len("testserver"))
        sitemap = SITEMAPS[section]
        assert sitemap.limit <= MAX_FILE_URLS
        assert entry_bytes * sitemap.limit < MAX_FILE_BYTES, (section, entry_bytes)


# --- Queries --------------------------------------------------------------------------------


def test_sitemap_file_queries_are_fixed(client, crowd, small_files, django_assert_max_num_queries):
    for path in ("/sitemap-reports.xml", "/sitemap-reports.xml?p=6", "/sitemap-sessions.xml"):
        with django_assert_max_num_queries(2):  # the size of the section, then one page of it
            assert client.get(path).status_code == 200


def test_sitemap_index_queries_are_fixed(client, crowd, small_files, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # per section of objects: its size and latest date
        assert client.get("/sitemap.xml").status_code == 200


# --- The page cache ------------------------------------------------------------------------


@pytest.fixture
def tiny_files(monkeypatch):
    monkeypatch.setattr(PageSitemap, "limit", 6)  # two pages (three languages) per file


PATHS = ["/sitemap.xml", "/sitemap-reports.xml", "/sitemap-reports.xml?p=2", "/sitemap-people.xml"]


@pytest.fixture
def small_site(db, tiny_files):
    edition = EditionFactory()
    reports = ReportFactory.create_batch(3, edition=edition)
    people = PersonFactory.create_batch(2)
    return {"edition": edition, "reports": reports, "people": people}


def test_sitemap_index_and_files_are_cached(client, small_site, cached):
    warm(client, PATHS)


def publish_report(site):
    ReportFactory(edition=site["edition"], slug_en="new-report")
    return "/en/reports/new-report/"


def rename_person(site):
    person = site["people"][0]
    person.slug = "renamed-person"
    person.save()
    return "/en/people/renamed-person/"


@pytest.mark.parametrize(
    ("change", "section_file", "other_file"),
    [
        (publish_report, "/sitemap-reports.xml?p=2", "/sitemap-people.xml"),
        (rename_person, "/sitemap-people.xml", "/sitemap-reports.xml?p=2"),
    ],
)
def test_edit_invalidates_the_index_and_the_files_of_its_section_only(
    client, small_site, cached, committed, change, section_file, other_file
):
    warm(client, PATHS)
    with committed():
        path = change(small_site)
    assert state(client, "/sitemap.xml") == "miss"
    response = client.get(section_file)
    assert response["X-Page-Cache"] == "miss"
    assert path in response.text
    assert state(client, other_file) == "hit"


def test_withdrawn_report_leaves_the_sitemap(client, small_site, cached, committed):
    warm(client, PATHS)
    report = small_site["reports"][0]
    with committed():
        report.status = Report.Status.WITHDRAWN
        report.save()
    assert f"/en/reports/{report.slug_en}/" not in client.get("/sitemap-reports.xml").text


def test_sitemap_page_that_does_not_exist_is_never_cached(client, small_site, cached):
    for _ in range(2):
        response = client.get("/sitemap-reports.xml?p=9")
        assert response.status_code == 404
        assert response.get("X-Page-Cache") is None


def test_sitemap_sections_all_have_cache_tags():
    assert set(SITEMAP_SECTIONS) == set(SITEMAPS)
