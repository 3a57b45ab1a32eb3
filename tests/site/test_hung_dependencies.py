"""A slow dependency is a failed dependency: an object storage, a Redis and a mail server
that accept connections and never answer (a loopback socket that reads nothing) hold no
page for long (cdfsite/env.py, cdfsite/settings/base.py, forum/core/breaker.py,
forum/core/health.py).

The bounds are generous for a test machine and still far below what a hung dependency
cost before: botocore's 60 s read timeout with retries, /readyz waiting on each check.
"""

import contextlib
import smtplib
import socket
import threading
import time

import pytest
from django.core import mail
from django.core.cache import caches

from cdfsite.env import media_bucket_storage
from forum.core import cache as resilient
from forum.core import images, storage
from forum.models import Person, Report
from tests.conftest import S3_CREDENTIALS
from tests.core.test_security_defaults import base_settings
from tests.core.test_security_headers import MINIMAL_PRODUCTION_ENV
from tests.site.test_public_pages import PAGES, REPORT_SLUG

PAGE_SECONDS = 2.0
READYZ_SECONDS = 1.0
MAIL_SECONDS = 5.0  # a reset request waits this long at most on a mail server
PUBLIC_PAGES = [
    *(f"/{language}/{path}" for language in ("en", "zh-hans") for path in PAGES.values()),
    *(f"/{language}/reports/{slug}/" for language, slug in REPORT_SLUG.items()),
    "/api/v1/people/",
    "/api/v1/reports/",
]


class HungServer:
    """A loopback port that accepts connections and never reads or answers."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return  # closed
            self.connections.append(connection)

    def close(self):
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def hung_server():
    server = HungServer()
    yield server
    server.close()


def timed_get(client, path):
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


def assert_pages_answer_in_time(client):
    for path in PUBLIC_PAGES:
        response, seconds = timed_get(client, path)
        assert response.status_code == 200, path
        assert seconds < PAGE_SECONDS, f"{path} took {seconds:.1f} s"


def assert_readyz_fails_in_time(client):
    response, seconds = timed_get(client, "/readyz")
    assert response.status_code == 503
    assert seconds < READYZ_SECONDS, f"/readyz took {seconds:.1f} s"


# --- Object storage -----------------------------------------------------------------------


@pytest.fixture
def warm(client, demo):
    """A running site: templates compiled by a first page, as in any server that has
    served a while before a dependency hangs (the bounds are for requests, not start-up)."""
    client.get("/en/")


@pytest.fixture
def storage_hung(settings, monkeypatch, hung_server, warm):
    """Media in a bucket whose server never answers; the demo's people and report have
    images there (as uploaded before it hung), so pages ask for them."""
    for variable, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(variable, value)
    environment = {
        "AWS_STORAGE_BUCKET_NAME": "media",
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{hung_server.port}",
        "AWS_S3_REGION_NAME": "us-east-1",
    }
    settings.STORAGES = {**settings.STORAGES, "default": media_bucket_storage(environment)}
    settings.PAGE_CACHE_ENABLED = True
    Person.objects.update(photo="people/0123456789abcdef0123456789abcdef.jpg")
    Report.objects.update(hero_image="reports/0123456789abcdef0123456789abcdef.jpg")
    images._memo.clear()
    yield hung_server
    images._memo.clear()


def test_storage_hung_public_pages_answer_in_time_without_images(client, storage_hung):
    assert_pages_answer_in_time(client)
    response = client.get(f"/en/reports/{REPORT_SLUG['en']}/")
    assert "/media/renditions/" not in response.content.decode()
    assert response.get("X-Page-Cache") is None  # a page without its images is not kept


def test_storage_hung_readyz_fails_within_a_second(client, storage_hung):
    assert_readyz_fails_in_time(client)
    assert client.get("/healthz").status_code == 200


def test_storage_hung_is_left_alone_after_a_few_failures(client, storage_hung):
    for _page in range(storage.breaker.FAILURES):
        client.get("/en/people/li-wenhai/")
    asked = len(storage_hung.connections)
    assert asked >= 1
    assert storage.breaker.is_open()
    assert_pages_answer_in_time(client)
    assert client.get("/readyz").status_code == 503
    assert len(storage_hung.connections) == asked  # not one more connection to it


# --- Redis --------------------------------------------------------------------------------


@pytest.fixture
def redis_hung(settings, hung_server, warm):
    """The cache as production configures it (base.py's timeouts), on a Redis that never
    answers."""
    resilient._outages.clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "forum.core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{hung_server.port}/0",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    settings.PAGE_CACHE_ENABLED = True
    settings.FRAGMENT_CACHE_ENABLED = True
    yield caches["default"]
    resilient._outages.clear()


def test_redis_hung_public_pages_answer_in_time_uncached(client, redis_hung):
    assert_pages_answer_in_time(client)
    assert client.get("/en/about/").get("X-Page-Cache") != "hit"


def test_redis_hung_readyz_fails_within_a_second(client, db, redis_hung):
    assert_readyz_fails_in_time(client)


# --- Mail ---------------------------------------------------------------------------------


def test_mail_server_hung_sending_gives_up_in_seconds(hung_server):
    connection = mail.get_connection(
        "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=hung_server.port
    )
    message = mail.EmailMessage("Reset", "Body", "site@example.org", ["editor@example.org"])
    started = time.monotonic()
    with pytest.raises((OSError, smtplib.SMTPException)):
        connection.send_messages([message])
    assert time.monotonic() - started < MAIL_SECONDS


def test_mail_server_hung_pages_and_readyz_answer_in_time(client, warm, settings, hung_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", hung_server.port
    assert_pages_answer_in_time(client)
    response, seconds = timed_get(client, "/readyz")
    assert response.status_code == 200 and seconds < READYZ_SECONDS


# --- The timeouts themselves ----------------------------------------------------------------


def test_every_dependency_gives_up_in_seconds_without_retrying():
    values = base_settings(
        ("DATABASES", "REDIS_CACHE_OPTIONS", "EMAIL_TIMEOUT"),
        **MINIMAL_PRODUCTION_ENV,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/cdfsite",
    )
    assert values["DATABASES"]["default"]["OPTIONS"] == {
        "connect_timeout": 3,
        "options": "-c statement_timeout=15000",
    }
    assert values["REDIS_CACHE_OPTIONS"] == {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
    assert values["EMAIL_TIMEOUT"] < MAIL_SECONDS
    config = media_bucket_storage({"AWS_STORAGE_BUCKET_NAME": "media"})["OPTIONS"]["client_config"]
    assert (config.connect_timeout, config.read_timeout) == (0.5, 1)
    assert config.retries == {"mode": "standard", "total_max_attempts": 1}


def test_statement_timeout_can_be_lifted_for_a_long_migration():
    values = base_settings(
        ("DATABASES",),
        **MINIMAL_PRODUCTION_ENV,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/cdfsite",
        DATABASE_STATEMENT_TIMEOUT="0",
    )
    assert values["DATABASES"]["default"]["OPTIONS"] == {"connect_timeout": 3}
