"""Hostile text: script payloads in every text field of every model, in both languages,
reach no public page, feed, sitemap, vCard, calendar or API response as executable markup.

Each text field gets a payload through the same validation an editor's form runs
(`full_clean()`): fields whose validators refuse it (slugs, phone numbers, languages) keep
their value, which is the protection working. Rich text is sanitised on save (nh3);
everything else must be escaped by whatever writes it.
"""

import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import icalendar
import pytest
import vobject
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator

from forum.core import languages, roles
from forum.models import Edition, MediaContact, Person, Report, Session
from forum.reports import byline, workflow
from tests.factories import UserFactory, user_in
from tests.markup_audit import executable_markup, header_nonce
from tests.press.rfc2426 import assert_valid_vcards

# A body an attacker would like to publish; only <p> and the https link survive.
HOSTILE_BODY = (
    "<p>{marker} body</p>"
    "<script>alert(1)</script>"
    '<img src="x" onerror="alert(1)">'
    '<a href="javascript:alert(1)">js</a>'
    '<a href="  JaVaScRiPt:alert(1)">js2</a>'
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">data</a>'
    '<a href="https://example.org/" onclick="alert(1)" style="color:red">ok</a>'
    '<iframe src="https://evil.example/"></iframe>'
    '<p style="background:url(javascript:alert(1))" onmouseover="alert(1)">styled</p>'
    "<svg><script>alert(1)</script></svg>"
    '<object data="x.swf"></object><embed src="x.swf">'
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button>'
    "</form>"
    '<math><mi xlink:href="javascript:alert(1)">m</mi></math>'
    "<style>body {{ display: none }}</style>"
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'
    '<base href="https://evil.example/">'
)


def text_payloads(marker):
    """Payloads for a plain-text field, longest first: pick the first that fits."""
    return [
        f'{marker}"><script>alert("{marker}")</script><img src=x onerror=alert(1)>'
        f"<svg onload=alert(1)><a href='javascript:alert(1)'>a</a></textarea></title>"
        "\r\nURL:javascript:alert(1)\r\nX-INJECTED:1\r\nEND:VCARD",
        f'{marker}"><script>alert(1)</script><img src=x onerror=alert(1)>',
        f"{marker}<img src=x onerror=alert(1)>",
        f"{marker}'\"><svg onload=x>",
        f"{marker}<b onclick=x>",
        "<svg onload=x>",
        "<b onclick=x>",
        "<b>",
    ]


def payload_for(field, marker):
    if isinstance(field, models.EmailField):
        # A quoted local part may hold markup and is a valid address.
        return f'"<script>alert({marker})</script>"@example.org'
    if isinstance(field, models.URLField):
        return f"https://example.org/{marker}\"><script>alert(1)</script>'onmouseover='alert(1)"
    limit = field.max_length or 10_000
    return next(text for text in text_payloads(marker) if len(text) <= limit)


def text_columns(model):
    """(field, column) for every text column, translated columns in both languages."""
    try:
        translated = translator.get_options_for_model(model).fields
    except NotRegistered:
        translated = {}
    columns = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.choices:
            continue
        if field.name in translated or not field.editable:
            continue  # a translated field's real columns are its <name>_<language> fields
        columns.append((field, field.attname))
    return columns


class Injection:
    """Puts payloads into every object's text fields; remembers each marker's field."""

    def __init__(self):
        self.count = 0
        self.markers = {}  # "Model.column" -> [marker of each object]
        self.refused = set()

    def marker(self, label):
        self.count += 1
        marker = f"xss{self.count:03d}q"
        self.markers.setdefault(label, []).append(marker)
        return marker

    def inject(self, obj):
        model = type(obj)
        originals = {}
        for field, column in text_columns(model):
            label = f"{model.__name__}.{column}"
            originals[column] = getattr(obj, column)
            if isinstance(field, type(Report._meta.get_field("body"))):
                value = HOSTILE_BODY.format(marker=self.marker(label))
            else:
                value = payload_for(field, self.marker(label))
            setattr(obj, column, value)
        # What validation refuses keeps its value (as in the admin form).
        for _round in range(3):
            try:
                obj.full_clean(validate_unique=False, validate_constraints=False)
                break
            except ValidationError as error:
                for name in error.message_dict:
                    columns = [c for c in originals if c == name or c.startswith(f"{name}_")]
                    for column in columns:
                        setattr(obj, column, originals[column])
                        self.refused.add(f"{model.__name__}.{column}")
        obj.save()


