"""The page cache: what is cached, conditional GET, and precise invalidation (forum/pagecache/).

Invalidation runs when the transaction commits; tests run inside one, so changes are
made inside `django_capture_on_commit_callbacks(execute=True)` (the `committed` fixture).
"""

import datetime
import time
import uuid

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from forum.models import Credit, Report
from forum.pagecache import store as page_cache
from forum.pagecache.middleware import PageCacheMiddleware
from forum.programme.services import programme_item_trash
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

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "zh-hans")


@pytest.fixture
def cached(settings):
    """The page cache switched on, empty before and after the test."""
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_TIMEOUT = 3600
    caches["default"].clear()
    page_cache._local_indexes.clear()
    yield
    caches["default"].clear()
    page_cache._local_indexes.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the block's on-commit callbacks (the invalidations) as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def cache_state(client, path):
    """ "hit", "miss" (rendered and stored) or None (not cacheable), and the response."""
    response = client.get(path)
    return response.get("X-Page-Cache"), response


def state(client, path):
    return cache_state(client, path)[0]


@pytest.fixture
def site(db):
    """An edition with two sessions, a published report in the first one crediting an
    author and quoting a speaker, and a report in the second one."""
    edition = EditionFactory()
    first, second = SessionFactory.create_batch(2, edition=edition)
    author, speaker, bystander = PersonFactory.create_batch(3)
    speech = SpeechFactory(session=first, speaker=speaker)
    report = ReportFactory(edition=edition, session=first)
    report.speeches.add(speech)
    CreditFactory(report=report, person=author, role=Credit.Role.AUTHOR)
    CreditFactory(report=report, role=Credit.Role.REVIEWER)
    other_report = ReportFactory(edition=edition, session=second)
    return {
        "edition": edition,
        "first": first,
        "second": second,
        "author": author,
        "speaker": speaker,
        "bystander": bystander,
        "speech": speech,
        "report": report,
        "other_report": other_report,
    }


def report_paths(report):
    paths = []
    for code in LANGUAGES:
        slug = getattr(report, f"slug_{code.replace('-', '_')}")
        paths.append(f"/{code}/reports/{slug}/")
    return paths


def both(path):
    return [f"/{code}/{path}" for code in LANGUAGES]


def warm(client, paths):
    for path in paths:
        assert state(client, path) == "miss", path
        assert state(client, path) == "hit", path


# --- What is cached -----------------------------------------------------------------------


def test_page_cached_for_anonymous_reader(client, site, cached, django_assert_num_queries):
    path = report_paths(site["report"])[0]
    first, response = cache_state(client, path)
    assert first == "miss"
    with django_assert_num_queries(0):
        second, replay = cache_state(client, path)
    assert second == "hit"
    assert replay.content == response.content
    assert replay["Content-Type"] == response["Content-Type"]


def test_cache_keeps_languages_apart(client, site, cached, page_text):
    english, chinese = report_paths(site["report"])
    warm(client, [english, chinese])
    assert site["report"].headline_en in page_text(client.get(english))
    assert site["report"].headline_zh_hans in page_text(client.get(chinese))
    assert site["report"].headline_en not in page_text(client.get(chinese))


def test_query_string_is_part_of_the_key(client, site, cached):
    ReportFactory.create_batch(25, edition=site["edition"])
    warm(client, ["/en/reports/", "/en/reports/?page=2"])
    assert client.get("/en/reports/").content != client.get("/en/reports/?page=2").content


@pytest.mark.parametrize(
    "path",
    ["en/", "en/reports/", "en/people/", "en/about/", "en/search/?q=report", "sitemap.xml"],
)
def test_public_pages_are_cached(client, site, cached, path):
    warm(client, [f"/{path}"])


def test_logged_in_reader_never_cached(client, site, cached, superuser):
    path = report_paths(site["report"])[0]
    warm(client, [path])
    client.force_login(superuser)
    assert state(client, path) is None  # not served from the cache
    assert state(client, path) is None  # nor stored


