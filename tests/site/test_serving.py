"""gunicorn as the site runs it (cdfsite/gunicorn.py, started by tools/serving.py as `make
serve` starts it): slow clients do not stall it, and forwarded-protocol headers count only
from a declared proxy."""

import socket
import time
from http.client import HTTPConnection

import pytest

from cdfsite.env import forwarded_allow_ips
from tools import serving


def free_port():
    with socket.socket() as probe:
        probe.bind((serving.HOST, 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One worker process, so that nothing but its threads can answer."""
    work = tmp_path_factory.mktemp("serving")
    env = serving.site_env(
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        STATIC_ROOT=work / "static",
        MEDIA_ROOT=work / "media",
        PAGE_CACHE="false",
        REDIS_URL="",
        # Media in a bucket, as with several instances: the settings then import botocore
        # (never asked here: nothing listens there).
        AWS_STORAGE_BUCKET_NAME="cdfsite-serving-test",
        AWS_S3_ENDPOINT_URL=f"http://{serving.HOST}:9",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    )
    with serving.Server("serving-test", free_port(), env, work / "logs", workers=1) as started:
        yield started


def get(server, path, headers=None):
    connection = HTTPConnection(serving.HOST, server.port, timeout=5)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_idle_and_slow_clients_do_not_stall_normal_requests(server):
    attackers = []
    try:
        for _ in range(30):
            # Connected, and then nothing.
            attackers.append(socket.create_connection((serving.HOST, server.port), timeout=5))
        for _ in range(10):
            # Connected, half a request sent, and then nothing: the headers never end.
            slow = socket.create_connection((serving.HOST, server.port), timeout=5)
            slow.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow")
            attackers.append(slow)
        time.sleep(0.5)  # all of them are in the worker now
        # Each within get()'s 5-second timeout.
        statuses = [get(server, "/robots.txt")[0] for _ in range(5)]
    finally:
        for attacker in attackers:
            attacker.close()
    assert statuses == [200] * 5


def test_the_workers_patch_ssl_before_the_app_imports_it(server):
    # gevent patches a worker's standard library when the worker starts; a module the
    # master imported before (gunicorn loads the logger class there) that holds ssl's
    # objects keeps unpatched ones, which can hang or loop in a worker's TLS calls.
    assert "MonkeyPatchWarning" not in server.error_log.read_text()


def test_forwarded_protocol_from_loopback_is_not_believed(server):
    status, body = get(
        server,
        "/robots.txt",
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on"},
    )
    assert status == 200
    # robots.txt names the sitemap with the request's own scheme.
    assert f"Sitemap: http://127.0.0.1:{server.port}/sitemap.xml" in body.splitlines()


def test_gunicorn_runs_gevent_workers_a_few_requests_at_a_time(monkeypatch):
    monkeypatch.delenv("GUNICORN_CONCURRENT_REQUESTS", raising=False)
    settings = serving.gunicorn_settings()
    assert settings["worker_class"] == "gevent"
    assert settings["concurrent_requests"] == 4


@pytest.mark.parametrize(
    ("variables", "trusted"),
    [
        ({}, ""),
        ({"FORWARDED_ALLOW_IPS": "10.0.0.2"}, ""),
        ({"TRUST_X_FORWARDED_PROTO": "true"}, "127.0.0.1,::1"),
        ({"PROXY_COUNT": "1", "FORWARDED_ALLOW_IPS": "10.0.0.2"}, "10.0.0.2"),
        ({"TRUST_X_REQUEST_ID": "true", "FORWARDED_ALLOW_IPS": "10.0.0.0/8,::1"}, "10.0.0.0/8,::1"),
    ],
)
def test_gunicorn_believes_forwarded_headers_only_from_a_declared_proxy(
    monkeypatch, variables, trusted
):
    declarations = ("TRUST_X_FORWARDED_PROTO", "PROXY_COUNT", "TRUST_X_REQUEST_ID")
    for name in (*declarations, "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert serving.gunicorn_settings()["forwarded_allow_ips"] == trusted
    # Django believes the same peers (settings.FORWARDED_ALLOW_IPS).
    assert ",".join(forwarded_allow_ips()) == trusted


def test_the_access_log_shows_no_reset_token(server):
    token = "cz1k2b-4f1c0e8d2a6b9c3e5f7a1d4b8c2e6f0a"
    get(server, f"/admin/reset/MQ/{token}/")
    # gunicorn writes the line once the answer is sent: it may come a moment after it.
    deadline = time.monotonic() + 10
    while "/admin/reset/" not in (log := server.access_log.read_text()):
        assert time.monotonic() < deadline, log
        time.sleep(0.05)
    assert "GET /admin/reset/MQ/-/ HTTP/1.1" in log
    assert token not in log


def test_head_is_answered_without_a_warning_in_the_log(server):
    connection = HTTPConnection(serving.HOST, server.port, timeout=5)
    try:
        connection.request("HEAD", "/robots.txt")
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, b"")
        assert int(response.getheader("Content-Length")) > 0
    finally:
        connection.close()
    # The access log's line comes once the answer is sent, after any warning about it.
    deadline = time.monotonic() + 10
    while '"HEAD /robots.txt' not in server.access_log.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert "no-body response" not in server.error_log.read_text()
