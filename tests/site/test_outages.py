"""A dependency outage is not a site outage (forum/core/cache.py, outage.py, health.py):
Redis, the media storage and the database each pointed at a closed port.

- Redis unreachable: every public page 200, rendered and uncached, the failure logged
  once; when it answers again caching resumes by itself;
- media storage unreachable: pages 200 without their images (and not kept in the page
  cache), uploads refused with a form error, /readyz 503;
- database unreachable: a plain bilingual 503 page, /readyz 503, and 200 again as soon as
  it answers.
"""

import io
import json
import logging
import os
import socket
import subprocess
import sys

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from cdfsite.env import media_bucket_storage
from forum.core import cache as resilient
from forum.core import images, security
from forum.core import storage as media_storage
from forum.pagecache import store
from forum.press import vcards
from tests.conftest import BASE_DIR, S3_CREDENTIALS
from tests.factories import PersonFactory
from tests.site.test_public_pages import PAGES, REPORT_SLUG

LANGUAGES = tuple(REPORT_SLUG)
PUBLIC_PAGES = [
    *(f"/{language}/{path}" for language in LANGUAGES for path in PAGES.values()),
    *(f"/{language}/reports/{slug}/" for language, slug in REPORT_SLUG.items()),
    *(f"/{language}/search/?q=digital" for language in LANGUAGES),
    *(f"/{language}/feeds/reports.atom" for language in LANGUAGES),
    "/sitemap.xml",
]


def closed_port():
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def fresh_outage_state():
    resilient._outages.clear()
    yield
    resilient._outages.clear()


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "forum.core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.PAGE_CACHE_ENABLED = True
    return caches["default"]


def test_redis_down_every_public_page_is_served_uncached(client, demo, redis_down, caplog):
    caplog.set_level(logging.WARNING, logger="forum.core.cache")
    for path in PUBLIC_PAGES:
        for _attempt in range(2):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.get("X-Page-Cache") != "hit", path
    unreachable = [r for r in caplog.records if "Cache unreachable" in r.getMessage()]
    assert len(unreachable) == 1  # once per interval, not once per request


def test_readyz_fails_while_redis_is_down(client, db, redis_down):
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200


class FlakyRedisClient:
    """Stands for the Redis client of the cache: a dict, or a dead server while `down`."""

    def __init__(self):
        self.data, self.down = {}, False

    def _answer(self):
        if self.down:
            raise ConnectionError("Connection refused")

    def get(self, key, default=None):
        self._answer()
        return self.data.get(key, default)

    def set(self, key, value, timeout=None):
        self._answer()
        self.data[key] = value

    def delete(self, key):
        self._answer()
        return self.data.pop(key, None) is not None

    def get_client(self, write=False):
        """The raw client the page cache's tag index uses: it has kept no page here."""
        self._answer()
        return FlakyRedisClient.Raw()

    class Raw:
        def scan_iter(self, match, count):
            return iter(())


def test_caching_resumes_by_itself_when_redis_answers_again(redis_down, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="forum.core.cache")
    monkeypatch.setattr(resilient.ResilientRedisCache, "RETRY_SECONDS", 0)
    flaky = redis_down.__dict__["_cache"] = FlakyRedisClient()
    recovered = []

    def on_recovered(sender, **kwargs):
        recovered.append(sender)

    resilient.cache_recovered.connect(on_recovered)
    try:
        redis_down.set("page", "kept")
        assert redis_down.get("page") == "kept"
        flaky.down = True
        assert redis_down.get("page") is None  # a miss, not an error
        redis_down.set("page", "dropped")
        assert not redis_down.available()
        flaky.down = False
        assert redis_down.get("page") == "kept"
        assert redis_down.available()
        redis_down.set("page", "new")
        assert redis_down.get("page") == "new"
    finally:
        resilient.cache_recovered.disconnect(on_recovered)
    assert recovered == [redis_down]
    messages = [record.getMessage() for record in caplog.records]
    assert sum("Cache unreachable" in message for message in messages) == 1
    assert sum("Cache reachable again" in message for message in messages) == 1


