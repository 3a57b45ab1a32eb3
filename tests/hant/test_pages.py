"""The /zh-hant/ site of a fresh demo: every fact of the seed in Traditional characters,
no Simplified-only form, the switcher and hreflang across the three languages, and search
in either script."""

import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

import polib
import pytest
from django.conf import settings

from forum.core import scripts
from forum.hant import services
from forum.models import Report

pytestmark = pytest.mark.django_db

REPORT = "reports/li-wenhai-shuzihua-funeng-chanye-zhuanxing/"
ENGLISH_REPORT = "reports/li-wenhai-digital-empowerment-industrial-transformation/"
SESSION = "2024/sessions/digital-empowerment-industrial-transformation/"
PAGES = [
    "",
    "about/",
    "reports/",
    REPORT,
    "people/",
    "people/li-wenhai/",
    "people/zhang-junkuo/",
    "2024/",
    "2024/press/",
    SESSION,
    "search/?q=" + quote("數字"),
]
TAGS = {"en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}


class Page:
    """A response with its text marked in another language left out: the switcher names
    each language in itself (简体中文 is right on a Traditional page)."""

    def __init__(self, response):
        self.content = re.sub(
            rb'<(span|a)\b[^>]*\blang="(?!zh-Hant")[^"]*"[^>]*>.*?</\1>', b"", response.content
        )


def han_text(page_text, response):
    """The page's own visible text, Latin-only stretches left out (they do not convert)."""
    return " ".join(re.findall(r"[^\x00-\x7f]+", page_text(Page(response))))


@pytest.mark.parametrize("path", PAGES)
def test_traditional_page_writes_one_form_of_tai(client, demo, page_text, path):
    """台 and 臺 both on one page reads as careless (平台 beside 釣魚臺): the demo's pages
    write 臺 throughout, as the interface does."""
    text = han_text(page_text, client.get(f"/zh-hant/{path}"))
    assert "台" not in text


@pytest.mark.parametrize("path", PAGES)
def test_traditional_page_has_no_simplified_only_form(client, demo, page_text, path):
    response = client.get(f"/zh-hant/{path}")
    assert response.status_code == 200
    text = han_text(page_text, response)
    # The site's conversion; what the editors' term overrides wrote stays as written.
    written = {term: term for terms in services.terms().values() for term in terms.values()}
    converted = services.converted(text, "zh-hant", {"zh-hant": written})
    differences = [(a, b) for a, b in zip(text, converted, strict=True) if a != b]
    assert differences == []
    assert re.search(r'<html lang="zh-Hant">', response.content.decode())


@cache
def taiwan_interface_words():
    """{what the Traditional interface writes: what character conversion alone would},
    for the stretches of Han text of each interface string (搜尋: 搜索, 「: “)."""
    root = Path(settings.LOCALE_PATHS[0])
    source = {
        (entry.msgctxt, entry.msgid): entry
        for entry in polib.pofile(str(root / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    }
    found = {}
    for entry in polib.pofile(str(root / "zh_Hant" / "LC_MESSAGES" / "django.po")):
        simplified = source.get((entry.msgctxt, entry.msgid))
        if simplified is None:
            continue
        ours = [entry.msgstr, *entry.msgstr_plural.values()]
        theirs = [simplified.msgstr, *simplified.msgstr_plural.values()]
        for text, source_text in zip(ours, theirs, strict=True):
            pieces = re.split(r"[\x00-\x7f]+", text)
            plain = re.split(r"[\x00-\x7f]+", scripts.convert(source_text, "zh-hant"))
            if len(pieces) == len(plain):
                found.update({a: b for a, b in zip(pieces, plain, strict=True) if a and a != b})
    return found


def folded(text):
    """Han text in Simplified characters, with the interface's Taiwan words and corner
    quotation marks back to the source's: what is left to compare is the content."""
    words = taiwan_interface_words()
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, words[word])
    return scripts.fold(text.translate(str.maketrans("「」『』", "“”‘’")))


@pytest.mark.parametrize("path", PAGES)
def test_traditional_page_says_everything_the_simplified_page_says(client, demo, page_text, path):
    """Folded to one script, the two Chinese pages read the same: every fact of the seed
    is on the Traditional page (its interface in Taiwan's words, its quotation marks
    「」)."""
    simplified = han_text(page_text, client.get(f"/zh-hans/{path}"))
    traditional = han_text(page_text, client.get(f"/zh-hant/{path}"))
    assert folded(traditional) == scripts.fold(simplified)
    assert "數字化賦能" in traditional or path not in (REPORT, SESSION)


def test_report_reads_in_traditional(client, demo, page_text):
    text = page_text(client.get(f"/zh-hant/{REPORT}"))
    assert "李文海：數字化賦能產業轉型全面提速" in text
    assert "燈塔工廠" in text
    assert "天津市人民政府副市長" in text


def switcher_links(response):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', response.content.decode(), re.S)
    return dict(re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav.group()))


@pytest.mark.parametrize(
    "path", ["", REPORT, "people/li-wenhai/", SESSION, "2024/press/", "reports/"]
)
def test_switcher_leads_to_the_same_item_in_all_three_languages(client, demo, path):
    english_path = ENGLISH_REPORT if path == REPORT else path
    expected = {
        "en": f"/en/{english_path}",
        "zh-hans": f"/zh-hans/{path}",
        "zh-hant": f"/zh-hant/{path}",
    }
    for code, own in expected.items():
        links = switcher_links(client.get(own))
        others = {TAGS[other]: url for other, url in expected.items() if other != code}
        assert {tag: url for url, tag in links.items()} == others


def alternates(response):
    return dict(
        re.findall(
            r'<link rel="alternate" hreflang="([^"]+)" href="http://testserver([^"]+)"',
            response.content.decode(),
        )
    )


@pytest.mark.parametrize("path", ["", REPORT, "people/li-wenhai/", SESSION])
def test_hreflang_is_reciprocal_across_the_three_languages(client, demo, path):
    english_path = ENGLISH_REPORT if path == REPORT else path
    pages = [f"/en/{english_path}", f"/zh-hans/{path}", f"/zh-hant/{path}"]
    named = [alternates(client.get(page)) for page in pages]
    assert named[0] == named[1] == named[2]
    assert {tag: url for tag, url in named[0].items() if tag != "x-default"} == dict(
        zip(TAGS.values(), pages, strict=True)
    )


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
@pytest.mark.parametrize("query", ["數字", "數據", "燈塔工廠", "数字", "灯塔工厂"])
def test_a_query_in_either_script_puts_the_keynote_report_first(client, demo, language, query):
    report = Report.objects.get()
    response = client.get(f"/{language}/search/", {"q": query})
    results = response.context["results"]
    assert results.hits[0].object == report
    assert "<mark>" in str(results.hits[0].snippet)


def test_english_search_is_unaffected(client, demo):
    response = client.get("/en/search/", {"q": "computing power"})
    assert response.context["results"].hits[0].object == Report.objects.get()


def test_traditional_dates_and_feeds(client, demo, page_text):
    assert "2024年3月24日" in page_text(client.get("/zh-hant/2024/"))
    feed = client.get("/zh-hant/feeds/reports.atom").content.decode()
    assert "數字化賦能" in feed
    assert 'xml:lang="zh-hant"' in feed.lower() or "<language>zh-hant" in feed.lower()


def test_preview_shows_the_working_copy_converted(admin_client, demo, page_text):
    report = Report.objects.get()
    column = "headline_zh_hans"
    Report.objects.filter(pk=report.pk).update(pending_changes={column: "数据要素的新标题"})
    text = page_text(admin_client.get(f"/zh-hant/preview/reports/{report.pk}/"))
    assert "數據要素的新標題" in text
    # The public page keeps the live text until the working copy is published.
    assert "數據要素的新標題" not in page_text(admin_client.get(f"/zh-hant/{REPORT}"))
