"""Canonical and hreflang links across the whole public site, found as a crawler finds them.

Starting at the three home pages (and at the addresses a reader may come with: a search, the
other language's address of a single-language report), every internal link is followed
within the public site. On every HTML page that answers 200:

- exactly one canonical link, naming the page itself (its ?q= and ?page=N included);
- an indexed page names an alternate for each language it exists in, itself among them,
  plus x-default; each alternate answers 200 and names the same alternates back
  (reciprocity, with the same ?page=N); in a language it does not name, the page does not
  exist (404, or a notice that is not indexed);
- a page that is not indexed (search results, the notice) names no alternates;
- no link, language switcher included, leads to a page that does not exist.

The site is the demo plus enough rows for several pages of every list: more reports in
English than in Chinese (English-only reports, one of them with a Chinese slug of its
own), so the English list has a page the Chinese one has not.
"""

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from forum.models import Edition
from tests.conftest import load_demo
from tests.factories import MediaContactFactory, PersonFactory, ReportFactory

# Each test in a transaction of its own inside the module's (see bulky_site).
pytestmark = pytest.mark.django_db

BASE = "http://testserver"
PREFIXES = ("/en/", "/zh-hans/", "/zh-hant/")
# The hreflang of each prefix's pages (BCP 47).
LANGUAGE_OF_PREFIX = {"/en/": "en", "/zh-hans/": "zh-Hans", "/zh-hant/": "zh-Hant"}
MAX_PAGES = 1000
# Not pages: feeds, calendars and vCards (their own tests), and staff previews.
NOT_PAGES = (".atom", ".rss", ".ics", ".vcf", "/preview/")
ENGLISH_ONLY = "/en/reports/english-only-report/"
ENGLISH_ONLY_IN_CHINESE = "/zh-hans/reports/zhi-you-yingwen/"
CHINESE_ONLY = "/zh-hans/reports/zhi-you-zhongwen/"
CHINESE_ONLY_IN_ENGLISH = "/en/reports/only-in-chinese/"
STARTS = [
    "/en/",
    "/zh-hans/",
    "/zh-hant/",
    ENGLISH_ONLY_IN_CHINESE,
    CHINESE_ONLY_IN_ENGLISH,
    "/en/search/?q=report",
    "/zh-hans/search/?q=%E6%8A%A5%E9%81%93",  # 报道
]


