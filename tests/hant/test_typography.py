"""Chinese typography: 「」 and 『』 in converted Traditional text where the Simplified
text has “” and ‘’, Chinese punctuation drawn by the Chinese font, and the error pages in
all three languages."""

import io
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from forum.core import scripts
from forum.models import Report
from tests.factories import ReportFactory
from tests.hant.test_pages import REPORT

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("他说“数据要素”很重要", "他說「數據要素」很重要"),
        ("“高校+人才+产业”", "「高校+人才+產業」"),  # Latin inside Chinese quotes too
        ("所谓‘东数西算’工程", "所謂『東數西算』工程"),
        ("“双千兆”与‘数据’", "「雙千兆」與『數據』"),
        # Latin-only text keeps its quotes and apostrophes
        ("He said “data” and ‘more’", "He said “data” and ‘more’"),
        # an apostrophe in an English word inside Chinese text stays
        ("the forum’s 论坛和 don’t", "the forum’s 論壇和 don’t"),
        ("Li’s ‘数据’", "Li’s 『數據』"),
    ],
)
def test_converted_text_takes_corner_quotation_marks(simplified, traditional):
    assert scripts.convert(simplified, "zh-hant") == traditional


def test_the_interface_conversion_uses_corner_marks_in_every_string():
    # an interface string is Chinese even when it holds only a placeholder
    assert scripts.convert("“%(title)s”", "zh-hant", interface=True) == "「%(title)s」"
    assert scripts.convert("“%(title)s”", "zh-hant") == "“%(title)s”"


def test_simplified_text_keeps_its_quotation_marks(db):
    report = ReportFactory(headline_zh_hans="“东数西算”工程", headline_en="“East Data” project")
    report.refresh_from_db()
    assert report.headline_zh_hans == "“东数西算”工程"
    assert report.headline_zh_hant == "「東數西算」工程"
    assert report.headline_en == "“East Data” project"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "simplified", "traditional"),
    [
        (REPORT, "“双千兆”", "「雙千兆」"),
        (REPORT, "“东数西算”", "「東數西算」"),
        ("about/", "“与世界对话，谋共同发展”", "「與世界對話，謀共同發展」"),
    ],
)
def test_traditional_page_shows_corner_marks_where_simplified_has_curly_quotes(
    client, demo, page_text, path, simplified, traditional
):
    simplified_page = page_text(client.get(f"/zh-hans/{path}"))
    traditional_page = page_text(client.get(f"/zh-hant/{path}"))
    assert simplified in simplified_page
    assert traditional in traditional_page
    assert not re.search("[“”‘’]", traditional_page)


def test_derive_translations_puts_corner_marks_into_existing_rows(db):
    """Rows converted before this rule take it with `manage.py derive_translations`."""
    report = ReportFactory(summary_zh_hans="“双千兆”网络")
    Report.objects.filter(pk=report.pk).update(summary_zh_hant="“雙千兆”網絡")
    call_command("derive_translations", stdout=io.StringIO())
    report.refresh_from_db()
    assert report.summary_zh_hant == "「雙千兆」網絡"


# ---- the Chinese font draws Chinese punctuation ---------------------------------------


def stylesheet():
    return Path(finders.find("css/site.css")).read_text(encoding="utf-8")


def declarations(css, selector):
    found = re.search(rf"(?m)^{re.escape(selector)}\s*\{{([^}}]*)\}}", css)
    assert found, selector
    return found.group(1)


@pytest.mark.parametrize(
    ("selector", "face"),
    [
        (":lang(zh)", "CJK Punctuation SC"),
        (".page-converted,\n.page-converted :lang(zh)", "CJK Punctuation TC"),
    ],
)
def test_chinese_font_stacks_start_with_the_punctuation_face(selector, face):
    css = stylesheet()
    rules = declarations(css, selector)
    for variable in ("--sans", "--serif"):
        stack = re.search(rf"{variable}:\s*([^;]+);", rules).group(1)
        assert stack.split(",")[0].strip() == f'"{face}"'
    # the face draws only the shared punctuation, from fonts already on the reader's device
    face_rule = re.search(rf'@font-face\s*\{{[^}}]*font-family:\s*"{face}";([^}}]*)\}}', css).group(
        1
    )
    assert "U+201C-201D" in face_rule and "U+2018-2019" in face_rule
    assert "url(" not in face_rule and "local(" in face_rule


# ---- error pages in the three languages ----------------------------------------------


@pytest.fixture
def error_urls(settings, client):
    settings.ROOT_URLCONF = "tests.hant.error_urls"
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status", "traditional", "simplified"),
    [
        ("/zh-hant/no-such-page/", 404, "找不到網頁", "页面未找到"),
        ("/zh-hant/forbidden/", 403, "無權瀏覽", "无权访问"),
    ],
)
def test_translated_error_pages_speak_the_pages_language(
    error_urls, page_text, path, status, traditional, simplified
):
    response = error_urls.get(path)
    assert response.status_code == status
    assert '<html lang="zh-Hant">' in response.content.decode()
    assert traditional in page_text(response)
    simplified_response = error_urls.get(path.replace("/zh-hant/", "/zh-hans/"))
    assert simplified in page_text(simplified_response)


def test_the_forbidden_page_in_english(error_urls, db, page_text):
    response = error_urls.get("/en/forbidden/")
    assert response.status_code == 403
    assert "Access refused" in page_text(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        (
            "/zh-hant/reports/?" + "&".join(f"p{n}=1" for n in range(1200)),
            400,
            ("Bad request", "请求无效", "請求無效"),
        ),
        ("/zh-hant/broken/", 500, ("Server error", "服务器错误", "伺服器錯誤")),
        (
            "/zh-hant/database-gone/",
            503,
            ("Temporarily unavailable", "暂时无法访问", "暫時無法瀏覽"),
        ),
    ],
)
def test_plain_error_pages_are_in_all_three_languages(error_urls, path, status, words):
    response = error_urls.get(path)
    assert response.status_code == status
    body = response.content.decode()
    for word in words:
        assert word in body
    assert 'lang="zh-Hant"' in body and 'href="/zh-hant/"' in body


def blocks(text, suffix):
    return dict(re.findall(rf"{{% block (\w+?)_{suffix} %}}(.*?){{% endblock %}}", text))


@pytest.mark.parametrize("name", ["error_page.html", "400.html", "500.html", "503.html"])
def test_plain_error_pages_traditional_text_is_the_interface_conversion(name):
    """The Traditional words of the static error pages are what derive_catalogues would
    make of the Simplified ones (the pages render with no catalogue)."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    simplified, traditional = blocks(text, "zh"), blocks(text, "hant")
    assert simplified and simplified.keys() == traditional.keys()
    overrides = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "zh_Hant" / "overrides.po"))
    terms = {entry.msgid: entry.msgstr for entry in overrides if entry.msgctxt == "conversion term"}
    for block, source in simplified.items():
        assert traditional[block] == scripts.convert(source, "zh-hant", terms, interface=True)


def test_traditional_content_writes_fa_bu_as_the_interface_does():
    """Taiwan's Ministry of Education form 發布 (OpenCC writes 發佈), in content too."""
    assert scripts.convert("天津发布了报告", "zh-hant") == "天津發布了報告"


def test_an_extension_is_written_fen_ji_in_traditional():
    from forum.core.phones import format_phone

    assert format_phone("+861064255855", "8014", "zh-hans").endswith("转 8014")
    assert format_phone("+861064255855", "8014", "zh-hant").endswith("分機 8014")
    assert format_phone("+861064255855", "8014", "en").endswith("ext. 8014")
