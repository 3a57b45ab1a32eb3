"""Deployment settings and the Content-Security-Policy (docs/security.md).

`check --deploy` is clean with production variables; every response carries the
protective headers; public pages need no nonce (so the page cache can replay them), and
no admin, public or API page has inline code the policy would block.
"""

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.cache import caches
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from forum.models import Edition, MediaContact, Person, Report, Session
from forum.pagecache import store as page_cache
from tests.factories import UserFactory
from tests.markup_audit import executable_markup, header_nonce

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k7Qx2-production-like-secret-for-the-check-only-9fT3mWz8pL4vR6nB1cY5",
    "ALLOWED_HOSTS": "www.cdf.example.org",
    "HTTPS": "true",
    "TRUST_X_FORWARDED_PROTO": "true",
}


def run_manage(*args, env):
    """manage.py in a fresh process with only `env` on top of PATH (no pytest, no DEBUG),
    with the base settings that manage.py and gunicorn use."""
    clean = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    clean["DJANGO_SETTINGS_MODULE"] = "cdfsite.settings.base"
    clean["DATABASE_URL"] = f"sqlite:///{BASE_DIR / 'never-opened.sqlite3'}"
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def policy(response):
    """{directive: [sources]} of the response's Content-Security-Policy."""
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


# --- Deployment ----------------------------------------------------------------------


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# The three variables production cannot do without, and nothing else: DEBUG off alone
# turns the HTTPS protections on (cdfsite/settings/base.py).
MINIMAL_PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"],
    "ALLOWED_HOSTS": "example.org",
}


def test_check_deploy_is_clean_with_only_debug_secret_key_and_allowed_hosts():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=MINIMAL_PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_with_a_one_letter_key_warns_only_about_the_key():
    """`SECRET_KEY=x`: Django's warning that the key is too short, and nothing else."""
    result = run_manage("check", "--deploy", env={**MINIMAL_PRODUCTION_ENV, "SECRET_KEY": "x"})
    assert result.returncode == 0, result.stderr
    assert re.findall(r"\(([\w.]+)\)", result.stderr) == ["security.W009"]


