"""People's and media contacts' names in Traditional Chinese are converted as names: the
surname by the table of surnames (余 stays 余, 钟 becomes 鍾), compound surnames kept whole
in every script, the names written so in running text too; the admin shows the form the
pages publish, warns where a character has several, and keeps the form an editor confirms."""

import json
import re
from pathlib import Path

import polib
import pytest
import vobject
from django.conf import settings
from django.utils import translation

from forum.core import names, scripts
from forum.core.surnames import (
    COMPOUND_SURNAME_FORMS,
    SINGLE_SURNAME_FORMS,
    SINGLE_SURNAMES,
)
from forum.hant import services
from forum.models import Person, TraditionalOverride
from tests.factories import MediaContactFactory, PersonFactory, ReportFactory
from tests.press.rfc2426 import assert_valid_vcards

pytestmark = pytest.mark.django_db

HANT = "zh-hant"


def person(family, given, slug, **fields):
    return PersonFactory(family_name_zh_hans=family, given_name_zh_hans=given, slug=slug, **fields)


def json_ld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return [json.loads(block) for block in blocks]


# --- The converter ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "traditional"),
    [
        # Converted as running text these would be 餘永定, 範恆山, 於建嶸, 鬱建興.
        ("余永定", "余永定"),
        ("范恒山", "范恆山"),
        ("于建嵘", "于建嶸"),
        ("郁建兴", "郁建興"),
        ("余淼杰", "余淼傑"),
        # Fictional given names after 朴, 干, 后, 党 and 钟.
        ("朴星河", "朴星河"),
        ("干明远", "干明遠"),
        ("后一凡", "后一凡"),
        ("党文江", "党文江"),
        ("钟一鸣", "鍾一鳴"),
        # Compound surnames, with the forms that differ from the characters' own.
        ("司马迁", "司馬遷"),
        ("欧阳文华", "歐陽文華"),
        ("万俟卨", "万俟卨"),
        ("段干木", "段干木"),
        # A foreign name in Chinese characters is converted as any text.
        ("安娜·史密斯", "安娜·史密斯"),
    ],
)
def test_a_whole_name_is_converted_as_a_name(name, traditional):
    assert names.traditional_full_name(name, HANT) == traditional


def test_a_foreign_name_is_not_converted_by_the_surname_table():
    # Given name first: the family name is not a Chinese surname.
    assert names.traditional_name("范", "安", HANT, family_name_first=False) == ("範", "安")
    assert names.traditional_name("范", "安", HANT) == ("范", "安")


def test_every_surname_form_is_a_form_of_its_simplified_surname():
    """A typo in the table (a character of another surname) would not fold back."""
    for simplified, traditional in {**SINGLE_SURNAME_FORMS, **COMPOUND_SURNAME_FORMS}.items():
        assert len(traditional) == len(simplified)
        assert scripts.fold(traditional) == simplified, simplified
    assert set(SINGLE_SURNAME_FORMS) <= set(SINGLE_SURNAMES)
    assert len(set(SINGLE_SURNAMES)) == len(SINGLE_SURNAMES)


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("司馬遷", ("司馬", "遷")),
        ("歐陽文華", ("歐陽", "文華")),
        ("諸葛亮", ("諸葛", "亮")),
        ("萬俟卨", ("萬俟", "卨")),
        ("鍾一鳴", ("鍾", "一鳴")),
    ],
)
def test_compound_surnames_split_in_traditional_characters(name, parts):
    assert names.split_name(name) == parts


def test_characters_with_several_forms_are_offered_both():
    forms = names.name_forms("于", "建发", HANT)
    assert forms["family"] == ("于", ["于", "於"])
    assert forms["given"] == ("建發", ["建發", "建髮"])
    assert [character for character, _ in forms["ambiguous"]] == ["于", "发"]
    # A name with no such character: one spelling, no warning.
    assert names.name_forms("司马", "迁", HANT)["ambiguous"] == []


# --- People and contacts, on the pages -------------------------------------------------


@pytest.mark.parametrize(
    ("family", "given", "traditional"),
    [
        ("余", "淼杰", ("余", "淼傑")),
        ("范", "剑", ("范", "劍")),
        ("于", "丹", ("于", "丹")),
        ("郁", "达夫", ("郁", "達夫")),
        ("朴", "星河", ("朴", "星河")),
    ],
)
def test_a_persons_traditional_page_and_json_ld_spell_the_surname(
    client, family, given, traditional
):
    someone = person(family, given, "someone")
    assert (someone.family_name_zh_hant, someone.given_name_zh_hant) == traditional
    response = client.get("/zh-hant/people/someone/")
    assert response.status_code == 200
    assert "".join(traditional) in response.content.decode()
    [data] = [block for block in json_ld(response) if block["@type"] == "Person"]
    assert (data["familyName"], data["givenName"]) == traditional
    assert data["name"] == "".join(traditional)


