"""Image renditions (forum/core/images.py): sizes and formats, no metadata, the folder each
image's owner calls for (forum/core/receivers.py), and the {% picture %} markup."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageCms

from forum.core import images
from forum.models import Report
from tests.factories import EditionFactory, OrganisationFactory, PersonFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    images._memo.clear()
    yield tmp_path
    images._memo.clear()


@pytest.fixture
def saved(django_capture_on_commit_callbacks):
    """Runs what the receivers do once a save commits."""

    def save(factory, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return factory(**kwargs)

    return save


def image_file(name, size=(2000, 1000), mode="RGB", image_format="JPEG", **options):
    buffer = io.BytesIO()
    color = (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30)
    Image.new(mode, size, color).save(buffer, format=image_format, **options)
    return SimpleUploadedFile(name, buffer.getvalue())


def rendition_files(media, folder="public"):
    root = media / "renditions" / folder
    return sorted(path.name for path in root.rglob("*") if path.is_file())


def path_of(url):
    return url.removeprefix("/media/")


def test_photo_gets_webp_and_jpeg_at_each_width(media):
    report = ReportFactory(hero_image=image_file("hero.jpg"))
    picture = images.renditions(report.hero_image, "hero")
    assert [r.width for r in picture.sources["image/webp"]] == [480, 720, 1080, 1440]
    assert [r.width for r in picture.sources["image/jpeg"]] == [480, 720, 1080, 1440]
    assert (picture.width, picture.height) == (1440, 720)
    assert picture.fallback.url.endswith("/hero-720w.jpg")
    assert rendition_files(media) == sorted(
        [f"hero-{w}w.{ext}" for w in (480, 720, 1080, 1440) for ext in ("webp", "jpg")]
        + ["manifest.json"]
    )
    with Image.open(media / path_of(picture.sources["image/webp"][0].url)) as im:
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


def test_renditions_made_when_the_image_is_saved(media, saved):
    saved(ReportFactory, hero_image=image_file("saved.jpg"))
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


def test_rendition_addresses_say_nothing_of_the_uploaded_file(media):
    report = ReportFactory(hero_image=image_file("Tianjin Binhai 李文海.jpg"))
    picture = images.renditions(report.hero_image, "hero")
    stem = report.hero_image.name.removeprefix("reports/").removesuffix(".jpg")
    for rendition in picture.sources["image/jpeg"]:
        assert re.fullmatch(
            r"/media/renditions/public/hero/[0-9a-f]{2}/[0-9a-f]{32}/hero-\d+w\.jpg", rendition.url
        )
        assert stem not in rendition.url  # the upload's (random) name is not given away either


# --- No metadata --------------------------------------------------------------------------

SECRETS = (b"SecretCam", b"shot at the minister's home", b"xmpmeta", b"Exif\x00\x00")


def jpeg_with_metadata(size=(1600, 900)):
    """A camera JPEG: EXIF with a make and a GPS position, XMP, a comment, an ICC profile."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 50.0)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = image_file(
        "camera.jpg",
        size=size,
        exif=exif,
        xmp=b"<x:xmpmeta>39.9075 N 116.3972 E</x:xmpmeta>",
        comment=b"shot at the minister's home",
        icc_profile=icc,
    )
    content = upload.read()
    upload.seek(0)
    assert all(secret in content for secret in SECRETS)  # what must not come out
    return upload


@pytest.mark.parametrize("factory", [ReportFactory, PersonFactory])
def test_renditions_carry_no_exif_gps_xmp_icc_or_comment(media, factory):
    owner = factory(**{"hero_image" if factory is ReportFactory else "photo": jpeg_with_metadata()})
    field_file = owner.hero_image if factory is ReportFactory else owner.photo
    picture = images.renditions(field_file)
    files = [rendition for renditions in picture.sources.values() for rendition in renditions]
    assert len(files) >= 4
    for rendition in files:
        data = (media / path_of(rendition.url)).read_bytes()
        assert not [secret for secret in SECRETS if secret in data], rendition.url
        assert b"acsp" not in data  # no ICC profile
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif()
            assert not image.getexif().get_ifd(0x8825)
            assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)


def test_turned_photo_is_shown_upright_without_its_exif(media):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; the pixels are on their side
    person = PersonFactory(photo=image_file("turned.jpg", size=(400, 300), exif=exif))
    picture = images.renditions(person.photo)
    assert (picture.width, picture.height) == (300, 400)
    with Image.open(media / path_of(picture.largest.url)) as image:
        assert not image.getexif()


# --- The folder each owner's state calls for ------------------------------------------------


def folders(media):
    return {
        folder: bool(list((media / "renditions" / folder).rglob("manifest.json")))
        for folder in ("public", "private")
    }


def test_draft_report_image_renditions_are_private(media, saved):
    saved(
        ReportFactory, status=Report.Status.DRAFT, published_at=None, hero_image=image_file("d.jpg")
    )
    assert folders(media) == {"public": False, "private": True}


