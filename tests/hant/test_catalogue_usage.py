"""The Traditional interface catalogue reads as Taiwan writes: Taiwan's words, one form of
發布 and of 臺, corner quotation marks; and it is what derive_catalogues makes of the
Simplified catalogue and overrides.po (no hand edits of the generated file)."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from forum.management.commands.derive_catalogues import (
    DOMAINS,
    app_catalogues,
    derive_catalogue,
    own_catalogues,
)

LOCALE = Path(settings.LOCALE_PATHS[0])
HANT = LOCALE / "zh_Hant"

# Mainland interface words, as OpenCC's character conversion (s2tw) writes them, and
# Taiwan's: a Traditional reader in Taiwan meets the second. 文件 is left out: it is
# "document" in Taiwan too (only the folder, 文件夾, is 資料夾). 程序 and 設置 are words in
# Taiwan too (a procedure, to set up a body): a string that needs that sense is the
# exception to make here, not a reason to drop the check.
MAINLAND = {
    "搜索": "搜尋",
    "添加到日曆": "加入行事曆",
    "數據庫": "資料庫",
    "數據": "資料",
    "軟件": "軟體",
    "服務器": "伺服器",
    "信息": "資訊",
    "網絡": "網路",
    "聯繫": "聯絡",
    "默認": "預設",
    "文件夾": "資料夾",
    "用戶": "使用者",
    "登錄": "登入",
    "視頻": "影片",
    "鏈接": "連結",
    "設置": "設定",
    "程序": "程式",
    "打印": "列印",
    "菜單": "選單",
    "窗口": "視窗",
    "界面": "介面",
    "字段": "欄位",
    "字符": "字元",
    "導入": "匯入",
    "導出": "匯出",
    "創建": "建立",
    "保存": "儲存",
    "打開": "開啟",
    "發佈": "發布",
    "賬號": "帳號",
    "回收站": "回收筒",
    # OpenCC's Taiwan phrases (s2twp) go too far here: an audit, a programming type,
    # projects, a licence, source code.
    "稽核": "審核",
    "型別": "類型",
    "專案": "項目",
    "許可權": "權限",
    "程式碼": "代碼",
    # What OpenCC leaves as the mainland writes it, and the apps' own Traditional
    # catalogues' mainland words (Django's admin: 當前主題).
    "當前": "目前",
    "拼寫": "拼字",
    "關鍵詞": "關鍵字",
    "普通話": "國語",
    "郵編": "郵遞區號",
    "單擊": "按一下",
    "選中": "選取",
    "條記錄": "筆記錄",
    "條結果": "筆結果",
}
# Records and results counted with 條 after a count ("共%(counter)s條", "{}條記錄"):
# Taiwan counts them with 筆.
COUNTED_WITH_TIAO = re.compile(r"(?:%\(\w+\)[sd]|\{\}|多|第一)\s*條")


def compiled(domain):
    return [
        entry for entry in polib.mofile(str(HANT / "LC_MESSAGES" / f"{domain}.mo")) if entry.msgid
    ]


def texts(entries):
    for entry in entries:
        yield from [entry.msgstr, *entry.msgstr_plural.values()]


@pytest.fixture(scope="module")
def interface():
    """Every translation of the compiled Traditional catalogues, as pages read them."""
    return [text for domain in DOMAINS for text in texts(compiled(domain)) if text]


def test_the_interface_has_no_mainland_word(interface):
    found = {
        word: [text for text in interface if word in text][:3]
        for word in MAINLAND
        if any(word in text for text in interface)
    }
    assert found == {}


def test_records_and_results_are_counted_with_bi(interface):
    assert [text for text in interface if COUNTED_WITH_TIAO.search(text)] == []
    assert any("共%(counter)s筆" in text for text in interface)


def test_the_spoken_language_mandarin_is_guoyu():
    """The spoken-language choices on Traditional pages: Taiwan's 國語, not 普通話."""
    catalogue = {entry.msgid: entry.msgstr for entry in compiled(DOMAINS[0])}
    assert catalogue["Chinese (Mandarin)"] == "中文（國語）"


@pytest.mark.parametrize("forms", [("發布", "發佈"), ("臺", "台"), ("公布", "公佈")])
def test_one_form_of_each_variant_throughout(interface, forms):
    used = [form for form in forms if any(form in text for text in interface)]
    assert len(used) <= 1, used
    assert used == [forms[0]] or not used


def test_taiwan_words_are_there(interface):
    for word in ("搜尋", "加入行事曆", "聯絡", "資訊", "發布", "使用者", "登入", "連結"):
        assert any(word in text for text in interface), word


def test_quotation_marks_are_corner_brackets(interface):
    assert [text for text in interface if re.search("[“”‘’]", text)] == []
    assert any("「%(query)s」" in text for text in interface)


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalogue_is_what_the_derivation_makes(domain):
    """Corrections live in overrides.po: the committed catalogue is the command's output."""
    derived, _ = derive_catalogue(
        LOCALE / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po",
        HANT / "overrides.po",
        "zh-hant",
        add_missing=domain == DOMAINS[0],
        app_sources=app_catalogues("zh-hant", domain),
        app_own=own_catalogues("zh-hant", domain),
    )
    committed = polib.pofile(str(HANT / "LC_MESSAGES" / f"{domain}.po"))

    def table(catalogue):
        return {
            (entry.msgctxt, entry.msgid): (entry.msgstr, entry.msgstr_plural)
            for entry in catalogue
            if not entry.obsolete
        }

    assert table(committed) == table(derived)
    compiled_table = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural[0]
        for entry in compiled(domain)
    }
    assert all(
        compiled_table.get(key) == (msgstr or plural.get(0))
        for key, (msgstr, plural) in table(derived).items()
        if msgstr or plural
    ), "compile the catalogue again (compilemessages)"


SOURCE = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Search for “%(query)s”"
msgstr "搜索“%(query)s”"

msgid "Add to calendar"
msgstr "添加到日历"

msgid "Publish"
msgstr "发布"

msgid "Reviewer"
msgstr "审核人"

msgid "Save"
msgstr "保存"
"""

OVERRIDES = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "conversion term"
msgid "发布"
msgstr "發布"

msgctxt "conversion term"
msgid "审核"
msgstr "審核"

msgctxt "conversion term"
msgid "添加到"
msgstr "加入"

msgctxt "conversion term"
msgid "日历"
msgstr "行事曆"

msgid "Save"
msgstr "存檔"
"""


def test_interface_conversion_uses_taiwan_words_terms_and_overrides(tmp_path):
    (tmp_path / "source.po").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "overrides.po").write_text(OVERRIDES, encoding="utf-8")
    derived, missing = derive_catalogue(
        tmp_path / "source.po", tmp_path / "overrides.po", "zh-hant"
    )
    assert {entry.msgid: entry.msgstr for entry in derived} == {
        "Search for “%(query)s”": "搜尋「%(query)s」",  # s2twp, corner quotes
        "Add to calendar": "加入行事曆",  # terms
        "Publish": "發布",  # a term, not OpenCC's 釋出
        "Reviewer": "審核人",  # not s2twp's 稽核
        "Save": "存檔",  # a message override wins
    }
    # Terms are not messages: nothing of theirs is added to the catalogue.
    assert missing == []