def test_production_variables_turn_on_https_protections():
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({n: getattr(s, n)"
        " for n in ('SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE',"
        " 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_PROXY_SSL_HEADER',"
        " 'SESSION_COOKIE_AGE', 'AXES_ENABLED', 'DEBUG')}))"
    )
    result = run_manage("shell", "-c", script, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_AGE": 8 * 3600,
        "AXES_ENABLED": True,
        "DEBUG": False,
    }


def test_https_request_gets_hsts(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/en/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


# --- Headers on every kind of response --------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/en/", "/zh-hans/", "/api/v1/reports/", "/sitemap.xml", "/admin/login/"]
)
def test_protective_headers_on_every_response(client, demo, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]


def test_policy_allows_no_inline_code_or_eval(client, demo):
    directives = policy(client.get("/en/"))
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in directives[directive]
        assert "'unsafe-eval'" not in directives[directive]
        assert not any(
            source.startswith(("http:", "https:", "*")) for source in directives[directive]
        )
    assert directives["script-src"] == ["'self'"]


def test_public_pages_need_no_nonce_so_the_page_cache_can_replay_them(client, demo, settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_TIMEOUT = 3600
    caches["default"].clear()
    page_cache._local_indexes.clear()
    try:
        first = client.get("/en/2024/")
        replay = client.get("/en/2024/")
    finally:
        caches["default"].clear()
        page_cache._local_indexes.clear()
    assert replay["X-Page-Cache"] == "hit"
    assert header_nonce(first) is None
    assert replay["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "nonce" not in replay.content.decode()


def test_admin_change_form_import_map_carries_the_header_nonce(client, demo, superuser):
    client.force_login(superuser)
    report = Report.objects.get(slug_en__isnull=False, status=Report.Status.PUBLISHED)
    response = client.get(reverse("admin:forum_report_change", args=[report.pk]))
    nonce = header_nonce(response)
    assert nonce
    html = response.content.decode()
    assert re.search(rf'<script type="importmap" nonce="{re.escape(nonce)}">', html)
    assert executable_markup(html, nonce=nonce, allow_svg=True) == []
    # A new nonce for every response.
    again = client.get(reverse("admin:forum_report_change", args=[report.pk]))
    assert header_nonce(again) != nonce


def test_prose_editor_style_hash_matches_the_installed_editor():
    """Tiptap injects one <style> of fixed text; the policy allows exactly that text."""
    import django_prose_editor

    editor_js = Path(django_prose_editor.__file__).parent / "static/django_prose_editor/editor.js"
    source = editor_js.read_text(encoding="utf-8")
    match = re.search(r"=`(\.ProseMirror \{.*?)`", source, re.S)
    assert match, "Tiptap's stylesheet not found in editor.js"
    digest = base64.b64encode(hashlib.sha256(match.group(1).encode()).digest()).decode()
    configured, expected = settings.PROSE_EDITOR_STYLE_HASH, f"'sha256-{digest}'"
    assert configured == expected, (
        f"Set PROSE_EDITOR_STYLE_HASH = \"'sha256-{digest}'\" in cdfsite/settings/base.py"
    )


# --- No inline code anywhere -----------------------------------------------------------


def admin_pages(user):
    """Changelist, add and change form of every model in the admin, and the extra views."""
    request = RequestFactory().get("/admin/")
    request.user = user
    paths = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        paths.append(reverse(f"{base}_changelist"))
        if model_admin.has_add_permission(request):  # django-axes' lists are read-only
            paths.append(reverse(f"{base}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths.append(reverse(f"{base}_change", args=[first.pk]))
            paths.append(reverse(f"{base}_history", args=[first.pk]))
    report = Report.objects.order_by("pk").first()
    contact = MediaContact.objects.order_by("pk").first()
    paths += [
        reverse("admin:index"),
        reverse("admin:app_list", args=["forum"]),
        reverse("admin:forum_report_outdated"),
        reverse("admin:forum_report_revisions", args=[report.pk]),
        reverse("admin:forum_report_delete", args=[report.pk]),
        reverse("admin:forum_mediacontact_import"),
        reverse("admin:forum_mediacontact_export"),
        reverse("admin:forum_mediacontact_recoverlist"),
        reverse("admin:forum_mediacontact_history", args=[contact.pk]),
        reverse("admin:password_change"),
    ]
    return paths


def test_no_admin_page_has_inline_code_without_the_nonce(client, demo, superuser):
    client.force_login(superuser)
    failures = {}
    for path in admin_pages(superuser):
        for language in ("en", "zh-hans"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            problems = executable_markup(
                response.content.decode(), nonce=header_nonce(response), allow_svg=True
            )
            if problems:
                failures[f"{language} {path}"] = problems
    assert failures == {}


def test_export_form_has_no_inline_handler(client, demo, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:forum_mediacontact_changelist"),
        {
            "action": "export_admin_action",
            "_selected_action": list(MediaContact.objects.values_list("pk", flat=True)),
        },
    )
    html = response.content.decode()
    assert 'class="select-toggle"' in html
    assert "js/admin-export.js" in html
    assert executable_markup(html, nonce=header_nonce(response), allow_svg=True) == []


def test_login_and_password_reset_pages_have_no_inline_code(client, db):
    for name in ("admin:login", "admin_password_reset", "password_reset_done"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert executable_markup(response.content.decode(), allow_svg=True) == []


def public_pages():
    edition = Edition.objects.published().first()
    session = Session.objects.published().first()
    person = Person.objects.published().first()
    report = Report.objects.published().first()
    paths = []
    for language in ("en", "zh-hans"):
        with translation.override(language):
            paths += [
                reverse("forum:home"),
                reverse("forum:about"),
                edition.get_absolute_url(),
                reverse("forum:press", kwargs={"edition": edition.slug}),
                session.get_absolute_url(),
                reverse("forum:report-list"),
                report.get_absolute_url(),
                reverse("forum:person-list"),
                person.get_absolute_url(),
                reverse("forum:search") + "?q=2024",
            ]
    return paths


def test_no_public_page_has_inline_code(client, demo):
    failures = {}
    for path in public_pages():
        response = client.get(path)
        assert response.status_code == 200, path
        assert header_nonce(response) is None
        problems = executable_markup(response.content.decode())
        if problems:
            failures[path] = problems
    assert failures == {}


def test_report_preview_has_no_inline_code(client, demo, superuser):
    client.force_login(superuser)
    report = Report.objects.first()
    response = client.get(reverse("forum:report-preview", kwargs={"pk": report.pk}))
    assert response.status_code == 200
    assert executable_markup(response.content.decode()) == []


@pytest.mark.parametrize(
    "path", ["/api/docs/", "/api/v1/", "/api/v1/reports/", "/api/v1/editions/2024/"]
)
def test_api_html_pages_have_no_inline_code_without_the_nonce(client, demo, path):
    response = client.get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    nonce = header_nonce(response)
    assert executable_markup(response.content.decode(), nonce=nonce, allow_svg=True) == []


def test_api_docs_script_is_served_as_a_file(client, db):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")


def test_staff_session_cookie_expires(client, db):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert client.session.get_expiry_age() == 8 * 3600
    assert client.session.get_expire_at_browser_close()