def test_a_media_contacts_traditional_vcard_splits_a_compound_surname(client):
    contact = MediaContactFactory(name_en="Sima Qian", name_zh_hans="司马迁")
    assert contact.name_zh_hant == "司馬遷"
    cards = {}
    for code in ("zh-hans", HANT):
        response = client.get(f"/{code}/press/contacts/{contact.pk}.vcf")
        assert response.status_code == 200
        text = response.getvalue().decode()
        assert assert_valid_vcards(text) == 1
        cards[code] = next(vobject.readComponents(text))
    assert cards[HANT].fn.value == "司馬遷"
    assert (cards[HANT].n.value.family, cards[HANT].n.value.given) == ("司馬", "遷")
    assert "N:司馬;遷;;;" in cards[HANT].serialize()
    assert (cards["zh-hans"].n.value.family, cards["zh-hans"].n.value.given) == ("司马", "迁")


def test_a_report_body_names_a_known_person_as_a_name(client):
    person("余", "淼杰", "yu-miaojie")
    report = ReportFactory(body_zh_hans="<p>余淼杰表示，多余的话不说。</p>")
    # The name as a name, the word 多余 as text.
    assert report.body_zh_hant == "<p>余淼傑表示，多餘的話不說。</p>"
    with translation.override(HANT):
        response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "余淼傑表示" in content
    assert "餘淼傑" not in content


def test_texts_follow_when_a_name_is_added_changed_or_removed():
    report = ReportFactory(summary_zh_hans="范剑与于丹参加了会议。")
    before = report.summary_zh_hant
    assert before.startswith("範劍")  # nobody of that name yet: converted as text
    someone = person("范", "剑", "fan-jian")
    report.refresh_from_db()
    assert report.summary_zh_hant.startswith("范劍")
    someone.given_name_zh_hans = "建"
    someone.save()
    report.refresh_from_db()
    assert report.summary_zh_hant == before
    someone.given_name_zh_hans = "剑"
    someone.save()
    report.refresh_from_db()
    assert report.summary_zh_hant.startswith("范劍")
    someone.delete()
    report.refresh_from_db()
    assert report.summary_zh_hant == before


def test_a_contacts_name_is_a_name_in_running_text():
    MediaContactFactory(name_zh_hans="余小文")
    report = ReportFactory(summary_zh_hans="联系人：余小文。")
    assert report.summary_zh_hant == "聯繫人：余小文。"


def test_a_term_override_still_wins_over_a_name():
    from forum.models import TermOverride

    person("余", "淼杰", "yu-miaojie")
    TermOverride.objects.create(language=HANT, source="余淼杰", text="余淼杰")
    report = ReportFactory(summary_zh_hans="余淼杰说。")
    assert report.summary_zh_hant == "余淼杰說。"


def test_names_are_read_in_a_fixed_number_of_queries(django_assert_num_queries):
    for number in range(5):
        person("余", f"淼{number}", f"yu-{number}")
        MediaContactFactory(name_zh_hans=f"范{number}明")
    services.terms()  # the content types, cached from here on
    with django_assert_num_queries(4):  # overrides, people, contacts, term overrides
        found = services.terms()
    assert found[HANT]["余淼1"] == "余淼1"
    assert found[HANT]["范2明"] == "范2明"


# --- The admin -------------------------------------------------------------------------


def change_url(item):
    return f"/admin/forum/{item._meta.model_name}/{item.pk}/change/"


def test_the_person_form_shows_the_traditional_name_and_warns(client, people):
    someone = person("余", "淼杰", "yu-miaojie")
    client.force_login(people["editor"])
    response = client.get(change_url(someone))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<span lang="zh-Hant">余</span>' in content
    assert '<span lang="zh-Hant">淼傑</span>' in content
    assert "“杰” has several forms in Traditional Chinese: 傑, 杰." in content
    assert 'name="converted_given_name_zh_hant"' in content
    assert '<label for="id_converted_given_name_zh_hant">' in content
    # 余 as a surname has one form: nothing to confirm.
    assert 'name="converted_family_name_zh_hant"' not in content


def test_the_admins_new_strings_have_a_simplified_translation():
    """The catalogue is compiled by `make messages`; here its source must hold them."""
    catalogue = polib.pofile(
        str(Path(__file__).resolve().parents[2] / "cdfsite/locale/zh_Hans/LC_MESSAGES/django.po")
    )
    entries = {entry.msgid: entry.msgstr for entry in catalogue if not entry.obsolete}
    for message in (
        "Converted names",
        "as published",
        "(confirmed)",
        "As converted: %(text)s",
        "%(field)s (%(language)s)",
        "The form the converted pages show; choosing one confirms it.",
        "“%(character)s” has several forms in %(language)s: %(forms)s. Confirm the right one.",
        "How the name reads on the converted pages. Where a character has several forms, "
        "choose the right one: it is kept as a field override.",
    ):
        assert entries.get(message), message


