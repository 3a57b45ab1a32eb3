"""Image renditions (forum/core/images.py) and the {% picture %} markup on public pages."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from forum.core import images
from tests.factories import EditionFactory, OrganisationFactory, PersonFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    images._memo.clear()
    yield tmp_path
    images._memo.clear()


def image_file(name, size=(2000, 1000), mode="RGB", image_format="JPEG"):
    buffer = io.BytesIO()
    color = (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30)
    Image.new(mode, size, color).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue())


def rendition_files(media):
    return sorted(path.name for path in (media / "renditions").rglob("*") if path.is_file())


def test_photo_gets_webp_and_jpeg_at_each_width(media):
    report = ReportFactory(hero_image=image_file("hero.jpg"))
    picture = images.renditions(report.hero_image, "hero")
    assert [r.width for r in picture.sources["image/webp"]] == [480, 720, 1080, 1440]
    assert [r.width for r in picture.sources["image/jpeg"]] == [480, 720, 1080, 1440]
    assert (picture.width, picture.height) == (1440, 720)
    assert picture.fallback.url.endswith("-720w.jpg")
    assert rendition_files(media) == sorted(
        [f"hero-{w}w.{ext}" for w in (480, 720, 1080, 1440) for ext in ("webp", "jpg")]
        + ["manifest.json"]
    )
    with Image.open(media / picture.sources["image/webp"][0].url.removeprefix("/media/")) as im:
        assert (im.format, im.size) == ("WEBP", (480, 240))


def test_small_image_is_never_enlarged(media):
    person = PersonFactory(photo=image_file("small.jpg", size=(120, 150)))
    picture = images.renditions(person.photo, "photo")
    assert [r.width for r in picture.sources["image/jpeg"]] == [120]
    assert (picture.width, picture.height) == (120, 150)


def test_transparent_logo_falls_back_to_png(media):
    logo = image_file("logo.png", size=(600, 200), mode="RGBA", image_format="PNG")
    organisation = OrganisationFactory(logo=logo)
    picture = images.renditions(organisation.logo, "logo")
    assert picture.fallback_type == "image/png"
    assert list(picture.sources) == ["image/webp", "image/png"]


def test_renditions_made_when_the_image_is_saved(media):
    ReportFactory(hero_image=image_file("saved.jpg"))
    assert "manifest.json" in rendition_files(media)


def test_renditions_made_once(media, monkeypatch):
    report = ReportFactory(hero_image=image_file("once.jpg"))
    first = images.renditions(report.hero_image, "hero")
    images._memo.clear()  # another process: reads the manifest, makes nothing

    def fail(*args, **kwargs):
        raise AssertionError("renditions made twice")

    monkeypatch.setattr(images, "generate", fail)
    assert images.renditions(report.hero_image, "hero") == first


def test_replaced_source_gets_new_renditions(media):
    report = ReportFactory(hero_image=image_file("replaced.jpg"))
    images.renditions(report.hero_image, "hero")
    (media / report.hero_image.name).write_bytes(image_file("x.jpg", size=(800, 400)).read())
    images._memo.clear()
    picture = images.renditions(report.hero_image, "hero")
    assert picture.width == 800


def test_broken_image_saves_and_shows_the_original(client, media):
    report = ReportFactory(hero_image=SimpleUploadedFile("broken.jpg", b"not an image"))
    html = client.get(report.get_absolute_url()).content.decode()
    assert f'<img src="/media/{report.hero_image.name}"' in html


# --- Markup ---------------------------------------------------------------------------------


def tag(html, name):
    match = re.search(rf"<{name}\b[^>]*>", html)
    return match.group(0) if match else ""


def test_report_image_is_responsive_and_eager(client, media):
    report = ReportFactory(hero_image=image_file("keynote.jpg"), hero_image_alt_en="Li Wenhai")
    html = client.get(report.get_absolute_url()).content.decode()
    picture = re.search(r"<picture>.*?</picture>", html, re.S).group(0)
    source = tag(picture, "source")
    assert 'type="image/webp"' in source
    assert "-480w.webp 480w" in source and "-1440w.webp 1440w" in source
    assert "sizes=" in source
    img = tag(picture, "img")
    for attribute in (
        'width="1440"',
        'height="720"',
        'alt="Li Wenhai"',
        'loading="eager"',
        'fetchpriority="high"',
        "-720w.jpg 720w",
    ):
        assert attribute in img
    assert 'decoding="async"' not in img


def test_person_photo_has_its_size(client, media):
    person = PersonFactory(photo=image_file("portrait.jpg", size=(400, 400)))
    html = client.get(person.get_absolute_url()).content.decode()
    img = tag(re.search(r"<picture>.*?</picture>", html, re.S).group(0), "img")
    assert 'class="person-photo"' in img
    assert 'width="320"' in img and 'height="320"' in img
    assert 'loading="eager"' in img


def test_press_office_logo_below_the_fold_is_lazy(client, media):
    office = OrganisationFactory(logo=image_file("office.png", size=(480, 160), image_format="PNG"))
    report = ReportFactory(edition=EditionFactory(press_office=office))
    html = client.get(report.get_absolute_url()).content.decode()
    img = tag(html[html.index('class="org-contact"') :], "img")
    assert 'class="org-logo"' in img
    assert 'loading="lazy"' in img and 'decoding="async"' in img
    assert 'width="240"' in img and 'height="80"' in img
    assert 'alt=""' in img  # the name is printed right below it