def test_pages_cached_before_an_outage_are_dropped_when_redis_returns(client, demo, settings):
    settings.PAGE_CACHE_ENABLED = True
    client.get("/en/")
    assert client.get("/en/").get("X-Page-Cache") == "hit"
    resilient.cache_recovered.send(sender=store.page_cache())
    assert client.get("/en/").get("X-Page-Cache") == "miss"


# --- Media storage ----------------------------------------------------------------------


@pytest.fixture
def storage_down(settings, monkeypatch):
    original = settings.STORAGES
    for variable, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(variable, value)
    environment = {
        "AWS_STORAGE_BUCKET_NAME": "media",
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{closed_port()}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_CONNECT_TIMEOUT": "1",
    }
    settings.STORAGES = {**settings.STORAGES, "default": media_bucket_storage(environment)}
    settings.PAGE_CACHE_ENABLED = True
    images._memo.clear()

    def recover():
        settings.STORAGES = original

    yield recover
    images._memo.clear()


def test_storage_down_pages_are_served_without_images_and_not_kept(client, db, storage_down):
    person = PersonFactory(photo="people/0123456789abcdef0123456789abcdef.jpg")
    for _attempt in range(2):
        response = client.get(f"/en/people/{person.slug}/")
        assert response.status_code == 200
        assert response.get("X-Page-Cache") is None  # neither stored nor served from cache
        assert "/media/renditions/" not in response.content.decode()
    assert client.get("/readyz").status_code == 503
    storage_down()  # it answers again
    assert client.get("/readyz").status_code == 200


def test_storage_down_page_fragments_are_not_kept_either(client, db, storage_down, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    caches["default"].clear()
    person = PersonFactory(photo="people/0123456789abcdef0123456789abcdef.jpg")
    queries = []
    for _attempt in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/en/people/{person.slug}/").status_code == 200
        queries.append(len(captured))
    # A page assembled from kept fragments reads at most one row; this one was rendered whole
    # again, as the first time, because its image was left out.
    assert queries[1] == queries[0] > 1


def test_storage_down_uploads_are_refused_with_a_form_error(admin_client, form_data, storage_down):
    person = PersonFactory()
    change_url = reverse("admin:forum_person_change", args=[person.pk])
    data = form_data(admin_client.get(change_url))
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), (10, 20, 30)).save(buffer, "JPEG")
    data["photo"] = SimpleUploadedFile("photo.jpg", buffer.getvalue())
    response = admin_client.post(change_url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"] == [
        "The image cannot be stored just now: the file storage is not answering. Nothing "
        "was saved; try again in a few minutes."
    ]
    person.refresh_from_db()
    assert not person.photo


def request_log(caplog):
    """The request log's (path, status) pairs (forum/core/logs.py)."""
    return [
        (record.path, record.status)
        for record in caplog.records
        if record.name == "cdfsite.request"
    ]


def assert_bilingual_503(response):
    assert response.status_code == 503
    body = response.content.decode()
    assert "Temporarily unavailable" in body and "暂时无法访问" in body
    assert response["Retry-After"] == "30"


MEDIA_PATH = "/media/people/0123456789abcdef0123456789abcdef.jpg"


def test_storage_down_media_is_the_bilingual_503_logged_as_such(admin_client, storage_down, caplog):
    caplog.set_level(logging.INFO, logger="cdfsite.request")
    assert_bilingual_503(admin_client.get(MEDIA_PATH))
    assert request_log(caplog) == [(MEDIA_PATH, 503)]


class BucketFailingToRead:
    """A bucket that finds the file, then does not answer when it is read."""

    def path(self, name):
        raise NotImplementedError  # not on the local disk

    def open(self, name, mode="rb"):
        return BucketFailingToRead.File()

    class File(io.BytesIO):
        name = "0123456789abcdef0123456789abcdef.jpg"

        def read(self, *args):
            raise ConnectionError("Read timed out")


def test_storage_failing_when_read_media_is_the_503_not_a_broken_200(
    admin_client, monkeypatch, caplog
):
    bucket = BucketFailingToRead()
    monkeypatch.setattr(security, "default_storage", bucket)
    monkeypatch.setattr(media_storage, "default_storage", bucket)
    caplog.set_level(logging.INFO, logger="cdfsite.request")
    assert_bilingual_503(admin_client.get(MEDIA_PATH))
    assert request_log(caplog) == [(MEDIA_PATH, 503)]