def test_the_simplified_admin_warns_in_chinese(client, people):
    someone = person("余", "淼杰", "yu-miaojie")
    client.force_login(people["editor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    content = client.get(change_url(someone)).content.decode()
    assert "转换后的姓名" in content
    assert "“杰”在繁体中文中有多种写法：傑、杰。请确认正确的一种。" in content
    assert "名（繁体中文）" in content


def test_an_editor_confirms_a_form_and_it_is_kept(client, people, form_data):
    someone = person("余", "淼杰", "yu-miaojie")
    report = ReportFactory(summary_zh_hans="余淼杰说。")
    client.force_login(people["editor"])
    data = form_data(client.get(change_url(someone)))
    assert data["converted_given_name_zh_hant"] == ""
    data["converted_given_name_zh_hant"] = "淼杰"
    response = client.post(change_url(someone), data)
    assert response.status_code == 302
    someone.refresh_from_db()
    assert someone.given_name_zh_hant == "淼杰"
    override = TraditionalOverride.objects.get()
    assert (override.field, override.text, override.updated_by) == (
        "given_name",
        "淼杰",
        people["editor"],
    )
    # Texts naming the person follow the confirmed form.
    report.refresh_from_db()
    assert report.summary_zh_hant == "余淼杰說。"
    # Kept through later saves, and shown as confirmed.
    someone.biography_zh_hans = "新的简介。"
    someone.save()
    someone.refresh_from_db()
    assert someone.given_name_zh_hant == "淼杰"
    content = client.get(change_url(someone)).content.decode()
    assert '<span lang="zh-Hant">淼杰</span> (confirmed)' in content
    assert 'value="淼杰" selected' in content
    # Back to the converted form: the override goes.
    data = form_data(client.get(change_url(someone)))
    data["converted_given_name_zh_hant"] = ""
    assert client.post(change_url(someone), data).status_code == 302
    someone.refresh_from_db()
    assert someone.given_name_zh_hant == "淼傑"
    assert not TraditionalOverride.objects.exists()


def test_a_choice_for_a_name_edited_at_the_same_time_is_not_applied(client, people, form_data):
    someone = person("余", "淼杰", "yu-miaojie")
    client.force_login(people["editor"])
    data = form_data(client.get(change_url(someone)))
    data["given_name_zh_hans"] = "杰"
    data["converted_given_name_zh_hant"] = "淼杰"
    assert client.post(change_url(someone), data).status_code == 302
    someone.refresh_from_db()
    assert someone.given_name_zh_hant == "傑"
    assert not TraditionalOverride.objects.exists()


def test_a_form_not_offered_is_a_form_error(client, people, form_data):
    someone = person("余", "淼杰", "yu-miaojie")
    client.force_login(people["editor"])
    data = form_data(client.get(change_url(someone)))
    data["converted_given_name_zh_hant"] = "錯字"
    data["biography_zh_hans"] = "不会保存。"
    response = client.post(change_url(someone), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    someone.refresh_from_db()
    assert someone.given_name_zh_hant == "淼傑"
    assert someone.biography_zh_hans != "不会保存。"
    assert not TraditionalOverride.objects.exists()


def test_the_media_contact_form_shows_the_name_and_who_may_confirm(client, people):
    contact = MediaContactFactory(name_en="Yu Jianfa", name_zh_hans="于建发")
    assert contact.name_zh_hant == "于建發"
    client.force_login(people["editor"])
    content = client.get(change_url(contact)).content.decode()
    assert '<span lang="zh-Hant">于建發</span>' in content
    assert "“于” has several forms" in content
    assert "“发” has several forms" in content
    assert '<option value="於建髮">' in content
    # A press officer sees the name and the warning; overrides are editors' to write.
    client.force_login(people["press"])
    content = client.get(change_url(contact)).content.decode()
    assert '<span lang="zh-Hant">于建發</span>' in content
    assert "“发” has several forms" in content
    assert 'name="converted_name_zh_hant"' not in content


def test_a_person_without_chinese_characters_has_no_choice(client, people):
    someone = PersonFactory(family_name_zh_hans="", given_name_zh_hans="", slug="guo-silu")
    client.force_login(people["editor"])
    content = client.get(change_url(someone)).content.decode()
    assert "converted_given_name" not in content
    assert Person.objects.get(pk=someone.pk).family_name_zh_hant in ("", None)


def test_the_field_override_admin_compares_with_the_name_as_converted(admin_client):
    someone = person("余", "淼杰", "yu-miaojie")
    override = services.set_override(someone, "family_name", "餘", code=HANT)
    someone.refresh_from_db()
    assert someone.family_name_zh_hant == "餘"
    content = admin_client.get(
        f"/admin/forum/traditionaloverride/{override.pk}/change/"
    ).content.decode()
    # What the converter would publish without the override: the surname 余, not 餘.
    assert re.search(r'field-converted_now">.*?<div class="readonly">余</div>', content, re.S)


def test_no_warning_for_a_form_no_name_uses():
    """志 has the form 誌 and 周 has 週, but no given name is written with them."""
    assert names.name_forms("朴", "志勇", "zh-hant")["ambiguous"] == []
    assert names.name_forms("李", "周秋", "zh-hant")["ambiguous"] == []
    # 杰 is written 傑 or 杰 in names: the editor is asked.
    assert [c for c, _ in names.name_forms("余", "淼杰", "zh-hant")["ambiguous"]] == ["杰"]
