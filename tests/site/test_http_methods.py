"""OPTIONS and HEAD on every public page (both languages) and every API endpoint never end
in a server error; HEAD answers as GET does, without a body."""

import re

import pytest
from django.urls import URLPattern, reverse
from django.utils import translation

from forum import urls as forum_urls
from forum.models import Edition, MediaContact, Person, Report, Session

ACCEPTS = ["text/html", "application/json", "*/*"]


def public_paths():
    """Every URL pattern of forum/urls.py, in both languages, with the demo's objects."""
    edition = Edition.objects.published().first()
    session = Session.objects.published().first()
    person = Person.objects.published().first()
    report = Report.objects.published().first()
    contact = MediaContact.objects.first()
    paths = []
    for code in ("en", "zh-hans"):
        with translation.override(code):
            kwargs = {
                "report-detail": {"slug": report.slug},
                "report-preview": {"pk": report.pk},
                "person-detail": {"slug": person.slug},
                "edition-calendar": {"edition": edition.slug},
                "session-calendar": {"edition": edition.slug, "slug": session.slug},
                "edition-detail": {"edition": edition.slug},
                "press": {"edition": edition.slug},
                "press-vcards": {"edition": edition.slug},
                "contact-vcard": {"pk": contact.pk},
                "session-detail": {"edition": edition.slug, "slug": session.slug},
            }
            names = [p.name for p in forum_urls.urlpatterns if isinstance(p, URLPattern)]
            paths += [reverse(f"forum:{name}", kwargs=kwargs.get(name)) for name in names]
            paths.append(reverse("forum:search") + "?q=digital")
    return paths + ["/", "/robots.txt", "/sitemap.xml", "/i18n/setlang/", "/admin/login/"]


def api_paths(client):
    """Every path of the API's schema, its parameters filled from the lists' first items,
    and the API's own pages."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = []
    for template in schema["paths"]:
        parameter = re.search(r"\{(\w+)\}", template)
        if parameter:
            listing = client.get(template[: parameter.start()], HTTP_ACCEPT="application/json")
            first = listing.json()["results"][0]
            template = template.replace(parameter.group(0), str(first[parameter.group(1)]))
        paths.append(template)
    return paths + ["/api/", "/api/v1/", "/api/schema/", "/api/docs/", "/api/docs/?script="]


def server_errors(client, paths):
    failures = []
    for path in paths:
        for method in ("options", "head"):
            for accept in ACCEPTS:
                response = getattr(client, method)(path, HTTP_ACCEPT=accept)
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {path} ({accept}): {response.status_code}")
    return failures


def test_options_and_head_on_public_pages_are_never_a_server_error(client, demo):
    client.raise_request_exception = False
    assert server_errors(client, public_paths()) == []


def test_options_and_head_on_the_api_are_never_a_server_error(client, demo):
    client.raise_request_exception = False
    paths = api_paths(client)
    assert len(paths) > 12  # every resource's list and item, and the API's pages
    assert server_errors(client, paths) == []


def test_options_on_the_api_docs_lists_the_allowed_methods(client, db):
    response = client.options("/api/docs/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert {method.strip() for method in response["Allow"].split(",")} >= {"GET", "OPTIONS"}
    assert response.content == b""


@pytest.mark.parametrize("path", ["/robots.txt", "/en/search/?q=digital", "/zh-hans/search/"])
def test_head_answers_like_get_without_a_body(client, demo, path):
    get = client.get(path)
    head = client.head(path)
    assert (head.status_code, head["Content-Type"]) == (get.status_code, get["Content-Type"])
    assert head.content == b""


def served(path, method):
    """The status, headers and body bytes a WSGI server (gunicorn) is handed: the test
    client drops a HEAD body itself (Django's conditional_content_removal), a server
    only after the application sent it."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import RequestFactory

    environ = RequestFactory().generic(method, path).environ
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))

    # As the test client does: the test's transaction keeps its connection (closing it at
    # the request's start or end would end the transaction on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"], started["headers"], body


@pytest.mark.parametrize(
    "path",
    [
        "/en/2024/calendar.ics",
        "/zh-hans/2024/calendar.ics",
        "/zh-hant/2024/calendar.ics",
        "/en/2024/sessions/digital-empowerment-industrial-transformation/calendar.ics",
        "/zh-hans/2024/sessions/digital-empowerment-industrial-transformation/calendar.ics",
        "/en/2024/press/contacts.vcf",
        "/en/feeds/reports.atom",
        "/en/about/",
        "/robots.txt",
    ],
)
def test_head_hands_the_server_no_body_and_the_headers_of_get(demo, path):
    get_status, get_headers, get_body = served(path, "GET")
    head_status, head_headers, head_body = served(path, "HEAD")
    assert get_body
    assert head_body == b""
    assert head_status == get_status == "200 OK"
    for name in ("Content-Type", "Content-Disposition", "Content-Length", "Content-Language"):
        assert head_headers.get(name) == get_headers.get(name), name


def test_trace_and_other_writes_on_public_pages_are_refused(client, demo):
    """No public page answers TRACE, PUT or DELETE as if it were GET: 405 (or a 403 where
    the CSRF check speaks first), never the page itself."""
    client.raise_request_exception = False
    answered = []
    for path in public_paths():
        if path.startswith(("/i18n/", "/admin/")) or path == "/":
            continue  # forms (POST is theirs); / only sends to a language
        for method in ("TRACE", "PUT", "DELETE"):
            response = client.generic(method, path)
            if response.status_code not in (403, 405):
                answered.append(f"{method} {path}: {response.status_code}")
    assert answered == []
