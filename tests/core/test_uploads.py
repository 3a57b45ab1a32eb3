"""Uploaded images (forum/core/uploads.py) and how media is served (forum/core/security.py)."""

import io
import re
import struct
import zlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from PIL import Image

from forum.core import images
from forum.core.security import serve_media
from forum.core.uploads import ImageUploadFormField, stored_name
from forum.models import Organisation, Person, Report
from tests.factories import PersonFactory, UserFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    images._memo.clear()
    yield tmp_path
    images._memo.clear()


def image_bytes(image_format="JPEG", size=(64, 48), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 120, 200)).save(buffer, format=image_format)
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def png_declaring(width, height):
    """A valid little PNG whose header declares width × height (a decompression bomb)."""
    data = bytearray(image_bytes("PNG", size=(1, 1)))
    ihdr_start = 8 + 8  # signature, then length and type of the IHDR chunk
    data[ihdr_start : ihdr_start + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12 : ihdr_start + 13])) & 0xFFFFFFFF
    data[ihdr_start + 13 : ihdr_start + 17] = struct.pack(">I", crc)
    return bytes(data)


def clean(file):
    return ImageUploadFormField(required=False).clean(file)


def error_of(file):
    with pytest.raises(ValidationError) as caught:
        clean(file)
    (error,) = caught.value.error_list
    return error.code, " ".join(caught.value.messages)


# --- What is accepted ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "image_format"),
    [("photo.jpg", "JPEG"), ("photo.JPEG", "JPEG"), ("logo.png", "PNG"), ("hero.webp", "WEBP")],
)
def test_jpeg_png_and_webp_are_accepted(name, image_format):
    cleaned = clean(upload(name, image_bytes(image_format)))
    assert cleaned.image.format == image_format


def test_file_chooser_offers_only_the_three_formats():
    field = Person._meta.get_field("photo").formfield()
    assert field.widget.attrs["accept"] == "image/jpeg,image/png,image/webp"


# --- What is refused, and why --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("animation.gif", b"GIF89a" + b"\0" * 40),
        ("photo.jpg.exe", image_bytes("JPEG")),
        ("no-extension", image_bytes("JPEG")),
    ],
)
def test_other_kinds_of_file_are_refused_by_name(name, content):
    code, message = error_of(upload(name, content))
    assert code == "extension"
    assert "Upload a JPEG, PNG or WebP image" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"<html><body><script>alert(document.cookie)</script></body></html>"),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("photo.png", image_bytes("GIF", mode="P")),  # a GIF: no parser but the three
        ("photo.jpg", image_bytes("BMP")),
        ("photo.png", image_bytes("PNG")[:60] + b"\0" * 200),  # damaged
        ("photo.webp", b"RIFF\x10\0\0\0WEBPVP8 " + b"\xff" * 30),
    ],
)
def test_disguised_or_damaged_files_are_refused(name, content):
    code, message = error_of(upload(name, content))
    assert code == "not_image"
    assert "is not a JPEG, PNG or WebP image, or it is damaged" in message


