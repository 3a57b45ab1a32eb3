"""Feeds, sitemap, robots.txt and the page head (canonical, hreflang, Open Graph)."""

import re
import xml.etree.ElementTree as ET

import pytest

from forum.models import Person, Report
from tests.factories import PersonFactory, ReportFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE = "http://testserver"
REPORT_PATH = {
    "en": "/en/reports/li-wenhai-digital-empowerment-industrial-transformation/",
    "zh-hans": "/zh-hans/reports/li-wenhai-shuzihua-funeng-chanye-zhuanxing/",
    "zh-hant": "/zh-hant/reports/li-wenhai-shuzihua-funeng-chanye-zhuanxing/",
}
LANGUAGES = ("en", "zh-hans", "zh-hant")
# hreflang as BCP 47 writes each language.
TAG = {"en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}
SESSION_PATH = "2024/sessions/digital-empowerment-industrial-transformation/"


def xml(response):
    return ET.fromstring(response.content)  # noqa: S314 (our own output)


def sitemap_files(client):
    """[(path, response)] of every file the sitemap index /sitemap.xml lists, in its order."""
    index = xml(client.get("/sitemap.xml"))
    paths = [loc.text.removeprefix(BASE) for loc in index.iter(f"{SITEMAP}loc")]
    return [(path, client.get(path)) for path in paths]


def sitemap_urls(client):
    """Every <url> element of every sitemap file."""
    return [
        url
        for _path, response in sitemap_files(client)
        for url in xml(response).iter(f"{SITEMAP}url")
    ]


def alternates(url):
    """{hreflang: href} of a sitemap <url>."""
    return {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}


def sitemap_entries(client):
    """{loc: {hreflang: href}} from all the sitemap files."""
    return {url.findtext(f"{SITEMAP}loc"): alternates(url) for url in sitemap_urls(client)}


def head_links(response):
    head = response.content.decode().split("</head>")[0]
    return {
        "locale_alternates": re.findall(
            r'<meta property="og:locale:alternate" content="([^"]*)">', head
        ),
        "canonical": re.findall(r'<link rel="canonical" href="([^"]+)">', head),
        "alternates": dict(
            re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head)
        ),
        "meta": dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', head)),
    }


# --- Feeds ------------------------------------------------------------------------------


def test_atom_feed_is_in_chinese_with_the_full_summary(client, demo):
    response = client.get("/zh-hans/feeds/reports.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = xml(response)
    assert feed.get(XML_LANG) == "zh-hans"
    [entry] = feed.findall(f"{ATOM}entry")
    report = Report.objects.get()
    assert entry.findtext(f"{ATOM}title") == report.headline_zh_hans
    assert entry.findtext(f"{ATOM}summary") == report.summary_zh_hans
    assert entry.find(f"{ATOM}link").get("href") == BASE + REPORT_PATH["zh-hans"]
    # The author's name is known only in Latin letters: named as given in Chinese too.
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Liu Changjie"
    assert entry.findtext(f"{ATOM}published") == "2024-03-25T10:00:00+00:00"


def test_rss_feed_is_in_english_with_the_full_summary(client, demo):
    response = client.get("/en/feeds/reports.rss")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = xml(response).find("channel")
    assert channel.findtext("language") == "en"
    [item] = channel.findall("item")
    assert item.findtext("title") == Report.objects.get().headline_en
    assert item.findtext("description") == Report.objects.get().summary_en
    assert item.findtext("link") == BASE + REPORT_PATH["en"]


@pytest.mark.parametrize(
    ("language_code", "name"),
    [
        ("en", "China Development Forum"),
        ("zh-hans", "中国发展高层论坛"),
        ("zh-hant", "中國發展高層論壇"),
    ],
)
def test_atom_feed_has_the_forum_as_author_for_entries_without_one(client, db, language_code, name):
    # No credit: the entry has no author of its own, and Atom then requires the feed's.
    ReportFactory()
    feed = xml(client.get(f"/{language_code}/feeds/reports.atom"))
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}author") is None
    assert [author.findtext(f"{ATOM}name") for author in feed.findall(f"{ATOM}author")] == [name]


def test_feed_item_ids_stay_when_a_slug_changes(client, db):
    report = ReportFactory()
    before = xml(client.get("/en/feeds/reports.atom")).findtext(f"{ATOM}entry/{ATOM}id")
    report.slug_en = "corrected-slug"
    report.save()
    after = xml(client.get("/en/feeds/reports.atom")).findtext(f"{ATOM}entry/{ATOM}id")
    assert before == after


def test_feeds_leave_out_unpublished_reports(client, db):
    ReportFactory(status=Report.Status.DRAFT, headline_en="Draft")
    ReportFactory(status=Report.Status.WITHDRAWN, headline_en="Withdrawn")
    published = ReportFactory(headline_en="Published")
    for path in ("/en/feeds/reports.atom", "/en/feeds/reports.rss"):
        text = client.get(path).content.decode()
        assert published.headline_en in text
        assert "Draft" not in text
        assert "Withdrawn" not in text


def test_feeds_leave_out_reports_not_in_their_language(client, db):
    report = ReportFactory(headline_en="English only", headline_zh_hans="仅英文")
    report.single_language = "en"
    report.save()
    assert "English only" in client.get("/en/feeds/reports.atom").content.decode()
    assert "仅英文" not in client.get("/zh-hans/feeds/reports.atom").content.decode()


