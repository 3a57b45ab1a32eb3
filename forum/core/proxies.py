"""Headers believed only from our own proxy (docs/security.md).

A proxy in front (nginx, a load balancer) tells the site who the client is
(X-Forwarded-For), whether the client came over https (X-Forwarded-Proto and its
variants) and the request's id (X-Request-ID). Any client can send the same headers, so
they mean something only on a connection from one of the proxies in
settings.FORWARDED_ALLOW_IPS, the list gunicorn believes them from too (cdfsite/env.py).
`TrustedProxyMiddleware`, first of all middleware, removes them from every other request:
django-axes' client address and the password-reset limit (`security.client_ip()`), https
(SECURE_PROXY_SSL_HEADER) and the log's request id (`logs.request_id_of()`) then see only
what our proxy said.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# What a proxy tells us about the client; from anyone else they are dropped.
FORWARDED_HEADERS = (
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_PROTOCOL",
    "HTTP_X_FORWARDED_SSL",
    "HTTP_X_REAL_IP",
    "HTTP_X_REQUEST_ID",
)


@lru_cache(maxsize=4)
def _proxy_networks(allowed):
    """FORWARDED_ALLOW_IPS as networks (a plain address is a network of one), or None for
    "*" (every peer, as in gunicorn)."""
    if "*" in allowed:
        return None
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in allowed)
    except ValueError as error:
        raise ImproperlyConfigured(f"FORWARDED_ALLOW_IPS: {error}") from error


def from_trusted_proxy(request):
    """Whether the request's connection comes from one of our proxies.

    A connection without an address is one on a Unix socket, which only processes on the
    same machine can open: trusted once a proxy is declared, as gunicorn does.
    """
    allowed = tuple(settings.FORWARDED_ALLOW_IPS)
    if not allowed:
        return False
    networks = _proxy_networks(allowed)
    if networks is None:
        return True
    peer = request.META.get("REMOTE_ADDR", "")
    if not peer:
        return True
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in network for network in networks)


class TrustedProxyMiddleware:
    """Drops the proxy's headers (`FORWARDED_HEADERS`) from requests that did not come
    through our proxy, before anything reads them."""

    def __init__(self, get_response):
        self.get_response = get_response
        _proxy_networks(tuple(settings.FORWARDED_ALLOW_IPS))  # a bad setting fails at start

    def __call__(self, request):
        if not from_trusted_proxy(request):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
