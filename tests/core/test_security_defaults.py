"""What the base settings choose from the environment (cdfsite/settings/base.py), read in a
fresh manage.py process as gunicorn would: DEBUG off means HTTPS on unless HTTPS=false,
mail through SMTP with DEBUG off and never to the log, logins that lead to the admin."""

import json

from django.conf import settings

from tests.core.test_security_headers import MINIMAL_PRODUCTION_ENV, run_manage

HTTPS_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
)
MAIL_SETTINGS = (
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "DEFAULT_FROM_EMAIL",
)


def base_settings(names, **env):
    """{name: value} of the base settings in a process with only `env` set."""
    script = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}))"
    )
    result = run_manage("shell", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_https_protections_are_on_when_debug_is_off():
    values = base_settings((*HTTPS_SETTINGS, "SECURE_PROXY_SSL_HEADER"), **MINIMAL_PRODUCTION_ENV)
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        # No proxy declared: X-Forwarded-Proto is not believed.
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_https_protections_are_off_only_when_https_is_false():
    values = base_settings(HTTPS_SETTINGS, **MINIMAL_PRODUCTION_ENV, HTTPS="false")
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
    }


def test_https_protections_are_off_when_debug_is_on():
    values = base_settings(HTTPS_SETTINGS, DEBUG="true")
    assert values == dict.fromkeys(HTTPS_SETTINGS, False) | {"SECURE_HSTS_SECONDS": 0}


def test_mail_goes_through_smtp_from_environment_when_debug_is_off():
    mail_env = {
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "forum",
        "EMAIL_HOST_PASSWORD": "mail-password-for-the-test",
        "EMAIL_USE_TLS": "true",
        "DEFAULT_FROM_EMAIL": "CDF <noreply@example.org>",
    }
    values = base_settings(MAIL_SETTINGS, **MINIMAL_PRODUCTION_ENV, **mail_env)
    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "forum",
        "EMAIL_HOST_PASSWORD": "mail-password-for-the-test",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "DEFAULT_FROM_EMAIL": "CDF <noreply@example.org>",
    }


def test_mail_is_never_logged_when_debug_is_off_whatever_email_backend_says():
    values = base_settings(
        ("EMAIL_BACKEND",),
        **MINIMAL_PRODUCTION_ENV,
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    assert values == {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}


def test_mail_is_printed_on_the_console_when_debug_is_on():
    values = base_settings(("EMAIL_BACKEND",), DEBUG="true")
    assert values == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_mail_stays_in_memory_in_the_test_suite():
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"


def test_mail_with_both_tls_and_ssl_refuses_to_start():
    result = run_manage(
        "check", env={**MINIMAL_PRODUCTION_ENV, "EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}
    )
    assert result.returncode != 0
    assert "EMAIL_USE_TLS" in result.stderr