@pytest.mark.parametrize("language_code", ["en", "zh-hans"])
def test_pages_announce_the_feeds(client, db, language_code):
    content = client.get(f"/{language_code}/").content.decode()
    assert 'type="application/atom+xml" title="' in content
    assert f'href="/{language_code}/feeds/reports.atom"' in content
    assert f'href="/{language_code}/feeds/reports.rss"' in content


# --- Sitemap and robots.txt -------------------------------------------------------------


def test_sitemap_lists_every_public_page_in_every_language(client, demo):
    entries = sitemap_entries(client)
    paths = ["", "about/", "reports/", "people/", "2024/", "2024/press/", SESSION_PATH]
    paths += [f"people/{slug}/" for slug in Person.objects.values_list("slug", flat=True)]
    for path in paths:
        for code in LANGUAGES:
            assert f"{BASE}/{code}/{path}" in entries, path
    for code in LANGUAGES:
        assert BASE + REPORT_PATH[code] in entries


def test_sitemap_entries_name_every_version_and_x_default(client, demo):
    entries = sitemap_entries(client)
    expected = {TAG[code]: BASE + REPORT_PATH[code] for code in LANGUAGES} | {
        "x-default": BASE + REPORT_PATH["en"]
    }
    for code in LANGUAGES:
        assert entries[BASE + REPORT_PATH[code]] == expected
    assert entries[f"{BASE}/zh-hant/{SESSION_PATH}"] == {
        TAG[code]: f"{BASE}/{code}/{SESSION_PATH}" for code in LANGUAGES
    } | {"x-default": f"{BASE}/en/{SESSION_PATH}"}


def test_sitemap_leaves_out_a_language_a_report_lacks(client, db):
    report = ReportFactory(slug_en="only-in-chinese", slug_zh_hans="zhi-you-zhongwen")
    report.single_language = "zh-hans"
    report.save()
    entries = sitemap_entries(client)
    assert f"{BASE}/en/reports/only-in-chinese/" not in entries
    # Published in Simplified only: also in Traditional, converted.
    assert entries[f"{BASE}/zh-hans/reports/zhi-you-zhongwen/"] == {
        "zh-Hans": f"{BASE}/zh-hans/reports/zhi-you-zhongwen/",
        "zh-Hant": f"{BASE}/zh-hant/reports/zhi-you-zhongwen/",
        "x-default": f"{BASE}/zh-hans/reports/zhi-you-zhongwen/",
    }


def test_sitemap_leaves_out_unpublished_content(client, db):
    ReportFactory(status=Report.Status.DRAFT, slug_en="a-draft")
    PersonFactory(slug="hidden-person", is_published=False)
    text = "".join(response.content.decode() for _path, response in sitemap_files(client))
    assert "a-draft" not in text
    assert "hidden-person" not in text


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    # Search results are crawled and say noindex (tests/discovery/test_robots_noindex.py).
    assert "Disallow: /zh-hans/search/" not in lines


# --- The page head ----------------------------------------------------------------------


@pytest.mark.parametrize("language_code", LANGUAGES)
def test_report_page_has_canonical_and_every_alternate(client, demo, language_code):
    links = head_links(client.get(REPORT_PATH[language_code]))
    assert links["canonical"] == [BASE + REPORT_PATH[language_code]]
    assert links["alternates"] == {TAG[code]: BASE + REPORT_PATH[code] for code in LANGUAGES} | {
        "x-default": BASE + REPORT_PATH["en"]
    }


@pytest.mark.parametrize(
    "path", ["", "about/", "reports/", "people/", "2024/", "2024/press/", SESSION_PATH]
)
def test_every_page_has_canonical_and_alternates(client, demo, path):
    links = head_links(client.get(f"/zh-hans/{path}"))
    assert links["canonical"] == [f"{BASE}/zh-hans/{path}"]
    assert links["alternates"] == {TAG[code]: f"{BASE}/{code}/{path}" for code in LANGUAGES} | {
        "x-default": f"{BASE}/en/{path}"
    }


def test_single_language_report_names_only_its_language(client, db):
    report = ReportFactory(slug_en="english-only")
    report.single_language = "en"
    report.save()
    links = head_links(client.get("/en/reports/english-only/"))
    assert set(links["alternates"]) == {"en", "x-default"}


def test_list_page_two_is_its_own_canonical(client, db):
    ReportFactory.create_batch(21)
    links = head_links(client.get("/en/reports/?page=2&utm_source=x"))
    assert links["canonical"] == [f"{BASE}/en/reports/?page=2"]


def test_open_graph_and_twitter_tags_in_the_page_language(client, demo):
    meta = head_links(client.get(REPORT_PATH["zh-hans"]))["meta"]
    report = Report.objects.get()
    assert meta["og:title"] == report.headline_zh_hans
    assert meta["og:description"] == report.summary_zh_hans
    assert meta["og:type"] == "article"
    assert meta["og:locale"] == "zh_CN"
    assert head_links(client.get(REPORT_PATH["zh-hans"]))["locale_alternates"] == [
        "en_GB",
        "zh_TW",
    ]
    assert meta["og:url"] == BASE + REPORT_PATH["zh-hans"]
    assert meta["twitter:title"] == report.headline_zh_hans
    # No image of its own: the edition's share image (tests/discovery/test_share_image.py).
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["article:published_time"] == "2024-03-25T18:00:00+08:00"


def test_error_page_has_no_canonical(client, db):
    response = client.get("/en/reports/no-such-report/")
    assert response.status_code == 404
    assert head_links(response)["canonical"] == []
