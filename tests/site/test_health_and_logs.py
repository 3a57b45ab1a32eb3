"""/healthz and /readyz for load balancers (forum/core/health.py), and the JSON log lines
with request ids that join several instances' logs (forum/core/logs.py); Sentry only
with SENTRY_DSN."""

import json
import logging
import os
import re
import subprocess
import sys

import pytest
from django.db.migrations.executor import MigrationExecutor

from forum.core import health
from forum.core.logs import JSONFormatter
from tests.conftest import BASE_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def migrations_checked_afresh(monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer_plainly_and_are_never_cached(client, settings, path):
    settings.PAGE_CACHE_ENABLED = True
    for _attempt in range(2):
        response = client.get(path)
        assert response.status_code == 200
        assert response.content == b"ok\n"
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert "no-store" in response["Cache-Control"]
        assert "X-Page-Cache" not in response
        assert not response.cookies
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer_a_load_balancer_asking_by_address_over_http(client, settings, path):
    settings.SECURE_SSL_REDIRECT = True  # production: every other address goes to https
    settings.ALLOWED_HOSTS = ["forum.example.org"]
    assert client.get(path, HTTP_HOST="10.0.0.7:8000").status_code == 200


def test_health_checks_are_outside_the_language_prefixes(client):
    assert client.get("/en/healthz/").status_code == 404
    assert client.get("/zh-hans/readyz/").status_code == 404


def test_readyz_fails_with_migrations_missing_and_says_no_more(client, monkeypatch, caplog):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", 0)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert "Readiness check migrations failed" in caplog.text
    monkeypatch.undo()
    assert client.get("/readyz").status_code == 200


# --- Request ids and JSON lines -----------------------------------------------------------


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "cdfsite.request"]


def test_every_request_gets_an_id_echoed_and_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="cdfsite.request")
    response = client.get("/robots.txt", HTTP_X_REQUEST_ID="forged-by-a-client")
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # no proxy trusted: a new id
    (record,) = request_lines(caplog)
    line = json.loads(JSONFormatter().format(record))
    assert line["request_id"] == request_id
    assert (line["method"], line["path"], line["status"]) == ("GET", "/robots.txt", 200)
    assert line["level"] == "INFO" and line["duration_ms"] >= 0
    assert client.get("/robots.txt")["X-Request-ID"] != request_id


def test_a_trusted_proxys_request_id_is_kept(client, settings):
    settings.TRUST_X_REQUEST_ID = True
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.1"]
    response = client.get("/robots.txt", HTTP_X_REQUEST_ID="lb-7f3a-0001", REMOTE_ADDR="10.0.0.1")
    assert response["X-Request-ID"] == "lb-7f3a-0001"
    odd = client.get("/robots.txt", HTTP_X_REQUEST_ID='a b"\n{json}', REMOTE_ADDR="10.0.0.1")
    assert re.fullmatch(r"[0-9a-f]{32}", odd["X-Request-ID"])


def test_a_request_id_from_anyone_but_the_proxy_is_replaced(client, settings):
    settings.TRUST_X_REQUEST_ID = True
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.1"]
    response = client.get("/robots.txt", HTTP_X_REQUEST_ID="forged-0001", REMOTE_ADDR="203.0.113.9")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_password_reset_tokens_are_not_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="cdfsite.request")
    client.get("/admin/reset/MQ/c4d5e6-0123456789abcdef/")
    (record,) = request_lines(caplog)
    assert record.path == "/admin/reset/MQ/-/"
    assert "0123456789abcdef" not in record.getMessage()


def test_an_error_is_one_json_line_with_its_traceback():
    try:
        raise RuntimeError("broken")
    except RuntimeError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /en/", (), None
        )
        record.exc_info = sys.exc_info()
    record.request_id = "abc"
    text = JSONFormatter().format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["request_id"] == "abc" and line["level"] == "ERROR"
    assert "RuntimeError: broken" in line["exception"]


SENTRY_SCRIPT = """
import django
django.setup()
import sentry_sdk
print(sentry_sdk.get_client().is_active())
"""


@pytest.mark.parametrize("dsn, active", [("", "False"), ("http://key@127.0.0.1:9/1", "True")])
def test_sentry_only_with_a_dsn(dsn, active):
    env = {**os.environ, "SENTRY_DSN": dsn, "DJANGO_SETTINGS_MODULE": "cdfsite.settings.test"}
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", SENTRY_SCRIPT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == active