def test_admin_never_cached(admin_client, cached):
    assert admin_client.get("/admin/").get("X-Page-Cache") is None


def test_preview_never_cached(client, site, cached, superuser):
    client.force_login(superuser)
    path = f"/en/preview/reports/{site['report'].pk}/"
    assert client.get(path).status_code == 200
    client.logout()
    assert client.get(path).status_code == 404
    assert state(client, path) is None


def test_not_found_never_cached(client, cached):
    for _ in range(2):
        response = client.get("/en/reports/no-such-report/")
        assert response.status_code == 404
        assert response.get("X-Page-Cache") is None


def test_response_with_cookie_or_varying_on_cookie_never_stored(cached):
    middleware = PageCacheMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/en/")
    with_cookie = HttpResponse("x")
    with_cookie.set_cookie("csrftoken", "abc")
    varying = HttpResponse("x")
    varying["Vary"] = "Cookie"
    private = HttpResponse("x")
    private["Cache-Control"] = "private"
    assert middleware.is_storable(request, HttpResponse("x"))
    for response in (with_cookie, varying, private):
        assert not middleware.is_storable(request, response)


def test_search_page_sets_no_cookie_and_is_cached(client, site, cached):
    path = "/zh-hans/search/?q=%E6%8A%A5%E9%81%93"
    warm(client, [path])
    assert not client.get(path).cookies


# --- Conditional GET ----------------------------------------------------------------------


