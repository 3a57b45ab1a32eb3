"""The admin's password reset (links from SITE_URL, requests limited per e-mail address and
per client address, the same answer whatever happens) and where logins lead."""

import logging
import re
import socket
import threading
from types import SimpleNamespace

import pytest
from django.contrib.auth.forms import PasswordResetForm
from django.core import mail
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from forum.core import cache as resilient
from forum.core.security import LOCAL_COUNTS
from tests.factories import UserFactory

RESET_URL = "/admin/password_reset/"
DONE_URL = "/admin/password_reset/done/"


@pytest.fixture(autouse=True)
def fresh_limits():
    """Each test starts with no request counted (the counters live in the cache, or in this
    process's memory while the cache is down)."""
    cache.clear()
    LOCAL_COUNTS.clear()
    yield
    cache.clear()
    LOCAL_COUNTS.clear()


@pytest.fixture
def editors(db):
    return [
        UserFactory(username=f"editor{number}", email=f"editor{number}@example.org", is_staff=True)
        for number in range(12)
    ]


def ask_for_reset(client, email, address="198.51.100.20", **extra):
    return client.post(RESET_URL, {"email": email}, REMOTE_ADDR=address, **extra)


def answer(response):
    """What a client learns from a reset request: its status and where it leads."""
    return response.status_code, response["Location"]


# --- Links ------------------------------------------------------------------------------


def test_reset_link_uses_site_url_when_the_host_header_is_forged(client, editors, settings):
    settings.SITE_URL = "https://www.cdf.example.org"
    settings.ALLOWED_HOSTS = ["*"]  # the forged host gets past host validation
    ask_for_reset(client, "editor0@example.org", HTTP_HOST="attacker.example")
    (message,) = mail.outbox
    assert "attacker.example" not in message.body
    assert re.search(r"^https://www\.cdf\.example\.org/admin/reset/\S+/$", message.body, re.M)


def test_reset_link_uses_site_url_scheme_on_a_plain_http_request(client, editors, settings):
    settings.SITE_URL = "https://www.cdf.example.org"
    ask_for_reset(client, "editor0@example.org")
    (message,) = mail.outbox
    assert "http://" not in message.body
    assert "https://www.cdf.example.org/admin/reset/" in message.body


# --- Limits -----------------------------------------------------------------------------


def test_reset_twelve_requests_for_one_address_send_at_most_three_mails(client, editors):
    for _ in range(12):
        ask_for_reset(client, "editor0@example.org")
    assert len(mail.outbox) == 3


def test_reset_limit_per_address_ignores_the_case_of_the_address(client, editors):
    for email in ["editor0@example.org", "EDITOR0@example.org", "Editor0@Example.org"] * 4:
        ask_for_reset(client, email)
    assert len(mail.outbox) == 3


def test_reset_twelve_requests_from_one_client_send_at_most_ten_mails(client, editors):
    for editor in editors:
        ask_for_reset(client, editor.email, address="198.51.100.30")
    assert len(mail.outbox) == 10


def test_reset_limit_of_one_client_spares_other_clients(client, editors):
    for editor in editors[:10]:
        ask_for_reset(client, editor.email, address="198.51.100.30")
    ask_for_reset(client, editors[11].email, address="198.51.100.31")
    assert [message.to for message in mail.outbox][-1] == [editors[11].email]
    assert len(mail.outbox) == 11


def test_reset_limit_counts_the_client_behind_trusted_proxies(client, editors, settings):
    settings.PROXY_COUNT = 1
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.1"]
    for editor in editors:
        # Every request comes through the proxy at 10.0.0.1, from one reader.
        ask_for_reset(
            client, editor.email, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.40"
        )
    assert len(mail.outbox) == 10


def test_reset_over_the_limit_logs_a_warning(client, editors, caplog):
    for _ in range(3):
        ask_for_reset(client, "editor0@example.org")
    with caplog.at_level(logging.WARNING, logger="forum.core.security"):
        ask_for_reset(client, "editor0@example.org")
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert "too many requests for this e-mail address" in record.getMessage()
    assert "198.51.100.20" in record.getMessage()
    assert "editor0" not in record.getMessage()


