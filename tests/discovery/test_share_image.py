"""The share image: one per edition, drawn once, shared by every page without an image of
its own (og:image with its size and description, twitter:image)."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from forum.discovery import share_image
from forum.models import Edition, Person, Session
from tests.factories import EditionFactory, PersonFactory, ReportFactory

BASE = "http://testserver"
ACCENT = (0xA4, 0x16, 0x1A)  # static/css/site.css --accent
TINT = (0xF6, 0xF3, 0xEE)  # --tint


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploads get new names: no rendition is remembered
    settings.SERVE_MEDIA = True
    return tmp_path


def stored(media, shared):
    return media / shared.url.removeprefix("/media/")


def meta(response):
    head = response.content.decode().split("</head>")[0]
    return dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', head))


def test_share_image_is_a_1200_by_630_png_among_public_renditions(db, media):
    shared = share_image.for_edition(EditionFactory())
    assert shared.url.startswith("/media/renditions/public/drawn/")
    assert (shared.width, shared.height) == (1200, 630)
    with Image.open(stored(media, shared)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))


def test_share_image_is_drawn_in_the_site_colours(db, media):
    shared = share_image.for_edition(EditionFactory())
    with Image.open(stored(media, shared)) as image:
        rgb = image.convert("RGB")
        assert rgb.getpixel((20, 20)) == ACCENT  # the band behind the mark
        assert rgb.getpixel((1180, 20)) == TINT


def test_share_image_is_drawn_once(db, media, monkeypatch):
    edition = EditionFactory()
    first = share_image.for_edition(edition)
    monkeypatch.setattr(share_image, "draw", pytest.fail)
    assert share_image.for_edition(edition) == first


def test_share_image_is_drawn_again_when_the_theme_changes(db, media):
    edition = EditionFactory(theme_en="Openness")
    before = share_image.for_edition(edition)
    edition.theme_en = "Innovation"
    after = share_image.for_edition(edition)
    assert after.url != before.url
    assert stored(media, before).exists() and stored(media, after).exists()


def test_share_image_leaves_out_text_its_font_cannot_draw(db, media):
    # The font comes with Pillow and has Latin letters only: a theme known only in Chinese
    # is left out rather than drawn as empty boxes.
    edition = EditionFactory(theme_en="", theme_zh_hans="数字经济")
    chinese_only = share_image.for_edition(edition)
    edition.theme_zh_hans = ""
    assert share_image.for_edition(edition).url == chinese_only.url


def test_share_image_without_an_edition_shows_the_forum(db, media):
    shared = share_image.for_edition(None)
    assert shared.alt == "China Development Forum"
    assert stored(media, shared).exists()


def test_share_image_cannot_be_written_shares_nothing(db, media, settings, caplog):
    blocker = media / "blocked"
    blocker.write_text("a file where the folder should be")
    settings.MEDIA_ROOT = blocker
    assert share_image.for_edition(EditionFactory()) is None
    assert "No share image" in caplog.text


def test_share_image_is_served_to_everyone(client, db, media):
    shared = share_image.for_edition(EditionFactory())
    response = client.get(shared.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


# --- On pages -------------------------------------------------------------------------


def pages_without_an_image():
    return [
        "/en/",
        "/zh-hans/about/",
        "/en/2024/",
        "/zh-hans/2024/press/",
        "/en/reports/",
        "/zh-hans/people/",
        "/en/search/?q=digital+economy",
        "/en/reports/li-wenhai-digital-empowerment-industrial-transformation/",
    ]


@pytest.mark.parametrize("path", pages_without_an_image())
def test_page_without_an_image_shares_the_edition_image(client, demo, path):
    with translation.override(path.split("/")[1]):
        shared = share_image.for_edition(Edition.objects.get())
    tags = meta(client.get(path))
    assert tags["og:image"] == BASE + shared.url
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:image:alt"] == shared.alt
    assert tags["twitter:image"] == BASE + shared.url
    assert tags["twitter:card"] == "summary_large_image"


def test_session_and_person_without_photo_share_the_edition_image(client, demo):
    shared = share_image.for_edition(Edition.objects.get())
    session = Session.objects.first()
    person = Person.objects.filter(photo="").first()
    for page in (session, person):
        assert meta(client.get(page.get_absolute_url()))["og:image"] == BASE + shared.url


def test_share_image_description_is_in_the_page_language(client, demo):
    tags = meta(client.get("/zh-hans/"))
    assert tags["og:image:alt"].startswith("中国发展高层论坛")
    assert "：" in tags["og:image:alt"]  # edition and theme, the Chinese way


def test_report_with_an_image_shares_its_own(client, db, media):
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1000), (20, 90, 160)).save(buffer, format="JPEG")
    report = ReportFactory(
        hero_image=SimpleUploadedFile("keynote.jpg", buffer.getvalue()),
        hero_image_alt_en="Li Wenhai speaking",
    )
    tags = meta(client.get(report.get_absolute_url()))
    assert "/renditions/public/hero/" in tags["og:image"]
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1440", "720")
    assert tags["og:image:alt"] == "Li Wenhai speaking"


def test_person_with_a_photo_shares_it(client, db, media):
    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), (20, 90, 160)).save(buffer, format="JPEG")
    person = PersonFactory(photo=SimpleUploadedFile("face.jpg", buffer.getvalue()))
    tags = meta(client.get(person.get_absolute_url()))
    assert "/renditions/public/photo/" in tags["og:image"]
    assert tags["og:image:alt"] == person.full_name()
    assert Path(tags["og:image"]).suffix == ".jpg"
