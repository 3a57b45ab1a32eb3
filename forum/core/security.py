"""Small security pieces the settings and URLs point at (README: Security).

- `client_ip()`: the address django-axes counts failed logins against.
- `lockout_response()`: django-axes' page for a locked-out login, in the admin's language.
- `serve_media()`: uploads and renditions served by Django (SERVE_MEDIA) with a safe type.
- `EscapedJSONRenderer`: the API's JSON with <, > and & written as \\u escapes.
- `RejectNullCharactersMiddleware`: a 400 for a NUL character in the address.
"""

import ipaddress
import posixpath

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.views.static import serve
from rest_framework.renderers import JSONRenderer


def client_ip(request):
    """The client's address for login throttling.

    With PROXY_COUNT = n trusted proxies in front, the n-th address from the right of
    X-Forwarded-For (the one our outermost proxy saw); anything further left is what the
    client claims and is ignored. Without proxies, REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if count <= 0:
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
    """MEDIA_ROOT's images when Django serves media (SERVE_MEDIA); anything else is a 404.

    Production serves /media/ from the proxy with the same rules (README: Security).
    """
    extension = posixpath.splitext(path)[1].lower()
    content_type = MEDIA_TYPES.get(extension)
    if content_type is None or posixpath.basename(path).startswith("."):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Type"] = content_type
    response["Content-Security-Policy"] = MEDIA_CSP
    response["X-Content-Type-Options"] = "nosniff"
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