@pytest.fixture
def hostile(demo):
    """The demo content with a payload in every text field of every object."""
    injection = Injection()
    for model in apps.get_app_config("forum").get_models():
        if model._meta.label in {
            "forum.ImportedRecord",
            "forum.SearchDocument",
            "forum.SearchTerm",
            "forum.ReportTransition",
        }:
            continue
        for obj in model._default_manager.order_by("pk"):
            injection.inject(obj)
    return injection


# --- Checks per kind of response -----------------------------------------------------------


def assert_html_is_inert(response, path):
    assert response["Content-Type"].startswith("text/html"), path
    problems = executable_markup(response.content.decode(), nonce=header_nonce(response))
    assert problems == [], path
    for block in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    ):
        json.loads(block)  # still valid JSON: nothing broke out of it


def assert_feed_is_inert(response, path):
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        text = element.text or ""
        if tag in {"description", "summary", "content"}:
            # Feed readers render these as HTML (RSS description; Atom type="html"): once
            # the XML is decoded, no markup may be left, only escaped text.
            assert executable_markup(text) == [], (path, tag, text)
            assert "<" not in text, (path, tag, text)
        elif tag in {"title", "name", "category", "subtitle"}:
            # Plain text by the specs (Atom: no type="html"): shown as it is.
            assert element.get("type") in (None, "text"), (path, tag)
        value = element.get("href")
        if value:
            assert urlsplit(value).scheme in {"http", "https"}, (path, value)


def assert_sitemap_is_inert(response):
    root = ET.fromstring(response.content)  # noqa: S314 (our own sitemap)
    urls = []
    for element in root.iter():
        if element.tag.endswith("}loc"):
            urls.append(element.text.strip())
        if element.get("href"):
            urls.append(element.get("href"))
    assert urls
    for url in urls:
        assert urlsplit(url).scheme in {"http", "https"}, url
        assert not re.search(r"[<>\"' ]", url), url


def assert_vcard_is_inert(response, path):
    assert response["Content-Type"].startswith("text/vcard"), path
    assert response["Content-Disposition"].startswith("attachment"), path
    assert response["X-Content-Type-Options"] == "nosniff"
    text = response.getvalue().decode()  # a list of cards is streamed: read it once
    assert_valid_vcards(text)  # hostile text stays inside its value
    for card in vobject.readComponents(io.StringIO(text)):
        names = {child.name.upper() for child in card.getChildren()}
        assert "X-INJECTED" not in names, path
        for url in card.contents.get("url", []):
            assert urlsplit(url.value).scheme in {"http", "https"}, (path, url.value)
    return text


def assert_calendar_is_inert(response, path):
    assert response["Content-Type"].startswith("text/calendar"), path
    assert response["X-Content-Type-Options"] == "nosniff"
    calendar = icalendar.Calendar.from_ical(response.content)
    for component in calendar.walk():
        assert "X-INJECTED" not in component, path
        for url in [component.get("URL")] if component.get("URL") else []:
            assert urlsplit(str(url)).scheme in {"http", "https"}, (path, url)


def assert_api_is_inert(client, path):
    response = client.get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, path
    assert response["Content-Type"] == "application/json"
    # <, > and & are \u escapes: no markup in the bytes at all.
    assert b"<" not in response.content and b">" not in response.content, path
    data = json.loads(response.content)
    for text in strings_in(data):
        if "<" in text and re.search(r"</?p>", text):  # rich text (a report's body)
            assert executable_markup(text) == [], (path, text)
    html = client.get(path, HTTP_ACCEPT="text/html")
    assert_html_is_inert(html, path)
    return response


