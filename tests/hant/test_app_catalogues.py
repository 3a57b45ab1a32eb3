"""The Traditional admin has no English and no mainland words left from installed apps:
apps with a Simplified catalogue and no Traditional one (django-import-export,
django-reversion) are converted into the derived catalogue, apps' own Traditional
wording is corrected by the app catalogue terms, and roles, labels and the admin's
language switcher read as a Chinese reader expects."""

from html.parser import HTMLParser

import polib
import pytest
from django.urls import reverse
from django.utils import translation

from forum.core import languages
from forum.management.commands.derive_catalogues import (
    DOMAINS,
    app_catalogues,
    derive_catalogue,
    own_catalogues,
)
from forum.models import MediaContact, Organisation, Position
from forum.models.choices import RoleAtSession
from tests.factories import MediaContactFactory

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {}\\n"\n'
)

OURS = (
    HEADER.format("nplurals=1; plural=0;")
    + """
msgid "Save"
msgstr "保存"
"""
)

APP = (
    HEADER.format("nplurals=2; plural=(n != 1);")
    + """
msgid "Export"
msgstr "导出"

msgid "Save"
msgstr "存盘"

msgctxt "button"
msgid "Recover"
msgstr "恢复"

msgid "%(count)s row"
msgid_plural "%(count)s rows"
msgstr[0] "%(count)s 行数据"
msgstr[1] "%(count)s 行数据"

msgid "Check the spelling"
msgstr "检查拼写"

msgid "Not translated"
msgstr ""

#, fuzzy
msgid "Guessed"
msgstr "猜测"

#~ msgid "Gone"
#~ msgstr "已删除"
"""
)

OVERRIDES = (
    HEADER.format("nplurals=1; plural=0;")
    + """
msgctxt "conversion term"
msgid "拼写"
msgstr "拼字"

msgctxt "app catalogue term"
msgid "當前"
msgstr "目前"

msgctxt "app catalogue term"
msgid "删除"
msgstr "刪除"

msgctxt "button"
msgid "Recover"
msgstr "救回"
"""
)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def own_catalogue(path, messages):
    """A compiled Traditional catalogue of an app, as apps ship them."""
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr in messages.items():
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    catalogue.save_as_mofile(str(path))
    return path


def test_an_apps_simplified_messages_are_converted_into_the_derived_catalogue(tmp_path):
    derived, missing = derive_catalogue(
        write(tmp_path / "django.po", OURS),
        write(tmp_path / "overrides.po", OVERRIDES),
        "zh-hant",
        app_sources=[("someapp", write(tmp_path / "app.po", APP))],
    )
    table = {(entry.msgctxt, entry.msgid): entry for entry in derived}
    assert table[(None, "Export")].msgstr == "匯出"  # the interface's conversion
    assert table[(None, "Save")].msgstr == "儲存"  # ours, not the app's 存盘
    assert table[("button", "Recover")].msgstr == "救回"  # a reviewed override, in context
    assert table[(None, "Check the spelling")].msgstr == "檢查拼字"  # the terms apply
    plural = table[(None, "%(count)s row")]
    assert plural.msgid_plural == "%(count)s rows"
    # One form, as the derived catalogue declares, though the app declared two.
    assert plural.msgstr_plural == {0: "%(count)s 行資料"}
    # What the app's catalogue does not serve is not taken.
    for msgid in ("Not translated", "Guessed", "Gone"):
        assert (None, msgid) not in table
    assert missing == []


def test_an_apps_own_traditional_messages_take_the_interfaces_words(tmp_path):
    app = own_catalogue(
        tmp_path / "app.mo",
        {
            "Toggle theme (current theme: dark)": "切換主題（當前主題:深色）",
            "Deleted “%(name)s”": "成功删除了“%(name)s”",
            "Home": "首頁",
            "Save": "保存",
        },
    )
    derived, _ = derive_catalogue(
        write(tmp_path / "django.po", OURS),
        write(tmp_path / "overrides.po", OVERRIDES),
        "zh-hant",
        app_own=[("admin", app)],
    )
    table = {entry.msgid: entry.msgstr for entry in derived}
    assert table == {
        "Save": "儲存",  # ours
        "Toggle theme (current theme: dark)": "切換主題（目前主題:深色）",
        "Deleted “%(name)s”": "成功刪除了「%(name)s」",
        # 首頁 is left to the app's catalogue.
    }


