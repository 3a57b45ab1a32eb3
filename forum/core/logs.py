"""Logs that several instances' lines can be joined by (docs/runbook.md).

Every log line is one JSON object (`JSONFormatter`; LOG_FORMAT=plain for development):
time, level, logger, message, the request's id and, for an error, its traceback in the
same line. `RequestLogMiddleware` writes one line per request (method, path, status,
duration) and gives each request its id: the X-Request-ID a trusted proxy set
(TRUST_X_REQUEST_ID, on with PROXY_COUNT; only on a connection from FORWARDED_ALLOW_IPS,
forum/core/proxies.py), else a new one; the response echoes it in
X-Request-ID, and every line logged while the request runs carries it.

No line carries a secret that an address or a header holds (`mask_secrets`): not the
app's (`MaskSecretsFilter` on its handler), not gunicorn's access and error logs
(`GunicornLogger`, cdfsite/gunicorn.py).
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from gunicorn import glogging

# gunicorn's master loads this module (GunicornLogger) before it forks its gevent workers,
# which patch the standard library when they start: Django's settings and sentry_sdk are
# imported where they are used, in the workers. Imported here, the lazy settings would be
# set up by gevent's patching itself (it inspects every object), importing botocore and
# ssl before ssl is patched, and every request to the object storage would then fail.

request_logger = logging.getLogger("cdfsite.request")

_request_id = contextvars.ContextVar("request_id", default=None)
# What a proxy's id may look like: no spaces, quotes or control characters in the log.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:@+/=-]{1,128}")
# Fields a record may carry (`extra=`) that go into the JSON object.
FIELDS = ("method", "path", "status", "duration_ms")
# Secrets that travel in addresses and headers, and what a log line shows instead. Whoever
# holds one can act as its owner: a password-reset link's token (/admin/reset/<uid>/<token>/;
# Django's next page, set-password/, is no secret), a session cookie, a token or signature
# in a query string (preview and unsubscribe links).
SECRETS = (
    (re.compile(r"(/reset/[^/\s?#\"]+/)(?!set-password/)[^/\s?#\"]+"), r"\1-"),
    (re.compile(r"\b(sessionid=)[^;,&\s\"]+"), r"\1-"),
    (re.compile(r"([?&](?:token|signature|sig|key)=)[^&#\s\"]+", re.IGNORECASE), r"\1-"),
)


def mask_secrets(text):
    """`text` with every secret of `SECRETS` replaced by "-"."""
    for pattern, replacement in SECRETS:
        text = pattern.sub(replacement, text)
    return text


class MaskSecretsFilter(logging.Filter):
    """Masks the secrets in a record's message (`mask_secrets`) before any handler writes
    it. On the app's log handler (settings.LOGGING) and gunicorn's logs (`GunicornLogger`)."""

    def filter(self, record):
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


_MASK = MaskSecretsFilter()


class GunicornLogger(glogging.Logger):
    """gunicorn's logger with the secrets of its lines masked: the access log's request
    line, referrer and any header a format names, and the error log's messages."""

    def setup(self, cfg):
        super().setup(cfg)
        # setup() runs again when gunicorn reloads; a filter already there is not added twice.
        self.access_log.addFilter(_MASK)
        self.error_log.addFilter(_MASK)


def current_request_id():
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or None) on every record."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class JSONFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for field in FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        # A traceback may quote an address too (an error's message).
        if record.exc_info:
            entry["exception"] = mask_secrets(self.formatException(record.exc_info))
        elif record.stack_info:
            entry["stack"] = mask_secrets(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def request_id_of(request):
    """The proxy's X-Request-ID when one is trusted and it looks like an id, else a new one.

    From anyone but our proxy the header never gets here (proxies.TrustedProxyMiddleware).
    """
    from django.conf import settings

    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if settings.TRUST_X_REQUEST_ID and REQUEST_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


class RequestLogMiddleware:
    def __init__(self, get_response):
        import sentry_sdk  # in the worker: see the note at the top

        self.sentry = sentry_sdk
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.request_id = request_id_of(request)
        token = _request_id.set(request_id)
        if self.sentry.get_client().is_active():
            self.sentry.get_isolation_scope().set_tag("request_id", request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            path = mask_secrets(request.path)
            request_logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_id.reset(token)
