"""?language=<code> lists exactly what the site's pages in that language list, for every
list of the API: the sitemaps' pages (editions, sessions, people, reports), the speeches
on the session pages, the contacts on the press pages. A person or a contact known only
in Latin letters is on the Chinese pages, name as given: so in the Chinese lists too."""

import re
import xml.etree.ElementTree as ET

import pytest

from forum.models import MediaContact, Person, Report
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "zh-hans", "zh-hant")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "http://testserver"


@pytest.fixture
def site(demo):
    """The demo, plus a report in each written language only (the lists then differ by
    language), and a contact known only in Latin letters."""
    for code in ("en", "zh-hans"):
        report = ReportFactory(headline_en=f"Only {code}", headline_zh_hans=f"仅{code}")
        report.single_language = code
        report.save()
    contact = MediaContact.objects.public().first()
    contact.name_zh_hans = contact.name_zh_hant = ""
    contact.save()
    # The demo has people and contacts known only in Latin letters: what the API once left out.
    assert Person.objects.published().filter(family_name_zh_hans="").exists()
    assert MediaContact.objects.public().filter(name_zh_hans="").exists()
    return demo


def api_items(client, resource, **params):
    items, url, params = [], f"/api/v1/{resource}/", {"page_size": 100, **params}
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        items += response.json()["results"]
        url, params = response.json()["next"], {}
    return items


def sitemap_pages(client, section, code):
    """The addresses of a sitemap section's pages in the language."""
    index = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own output)
    found = set()
    for loc in index.iter(f"{SITEMAP}loc"):
        if not loc.text.startswith(f"{BASE}/sitemap-{section}.xml"):
            continue
        page = ET.fromstring(client.get(loc.text.removeprefix(BASE)).content)  # noqa: S314
        found |= {
            url.text for url in page.iter(f"{SITEMAP}loc") if url.text.startswith(f"{BASE}/{code}/")
        }
    return found


def on_pages(client, section, code, pattern):
    """{page address: ids the pattern finds on it} for every page of a sitemap section."""
    return {
        url: {int(found) for found in re.findall(pattern, client.get(url).content.decode())}
        for url in sitemap_pages(client, section, code)
    }


def by_address(client, resource, section, code):
    api = {item["url"][code] for item in api_items(client, resource, language=code)}
    return api, sitemap_pages(client, section, code)


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize(
    ("resource", "section"),
    [
        ("editions", "editions"),
        ("sessions", "sessions"),
        ("people", "people"),
        ("reports", "reports"),
    ],
)
def test_api_lists_the_pages_of_the_language(client, site, resource, section, code):
    api, pages = by_address(client, resource, section, code)
    assert pages
    assert api == pages


@pytest.mark.parametrize("code", LANGUAGES)
def test_api_lists_the_speeches_the_session_pages_show(client, site, code):
    shown = on_pages(client, "sessions", code, r'id="speech-(\d+)"')
    api = {item["id"] for item in api_items(client, "speeches", language=code)}
    assert set().union(*shown.values())
    assert api == set().union(*shown.values())


@pytest.mark.parametrize("code", LANGUAGES)
def test_api_lists_the_contacts_each_press_page_shows(client, site, code):
    pages = sitemap_pages(client, "press", code)
    assert pages
    everyone = set()
    for url in pages:
        response = client.get(url)
        shown = {contact.pk for contact in response.context["contacts"]}
        edition = response.context["object"].slug
        listed = api_items(client, "media-contacts", language=code, edition=edition)
        assert {item["id"] for item in listed} == shown
        everyone |= shown
    assert everyone
    assert {item["id"] for item in api_items(client, "media-contacts", language=code)} >= everyone


def test_every_list_of_the_api_is_compared_with_the_pages(client, db):
    """A new list in the API needs its comparison here."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    lists = {path.split("/")[3] for path in schema["paths"] if "{" not in path}
    assert lists == {"editions", "sessions", "people", "reports", "speeches", "media-contacts"}


def test_reports_in_one_language_are_listed_in_it_only(client, site):
    english = {item["id"] for item in api_items(client, "reports", language="en")}
    traditional = {item["id"] for item in api_items(client, "reports", language="zh-hant")}
    only = dict(
        Report.objects.filter(single_language__in=("en", "zh-hans")).values_list(
            "single_language", "pk"
        )
    )
    assert only["en"] in english - traditional
    assert only["zh-hans"] in traditional - english