# --- Database ---------------------------------------------------------------------------


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 1 failed')

    # On the class: every thread's connection (/readyz checks in threads of their own).
    monkeypatch.setattr(type(connections["default"]), "ensure_connection", refuse)
    return monkeypatch


def test_database_down_is_a_plain_bilingual_503_and_recovers(client, demo, database_down):
    for path in ("/en/", "/zh-hans/", f"/en/reports/{REPORT_SLUG['en']}/"):
        response = client.get(path)
        assert response.status_code == 503
        body = response.content.decode()
        assert "Temporarily unavailable" in body and "暂时无法访问" in body
        assert "Traceback" not in body and "OperationalError" not in body
        assert response["Retry-After"] == "30"
        assert "no-store" in response["Cache-Control"]
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200
    database_down.undo()
    assert client.get("/en/").status_code == 200
    assert client.get("/readyz").status_code == 200


# Pointed at closed ports through the environment, as an operator would misconfigure them.
OUTAGE_SCRIPT = """
import json
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
answers = {}
for path in ("/en/", "/zh-hans/", "/readyz", "/healthz"):
    response = client.get(path)
    answers[path] = [response.status_code, response.content.decode()]
print(json.dumps(answers))
"""


def test_closed_database_redis_and_storage_ports_answer_503_and_never_500():
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cdfsite.settings.base",
            "DEBUG": "false",
            "HTTPS": "false",
            "SECRET_KEY": "a-long-random-secret-key-for-the-outage-test",
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/cdfsite",
            "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0",
            "AWS_STORAGE_BUCKET_NAME": "media",
            "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{closed_port()}",
            "AWS_S3_REGION_NAME": "us-east-1",
            **S3_CREDENTIALS,
        }
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", OUTAGE_SCRIPT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    for path in ("/en/", "/zh-hans/"):
        status, body = answers[path]
        assert status == 503
        assert "Temporarily unavailable" in body and "暂时无法访问" in body
    assert answers["/readyz"] == [503, "unavailable\n"]
    assert answers["/healthz"] == [200, "ok\n"]
    # Each request and each error is one JSON line, with the request's id.
    entries = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    requests = [entry for entry in entries if entry["logger"] == "cdfsite.request"]
    assert [entry["path"] for entry in requests] == ["/en/", "/zh-hans/"]
    errors = [entry for entry in entries if entry["message"].startswith("Database unavailable")]
    assert len(errors) == 2
    assert [entry["request_id"] for entry in errors] == [e["request_id"] for e in requests]
    assert "Traceback" not in result.stderr


# --- Streams --------------------------------------------------------------------------------

VCF_PATH = "/en/2024/press/contacts.vcf"


def refuse_contacts(execute, sql, params, many, context):
    """The database failing just as the contacts are read (the edition was found)."""
    if "forum_mediacontact" in sql:
        raise OperationalError("server closed the connection unexpectedly")
    return execute(sql, params, many, context)


def test_database_failing_at_the_contact_list_is_the_503_logged_as_such(client, demo, caplog):
    caplog.set_level(logging.INFO, logger="cdfsite.request")
    with connection.execute_wrapper(refuse_contacts):
        response = client.get(VCF_PATH)
    assert_bilingual_503(response)
    assert request_log(caplog) == [(VCF_PATH, 503)]


def test_contact_list_broken_off_mid_stream_is_logged_as_an_error(
    client, demo, monkeypatch, caplog
):
    written = vcards.contact_card

    def fail_after_the_first(contact, language_code, cards=[]):  # noqa: B006 (a counter)
        cards.append(contact)
        if len(cards) > 1:
            raise OperationalError("server closed the connection unexpectedly")
        return written(contact, language_code)

    monkeypatch.setattr(vcards, "contact_card", fail_after_the_first)
    response = client.get(VCF_PATH)
    assert response.status_code == 200  # sent before the failure: it cannot change
    with pytest.raises(OperationalError):
        b"".join(response.streaming_content)
    [error] = [r for r in caplog.records if "broken off" in r.getMessage()]
    assert error.levelname == "ERROR"
    assert error.request_id == response["X-Request-ID"]