def test_the_apps_with_no_traditional_catalogue_are_found():
    derived = {label for label, _ in app_catalogues("zh-hant", DOMAINS[0])}
    assert {"reversion", "import_export"} <= derived
    # Django's admin and auth have their own Traditional catalogues: corrected, not derived.
    assert not derived & {"admin", "auth", "contenttypes"}
    own = [label for label, _ in own_catalogues("zh-hant", DOMAINS[0])]
    assert {"admin", "auth"} <= set(own)
    assert own[-1] == "django"  # Django's own catalogue is consulted last, as Django does


@pytest.mark.parametrize(
    "msgid, traditional",
    [
        ("Export", "匯出"),
        ("Export selected %(verbose_name_plural)s", "匯出選取的 %(verbose_name_plural)s"),
        ("Recover deleted %(name)s", "恢復已刪除的 %(name)s"),
        ("Toggle theme (current theme: auto)", "切換主題（目前主題:自動）"),
        ("Postal code", "郵遞區號"),
    ],
)
def test_django_shows_the_derived_wording_on_traditional_pages(msgid, traditional):
    with translation.override("zh-hant"):
        assert translation.gettext(msgid) == traditional


class Buttons(HTMLParser):
    """The buttons of the admin's language switcher: [(lang, text)]."""

    def __init__(self):
        super().__init__()
        self.in_switcher = False
        self.lang = None
        self.buttons = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "admin-language" in (attrs.get("class") or ""):
            self.in_switcher = True
        elif tag == "button" and self.in_switcher:
            self.lang = attrs.get("lang")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_switcher = False
        elif tag == "button":
            self.lang = None

    def handle_data(self, data):
        if self.lang and data.strip():
            self.buttons.append((self.lang, data.strip()))


def autonyms():
    names = {}
    for language in languages.LANGUAGES:
        with translation.override(language.code):
            names[language.code] = (language.tag, str(language.name))
    return names


@pytest.mark.django_db
@pytest.mark.parametrize("code", languages.CODES)
def test_the_admin_switcher_names_each_language_in_itself(admin_client, settings, code):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    response = admin_client.get(reverse("admin:index"))
    parser = Buttons()
    parser.feed(response.content.decode())
    names = autonyms()
    assert parser.buttons == [names[other] for other in languages.others(code)]
    assert ("zh-Hans", "简体中文") in names.values()
    assert ("zh-Hant", "繁體中文") in names.values()


@pytest.mark.django_db
def test_the_traditional_media_contact_list_has_no_english_actions(admin_client, settings):
    MediaContactFactory()
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    response = admin_client.get(reverse("admin:forum_mediacontact_changelist"))
    content = response.content.decode()
    assert response.status_code == 200
    for english in ("Export", "Recover deleted", "Import"):
        assert f">{english}" not in content
    assert "匯出" in content
    assert "恢復已刪除的" in content


def role_labels(code):
    with translation.override(code):
        return [str(label) for label in RoleAtSession.labels]


@pytest.mark.parametrize("code", [code for code in languages.CODES if languages.writes_han(code)])
def test_each_session_role_has_its_own_chinese_name(code):
    labels = role_labels(code)
    assert len(set(labels)) == len(labels), labels


def test_session_roles_as_a_chinese_programme_prints_them():
    simplified = dict(zip(RoleAtSession.values, role_labels("zh-hans"), strict=True))
    traditional = dict(zip(RoleAtSession.values, role_labels("zh-hant"), strict=True))
    assert simplified["presider"] == "主持人"
    assert simplified["moderator"] == "对话主持人"
    assert simplified["chair"] == "主席"
    assert simplified["co-chair"] == "联席主席"
    assert traditional["moderator"] == "對話主持人"
    assert traditional["co-chair"] == "聯席主席"


@pytest.mark.parametrize(
    "code, job_title, headline, person_name, organisation_name",
    [
        ("zh-hans", "职务", "标题", "姓名", "名称"),
        ("zh-hant", "職稱", "標題", "姓名", "名稱"),
    ],
)
def test_a_positions_title_is_a_job_title_and_a_contacts_name_a_persons(
    code, job_title, headline, person_name, organisation_name
):
    with translation.override(code):
        assert str(Position._meta.get_field("title").verbose_name) == job_title
        assert str(MediaContact._meta.get_field("job_title").verbose_name) == job_title
        assert translation.gettext("title") == headline  # a report's or session's title
        assert str(MediaContact._meta.get_field("name").verbose_name) == person_name
        assert str(Organisation._meta.get_field("name").verbose_name) == organisation_name
