"""Cached fragments of public pages (forum/pagecache/fragments.py): a page rendered from
fragments is the page rendered in full, in each language, after every kind of change
that invalidates the page cache; previews, logged-in readers and error pages are never
served from them.

The page cache itself is off here: every request runs the view and the outer template.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from forum.models import Credit
from forum.pagecache import store as page_cache
from forum.reports import workflow
from tests.factories import (
    CreditFactory,
    EditionFactory,
    MediaContactFactory,
    PersonFactory,
    ReportFactory,
    SessionFactory,
    SessionRoleFactory,
    SpeechFactory,
)
from tests.pagecache import test_cache

both, report_paths, committed = test_cache.both, test_cache.report_paths, test_cache.committed

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragments(settings):
    """Fragments cached (the page cache off), the cache empty before and after."""
    settings.FRAGMENT_CACHE_ENABLED = True
    settings.PAGE_CACHE_ENABLED = False
    settings.PAGE_CACHE_TIMEOUT = 3600
    caches["default"].clear()
    page_cache._local_indexes.clear()
    yield
    caches["default"].clear()
    page_cache._local_indexes.clear()


@pytest.fixture
def site(db):
    edition = EditionFactory()
    first, second = SessionFactory.create_batch(2, edition=edition)
    author, speaker = PersonFactory.create_batch(2)
    speech = SpeechFactory(session=first, speaker=speaker)
    report = ReportFactory(edition=edition, session=first)
    report.speeches.add(speech)
    CreditFactory(report=report, person=author, role=Credit.Role.AUTHOR)
    contact = MediaContactFactory(name_en="Press Person")
    report.media_contacts.add(contact)
    contact.editions.add(edition)
    return {
        "edition": edition,
        "first": first,
        "second": second,
        "author": author,
        "speaker": speaker,
        "report": report,
        "contact": contact,
    }


def site_paths(site):
    edition = site["edition"].slug
    return [
        *both(""),
        *both("about/"),
        *both("reports/"),
        *both("people/"),
        *both(f"{edition}/"),
        *both(f"{edition}/press/"),
        *both(f"{edition}/sessions/{site['first'].slug}/"),
        *both(f"{edition}/sessions/{site['second'].slug}/"),
        *both(f"people/{site['speaker'].slug}/"),
        *both(f"people/{site['author'].slug}/"),
        *both("search/?q=report"),
        *report_paths(site["report"]),
    ]


def full_render(client, path):
    with override_settings(FRAGMENT_CACHE_ENABLED=False):
        return client.get(path)


def assert_as_rendered_in_full(client, paths):
    """Each page, from its fragments (and again, from the cache), is the full render."""
    for path in paths:
        expected = full_render(client, path)
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == expected.status_code, path
            assert response.content.decode() == expected.content.decode(), path


def test_pages_from_fragments_are_the_pages_rendered_in_full(client, site, fragments):
    # English first: the Chinese pages must not get English fragments (nor the reverse).
    assert_as_rendered_in_full(client, site_paths(site))
    assert_as_rendered_in_full(client, list(reversed(site_paths(site))))


def test_cached_fragments_leave_the_view_one_narrow_read(
    client, site, fragments, django_assert_max_num_queries
):
    paths = {
        "": 0,
        f"{site['edition'].slug}/": 1,
        f"{site['edition'].slug}/sessions/{site['first'].slug}/": 1,
        f"people/{site['speaker'].slug}/": 1,
    }
    for path, queries in paths.items():
        client.get(f"/en/{path}")
        with django_assert_max_num_queries(queries):
            client.get(f"/en/{path}")
    english = report_paths(site["report"])[0]
    client.get(english)
    with django_assert_max_num_queries(1):
        assert client.get(english).status_code == 200


def test_changes_reach_pages_made_of_fragments(
    client, site, fragments, committed, superuser, page_text
):
    paths = site_paths(site)
    draft = ReportFactory(edition=site["edition"], session=site["second"])
    draft.status, draft.published_at = draft.Status.APPROVED, None
    draft.save()
    CreditFactory(report=draft, person=site["author"], role=Credit.Role.AUTHOR)
    CreditFactory(report=draft, role=Credit.Role.REVIEWER)
    changes = [
        lambda: workflow.report_publish(report=draft, user=superuser),
        lambda: setattr(site["speaker"], "given_name_en", "Xiaoming") or site["speaker"].save(),
        lambda: SessionRoleFactory(session=site["first"], person=PersonFactory()),
        lambda: (
            setattr(site["contact"], "name_en", "Renamed Press Person") or site["contact"].save()
        ),
        lambda: setattr(site["edition"], "theme_en", "A new theme") or site["edition"].save(),
        lambda: site["report"].speeches.clear(),
        lambda: workflow.report_unpublish(report=draft, user=superuser, reason="error in the text"),
    ]
    assert_as_rendered_in_full(client, paths)
    for change in changes:
        with committed():
            change()
        assert_as_rendered_in_full(client, paths)
    assert "Xiaoming" in page_text(client.get(f"/en/people/{site['speaker'].slug}/"))
    assert "A new theme" in page_text(client.get("/en/about/"))


def test_preview_never_shares_fragments(client, site, fragments, superuser, page_text):
    report = site["report"]
    report.refresh_from_db()
    report.headline_en = "Headline under review"
    workflow.report_save(report=report, user=superuser, expected_version=report.version)
    public = report_paths(report)[0]
    live = page_text(client.get(public))
    client.force_login(superuser)
    preview = page_text(client.get(f"/en/preview/reports/{report.pk}/"))
    assert "Headline under review" in preview
    client.logout()
    assert page_text(client.get(public)) == live
    assert "Headline under review" not in live


def test_logged_in_reader_gets_the_page_rendered_in_full(
    client, site, fragments, settings, superuser, django_assert_num_queries
):
    english = report_paths(site["report"])[0]
    client.force_login(superuser)
    settings.FRAGMENT_CACHE_ENABLED = False
    client.get(english)  # the session's own reads, once
    with CaptureQueriesContext(connection) as full:
        client.get(english)
    queries = len(full.captured_queries)  # read now: every request empties the log
    settings.FRAGMENT_CACHE_ENABLED = True
    client.logout()
    client.get(english)  # fragments cached
    client.force_login(superuser)
    client.get(english)
    with django_assert_num_queries(queries):
        client.get(english)


def test_report_unavailable_in_a_language_keeps_its_own_page(client, site, fragments):
    report = ReportFactory(edition=site["edition"], single_language="en")
    english, chinese = report_paths(report)
    assert_as_rendered_in_full(client, [english, chinese, f"/zh-hans/reports/{report.slug_en}/"])
    assert client.get(chinese).status_code == 200  # "not available in this language"
