"""vCards are valid vCard 3.0 (RFC 2426, checked by an independent validator), with the
name split into family and given names and the office extension in a valid form."""

import pytest
import vobject
from vcard.vcard_errors import VCardError

from forum.core.names import split_name
from forum.models import MediaContact
from forum.press.vcards import CONTENT_TYPE
from tests.factories import MediaContactFactory
from tests.press.rfc2426 import assert_valid_vcards

LANGUAGES = ("en", "zh-hans")


def vcard_text(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == CONTENT_TYPE
    return response.getvalue().decode("utf-8")


def the_card(client, path):
    text = vcard_text(client, path)
    assert assert_valid_vcards(text) == 1
    (card,) = vobject.readComponents(text)
    return card


# --- Names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "family_name_first", "parts"),
    [
        # Chinese characters: the first one is the family name, whatever the choice.
        ("张军扩", True, ("张", "军扩")),
        ("李文海", False, ("李", "文海")),
        ("李 文海", True, ("李", "文海")),
        # ... or the first two for a compound family name.
        ("欧阳修", True, ("欧阳", "修")),
        ("司马光", True, ("司马", "光")),
        ("诸葛亮", True, ("诸葛", "亮")),
        # A foreign name in Chinese characters: given name · family name.
        ("安娜·史密斯", True, ("史密斯", "安娜")),
        # Latin letters, the house format: family name first.
        ("Guo Silu", True, ("Guo", "Silu")),
        ("  Guo   Silu ", True, ("Guo", "Silu")),
        ("Ouyang Xiu", True, ("Ouyang", "Xiu")),
        # ... or last, with the particles before it.
        ("Anna Smith", False, ("Smith", "Anna")),
        ("Anna Maria Smith", False, ("Smith", "Anna Maria")),
        ("Ursula von der Leyen", False, ("von der Leyen", "Ursula")),
        # A word in capitals is the family name, wherever it stands.
        ("LI Wenhai", True, ("LI", "Wenhai")),
        ("Anna SMITH", True, ("SMITH", "Anna")),
        ("GUO SILU", True, ("GUO", "SILU")),
        # One word.
        ("Madonna", False, ("Madonna", "")),
        ("", True, ("", "")),
    ],
)
def test_name_parts_split_by_script_and_choice(name, family_name_first, parts):
    assert split_name(name, family_name_first) == parts


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language_code", "fn", "family", "given", "nickname"),
    [
        ("en", "Anna Smith", "Smith", "Anna", "安娜·史密斯"),
        ("zh-hans", "安娜·史密斯", "史密斯", "安娜", "Anna Smith"),
    ],
)
def test_vcard_of_a_western_contact_files_the_family_name(
    client, language_code, fn, family, given, nickname
):
    contact = MediaContactFactory(
        name_en="Anna Smith", name_zh_hans="安娜·史密斯", family_name_first=False
    )
    card = the_card(client, f"/{language_code}/press/contacts/{contact.pk}.vcf")
    assert card.fn.value == fn
    assert (card.n.value.family, card.n.value.given) == (family, given)
    assert card.nickname.value == nickname


@pytest.mark.django_db
def test_vcard_n_line_has_family_and_given_names_in_their_slots(client):
    contact = MediaContactFactory(name_en="Ouyang Lan", name_zh_hans="欧阳岚")
    assert "\r\nN:Ouyang;Lan;;;\r\n" in vcard_text(client, contact.get_vcard_url())
    with_chinese = f"/zh-hans/press/contacts/{contact.pk}.vcf"
    assert "\r\nN:欧阳;岚;;;\r\n" in vcard_text(client, with_chinese)


# --- Phones --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language_code", LANGUAGES)
def test_vcard_office_line_carries_its_extension_validly(client, language_code):
    contact = MediaContactFactory(
        office_phone="+861064255855", office_extension="8014", mobile_public=False
    )
    path = f"/{language_code}/press/contacts/{contact.pk}.vcf"
    assert "\r\nTEL;TYPE=WORK,VOICE:+86 10 6425 5855 ext. 8014\r\n" in vcard_text(client, path)
    (tel,) = the_card(client, path).tel_list
    assert tel.value == "+86 10 6425 5855 ext. 8014"


def test_validator_refuses_an_extension_after_a_raw_semicolon():
    """The form the cards used to have: the check would catch it coming back."""
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Guo Silu\r\nN:Guo;Silu;;;\r\n"
        "TEL;TYPE=WORK,VOICE:+86 10 6425 5855;8014\r\nEND:VCARD\r\n"
    )
    with pytest.raises(VCardError):
        assert_valid_vcards(card)
    assert assert_valid_vcards(card.replace(";8014", " ext. 8014")) == 1


# --- Text ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_vcard_lines_folded_at_75_octets_and_read_back_whole(client):
    hours = "工作日上午九点到下午六点，周六上午十点到十二点；其他时间请发电子邮件，我们会尽快回复"
    title = "Deputy Director, Press Office; Spokesperson for the China Development Forum"
    contact = MediaContactFactory(hours_zh_hans=hours, job_title_zh_hans=title)
    path = f"/zh-hans/press/contacts/{contact.pk}.vcf"
    text = vcard_text(client, path)
    assert max(len(line.encode()) for line in text.split("\r\n")) <= 75
    card = the_card(client, path)
    assert f"联系时间：{hours}" in card.note.value
    assert card.title.value == title


@pytest.mark.django_db
@pytest.mark.parametrize("language_code", LANGUAGES)
def test_demo_vcards_valid_in_both_languages(client, demo, language_code):
    """Every demo contact's card, and the edition's list, in each language."""
    paths = [f"/{language_code}/2024/press/contacts.vcf"]
    with_cards = MediaContact.objects.public()
    paths += [f"/{language_code}/press/contacts/{contact.pk}.vcf" for contact in with_cards]
    for path in paths:
        assert assert_valid_vcards(vcard_text(client, path)) >= 1, path


@pytest.mark.django_db
def test_vcard_with_every_detail_public_is_valid(client):
    public = {"fax": "+861064255866", "email": "zhou.lan@example.org", "languages": "zh,en"}
    contact = MediaContactFactory(
        **public,
        fax_public=True,
        email_public=True,
        hours_en="Weekdays 9:00–18:00, Saturdays 10:00–12:00",
        hours_zh_hans="工作日 9:00–18:00",
    )
    for language_code in LANGUAGES:
        card = the_card(client, f"/{language_code}/press/contacts/{contact.pk}.vcf")
        assert [sorted(tel.params["TYPE"]) for tel in card.tel_list] == [
            ["CELL", "VOICE"],
            ["VOICE", "WORK"],
            ["FAX", "WORK"],
        ]
        assert card.email.value == "zhou.lan@example.org"
