"""An unpublished person appears on no public page, in no API answer and no search result:
their session roles and speeches are left out everywhere (Speech/SessionRole published()).
A published report's byline keeps their name as printed, without a link.
"""

import json

import pytest

from forum.discovery.search import search
from forum.models import Credit, SearchDocument
from tests import factories
from tests.pagecache.test_cache import (  # the page cache switched on, and its helpers
    cache_state,
    cached,  # noqa: F401
    warm,
)

pytestmark = pytest.mark.django_db

HIDDEN_EN, HIDDEN_ZH = "Zqhidden", "隐名者"
HIDDEN_ZH_HANT = "隱名者"  # converted


@pytest.fixture
def programme(db):
    """A session with a published chair and speaker, and an unpublished person who chairs,
    speaks and is credited as an author of the session's published report."""
    edition = factories.EditionFactory()
    session = factories.SessionFactory(edition=edition)
    hidden = factories.PersonFactory(
        given_name_en=HIDDEN_EN,
        family_name_zh_hans="隐",
        given_name_zh_hans="名者",
        slug="hidden-person",
        is_published=False,
    )
    shown = factories.PersonFactory(given_name_en="Zqshown", slug="shown-person")
    factories.SessionRoleFactory(
        session=session, person=hidden, printed_titles_en="Hidden title zq"
    )
    factories.SessionRoleFactory(session=session, person=shown)
    hidden_speech = factories.SpeechFactory(
        session=session, speaker=hidden, title_en="Hidden speech zq"
    )
    shown_speech = factories.SpeechFactory(
        session=session, speaker=shown, title_en="Shown speech zq"
    )
    report = factories.ReportFactory(edition=edition, session=session)
    report.speeches.add(hidden_speech, shown_speech)
    factories.CreditFactory(report=report, person=hidden, role=Credit.Role.AUTHOR)
    factories.CreditFactory(report=report, person=shown, role=Credit.Role.REVIEWER)
    return {
        "edition": edition,
        "session": session,
        "hidden": hidden,
        "shown": shown,
        "hidden_speech": hidden_speech,
        "report": report,
    }


def session_path(programme, code="en"):
    return f"/{code}/{programme['edition'].slug}/sessions/{programme['session'].slug}/"


def public_pages(programme):
    edition = programme["edition"].slug
    return [
        path
        for code in ("en", "zh-hans")
        for path in (
            f"/{code}/",
            f"/{code}/{edition}/",
            session_path(programme, code),
            f"/{code}/people/",
            f"/{code}/people/shown-person/",
            f"/{code}/{edition}/calendar.ics",
            f"/{code}/{edition}/sessions/{programme['session'].slug}/calendar.ics",
        )
    ]


def assert_not_named(text, where):
    for name in (HIDDEN_EN, HIDDEN_ZH, "Hidden title zq", "Hidden speech zq", "hidden-person"):
        assert name not in text, (name, where)


def test_unpublished_person_is_on_no_programme_page(client, programme):
    for path in public_pages(programme):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_not_named(response.content.decode(), path)
    # The published chair and speaker are there.
    assert "Zqshown" in client.get(session_path(programme)).content.decode()
    assert client.get("/en/people/hidden-person/").status_code == 404


def test_unpublished_speaker_left_out_of_report_page(client, programme, page_text):
    text = page_text(client.get(f"/en/reports/{programme['report'].slug_en}/"))
    assert "Hidden speech zq" not in text
    assert "Zqshown" in text


def test_report_byline_prints_unpublished_author_without_link(client, programme):
    content = client.get(f"/en/reports/{programme['report'].slug_en}/").content.decode()
    assert f"Wang {HIDDEN_EN}" in content
    assert "/people/hidden-person/" not in content
    assert "/en/people/shown-person/" in content


def test_report_json_ld_gives_unpublished_author_no_address(client, programme):
    content = client.get(f"/en/reports/{programme['report'].slug_en}/").content.decode()
    block = content.split('<script type="application/ld+json">')[1].split("</script>")[0]
    authors = json.loads(block)["author"]
    assert authors == [{"@type": "Person", "name": f"Wang {HIDDEN_EN}"}]


def test_api_leaves_out_unpublished_people(client, programme):
    edition = programme["edition"].slug
    for path in (
        "/api/v1/sessions/",
        f"/api/v1/sessions/{programme['session'].pk}/",
        "/api/v1/speeches/",
        f"/api/v1/people/?edition={edition}",
        "/api/v1/people/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_not_named(response.content.decode(), path)
    assert client.get(f"/api/v1/speeches/{programme['hidden_speech'].pk}/").status_code == 404
    assert client.get("/api/v1/people/hidden-person/").status_code == 404


def test_api_report_lists_public_speeches_and_unlinked_byline(client, programme):
    data = client.get(f"/api/v1/reports/{programme['report'].pk}/").json()
    assert programme["hidden_speech"].pk not in data["speeches"]
    authors = data["byline"][0]["people"]
    assert authors == [
        {
            "slug": None,
            "name": {"en": f"Wang {HIDDEN_EN}", "zh-hans": HIDDEN_ZH, "zh-hant": HIDDEN_ZH_HANT},
        }
    ]


def test_search_finds_no_page_of_an_unpublished_person(programme):
    kinds = {hit.kind for hit in search(HIDDEN_EN, "en").hits}
    # The report's byline keeps the name as printed; no session, speech or person page.
    assert kinds == {"report"}
    assert {hit.kind for hit in search(HIDDEN_ZH, "zh-hans").hits} == {"report"}


def test_unpublishing_a_person_drops_them_from_the_search_index(programme):
    hidden = programme["hidden"]
    hidden.is_published = True
    hidden.save()
    assert {hit.kind for hit in search(HIDDEN_EN, "en").hits} == {
        "report",
        "session",
        "speech",
        "person",
    }
    hidden.is_published = False
    hidden.save()
    assert {hit.kind for hit in search(HIDDEN_EN, "en").hits} == {"report"}
    assert not SearchDocument.objects.filter(body__contains=HIDDEN_EN, kind="session").exists()
    assert not SearchDocument.objects.filter(kind="speech", object_id=hidden.speeches.get().pk)


@pytest.mark.usefixtures("cached")
@pytest.mark.parametrize("publish", [True, False], ids=["published", "withdrawn"])
def test_publishing_or_withdrawing_a_person_refreshes_cached_pages(
    client, programme, django_capture_on_commit_callbacks, publish
):
    hidden = programme["hidden"]
    if not publish:
        hidden.is_published = True
        hidden.save()
    paths = [
        session_path(programme),
        session_path(programme, "zh-hans"),
        f"/en/{programme['edition'].slug}/",
        f"/en/reports/{programme['report'].slug_en}/",
    ]
    warm(client, paths)
    with django_capture_on_commit_callbacks(execute=True):
        hidden.is_published = publish
        hidden.save()
    rendered = {path: cache_state(client, path) for path in paths}
    assert {path: verdict for path, (verdict, _response) in rendered.items()} == dict.fromkeys(
        paths, "miss"
    )
    for path, (_verdict, response) in rendered.items():
        assert ("/people/hidden-person/" in response.content.decode()) is publish, path