def test_etag_answers_not_modified(client, site, cached):
    path = both("")[0]
    etag = client.get(path)["ETag"]
    response = client.get(path, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_last_modified_answers_not_modified(client, site, cached):
    path = both("")[0]
    last_modified = client.get(path)["Last-Modified"]
    response = client.get(path, headers={"if-modified-since": last_modified})
    assert response.status_code == 304


def test_changed_page_has_new_etag(client, site, cached, committed):
    path = report_paths(site["report"])[0]
    etag = client.get(path)["ETag"]
    with committed():
        site["speaker"].given_name_en = "Renamed"
        site["speaker"].save()
    response = client.get(path, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


# --- Precise invalidation -----------------------------------------------------------------


@pytest.fixture
def draft(site, superuser):
    """An approved report in the second session, crediting the bystander, ready to publish."""
    report = ReportFactory(
        edition=site["edition"], session=site["second"], status=Report.Status.APPROVED
    )
    report.published_at = None
    report.save()
    CreditFactory(report=report, person=site["bystander"], role=Credit.Role.AUTHOR)
    CreditFactory(report=report, role=Credit.Role.REVIEWER)
    return report


def test_publishing_report_invalidates_exactly_the_pages_that_show_it(
    client, site, draft, cached, committed, superuser, page_text
):
    showing = [
        *both(""),
        *both("reports/"),
        *both(f"{site['edition'].slug}/"),
        *both(f"{site['edition'].slug}/sessions/{site['second'].slug}/"),
        *both(f"people/{site['bystander'].slug}/"),
    ]
    unrelated = [
        *both(f"{site['edition'].slug}/sessions/{site['first'].slug}/"),
        *both(f"people/{site['speaker'].slug}/"),
        *report_paths(site["report"]),
        *both("about/"),
    ]
    warm(client, showing + unrelated)
    with committed():
        workflow.report_publish(report=draft, user=superuser)
    for path in showing:
        verdict, response = cache_state(client, path)
        assert verdict == "miss", path
        headline = draft.headline_en if path.startswith("/en/") else draft.headline_zh_hans
        assert headline in page_text(response), path
    for path in unrelated:
        assert state(client, path) == "hit", path


def test_working_copy_save_keeps_the_live_page(client, site, cached, committed, superuser):
    report = site["report"]
    # As published by the workflow: pages show live_updated_at, not every save's time.
    report.live_updated_at = report.published_at
    report.save()
    paths = report_paths(report) + both("")
    warm(client, paths)
    report.refresh_from_db()
    report.headline_en = "A better headline in review"
    with committed():
        workflow.report_save(report=report, user=superuser, expected_version=report.version)
    for path in paths:
        assert state(client, path) == "hit", path


def test_publishing_working_copy_updates_page(
    client, site, cached, committed, superuser, page_text
):
    report = site["report"]
    report.refresh_from_db()
    report.headline_en = "A better headline"
    report.headline_zh_hans = "更好的标题"
    workflow.report_save(report=report, user=superuser, expected_version=report.version)
    report.pending_status = Report.Status.APPROVED
    report.save()
    english = report_paths(report)[0]
    warm(client, [english])
    with committed():
        workflow.report_publish(report=report, user=superuser)
    verdict, response = cache_state(client, english)
    assert verdict == "miss"
    assert "A better headline" in page_text(response)


def test_unpublishing_report_takes_it_off_every_page(
    client, site, cached, committed, superuser, page_text
):
    report = site["report"]
    paths = [*both(""), *both("reports/"), *both(f"people/{site['speaker'].slug}/")]
    warm(client, report_paths(report) + paths)
    with committed():
        workflow.report_unpublish(report=report, user=superuser, reason="error in the text")
    for path in report_paths(report):
        assert client.get(path).status_code == 404
    for path in paths:
        verdict, response = cache_state(client, path)
        assert verdict == "miss", path
        assert report.headline_en not in page_text(response)


def test_a_report_moved_to_the_trash_leaves_every_cached_page(
    client, site, cached, committed, superuser, page_text
):
    report = site["report"]
    paths = [*both(""), *both("reports/"), *both(f"people/{site['speaker'].slug}/")]
    warm(client, report_paths(report) + paths)
    with committed():
        workflow.report_trash(report=report, user=superuser)
    for path in report_paths(report):
        assert client.get(path).status_code == 404
    for path in paths:
        verdict, response = cache_state(client, path)
        assert verdict == "miss", path
        assert report.headline_en not in page_text(response)


def test_a_session_moved_to_the_trash_leaves_its_edition_page(
    client, site, cached, committed, superuser, page_text
):
    session = site["first"]
    edition_pages = both(f"{site['edition'].slug}/")
    warm(client, edition_pages)
    assert session.title_en in page_text(client.get(edition_pages[0]))  # shown, from the cache
    with committed():
        programme_item_trash(item=session, user=superuser)
    for path in edition_pages:
        verdict, response = cache_state(client, path)
        assert verdict == "miss", path
        assert session.title_en not in page_text(response)


def test_changed_slug_retires_the_old_address(client, site, cached, committed):
    report = site["report"]
    old = report_paths(report)
    warm(client, old)
    with committed():
        report.slug_en = "a-corrected-slug"
        report.slug_zh_hans = "xiuzheng-hou"
        report.save()
    for path in old:
        assert client.get(path).status_code == 404
    assert client.get("/en/reports/a-corrected-slug/").status_code == 200


def test_renamed_person_invalidates_the_pages_that_name_them(
    client, site, cached, committed, page_text
):
    speaker = site["speaker"]
    showing = [
        *report_paths(site["report"]),
        *both(f"{site['edition'].slug}/sessions/{site['first'].slug}/"),
        *both(f"people/{speaker.slug}/"),
        *both("people/"),
    ]
    unrelated = [*report_paths(site["other_report"]), *both(f"people/{site['author'].slug}/")]
    warm(client, showing + unrelated)
    with committed():
        speaker.given_name_en = "Xiaoming"
        speaker.save()
    for path in showing:
        verdict, response = cache_state(client, path)
        assert verdict == "miss", path
    assert "Xiaoming" in page_text(client.get(report_paths(site["report"])[0]))
    for path in unrelated:
        assert state(client, path) == "hit", path


def test_published_speech_appears_on_session_report_and_speaker_pages(
    client, site, cached, committed, page_text
):
    newcomer = PersonFactory(given_name_en="Newcomer")
    speech = SpeechFactory(session=site["first"], speaker=newcomer, is_published=False)
    site["report"].speeches.add(speech)
    showing = [
        both(f"{site['edition'].slug}/sessions/{site['first'].slug}/")[0],
        both(f"{site['edition'].slug}/")[0],
        report_paths(site["report"])[0],
        both(f"people/{newcomer.slug}/")[0],
    ]
    unrelated = both(f"{site['edition'].slug}/sessions/{site['second'].slug}/")
    warm(client, showing + unrelated)
    with committed():
        speech.is_published = True
        speech.save()
    for path in showing:
        verdict, response = cache_state(client, path)
        assert verdict == "miss", path
        assert "Newcomer" in page_text(response), path
    for path in unrelated:
        assert state(client, path) == "hit", path


def test_new_session_role_appears_on_session_page(client, site, cached, committed, page_text):
    session_path = both(f"{site['edition'].slug}/sessions/{site['first'].slug}/")[0]
    warm(client, [session_path])
    with committed():
        SessionRoleFactory(session=site["first"], person=PersonFactory(given_name_en="Chairwoman"))
    verdict, response = cache_state(client, session_path)
    assert verdict == "miss"
    assert "Chairwoman" in page_text(response)


def test_linking_speech_to_report_invalidates_report_and_speaker_pages(
    client, site, cached, committed, page_text
):
    speech = SpeechFactory(session=site["second"], speaker=PersonFactory(given_name_en="Linked"))
    report = site["other_report"]
    paths = [report_paths(report)[0], both(f"people/{speech.speaker.slug}/")[0]]
    warm(client, paths)
    with committed():
        report.speeches.add(speech)
    for path in paths:
        verdict, response = cache_state(client, path)
        assert verdict == "miss", path
        assert report.headline_en in page_text(response) or "Linked" in page_text(response)


def test_contact_made_public_appears_on_press_and_report_pages(
    client, site, cached, committed, page_text
):
    contact = MediaContactFactory(is_public=False, name_en="Press Person")
    site["report"].media_contacts.add(contact)
    contact.editions.add(site["edition"])
    paths = [
        both(f"{site['edition'].slug}/press/")[0],
        report_paths(site["report"])[0],
    ]
    warm(client, [*paths, report_paths(site["other_report"])[0]])
    with committed():
        contact.is_public = True
        contact.save()
    for path in paths:
        verdict, response = cache_state(client, path)
        assert verdict == "miss", path
        assert "Press Person" in page_text(response), path
    assert state(client, report_paths(site["other_report"])[0]) == "hit"


def test_contact_covering_an_edition_invalidates_its_press_page(
    client, site, cached, committed, page_text
):
    contact = MediaContactFactory(name_en="Newly Covering")
    path = both(f"{site['edition'].slug}/press/")[0]
    warm(client, [path])
    with committed():
        contact.editions.add(site["edition"])
    verdict, response = cache_state(client, path)
    assert verdict == "miss"
    assert "Newly Covering" in page_text(response)


def test_report_moved_to_another_edition_leaves_the_pages_that_listed_it(
    client, site, cached, committed, page_text
):
    # The pages that listed it loaded it, so its own tag reaches them: the move needs no
    # rule of its own.
    report = site["other_report"]
    later = EditionFactory()
    old_pages = [
        both(f"{site['edition'].slug}/")[0],
        both(f"{site['edition'].slug}/sessions/{site['second'].slug}/")[0],
    ]
    new_page = both(f"{later.slug}/")[0]
    warm(client, [*old_pages, new_page])
    with committed():
        report.edition, report.session = later, None
        report.save()
    for path in old_pages:
        verdict, response = cache_state(client, path)
        assert verdict == "miss", path
        assert report.headline_en not in page_text(response), path
    verdict, response = cache_state(client, new_page)
    assert verdict == "miss"
    assert report.headline_en in page_text(response)


def test_deleted_report_leaves_every_page(client, site, cached, committed, page_text):
    report = site["other_report"]
    paths = [*report_paths(report), *both("reports/")]
    warm(client, paths)
    with committed():
        report.delete()
    assert client.get(paths[0]).status_code == 404
    assert report.headline_en not in page_text(client.get(both("reports/")[0]))


def test_draft_edits_invalidate_nothing(client, site, draft, cached, committed):
    paths = [*both(""), *both("reports/"), *both(f"people/{site['bystander'].slug}/")]
    warm(client, paths)
    with committed():
        draft.headline_en = "Still a draft"
        draft.save()
        CreditFactory(report=draft, role=Credit.Role.EDITOR)
    for path in paths:
        assert state(client, path) == "hit", path


def test_invalidation_waits_for_the_commit(
    client, site, cached, django_capture_on_commit_callbacks
):
    path = report_paths(site["report"])[0]
    warm(client, [path])
    with django_capture_on_commit_callbacks() as callbacks:
        site["speaker"].given_name_en = "Uncommitted"
        site["speaker"].save()
        assert state(client, path) == "hit"  # a rollback would leave the page as it is
    for callback in callbacks:
        callback()
    assert state(client, path) == "miss"


def test_render_overlapping_an_invalidation_is_not_kept(cached):
    rendered_at = time.time()
    page_cache.invalidate({"report:1"})
    assert not page_cache.store("pagecache:test", ("x",), {"report:1"}, rendered_at)
    assert caches["default"].get("pagecache:test") is None


# --- Scheduled publication ----------------------------------------------------------------


class Clock:
    def __init__(self, monkeypatch):
        self.offset = 0.0
        real_time, real_now = time.time, timezone.now
        monkeypatch.setattr(time, "time", lambda: real_time() + self.offset)
        monkeypatch.setattr(
            timezone, "now", lambda: real_now() + datetime.timedelta(seconds=self.offset)
        )

    def advance(self, **kwargs):
        self.offset += datetime.timedelta(**kwargs).total_seconds()


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def test_scheduled_report_appears_when_its_time_comes(
    client, site, draft, cached, committed, superuser, clock, page_text, settings
):
    settings.PAGE_CACHE_TIMEOUT = 24 * 3600
    showing = [
        *both(""),
        *both("reports/"),
        *both(f"{site['edition'].slug}/sessions/{site['second'].slug}/"),
        *both(f"people/{site['bystander'].slug}/"),
    ]
    unrelated = [*both("about/"), *both(f"people/{site['speaker'].slug}/")]
    with committed():
        workflow.report_publish(
            report=draft, user=superuser, publish_at=timezone.now() + datetime.timedelta(hours=2)
        )
    warm(client, showing + unrelated)
    assert draft.headline_en not in page_text(client.get("/en/"))

    clock.advance(minutes=30)
    for path in showing + unrelated:
        assert state(client, path) == "hit", path

    clock.advance(hours=1, minutes=30, seconds=1)
    for path in showing:
        verdict, response = cache_state(client, path)
        assert verdict == "miss", path
        headline = draft.headline_en if path.startswith("/en/") else draft.headline_zh_hans
        assert headline in page_text(response), path
    for path in unrelated:
        assert state(client, path) == "hit", path


# --- Redis --------------------------------------------------------------------------------


def redis_available():
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=0.5).ping()
    except Exception:
        return False
    return True


@pytest.fixture
def redis_cache(settings):
    if not redis_available():
        pytest.skip("no Redis server at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "forum.core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            # Keys of this test alone; they expire with the page timeout.
            "KEY_PREFIX": f"cdfsite-test-{uuid.uuid4().hex}",
        }
    }
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_TIMEOUT = 120
    yield caches["default"]


def test_redis_backend_invalidates_exactly(client, site, redis_cache, committed, page_text):
    assert isinstance(page_cache.tag_index(redis_cache), page_cache.RedisTagIndex)
    showing = report_paths(site["report"])
    unrelated = report_paths(site["other_report"])
    warm(client, showing + unrelated)
    with committed():
        site["speaker"].given_name_en = "Redis"
        site["speaker"].save()
    for path in showing:
        assert state(client, path) == "miss", path
    for path in unrelated:
        assert state(client, path) == "hit", path
    assert "Redis" in page_text(client.get(showing[0]))
