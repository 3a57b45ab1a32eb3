"""Small security pieces the settings and URLs point at (docs/security.md).

- `client_ip()`: the client's address for django-axes and the reset limit, X-Forwarded-For
  believed only from our proxy.
- `over_limit()`: a counter per key and time window in Django's cache (in this process's
  memory while the cache does not answer).
- `PasswordResetView`: the admin's "Forgotten your password?", its links built from
  SITE_URL, its requests limited per e-mail address and per client address, its mail sent
  after the answer.
- `lockout_response()`: django-axes' page for a locked-out login, in the admin's language.
- `serve_media()`: images from the media storage with a safe type; only public renditions
  to all.
- `EscapedJSONRenderer`: the API's JSON with <, > and & written as \\u escapes.
- `RejectNullCharactersMiddleware`: a 400 for a NUL character in the address.
- `ConstantPolicyCSPMiddleware`: django-csp's, with a constant policy built once.
"""

import hashlib
import ipaddress
import logging
import posixpath
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from urllib.parse import urlsplit

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import (
    FileResponse,
    Http404,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.static import serve
from rest_framework.renderers import JSONRenderer

from forum.core.cache import ERRORS as CACHE_ERRORS
from forum.core.images import is_public_path
from forum.core.outage import started, unavailable_response
from forum.core.proxies import from_trusted_proxy
from forum.core.storage import STORAGE_ERRORS, local_path

logger = logging.getLogger(__name__)


def client_ip(request):
    """The client's address, which django-axes counts failed logins against and the
    password-reset limit counts requests from.

    On a connection from our proxy (`proxies.from_trusted_proxy`) with PROXY_COUNT = n
    proxies in front, the n-th address from the right of X-Forwarded-For (the one our
    outermost proxy saw); anything further left is what the client claims and is ignored.
    Otherwise REMOTE_ADDR: whatever else sent X-Forwarded-For is not believed.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if count <= 0 or not from_trusted_proxy(request):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


# Where limits are counted while the shared cache (Redis) does not answer: this process's
# memory. Each process then counts on its own, so the limits hold per process, rather than
# not at all.
LOCAL_COUNTS = LocMemCache("request-limits", {"OPTIONS": {"MAX_ENTRIES": 10000}})


def over_limit(key, limit, window):
    """Counts one more request against `key`: True once there have been more than `limit`
    in the `window` seconds since the first of them.

    In Django's cache, so shared by every process and server with Redis, per process with
    local memory; incr() is atomic in both, and keeps the first request's expiry. While
    the cache does not answer, in LOCAL_COUNTS.
    """
    count = _count(cache, f"throttle:{key}", window)
    if count is None:
        count = _count(LOCAL_COUNTS, f"throttle:{key}", window)
    return count > limit


def _count(store, cache_key, window):
    """One more request in `store`: the count so far, or None if `store` does not answer
    (it raised, or it is our Redis cache in an outage, which answers as an empty cache)."""
    try:
        store.add(cache_key, 0, timeout=window)
        try:
            count = store.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            store.add(cache_key, 1, timeout=window)
            count = 1
    except CACHE_ERRORS as error:
        logger.warning("Request limits counted in this process: the cache failed: %s", error)
        return None
    available = getattr(store, "available", None)
    if available is not None and not available():
        return None
    return count


# Sends the password-reset mails after the answer (`SiteURLPasswordResetForm.send_mail`):
# one thread, so a slow mail server holds it alone and mails leave in the order asked for.
_reset_mail_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reset-mail")


class SiteURLPasswordResetForm(PasswordResetForm):
    """Reset links on SITE_URL's scheme and host, whatever Host header the request had: a
    forged Host must not turn the link in a real user's mail into one to another site."""

    def save(self, **kwargs):
        site = urlsplit(settings.SITE_URL)
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        super().save(**kwargs)

    def send_mail(self, *args, **kwargs):
        """The mail is rendered and sent by the reset-mail thread, after the answer
        (PASSWORD_RESET_MAIL_IN_BACKGROUND): an address with an account is answered as fast
        as one without, however slow the mail server is."""
        if not settings.PASSWORD_RESET_MAIL_IN_BACKGROUND:
            super().send_mail(*args, **kwargs)
            return
        send = super().send_mail
        language = translation.get_language()

        def send_in_the_readers_language():
            try:
                with translation.override(language):
                    send(*args, **kwargs)
            except Exception:  # a mail server's refusal or timeout: nobody else to tell
                logger.exception("Password reset mail not sent")

        _reset_mail_thread.submit(send_in_the_readers_language)


class PasswordResetView(auth_views.PasswordResetView):
    """The admin's "Forgotten your password?" (cdfsite/urls.py).

    At most PASSWORD_RESET_MAX_PER_EMAIL requests for one e-mail address and
    PASSWORD_RESET_MAX_PER_CLIENT from one client address (`client_ip`) in
    PASSWORD_RESET_WINDOW seconds send mail; past either limit a warning is logged, no mail
    is sent, and the answer is the same redirect to the "sent" page as always, so that no
    response tells a known address from an unknown one.
    """

    form_class = SiteURLPasswordResetForm

    def form_valid(self, form):
        email = hashlib.sha256(form.cleaned_data["email"].casefold().encode()).hexdigest()
        address = client_ip(self.request)
        window = settings.PASSWORD_RESET_WINDOW
        # Both are counted on every request: neither limit is a way round the other.
        limits = {
            "e-mail address": over_limit(
                f"password-reset:email:{email}", settings.PASSWORD_RESET_MAX_PER_EMAIL, window
            ),
            "client address": over_limit(
                f"password-reset:client:{address}", settings.PASSWORD_RESET_MAX_PER_CLIENT, window
            ),
        }
        reached = [name for name, over in limits.items() if over]
        if reached:
            logger.warning(
                "Password reset mail not sent: too many requests for this %s (client %s)",
                " and this ".join(reached),
                address,
            )
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def lockout_response(request, original_response=None, credentials=None):
    """HTTP 429 with the admin's look: how long the pause lasts and the password reset."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


# What may be served from MEDIA_ROOT: the image types uploads are limited to
# (forum/core/uploads.py) and that renditions are written in (forum/core/images.py).
MEDIA_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
# A served upload is never a document: no scripts, no styles, no frames, even if a file
# slipped past validation.
MEDIA_CSP = "default-src 'none'; img-src 'self'; sandbox"


def serve_media(request, path):
    """MEDIA_ROOT's images; anything else is a 404.

    Renditions of public content (`images.is_public_path()`) are for everyone, when
    Django serves media (SERVE_MEDIA; in production the proxy serves that folder). The
    uploads and the renditions of unpublished content are for active staff only (previews,
    the admin's link to a file), never stored by a shared cache; anyone else gets a 404.
    """
    path = posixpath.normpath(path).lstrip("/")
    content_type = MEDIA_TYPES.get(posixpath.splitext(path)[1].lower())
    if content_type is None or any(part.startswith(".") for part in path.split("/")):
        raise Http404
    public = is_public_path(path)
    if public and not settings.SERVE_MEDIA:
        raise Http404  # the proxy serves them
    user = getattr(request, "user", None)
    if not public and not (user and user.is_active and user.is_staff):
        raise Http404
    response = _stored_file(request, path)
    if response.status_code == 503:
        return response
    response["Content-Type"] = content_type
    response["Content-Security-Policy"] = MEDIA_CSP
    response["X-Content-Type-Options"] = "nosniff"
    if not public:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _stored_file(request, path):
    """The file from the media storage: from MEDIA_ROOT (with Django's conditional GET), or
    streamed from the bucket (the bilingual 503 page while it cannot be reached)."""
    if local_path(path) is not None:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    try:
        response = FileResponse(default_storage.open(path, "rb"))
        # The bucket is read now, in the view: a failure gives the 503 page, not a 200
        # broken off (forum/core/outage.py `started`).
        response.streaming_content = started(response.streaming_content, f"Media file {path}")
    except FileNotFoundError as error:
        raise Http404 from error
    except STORAGE_ERRORS as error:
        logger.warning("Media file %s not served: %s", path, error)
        return unavailable_response()
    return response


class EscapedJSONRenderer(JSONRenderer):
    """JSON in which <, > and & are written \\u003c, \\u003e, \\u0026.

    The decoded data is identical; the bytes can no longer be read as markup, should a
    client paste a response into a page or a browser sniff it (as json_script does).
    """

    ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rendered = super().render(data, accepted_media_type, renderer_context)
        if not rendered:
            return rendered
        return rendered.decode("utf-8").translate(self.ESCAPES).encode("utf-8")


class RejectNullCharactersMiddleware:
    """A 400 for a NUL character in the path or the query string.

    No address of ours contains one, and PostgreSQL refuses it in any text it is given
    (a slug looked up, a filter), which would otherwise end as a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return HttpResponseBadRequest(
                "Bad request: the address contains a NUL character.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


# What a view or decorator may set on a response to change or drop its policy.
_PER_RESPONSE_POLICY = tuple(
    f"_csp_{name}{suffix}"
    for name in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)


@lru_cache(maxsize=2)
def _constant_policy(report_only):
    return build_policy(report_only=report_only)


@receiver(setting_changed)
def _forget_policy(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _constant_policy.cache_clear()


class ConstantPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy built once for the responses that used no
    nonce and that no view changed: it is then the same header every time, and building it
    took a third of the time of a page served from the page cache. Anything else (a nonce,
    a decorator's change, DEBUG's exempted error pages) goes through django-csp itself."""

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE_POLICY)
        ):
            return super().process_response(request, response)
        for header, setting, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
        ):
            policy = _constant_policy(report_only)
            excluded = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if (
                policy
                and header not in response
                and not request.path_info.startswith(tuple(excluded))
            ):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
