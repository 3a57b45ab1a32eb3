"""Media in an S3-compatible bucket (forum/core/storage.py), against a real S3 protocol
endpoint: the server at TEST_S3_ENDPOINT_URL (.ci/run starts moto's on loopback).

Each test gets a new bucket as the default storage and a MEDIA_ROOT that stays empty; "a
second instance" is this process with its memory of renditions cleared and no local
file at all, as a new app server behind the same load balancer would be."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from cdfsite.env import media_bucket_storage
from forum.core import images, storage
from forum.models import Person, trash
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.s3]


def jpeg(size=(800, 600)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (139, 26, 26)).save(buffer, "JPEG")
    return SimpleUploadedFile("Portrait 李文海.JPG", buffer.getvalue())


def upload_photo(admin_client, form_data, person, capture):
    change_url = reverse("admin:forum_person_change", args=[person.pk])
    data = form_data(admin_client.get(change_url))
    data["photo"] = jpeg()
    with capture(execute=True):  # the renditions are made once the save commits
        response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.content[:2000]
    person.refresh_from_db()
    return person


def as_second_instance(settings, tmp_path, monkeypatch):
    """No memory of renditions, another (empty) MEDIA_ROOT, and no rendition made again."""
    images._memo.clear()
    settings.MEDIA_ROOT = tmp_path / "second-instance"

    def made_again(*args, **kwargs):
        raise AssertionError("a rendition was made again")

    monkeypatch.setattr(images, "generate", made_again)


def test_file_saved_through_default_storage_lands_in_the_bucket(bucket):
    name = default_storage.save("notes/hello.txt", ContentFile(b"stored in the bucket"))
    assert bucket.keys() == [name]
    body = bucket.client.get_object(Bucket=bucket.name, Key=name)["Body"].read()
    assert body == b"stored in the bucket"
    assert default_storage.open(name).read() == b"stored in the bucket"
    assert storage.all_files() == [name]


def test_admin_upload_is_served_to_readers_by_a_second_instance(
    bucket,
    admin_client,
    form_data,
    settings,
    tmp_path,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    settings.SERVE_MEDIA = True
    person = upload_photo(
        admin_client, form_data, PersonFactory(), django_capture_on_commit_callbacks
    )
    uploads = bucket.keys("people/")
    assert uploads == [person.photo.name]
    renditions = bucket.keys("renditions/public/photo/")
    assert sorted(key.rsplit("/", 1)[1] for key in renditions) == [
        "manifest.json",
        "photo-160w.jpg",
        "photo-160w.webp",
        "photo-320w.jpg",
        "photo-320w.webp",
    ]
    assert not bucket.keys("renditions/private/")

    as_second_instance(settings, tmp_path, monkeypatch)
    reader = Client()
    page = reader.get(f"/en/people/{person.slug}/")
    assert page.status_code == 200
    picture = images.renditions(person.photo)
    for rendition in picture.sources["image/jpeg"] + picture.sources["image/webp"]:
        assert rendition.url in page.content.decode()
        served = reader.get(rendition.url)
        assert served.status_code == 200
        key = rendition.url.removeprefix("/media/")
        stored = bucket.client.get_object(Bucket=bucket.name, Key=key)["Body"].read()
        assert b"".join(served.streaming_content) == stored
    assert not (tmp_path / "second-instance").exists()  # nothing on the local disk
    # The upload itself stays private, in the bucket as on disk.
    assert reader.get(f"/media/{person.photo.name}").status_code == 404


def test_draft_image_objects_are_private_and_served_to_staff_only(
    bucket, admin_client, form_data, settings, django_capture_on_commit_callbacks
):
    settings.SERVE_MEDIA = True
    person = PersonFactory(is_published=False)
    person = upload_photo(admin_client, form_data, person, django_capture_on_commit_callbacks)
    assert not bucket.keys("renditions/public/")
    private = [key for key in bucket.keys("renditions/private/") if key.endswith(".jpg")]
    assert private
    for key in [person.photo.name, *private]:
        grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=key)["Grants"]
        grantees = {grant["Grantee"].get("URI", "") for grant in grants}
        assert not any(uri.endswith(("/AllUsers", "/AuthenticatedUsers")) for uri in grantees)
        assert Client().get(f"/media/{key}").status_code == 404
        assert admin_client.get(f"/media/{key}").status_code == 200


def test_person_purged_from_the_trash_takes_its_image_and_renditions_with_it(
    bucket, admin_client, form_data, django_capture_on_commit_callbacks
):
    person = upload_photo(
        admin_client, form_data, PersonFactory(), django_capture_on_commit_callbacks
    )
    assert bucket.keys()
    delete_url = reverse("admin:forum_person_delete", args=[person.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    # In the trash, restorable: its image stays, its renditions no longer public.
    assert Person.objects.in_trash().filter(pk=person.pk).exists()
    stored = bucket.keys()
    assert person.photo.name in stored
    assert not bucket.keys("renditions/public/")
    with django_capture_on_commit_callbacks(execute=True):
        trash.purge(older_than=datetime.timedelta(0))
    assert not Person.objects.filter(pk=person.pk).exists()
    assert bucket.keys() == []


def test_public_renditions_are_linked_at_the_cdn_and_the_rest_at_the_site(bucket, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_bucket_storage(
            {**bucket.environment, "AWS_S3_CUSTOM_DOMAIN": "media.example.org"}
        ),
    }
    public = PersonFactory(photo=jpeg())
    draft = PersonFactory(is_published=False, photo=jpeg())
    public_url = images.renditions(public.photo).largest.url
    assert public_url.startswith("https://media.example.org/renditions/public/photo/")
    assert images.renditions(draft.photo).largest.url.startswith("/media/renditions/private/")
    assert public.photo.url == f"/media/{public.photo.name}"
