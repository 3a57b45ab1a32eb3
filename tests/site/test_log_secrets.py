"""No secret in any log (forum/core/logs.py): a password-reset token, a link's token or a
session cookie is masked in gunicorn's access and error logs (cdfsite/gunicorn.py) and in
the site's own log (settings.LOGGING). tests/conftest.py checks every line the whole run
logs for them."""

import io
import json
import logging
import sys
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from forum.core.logs import JSONFormatter, mask_secrets
from tests.conftest import LEAKED_SECRET
from tools import serving

TOKEN = "cz1k2b-4f1c0e8d2a6b9c3e5f7a1d4b8c2e6f0a"  # as Django makes them
RESET_PATH = f"/admin/reset/MQ/{TOKEN}/"
SESSION = "sessionid=q8v2k3l5m7n9p1r3t5v7x9z1b3d5f7h9"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"GET {RESET_PATH} HTTP/1.1", "GET /admin/reset/MQ/-/ HTTP/1.1"),
        (
            f"https://www.cdf.example.org{RESET_PATH}",
            "https://www.cdf.example.org/admin/reset/MQ/-/",
        ),
        ("/admin/reset/MQ/set-password/", "/admin/reset/MQ/set-password/"),
        (f"{SESSION}; csrftoken=abc", "sessionid=-; csrftoken=abc"),
        ("/en/preview/reports/7/?token=Zm9vYmFy:1tX", "/en/preview/reports/7/?token=-"),
        ("/unsubscribe/?lang=en&signature=a1b2c3", "/unsubscribe/?lang=en&signature=-"),
        ("/en/reports/?page=2", "/en/reports/?page=2"),
    ],
)
def test_secrets_are_masked(text, masked):
    assert mask_secrets(text) == masked


def test_the_suite_wide_check_recognises_a_leaked_secret():
    assert LEAKED_SECRET.search(f"Not Found: {RESET_PATH}")
    assert LEAKED_SECRET.search(f"Cookie: {SESSION}")
    assert not LEAKED_SECRET.search(mask_secrets(f"Not Found: {RESET_PATH} {SESSION}"))


def test_a_raw_reset_path_logged_by_django_comes_out_masked():
    """Through the site's own log handler (settings.LOGGING), as Django logs a 404."""
    console = next(handler for handler in logging.getLogger().handlers if handler.name == "console")
    written = io.StringIO()
    stream = console.setStream(written)
    try:
        logging.getLogger("django.request").warning("Not Found: %s", RESET_PATH)
    finally:
        console.setStream(stream)
    assert "/admin/reset/MQ/-/" in written.getvalue()
    assert TOKEN not in written.getvalue()


def test_a_traceback_quoting_a_reset_path_comes_out_masked():
    try:
        raise ValueError(f"Cannot resolve {RESET_PATH}")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Error", (), None)
        record.exc_info = sys.exc_info()
    line = json.loads(JSONFormatter().format(record))
    assert "ValueError: Cannot resolve /admin/reset/MQ/-/" in line["exception"]
    assert TOKEN not in line["exception"]


def gunicorn_logger(tmp_path, **options):
    """gunicorn's logger as cdfsite/gunicorn.py configures it, writing the access log to a
    file (`make serve` passes --access-logfile -)."""
    config = Config()
    for name, value in serving.gunicorn_settings().items():
        if name in config.settings:
            config.set(name, value)
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("errorlog", str(tmp_path / "error.log"))
    for name, value in options.items():
        config.set(name, value)
    return config.logger_class(config)


def test_gunicorns_access_log_masks_reset_tokens_and_sessions(tmp_path):
    logger = gunicorn_logger(
        tmp_path, access_log_format='%(h)s "%(r)s" %(s)s "%(f)s" "%({cookie}i)s"'
    )
    environ = {
        "REMOTE_ADDR": "203.0.113.7",
        "REQUEST_METHOD": "GET",
        "RAW_URI": RESET_PATH,
        "PATH_INFO": RESET_PATH,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://www.cdf.example.org{RESET_PATH}",
    }
    request = SimpleNamespace(headers=[("COOKIE", f"{SESSION}; csrftoken=abc")])
    response = SimpleNamespace(status="302 Found", headers=[], sent=0)
    logger.access(response, request, environ, timedelta(milliseconds=12))
    logger.error("Error handling request %s", RESET_PATH)

    access = (tmp_path / "access.log").read_text()
    assert '"GET /admin/reset/MQ/-/ HTTP/1.1" 302' in access
    assert "sessionid=-; csrftoken=abc" in access
    errors = (tmp_path / "error.log").read_text()
    assert "Error handling request /admin/reset/MQ/-/" in errors
    assert TOKEN not in access + errors
    assert SESSION not in access