# --- The same answer whatever happens ---------------------------------------------------


def test_reset_answer_is_the_same_for_known_unknown_and_limited_addresses(client, editors):
    known = ask_for_reset(client, "editor0@example.org")
    unknown = ask_for_reset(client, "nobody@example.org")
    for _ in range(3):
        ask_for_reset(client, "editor1@example.org", address="198.51.100.50")
    limited = ask_for_reset(client, "editor1@example.org", address="198.51.100.50")
    assert answer(known) == answer(unknown) == answer(limited) == (302, DONE_URL)
    assert known.content == unknown.content == limited.content
    assert [message.to for message in mail.outbox] == [
        ["editor0@example.org"],
        ["editor1@example.org"],
        ["editor1@example.org"],
        ["editor1@example.org"],
    ]


# --- Where logins lead ------------------------------------------------------------------


def test_login_without_next_leads_to_the_admin(client, db):
    UserFactory(username="li.editor", password="correct-horse-battery", is_staff=True)
    response = client.post(
        reverse("admin:login"), {"username": "li.editor", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_log_in_link_after_a_reset_leads_to_the_admin_login(client, db):
    page = client.get(reverse("password_reset_complete")).content.decode()
    assert f'href="{reverse("admin:login")}"' in page


# --- With the cache down ----------------------------------------------------------------


def closed_port():
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(
    params=["forum.core.cache.ResilientRedisCache", RedisCache.__module__ + ".RedisCache"]
)
def redis_down(request, settings):
    """The cache on a Redis that is down: ours, which answers as an empty cache, or Django's
    own, which raises."""
    resilient._outages.clear()
    settings.CACHES = {
        "default": {
            "BACKEND": request.param,
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield
    resilient._outages.clear()


def test_reset_limit_per_address_holds_with_redis_down(client, editors, redis_down):
    answers = {answer(ask_for_reset(client, "editor0@example.org")) for _ in range(12)}
    assert answers == {(302, DONE_URL)}
    assert len(mail.outbox) == 3


def test_reset_limit_per_client_holds_with_redis_down(client, editors, redis_down):
    for editor in editors:
        ask_for_reset(client, editor.email, address="198.51.100.30")
    assert len(mail.outbox) == 10


# --- The answer does not wait for the mail ----------------------------------------------


@pytest.fixture
def mail_server_held(settings, monkeypatch):
    """Reset mails sent after the answer, as in production, through a mail server that takes
    each mail only once `release` is set; `sent` is set when one has gone."""
    settings.PASSWORD_RESET_MAIL_IN_BACKGROUND = True
    held = SimpleNamespace(release=threading.Event(), sent=threading.Event())
    send = PasswordResetForm.send_mail

    def held_send(form, *args, **kwargs):
        held.release.wait(timeout=10)
        send(form, *args, **kwargs)
        held.sent.set()

    monkeypatch.setattr(PasswordResetForm, "send_mail", held_send)
    return held


def test_reset_answer_does_not_wait_for_the_mail_server(client, editors, mail_server_held):
    response = ask_for_reset(client, "editor0@example.org")
    assert answer(response) == (302, DONE_URL)
    assert mail.outbox == []  # answered while the mail server still holds the mail
    mail_server_held.release.set()
    assert mail_server_held.sent.wait(timeout=10)
    assert [message.to for message in mail.outbox] == [["editor0@example.org"]]


def test_reset_mail_sent_after_the_answer_is_in_the_readers_language(
    client, editors, settings, mail_server_held
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    ask_for_reset(client, "editor0@example.org")
    mail_server_held.release.set()
    assert mail_server_held.sent.wait(timeout=10)
    (message,) = mail.outbox
    assert message.subject == "重置 中国发展高层论坛 的密码"
