"""JSON-LD events and articles carry everything Google asks of them: an edition's sessions
(subEvent) are whole events, like a session on its own page, and every Event and
NewsArticle has an image (its own, or the edition's share image)."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from forum.discovery import share_image
from forum.models import Edition
from tests.factories import ReportFactory, SessionFactory

BASE = "http://testserver"
SESSION_PATH = "2024/sessions/digital-empowerment-industrial-transformation/"
REPORT_PATH = "/en/reports/li-wenhai-digital-empowerment-industrial-transformation/"
# Google's Event structured data: required, then recommended (no tickets: no offers).
EVENT_PROPERTIES = {
    "name",
    "startDate",
    "location",
    "endDate",
    "eventStatus",
    "eventAttendanceMode",
    "organizer",
    "image",
    "description",
    "performer",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def json_ld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    # The page's own item; a list page's ItemList beside it (test_structured_data_pages.py).
    [data] = [json.loads(block) for block in blocks if '"@type":"ItemList"' not in block]
    return data


def share_url(language_code="en"):
    with translation.override(language_code):
        return BASE + share_image.for_edition(Edition.objects.get()).url


def test_edition_sub_events_are_complete_events(client, demo):
    data = json_ld(client.get("/en/2024/"))
    [sub_event] = data["subEvent"]
    assert set(sub_event) >= EVENT_PROPERTIES
    assert sub_event["@type"] == "Event"
    assert sub_event["eventStatus"] == "https://schema.org/EventScheduled"
    assert sub_event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert sub_event["location"]["name"] == "Diaoyutai State Guesthouse"
    assert sub_event["location"]["address"]["addressLocality"] == "Beijing"
    assert [org["@type"] for org in sub_event["organizer"]] == ["Organization"] * 2
    assert sub_event["image"] == [share_url()]
    assert "@context" not in sub_event  # nested: the page's one context applies


def test_edition_sub_event_says_what_its_session_page_says(client, demo):
    [sub_event] = json_ld(client.get("/zh-hans/2024/"))["subEvent"]
    session = json_ld(client.get(f"/zh-hans/{SESSION_PATH}"))
    for key in ("@id", "name", "startDate", "endDate", "location", "organizer", "performer"):
        assert sub_event[key] == session[key], key


def test_edition_lists_every_published_session_as_a_sub_event(client, demo):
    edition = Edition.objects.get()
    SessionFactory(edition=edition, title_en="Roundtable on growth", venue_en="Hall 2")
    SessionFactory(edition=edition, is_published=False)
    sub_events = json_ld(client.get("/en/2024/"))["subEvent"]
    assert len(sub_events) == 2
    [added] = [event for event in sub_events if event["name"] == "Roundtable on growth"]
    assert added["location"]["name"] == "Hall 2"
    assert set(added) >= EVENT_PROPERTIES - {"performer"}  # nobody named yet


@pytest.mark.parametrize("path", ["/en/2024/", f"/zh-hans/{SESSION_PATH}"])
def test_events_carry_the_edition_share_image(client, demo, path):
    language_code = path.split("/")[1]
    assert json_ld(client.get(path))["image"] == [share_url(language_code)]


def test_article_without_an_image_carries_the_edition_share_image(client, demo):
    assert json_ld(client.get(REPORT_PATH))["image"] == [share_url()]


def test_article_with_an_image_carries_its_own(client, db):
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (20, 90, 160)).save(buffer, format="JPEG")
    report = ReportFactory(hero_image=SimpleUploadedFile("hero.jpg", buffer.getvalue()))
    [image] = json_ld(client.get(report.get_absolute_url()))["image"]
    assert "/media/renditions/public/hero/" in image
