"""Logins: failed admin logins throttled (django-axes), password rules, session expiry and
the admin's password reset by e-mail, in English and Chinese."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from forum.core.security import client_ip
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fresh_limits():
    """No password-reset request counted by an earlier test (forum/core/security.py)."""
    cache.clear()


@pytest.fixture
def axes_on(settings):
    """django-axes as in production (the test settings switch it off for Client.login)."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def editor(db):
    return UserFactory(username="li.editor", email="li.editor@example.org", is_staff=True)


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


# --- Throttling --------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_user_name_from_that_address(client, axes_on, editor):
    for _attempt in range(4):
        assert log_in(client, "li.editor", "wrong").status_code == 200  # the form again
    response = log_in(client, "li.editor", "wrong")
    assert response.status_code == 429
    # Even the right password is refused now.
    response = log_in(client, "li.editor", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    assert "Too many failed logins" in text
    assert "paused for 15 minutes" in text
    assert reverse("admin_password_reset") in text


def test_lockout_page_is_in_the_admins_language(client, axes_on, editor):
    chinese(client)
    for _attempt in range(5):
        response = log_in(client, "li.editor", "wrong")
    assert response.status_code == 429
    assert '<html lang="zh-hans"' in response.content.decode()
    assert "忘记了您的密码或用户名？" in response.content.decode()


def test_lockout_spares_other_addresses_and_other_users(client, axes_on, editor):
    UserFactory(username="wang.reviewer", is_staff=True)
    for _attempt in range(5):
        log_in(client, "li.editor", "wrong")
    assert log_in(client, "li.editor", PASSWORD, address="198.51.100.9").status_code == 302
    client.logout()
    assert log_in(client, "wang.reviewer", PASSWORD).status_code == 302


def test_successful_login_resets_the_count(client, axes_on, editor):
    for _attempt in range(4):
        log_in(client, "li.editor", "wrong")
    assert log_in(client, "li.editor", PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(4):
        assert log_in(client, "li.editor", "wrong").status_code == 200


def test_lock_ends_after_the_cool_off(client, axes_on, editor):
    for _attempt in range(5):
        log_in(client, "li.editor", "wrong")
    assert log_in(client, "li.editor", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client, "li.editor", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "peer", "forwarded", "expected"),
    [
        (0, "10.0.0.2", "", "10.0.0.2"),
        (0, "10.0.0.2", "203.0.113.7", "10.0.0.2"),  # no proxy: a client's header is ignored
        (1, "10.0.0.2", "203.0.113.7", "203.0.113.7"),
        (1, "10.0.0.2", "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # what the client added
        (2, "10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (2, "10.0.0.2", "203.0.113.7", "10.0.0.2"),  # fewer hops than proxies: not trusted
        (1, "198.51.100.5", "203.0.113.7", "198.51.100.5"),  # not from the proxy: not trusted
    ],
)
def test_client_address_behind_trusted_proxies(settings, proxies, peer, forwarded, expected):
    settings.PROXY_COUNT = proxies
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.2"]
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# --- Passwords and sessions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("12345678", "This password is entirely numeric."),
        ("password", "This password is too common."),
        ("abc", "This password is too short. It must contain at least 8 characters."),
        ("li.editor1", "The password is too similar to the username."),
    ],
)
def test_weak_passwords_are_refused_in_the_admin(admin_client, password, error):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {"username": "li.editor", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert error in response.context["adminform"].form.errors["password2"]
    assert not get_user_model().objects.filter(username="li.editor").exists()


def test_session_ends_after_eight_hours_and_with_the_browser(client, editor):
    client.force_login(editor)
    assert client.session.get_expiry_age() == 8 * 3600
    assert client.session.get_expire_at_browser_close()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200


def test_expired_session_leads_back_to_the_login(client, editor):
    from django.contrib.sessions.models import Session

    client.force_login(editor)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- Password reset by e-mail ---------------------------------------------------------------


def test_login_page_links_to_the_password_reset(client, db):
    response = client.get(reverse("admin:login"))
    assert f'href="{reverse("admin_password_reset")}"' in response.content.decode()


def reset_link(message):
    match = re.search(r"https?://[^/\s]+(/admin/reset/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_by_email_from_request_to_login(client, editor):
    response = client.post(reverse("admin_password_reset"), {"email": "li.editor@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["li.editor@example.org"]
    assert message.subject == "Password reset on China Development Forum"
    assert "li.editor" in message.body

    form_page = client.get(reset_link(message), follow=True)
    assert form_page.status_code == 200
    assert "new_password1" in form_page.content.decode()
    new_password = "Wu-ti-7-tianjin-2025"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done["Location"] == reverse("password_reset_complete")
    assert client.get(done["Location"]).status_code == 200

    response = client.post(
        reverse("admin:login"), {"username": "li.editor", "password": new_password}
    )
    assert response.status_code == 302
    # The link works once.
    assert "new_password1" not in client.get(reset_link(message), follow=True).content.decode()


def test_password_reset_in_chinese(client, editor):
    chinese(client)
    page = client.get(reverse("admin_password_reset"))
    assert "重设我的密码" in page.content.decode()
    client.post(reverse("admin_password_reset"), {"email": "li.editor@example.org"})
    (message,) = mail.outbox
    assert message.subject == "重置 中国发展高层论坛 的密码"
    assert "请访问该页面并选择一个新密码：" in message.body


def test_password_reset_tells_nothing_about_unknown_addresses(client, editor):
    response = client.post(reverse("admin_password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_with_a_forged_link_is_refused(client, editor):
    response = client.get("/admin/reset/MQ/set-password/", follow=True)
    assert response.status_code == 200
    assert "new_password1" not in response.content.decode()