def strings_in(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from strings_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_in(value)
    elif isinstance(data, str):
        yield data


# --- The tests ----------------------------------------------------------------------------


def test_rich_text_is_sanitised_on_save(hostile):
    for report in Report.objects.all():
        for code in languages.CODES:
            body = getattr(report, languages.column("body", code))
            assert executable_markup(body) == [], body
            assert "<script" not in body and "javascript:" not in body.lower()
            assert re.search(r"<p>xss\d+q body</p>", body)
            assert '<a href="https://example.org/"' in body


def test_validation_refuses_payloads_in_structured_fields(hostile):
    for column in ("slug", "mobile", "office_phone", "fax", "languages", "office_extension"):
        assert any(label.endswith(f".{column}") for label in hostile.refused), column
    assert "Report.slug_en" in hostile.refused
    assert "Person.slug" in hostile.refused


def public_paths():
    paths = []
    for language in languages.CODES:
        with translation.override(language):
            paths += [reverse("forum:home"), reverse("forum:about")]
            paths += [reverse("forum:report-list"), reverse("forum:person-list")]
            for edition in Edition.objects.published():
                paths += [
                    edition.get_absolute_url(),
                    reverse("forum:press", kwargs={"edition": edition.slug}),
                ]
            for session in Session.objects.published().select_related("edition"):
                paths.append(session.get_absolute_url())
            for person in Person.objects.published():
                paths.append(person.get_absolute_url())
            for report in Report.objects.published().in_language(language):
                paths.append(report.get_absolute_url())
    return paths


def test_no_public_page_runs_a_payload(client, hostile, page_text):
    shown = ""
    for path in public_paths():
        response = client.get(path)
        assert response.status_code == 200, path
        assert_html_is_inert(response, path)
        shown += page_text(response)
    # The payloads did reach the pages, as text.
    for label in (
        "Report.headline_en",
        "Report.headline_zh_hans",
        "Report.summary_en",
        "Report.body_zh_hans",
        "Person.family_name_en",
        "Person.biography_zh_hans",
        "Session.title_en",
        "Edition.theme_zh_hans",
        "Organisation.name_en",
        "Organisation.address_en",
        "MediaContact.name_en",
        "MediaContact.hours_zh_hans",
        "Forum.background_en",
        "SessionRole.printed_titles_en",
        "Speech.printed_title_zh_hans",
        "Position.title_en",
    ):
        assert any(marker in shown for marker in hostile.markers[label]), label
    assert '<script>alert("xss' in shown  # shown as text, escaped


def test_search_results_run_no_payload(client, hostile):
    report = Report.objects.published().in_language("en").order_by("pk").first()
    for language in languages.CODES:
        column = languages.column("headline", language)
        marker = getattr(report, column)[:7]
        with translation.override(language):
            path = f"{reverse('forum:search')}?q={marker}"
        response = client.get(path)
        assert response.status_code == 200
        assert_html_is_inert(response, path)
        assert marker in response.content.decode(), report


@pytest.mark.parametrize("language", languages.CODES)
@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_feeds_carry_no_payload(client, hostile, language, kind):
    with translation.override(language):
        path = reverse(f"forum:report-feed-{kind}")
    response = client.get(path)
    assert response.status_code == 200
    assert_feed_is_inert(response, path)
    # A derived language's text is its source's payload, converted (markers are ASCII).
    column = languages.column("headline", languages.origin(language))
    content = response.content.decode()
    assert any(marker in content for marker in hostile.markers[f"Report.{column}"])


def test_sitemap_carries_no_payload(client, hostile):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert_sitemap_is_inert(index)
    for path in ("/sitemap-reports.xml", "/sitemap-people.xml", "/sitemap-sessions.xml"):
        response = client.get(path)
        assert response.status_code == 200
        assert_sitemap_is_inert(response)


def test_vcards_carry_no_payload(client, hostile):
    paths = []
    for language in languages.CODES:
        with translation.override(language):
            paths += [contact.get_vcard_url() for contact in MediaContact.objects.public()]
            paths += [
                reverse("forum:press-vcards", kwargs={"edition": edition.slug})
                for edition in Edition.objects.published()
            ]
    assert paths
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        text = assert_vcard_is_inert(response, path)
    assert any(m in text for m in hostile.markers["MediaContact.name_en"])


def test_calendars_carry_no_payload(client, hostile):
    paths = []
    for language in languages.CODES:
        with translation.override(language):
            for edition in Edition.objects.published():
                paths.append(reverse("forum:edition-calendar", kwargs={"edition": edition.slug}))
            for session in Session.objects.published().select_related("edition"):
                paths.append(
                    reverse(
                        "forum:session-calendar",
                        kwargs={"edition": session.edition.slug, "slug": session.slug},
                    )
                )
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_calendar_is_inert(response, path)
    assert any(m in response.content.decode() for m in hostile.markers["Session.title_zh_hans"])


def test_api_carries_no_payload(client, hostile):
    listed = []
    for resource in ("editions", "sessions", "speeches", "people", "reports", "media-contacts"):
        response = assert_api_is_inert(client, f"/api/v1/{resource}/")
        listed.append(response.content.decode())
        for item in json.loads(response.content)["results"][:3]:
            key = item["slug"] if resource in ("editions", "people") else item["id"]
            assert_api_is_inert(client, f"/api/v1/{resource}/{key}/")
    everything = json.loads("[" + ",".join(listed) + "]")
    texts = " ".join(strings_in(everything))
    assert "<script>" in texts  # the data is the data: escaping is the writer's job
    assert any(marker in texts for marker in hostile.markers["Report.headline_en"])


def test_admin_pages_run_no_payload(client, hostile, superuser):
    client.force_login(superuser)
    paths = []
    for model_name in ("report", "person", "organisation", "mediacontact", "session", "edition"):
        paths.append(reverse(f"admin:forum_{model_name}_changelist"))
        model = apps.get_model("forum", model_name)
        paths.append(reverse(f"admin:forum_{model_name}_change", args=[model.objects.first().pk]))
    assert_admin_pages_are_inert(client, paths)


def assert_admin_pages_are_inert(client, paths, page_text=None):
    """Gets each admin page and checks it for executable markup; returns their text."""
    shown = ""
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        problems = executable_markup(
            response.content.decode(), nonce=header_nonce(response), allow_svg=True
        )
        assert problems == [], path
        shown += page_text(response) if page_text else ""
    return shown


def test_admin_public_view_of_contacts_runs_no_payload(client, hostile, page_text):
    """Roles without private press data get the contacts' public details, by other code."""
    reviewer = user_in(roles.REVIEWERS)
    client.force_login(reviewer)
    paths = [reverse("admin:forum_mediacontact_changelist")] + [
        reverse("admin:forum_mediacontact_change", args=[pk])
        for pk in MediaContact.objects.values_list("pk", flat=True)
    ]
    shown = assert_admin_pages_are_inert(client, paths, page_text)
    for label in ("MediaContact.job_title_en", "MediaContact.hours_en"):
        assert any(marker in shown for marker in hostile.markers[label]), label


def test_unlinked_byline_name_runs_no_payload(client, hostile, page_text):
    """A credited person who is not published is printed by name, without a link."""
    report = Report.objects.published().in_language("en").order_by("pk").first()
    report.published_byline = byline.snapshot(report)  # as publishing now would freeze it
    report.save(update_fields=["published_byline"])
    person = report.credits.order_by("order").first().person
    Person.objects.filter(pk=person.pk).update(is_published=False)
    markers = [
        marker
        for code in languages.EDITED
        for marker in hostile.markers[f"Person.{languages.column('family_name', code)}"]
    ]
    for language in languages.CODES:
        with translation.override(language):
            path = report.get_absolute_url()
        response = client.get(path)
        assert_html_is_inert(response, path)
        assert person.slug not in response.content.decode()
        assert any(marker in page_text(response) for marker in markers), path


def test_working_copy_is_sanitised_before_preview_and_publication(client, demo):
    editor = UserFactory(is_staff=True, is_superuser=True)
    report = Report.objects.published().first()
    report.body_en = HOSTILE_BODY.format(marker="xss900q")
    report.headline_en = '<script>alert("xss901q")</script>'
    workflow.report_save(report=report, user=editor, expected_version=report.version)
    report.refresh_from_db()
    assert executable_markup(report.pending_changes["body_en"]) == []

    client.force_login(editor)
    preview = client.get(reverse("forum:report-preview", kwargs={"pk": report.pk}))
    assert preview.status_code == 200
    assert_html_is_inert(preview, "preview")
    assert "xss900q" in preview.content.decode()
