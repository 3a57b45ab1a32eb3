"""X-Forwarded-For, X-Forwarded-Proto and X-Request-ID believed only from our proxy
(settings.FORWARDED_ALLOW_IPS, forum/core/proxies.py): forged by a client that reaches the
site directly, they change neither the address logins and resets are counted against, nor
https, nor the request id."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from forum.core.proxies import TrustedProxyMiddleware, from_trusted_proxy
from tests.factories import UserFactory

PROXY = "10.0.0.1"
DIRECT = "203.0.113.7"  # a client that reached the server without the proxy


@pytest.fixture(autouse=True)
def behind_a_proxy(settings):
    settings.PROXY_COUNT = 1
    settings.FORWARDED_ALLOW_IPS = [PROXY]
    cache.clear()  # no password-reset request counted by an earlier test
    yield
    cache.clear()


def forged(number):
    """A different made-up client address for each request."""
    return f"198.51.100.{number}"


# --- Failed logins (django-axes) --------------------------------------------------------


@pytest.fixture
def editor(db, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return UserFactory(username="li.editor", email="li.editor@example.org", is_staff=True)


def log_in(client, password, peer, forwarded):
    return client.post(
        reverse("admin:login"),
        {"username": "li.editor", "password": password, "next": "/admin/"},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_forged_forwarded_addresses_do_not_escape_the_lockout(client, editor):
    statuses = [log_in(client, "wrong", DIRECT, forged(number)).status_code for number in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    # Locked out by its real address, whatever address it claims next.
    assert log_in(client, "correct-horse-battery", DIRECT, forged(99)).status_code == 429


def test_the_proxys_forwarded_address_is_the_one_locked_out(client, editor):
    for _attempt in range(5):
        log_in(client, "wrong", PROXY, forged(1))
    assert log_in(client, "correct-horse-battery", PROXY, forged(1)).status_code == 429
    # Another reader behind the same proxy is not locked out.
    assert log_in(client, "correct-horse-battery", PROXY, forged(2)).status_code == 302


# --- Password-reset limit per client --------------------------------------------------------


@pytest.fixture
def editors(db):
    return [UserFactory(email=f"editor{number}@example.org", is_staff=True) for number in range(12)]


def test_forged_forwarded_addresses_do_not_escape_the_reset_limit_per_client(client, editors):
    for number, editor in enumerate(editors):
        client.post(
            reverse("admin_password_reset"),
            {"email": editor.email},
            REMOTE_ADDR=DIRECT,
            HTTP_X_FORWARDED_FOR=forged(number),
        )
    assert len(mail.outbox) == 10


# --- https ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("peer", "scheme"), [(DIRECT, "http"), (PROXY, "https")])
def test_forwarded_protocol_is_believed_only_from_the_proxy(client, db, settings, peer, scheme):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/robots.txt", REMOTE_ADDR=peer, HTTP_X_FORWARDED_PROTO="https")
    # robots.txt names the sitemap with the request's own scheme.
    (sitemap,) = [line for line in response.content.decode().splitlines() if "Sitemap" in line]
    assert sitemap.startswith(f"Sitemap: {scheme}://testserver")


def test_forwarded_headers_from_elsewhere_never_reach_a_view():
    seen = {}

    def view(request):
        seen.update(request.META)

    request = RequestFactory().get(
        "/",
        REMOTE_ADDR=DIRECT,
        HTTP_X_FORWARDED_FOR="6.6.6.6",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_REQUEST_ID="forged",
        HTTP_X_REAL_IP="6.6.6.6",
    )
    TrustedProxyMiddleware(view)(request)
    assert not {key for key in seen if "FORWARDED" in key or key.startswith("HTTP_X_RE")}


# --- Which peers are the proxy ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("allowed", "peer", "trusted"),
    [
        ([], "127.0.0.1", False),  # no proxy declared
        (["10.0.0.1"], "10.0.0.1", True),
        (["10.0.0.1"], "10.0.0.2", False),
        (["10.0.0.0/24", "::1"], "10.0.0.200", True),
        (["10.0.0.0/24", "::1"], "::1", True),
        (["10.0.0.0/24"], "not-an-address", False),
        (["*"], "203.0.113.7", True),
        (["10.0.0.1"], "", True),  # a Unix socket: only this machine's processes reach it
    ],
)
def test_peers_trusted_as_the_proxy(settings, allowed, peer, trusted):
    settings.FORWARDED_ALLOW_IPS = allowed
    assert from_trusted_proxy(RequestFactory().get("/", REMOTE_ADDR=peer)) is trusted


def test_a_misspelt_proxy_address_stops_the_site_at_start(settings):
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.300"]
    with pytest.raises(ImproperlyConfigured, match="FORWARDED_ALLOW_IPS"):
        TrustedProxyMiddleware(lambda request: None)