def test_scheduled_report_image_stays_private_until_its_time(media, saved):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    report = saved(ReportFactory, published_at=tomorrow, hero_image=image_file("s.jpg"))
    assert folders(media) == {"public": False, "private": True}
    assert images.public_url(report.hero_image) is None


def publish(report, django_capture_on_commit_callbacks, *, commit):
    report.status, report.published_at = Report.Status.PUBLISHED, timezone.now()
    with django_capture_on_commit_callbacks(execute=commit):
        report.save()


def test_published_report_image_moves_to_the_public_folder(
    media, saved, django_capture_on_commit_callbacks
):
    report = saved(ReportFactory, status=Report.Status.APPROVED, hero_image=image_file("p.jpg"))
    publish(report, django_capture_on_commit_callbacks, commit=True)
    assert folders(media) == {"public": True, "private": False}


def test_withdrawn_report_image_leaves_the_public_folder(
    media, saved, django_capture_on_commit_callbacks
):
    report = saved(ReportFactory, hero_image=image_file("w.jpg"))
    public_files = [
        path_of(r.url) for r in images.renditions(report.hero_image).sources["image/jpeg"]
    ]
    report.status = Report.Status.WITHDRAWN
    with django_capture_on_commit_callbacks(execute=True):
        report.save()
    assert folders(media) == {"public": False, "private": True}
    assert not [path for path in public_files if (media / path).exists()]


def test_unpublished_person_photo_leaves_the_public_folder(
    media, saved, django_capture_on_commit_callbacks
):
    person = saved(PersonFactory, photo=image_file("u.jpg", size=(400, 400)))
    person.is_published = False
    with django_capture_on_commit_callbacks(execute=True):
        person.save()
    assert folders(media) == {"public": False, "private": True}


def test_rolled_back_publication_leaves_nothing_public(
    media, saved, django_capture_on_commit_callbacks
):
    report = saved(ReportFactory, status=Report.Status.APPROVED, hero_image=image_file("r.jpg"))
    # The on-commit work never runs: the transaction did not commit.
    publish(report, django_capture_on_commit_callbacks, commit=False)
    assert folders(media) == {"public": False, "private": True}


def test_replaced_image_renditions_are_removed(media, saved, django_capture_on_commit_callbacks):
    report = saved(ReportFactory, hero_image=image_file("first.jpg"))
    old = images.rendition_directory(report.hero_image.name, "hero", public=True)
    report.hero_image = image_file("second.jpg", size=(900, 600))
    with django_capture_on_commit_callbacks(execute=True):
        report.save()
    assert not (media / old).exists()
    assert images.renditions(report.hero_image).width == 900


def test_deleted_report_image_renditions_are_removed(
    media, saved, django_capture_on_commit_callbacks
):
    report = saved(ReportFactory, hero_image=image_file("gone.jpg"))
    with django_capture_on_commit_callbacks(execute=True):
        report.delete()
    assert folders(media) == {"public": False, "private": False}


def test_memory_never_links_renditions_removed_since(media):
    """Another process withdrew and rescheduled the report: the public folder was emptied
    while this one remembered it; the next page shown after its time makes it again."""
    report = ReportFactory(hero_image=image_file("again.jpg"))
    remembered = images.renditions(report.hero_image)
    memory = dict(images._memo)  # this process's
    images.discard(report.hero_image.name, "hero", public=True)  # the other process's saves
    later = report.updated_at + datetime.timedelta(days=1)
    Report.objects.filter(pk=report.pk).update(updated_at=later)
    images._memo.update(memory)
    report.refresh_from_db()
    picture = images.renditions(report.hero_image)
    assert picture == remembered
    assert (media / path_of(picture.fallback.url)).exists()


def test_memory_links_renditions_without_asking_the_storage(media, monkeypatch):
    """Pages do not wait on the storage: an owner not saved since keeps its renditions."""
    report = ReportFactory(hero_image=image_file("known.jpg"))
    remembered = images.renditions(report.hero_image)

    def unreachable(*args, **kwargs):
        raise AssertionError("the storage was asked")

    for method in ("exists", "open", "size", "save", "listdir"):
        monkeypatch.setattr(images.default_storage, method, unreachable)
    report.refresh_from_db()
    assert images.renditions(report.hero_image) == remembered


# --- Markup ---------------------------------------------------------------------------------


def tag(html, name):
    match = re.search(rf"<{name}\b[^>]*>", html)
    return match.group(0) if match else ""


def test_broken_image_saves_and_links_nothing(client, media):
    report = ReportFactory(hero_image=SimpleUploadedFile("broken.jpg", b"not an image"))
    html = client.get(report.get_absolute_url()).content.decode()
    assert report.hero_image.name not in html
    assert "<picture>" not in html
    # Shared with the edition's share image instead (forum/discovery/share_image.py).
    links = re.findall(r"/media/[^\"]+", html)
    assert all(link.startswith("/media/renditions/public/drawn/") for link in links)


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
