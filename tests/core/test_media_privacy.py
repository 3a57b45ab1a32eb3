"""What the public can fetch of uploaded images, through the site as readers use it: pages,
the API, og:image and JSON-LD link renditions of public content only; unpublished content's
images, and every original upload, are a 404 for anyone but staff; no served byte carries
the upload's EXIF, GPS position, XMP or comment (forum/core/images.py, security.py)."""

import datetime
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from forum.core import images
from forum.models import Report
from tests.factories import PersonFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

GPS_SECRETS = (b"SecretCam", b"shot at the minister's home", b"39.9075 N", b"Exif\x00\x00")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SERVE_MEDIA = True
    images._memo.clear()
    yield tmp_path
    images._memo.clear()


def log_in_staff(client):
    client.force_login(UserFactory(superuser=True))


def camera_jpeg(name="IMG_0042.jpg", size=(1600, 900)):
    """A JPEG as a phone writes it: EXIF with a make and a GPS position, XMP, a comment."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    exif.get_ifd(0x8825).update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 50.0)})
    buffer = io.BytesIO()
    Image.new("RGB", size, (26, 77, 139)).save(
        buffer,
        "JPEG",
        exif=exif,
        xmp=b"<x:xmpmeta>39.9075 N 116.3972 E</x:xmpmeta>",
        comment=b"shot at the minister's home",
    )
    assert all(secret in buffer.getvalue() for secret in GPS_SECRETS)
    return SimpleUploadedFile(name, buffer.getvalue())


def media_links(text):
    """Every /media/ address in a page, a JSON document or a header."""
    return set(re.findall(r"/media/[^\s\"'<>,)]+", text.replace("\\/", "/")))


def served_bytes(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


# --- Only renditions are linked, and only of public content ---------------------------------


def test_report_page_api_og_image_and_json_ld_link_only_renditions(client, media):
    report = ReportFactory(hero_image=camera_jpeg(), hero_image_alt_en="The skyline")
    person = PersonFactory(photo=camera_jpeg("portrait.jpg", size=(400, 400)))
    texts = [
        client.get(report.get_absolute_url()).content.decode(),
        client.get(person.get_absolute_url()).content.decode(),
        client.get(reverse("api:report-detail", args=[report.pk])).content.decode(),
        client.get(reverse("api:person-detail", args=[person.slug])).content.decode(),
    ]
    links = set().union(*map(media_links, texts))
    assert links, "the pages show the images"
    assert all(link.startswith("/media/renditions/public/") for link in links), links
    assert report.hero_image.name not in "".join(texts)
    assert person.photo.name not in "".join(texts)
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', texts[0]).group(1)
    assert og_image.startswith("http://testserver/media/renditions/public/hero/")
    assert og_image.endswith("/hero-1440w.jpg")


def test_json_ld_of_a_report_links_a_public_rendition(client, media):
    report = ReportFactory(hero_image=camera_jpeg())
    html = client.get(report.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    article = next(json.loads(block) for block in blocks if '"NewsArticle"' in block)
    (image,) = article["image"]
    assert re.fullmatch(r"http://testserver/media/renditions/public/hero/.+/hero-1440w\.jpg", image)


# --- No served byte carries the upload's metadata -------------------------------------------


def test_no_served_image_carries_the_uploads_gps_exif_xmp_or_comment(client, media):
    report = ReportFactory(hero_image=camera_jpeg())
    html = client.get(report.get_absolute_url()).content.decode()
    api = client.get(reverse("api:report-detail", args=[report.pk])).content.decode()
    links = media_links(html) | media_links(api)
    assert len(links) >= 8  # WebP and JPEG at four widths
    for link in links:
        data = served_bytes(client, link)
        assert not [secret for secret in GPS_SECRETS if secret in data], link
    # The upload itself, which still has them, is never served to the public.
    assert client.get(f"/media/{report.hero_image.name}").status_code == 404


def test_original_upload_is_served_to_staff_only(client, media):
    person = PersonFactory(photo=camera_jpeg("portrait.jpg", size=(400, 400)))
    url = f"/media/{person.photo.name}"
    assert client.get(url).status_code == 404
    log_in_staff(client)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# --- Unpublished content's images are not served to the public ----------------------------


def test_draft_report_image_is_a_404_for_readers_and_shown_in_staff_previews(client, media):
    report = ReportFactory(status=Report.Status.DRAFT, published_at=None, hero_image=camera_jpeg())
    log_in_staff(client)
    preview = client.get(reverse("forum:report-preview", args=[report.pk]))
    links = media_links(preview.content.decode())
    assert links and all(link.startswith("/media/renditions/private/") for link in links)
    for link in links:
        assert client.get(link).status_code == 200
    client.logout()
    for link in links:
        assert client.get(link).status_code == 404
        public_twin = link.replace("/renditions/private/", "/renditions/public/")
        assert client.get(public_twin).status_code == 404


def test_withdrawn_report_image_is_a_404_for_readers(
    client, media, django_capture_on_commit_callbacks
):
    report = ReportFactory(hero_image=camera_jpeg())
    links = media_links(client.get(report.get_absolute_url()).content.decode())
    assert links and all(client.get(link).status_code == 200 for link in links)
    report.status = Report.Status.WITHDRAWN
    with django_capture_on_commit_callbacks(execute=True):
        report.save()
    assert [client.get(link).status_code for link in links] == [404] * len(links)


def test_unpublished_person_photo_is_a_404_for_readers(
    client, media, django_capture_on_commit_callbacks
):
    person = PersonFactory(photo=camera_jpeg("portrait.jpg", size=(400, 400)))
    links = media_links(client.get(person.get_absolute_url()).content.decode())
    assert links
    person.is_published = False
    with django_capture_on_commit_callbacks(execute=True):
        person.save()
    assert [client.get(link).status_code for link in links] == [404] * len(links)
    assert images.public_url(person.photo) is None


def test_scheduled_report_image_goes_public_with_its_first_page(
    client, media, django_capture_on_commit_callbacks
):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        report = ReportFactory(published_at=tomorrow, hero_image=camera_jpeg())
    assert not (media / "renditions" / "public").exists()
    # The clock passes the publication time: no save, no signal.
    Report.objects.filter(pk=report.pk).update(published_at=timezone.now())
    links = media_links(client.get(report.get_absolute_url()).content.decode())
    assert links and all(link.startswith("/media/renditions/public/") for link in links)
    assert all(client.get(link).status_code == 200 for link in links)