class Head(HTMLParser):
    """The links and robots meta of a page, and every <a href> in it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.canonical, self.alternates, self.links, self.robots = [], {}, [], ""
        self.hreflang_pairs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = attrs.get("rel", "")
        if tag == "link" and rel == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "link" and rel == "alternate" and "hreflang" in attrs:
            self.hreflang_pairs.append((attrs["hreflang"], attrs["href"]))
            self.alternates[attrs["hreflang"]] = attrs["href"]
        elif tag == "meta" and attrs.get("name") == "robots":
            self.robots = attrs.get("content", "")
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def parse(response):
    head = Head()
    head.feed(response.content.decode())
    return head


def address(url):
    """(path, {query parameter: value}): the same page however the link spells it."""
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    if params.get("page") == "1":
        del params["page"]
    return parts.path, params


def is_public_page(url):
    path = urlsplit(url).path
    return path.startswith(PREFIXES) and not any(part in path for part in NOT_PAGES)


class Crawler:
    def __init__(self, client):
        self.client = client
        self.responses = {}  # url -> response
        self.linked_from = {}  # url -> the first page linking to it

    def get(self, url):
        if url not in self.responses:
            self.responses[url] = self.client.get(url)
        return self.responses[url]

    def crawl(self, starts):
        queue = list(starts)
        seen = set(queue)
        while queue and len(self.responses) < MAX_PAGES:
            url = queue.pop(0)
            response = self.get(url)
            if response.status_code != 200 or not is_html(response):
                continue
            for href in parse(response).links:
                target = urldefrag(urljoin(url, href)).url.removeprefix(BASE)
                if is_public_page(target) and target not in seen:
                    seen.add(target)
                    self.linked_from[target] = url
                    queue.append(target)
        return [url for url in seen if url in self.responses]


def is_html(response):
    return response["Content-Type"].startswith("text/html")


def html_pages(crawler, pages):
    """{url: Head} of the crawled pages that are HTML and answer 200."""
    return {
        url: parse(crawler.responses[url])
        for url in pages
        if crawler.responses[url].status_code == 200 and is_html(crawler.responses[url])
    }


@pytest.fixture(scope="module")
def bulky_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo plus lists of several pages; 42 reports in English, 40 in Chinese.

    Built once for this module, whose tests only read it (a crawl takes most of a minute),
    in a transaction rolled back after the last of them.
    """
    media = tmp_path_factory.mktemp("media")  # the share images are drawn here
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        translation.override("en"),
        transaction.atomic(),
    ):
        load_demo("--no-accounts")
        edition = Edition.objects.get()
        ReportFactory.create_batch(38, edition=edition)  # with the demo's: 39 in both
        ReportFactory(
            edition=edition,
            slug_en=ENGLISH_ONLY.split("/")[-2],
            slug_zh_hans=ENGLISH_ONLY_IN_CHINESE.split("/")[-2],
            single_language="en",
        )
        ReportFactory.create_batch(2, edition=edition, slug_zh_hans=None)  # no Chinese at all
        ReportFactory(
            edition=edition,
            slug_en=CHINESE_ONLY_IN_ENGLISH.split("/")[-2],
            slug_zh_hans=CHINESE_ONLY.split("/")[-2],
            single_language="zh-hans",
        )
        PersonFactory.create_batch(55)
        for contact in MediaContactFactory.create_batch(55):
            contact.editions.add(edition)
        try:
            yield edition
        finally:
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def crawl(bulky_site):
    crawler = Crawler(Client())
    pages = crawler.crawl(STARTS)
    return crawler, pages


def test_crawl_reaches_every_kind_of_page(crawl):
    crawler, pages = crawl
    paths = {urlsplit(url).path for url in pages}
    expected = {
        "/en/reports/",
        "/zh-hans/people/",
        "/en/2024/press/",
        "/zh-hans/2024/",
        "/en/about/",
        "/en/search/",
        ENGLISH_ONLY,
        CHINESE_ONLY,
    }
    assert expected <= paths
    assert {"/en/reports/?page=3", "/zh-hans/reports/?page=2", "/en/people/?page=2"} <= set(pages)
    assert "/en/2024/press/?page=2" in pages
    assert "/zh-hant/reports/zhi-you-zhongwen/" in paths  # Simplified only is Traditional too
    assert 300 < len(pages) < MAX_PAGES


def test_crawl_finds_no_link_to_a_missing_page(crawl):
    crawler, pages = crawl
    broken = {
        url: crawler.linked_from.get(url)
        for url in pages
        if crawler.responses[url].status_code != 200
    }
    assert broken == {}


def test_crawled_pages_have_one_canonical_naming_themselves(crawl):
    crawler, pages = crawl
    wrong = {
        url: head.canonical
        for url, head in html_pages(crawler, pages).items()
        if len(head.canonical) != 1 or address(head.canonical[0].removeprefix(BASE)) != address(url)
    }
    assert wrong == {}


def test_indexed_pages_name_reciprocal_alternates(crawl):
    crawler, pages = crawl
    indexed = {url: head for url, head in html_pages(crawler, pages).items() if not head.robots}
    problems = {url: alternates_problem(crawler, url, head) for url, head in indexed.items()}
    assert {url: problem for url, problem in problems.items() if problem} == {}
    assert len(indexed) > 300