def truncated_jpeg():
    """A photo cut short, as an interrupted copy leaves it: its header and structure are
    sound, the second half of its pixels is missing."""
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 64).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()[: buffer.tell() // 2]


@pytest.mark.parametrize(
    ("language_code", "expected"),
    [
        (
            "en",
            "“cut.jpg” is damaged: part of the image is missing, so it could not be shown. "
            "Save or export it again and upload the new file.",
        ),
        ("zh-hans", "“cut.jpg”已损坏：图片缺少一部分，无法显示。请重新保存或导出后上传新文件。"),
    ],
)
def test_truncated_image_is_refused_in_the_editors_language(language_code, expected):
    with translation.override(language_code):
        code, message = error_of(upload("cut.jpg", truncated_jpeg()))
    assert code == "damaged"
    assert message == expected


def test_truncated_image_is_refused_by_the_admin_form(admin_client, form_data):
    person = PersonFactory()
    change_url = reverse("admin:forum_person_change", args=[person.pk])
    data = form_data(admin_client.get(change_url))
    data["photo"] = upload("cut.jpg", truncated_jpeg())
    response = admin_client.post(change_url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"][0].startswith("“cut.jpg” is damaged")
    person.refresh_from_db()
    assert not person.photo


def test_image_named_as_another_format_is_refused():
    code, message = error_of(upload("logo.jpg", image_bytes("PNG")))
    assert code == "mismatch"
    assert message == (
        "“logo.jpg” is named like a JPEG file but is a PNG image. "
        "Rename it to end in .png and upload it again."
    )


def test_too_large_file_is_refused(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1024
    code, message = error_of(
        upload("big.png", image_bytes("PNG", size=(600, 600), mode="RGB") + b"\0" * 2048)
    )
    assert code == "too_big"
    assert "images may be at most 1.0\xa0KB" in message


def test_image_with_too_many_pixels_is_refused_with_its_size():
    code, message = error_of(upload("huge.png", png_declaring(8000, 6000)))
    assert code == "too_many_pixels"
    assert message == (
        "The image is 8000 × 6000 pixels; images may have at most 40 million pixels. "
        "Make it smaller and upload it again."
    )


def test_decompression_bomb_is_refused_before_decoding():
    # 50 000 × 50 000 pixels declared in a file of a few dozen bytes: Pillow itself calls
    # it a bomb; the editor reads the same clear message.
    content = png_declaring(50_000, 50_000)
    assert len(content) < 100
    code, message = error_of(upload("bomb.png", content))
    assert code == "too_many_pixels"
    assert message == (
        "The image has far more than 40 million pixels, the most an image may have. "
        "Make it smaller and upload it again."
    )


def test_admin_form_shows_the_error_and_keeps_the_person(admin_client, form_data):
    person = PersonFactory()
    change_url = reverse("admin:forum_person_change", args=[person.pk])
    data = form_data(admin_client.get(change_url))
    data["photo"] = upload("bomb.png", png_declaring(50_000, 50_000))
    response = admin_client.post(change_url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"] == [
        "The image has far more than 40 million pixels, the most an image may have. "
        "Make it smaller and upload it again."
    ]
    person.refresh_from_db()
    assert not person.photo


def test_model_validation_refuses_a_disguised_file_on_any_path(db):
    organisation = Organisation(name_en="Org", name_zh_hans="机构")
    organisation.logo = upload("logo.png", b"<svg onload=alert(1)>")
    with pytest.raises(ValidationError) as caught:
        organisation.full_clean()
    assert list(caught.value.message_dict) == ["logo"]


def test_stored_images_are_not_checked_again(db):
    report = Report(headline_en="x")
    report.hero_image.name = "reports/missing-on-disk.jpg"
    report._meta.get_field("hero_image").run_validators(report.hero_image)  # no error


# --- File names ------------------------------------------------------------------------

STORED_NAME = re.compile(r"people/[0-9a-f]{32}\.(jpg|png|webp)")


@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("Photo 李文海 (1).JPG", ".jpg"),
        ("portrait.jpeg", ".jpg"),
        ("../../etc/passwd.png", ".png"),
        ("..\\..\\boot.ini.webp", ".webp"),
        ("<script>alert(1)</script>.png", ".png"),
        ("no-extension", ""),
    ],
)
def test_stored_names_are_random_with_the_format_extension(name, extension):
    stored = stored_name(name)
    assert re.fullmatch(rf"[0-9a-f]{{32}}{re.escape(extension)}", stored)


def test_uploaded_file_is_stored_under_an_unguessable_name(db, media):
    first = PersonFactory(photo=upload("Li Wenhai 2024.JPG", image_bytes("JPEG")))
    second = PersonFactory(photo=upload("Li Wenhai 2024.JPG", image_bytes("JPEG")))
    assert STORED_NAME.fullmatch(first.photo.name)
    assert first.photo.name != second.photo.name
    assert (media / first.photo.name).exists()
    # Nothing of the editor's file name is kept, on disk or in the database.
    assert not list(media.rglob("*enhai*"))
    first.refresh_from_db()
    assert "enhai" not in first.photo.name.lower()


# --- Serving media ----------------------------------------------------------------------


def get(path, user=None):
    request = RequestFactory().get(f"/media/{path}")
    request.user = user or AnonymousUser()
    return serve_media(request, path)


@pytest.fixture
def public_rendition(media, settings):
    settings.SERVE_MEDIA = True
    folder = media / "renditions" / "public" / "photo" / "ab" / "abcd"
    folder.mkdir(parents=True)
    (folder / "photo-160w.jpg").write_bytes(image_bytes("JPEG"))
    return "renditions/public/photo/ab/abcd/photo-160w.jpg"


def test_public_renditions_are_served_with_their_type_and_a_sandbox(public_rendition):
    response = get(public_rendition)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; sandbox"


def test_public_renditions_are_left_to_the_proxy_without_serve_media(public_rendition, settings):
    settings.SERVE_MEDIA = False
    with pytest.raises(Http404):
        get(public_rendition)


@pytest.mark.parametrize(
    "path",
    [
        "people/photo.jpg",  # an upload
        "renditions/private/photo/ab/abcd/photo-160w.jpg",  # a draft's rendition
        "renditions/photo/ab/old/photo-160w.jpg",  # made before the public folder existed
        "renditions/public/../private/photo/ab/abcd/photo-160w.jpg",
        "renditions/public/photo/../../private/photo/ab/abcd/photo-160w.jpg",
    ],
)
def test_uploads_and_private_renditions_are_not_served_to_the_public(media, settings, path):
    settings.SERVE_MEDIA = True
    for stored in (
        "people/photo.jpg",
        "renditions/private/photo/ab/abcd/photo-160w.jpg",
        "renditions/photo/ab/old/photo-160w.jpg",
    ):
        (media / stored).parent.mkdir(parents=True, exist_ok=True)
        (media / stored).write_bytes(image_bytes("JPEG"))
    with pytest.raises(Http404):
        get(path)


def test_uploads_are_served_to_staff_and_never_stored(media, db):
    (media / "people").mkdir()
    (media / "people" / "photo.jpg").write_bytes(image_bytes("JPEG"))
    response = get("people/photo.jpg", user=UserFactory(is_staff=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_uploads_are_not_served_to_a_logged_in_reader(media, db):
    (media / "people").mkdir()
    (media / "people" / "photo.jpg").write_bytes(image_bytes("JPEG"))
    with pytest.raises(Http404):
        get("people/photo.jpg", user=UserFactory(is_staff=False))


@pytest.mark.parametrize(
    "path",
    [
        "renditions/public/page.html",
        "renditions/public/logo.svg",
        "renditions/public/photo/ab/x/manifest.json",
        "renditions/public/.hidden.jpg",
        "../settings.py",
        "../media.jpg",
        "",
    ],
)
def test_anything_but_images_is_not_served(media, settings, path):
    settings.SERVE_MEDIA = True
    target = media / "renditions" / "public"
    target.mkdir(parents=True, exist_ok=True)
    (target / "page.html").write_text("<script>alert(1)</script>")
    (target / "logo.svg").write_text("<svg onload='alert(1)'/>")
    (target / ".hidden.jpg").write_bytes(image_bytes("JPEG"))
    (media.parent / "media.jpg").write_bytes(image_bytes("JPEG"))
    with pytest.raises(Http404):
        get(path, user=UserFactory.build(is_staff=True))