def alternates_problem(crawler, url, head):
    """What is wrong with a page's hreflang links, or None."""
    alternates = head.alternates
    if len(head.hreflang_pairs) != len(alternates):
        return f"repeated hreflang: {head.hreflang_pairs}"
    own_language = LANGUAGE_OF_PREFIX[next(p for p in PREFIXES if url.startswith(p))]
    languages = set(alternates) - {"x-default"}
    if "x-default" not in alternates or own_language not in languages:
        return f"missing x-default or own language: {alternates}"
    if address(alternates[own_language].removeprefix(BASE)) != address(url):
        return f"own language names another page: {alternates}"
    if alternates["x-default"] not in {alternates[code] for code in languages}:
        return f"x-default is none of the versions: {alternates}"
    for code, href in alternates.items():
        other = crawler.get(href.removeprefix(BASE))
        if other.status_code != 200:
            return f"{code} alternate {href} answers {other.status_code}"
        back = parse(other)
        if back.robots or back.alternates != alternates:
            return f"{href} does not name the same alternates back: {back.alternates}"
    for prefix, code in LANGUAGE_OF_PREFIX.items():
        if code in languages:
            continue
        elsewhere = crawler.get(prefix + url.split("/", 2)[2])
        if elsewhere.status_code == 200 and not parse(elsewhere).robots:
            return f"an indexed {code} version exists but is not named: {alternates}"
    return None


def test_pages_not_indexed_name_no_alternates(crawl):
    crawler, pages = crawl
    unindexed = {url: head for url, head in html_pages(crawler, pages).items() if head.robots}
    assert {ENGLISH_ONLY_IN_CHINESE, CHINESE_ONLY_IN_ENGLISH} <= set(unindexed)
    assert any(urlsplit(url).path == "/zh-hans/search/" for url in unindexed)
    assert {url: head.alternates for url, head in unindexed.items() if head.alternates} == {}


def test_single_language_report_switcher_leads_to_the_report(client, bulky_site):
    notice = parse(client.get(ENGLISH_ONLY_IN_CHINESE))
    assert ENGLISH_ONLY in notice.links
    assert "/en/reports/zhi-you-yingwen/" not in notice.links  # the 404 it used to lead to
    english = parse(client.get(ENGLISH_ONLY))
    assert english.alternates == {"en": BASE + ENGLISH_ONLY, "x-default": BASE + ENGLISH_ONLY}
    assert not any(link.startswith("/zh-hans/reports/") for link in english.links)


def test_list_page_only_in_one_language_names_that_language(client, bulky_site):
    assert client.get("/zh-hans/reports/?page=3").status_code == 404
    page = parse(client.get("/en/reports/?page=3"))
    assert page.alternates == {
        "en": f"{BASE}/en/reports/?page=3",
        "x-default": f"{BASE}/en/reports/?page=3",
    }
    # The switcher leads to the Chinese list rather than to a page it does not have.
    assert "/zh-hans/reports/" in page.links


def test_list_page_in_every_language_names_every_one(client, bulky_site):
    page = parse(client.get("/zh-hans/people/?page=2"))
    assert page.canonical == [f"{BASE}/zh-hans/people/?page=2"]
    assert page.alternates == {
        "en": f"{BASE}/en/people/?page=2",
        "zh-Hans": f"{BASE}/zh-hans/people/?page=2",
        "zh-Hant": f"{BASE}/zh-hant/people/?page=2",
        "x-default": f"{BASE}/en/people/?page=2",
    }
    assert "/en/people/?page=2" in page.links  # the switcher keeps the page


def test_search_page_is_its_own_canonical_and_names_no_alternates(client, bulky_site):
    page = parse(client.get("/en/search/?q=report&page=2&utm_source=x"))
    assert page.robots == "noindex, follow"
    assert page.canonical == [f"{BASE}/en/search/?q=report&page=2"]
    assert page.alternates == {}
    # The switcher leads to the same search in Chinese, from its first page.
    assert "/zh-hans/search/?q=report" in page.links
