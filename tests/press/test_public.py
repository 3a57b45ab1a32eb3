"""Public pages and vCards show exactly the public details of media contacts."""

import pytest
import vobject

from forum.models import MediaContact, Organisation, Report
from forum.press.vcards import CONTENT_TYPE
from tests.factories import EditionFactory, MediaContactFactory, ReportFactory
from tests.press.data import assert_no_private_details
from tests.press.rfc2426 import assert_valid_vcards

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "zh-hans")
REPORT_SLUG = {
    "en": "li-wenhai-digital-empowerment-industrial-transformation",
    "zh-hans": "li-wenhai-shuzihua-funeng-chanye-zhuanxing",
}


def report_url(language_code):
    return f"/{language_code}/reports/{REPORT_SLUG[language_code]}/"


def press_url(language_code):
    return f"/{language_code}/2024/press/"


def public_urls(contact):
    urls = []
    for code in LANGUAGES:
        urls += [
            report_url(code),
            press_url(code),
            f"/{code}/2024/press/contacts.vcf",
            f"/{code}/press/contacts/{contact.pk}.vcf",
        ]
    return urls


def cards(response):
    """The cards of a .vcf response (one card, or a streamed list), each valid vCard 3.0."""
    assert response["Content-Type"] == CONTENT_TYPE
    text = response.getvalue().decode("utf-8")
    parsed = list(vobject.readComponents(text))
    assert assert_valid_vcards(text) == len(parsed)
    return parsed


@pytest.fixture
def contact(demo):
    """A demo-style contact with every kind of detail, some public, some private."""
    contact = MediaContact.objects.create(
        name_en="Zhou Lan",
        name_zh_hans="周岚",
        job_title_en="Deputy Director, Press Office",
        job_title_zh_hans="新闻处副处长",
        organisation=Organisation.objects.get(short_name_en="CDRF"),
        mobile="+8613911112222",
        office_phone="+861064255855",
        office_extension="8777",
        fax="+861064255866",
        email="zhou.lan@example.org",
        languages="zh,en",
        hours_en="Weekdays 9:00–18:00",
        hours_zh_hans="工作日 9:00–18:00",
        notes="Do not call after 22:00",
        is_public=True,
        mobile_public=False,
        office_phone_public=True,
        fax_public=False,
        email_public=True,
        order=9,
    )
    Report.objects.get().media_contacts.add(contact)
    return contact


# --- Pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("language_code", LANGUAGES)
@pytest.mark.parametrize("page", [report_url, press_url])
def test_page_shows_the_public_details(client, contact, page_text, language_code, page):
    text = page_text(client.get(page(language_code)))
    if language_code == "en":
        assert "Zhou Lan" in text and "Deputy Director, Press Office" in text
        assert "+86 10 6425 5855 ext. 8777" in text
        assert "Weekdays 9:00–18:00" in text
    else:
        assert "周岚" in text and "新闻处副处长" in text
        assert "010 6425 5855 转 8777" in text
        assert "工作日 9:00–18:00" in text
    assert "zhou.lan@example.org" in text


@pytest.mark.parametrize("url", ["/en/2024/press/", "/zh-hans/2024/press/"])
def test_press_page_links_the_vcards(client, contact, url):
    content = client.get(url).content.decode()
    assert f'href="/{url.split("/")[1]}/press/contacts/{contact.pk}.vcf"' in content
    assert f'href="/{url.split("/")[1]}/2024/press/contacts.vcf"' in content


def test_report_page_links_each_contacts_vcard(client, contact):
    content = client.get(report_url("en")).content.decode()
    assert f'href="/en/press/contacts/{contact.pk}.vcf"' in content


def test_private_details_in_no_public_response(client, contact):
    for url in public_urls(contact):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_private_details(response.getvalue().decode(), contact)


def test_private_contact_in_no_public_response(client, contact):
    contact.is_public = False
    contact.save()
    for url in public_urls(contact):
        response = client.get(url)
        expected = 404 if url.endswith(f"/{contact.pk}.vcf") else 200
        assert response.status_code == expected, url
        if expected == 200:
            assert_no_private_details(response.getvalue().decode(), contact)


def test_inactive_contact_in_no_public_response(client, contact):
    contact.is_active = False
    contact.save()
    assert client.get(f"/en/press/contacts/{contact.pk}.vcf").status_code == 404
    assert "Zhou Lan" not in client.get(report_url("en")).content.decode()
    assert "Zhou Lan" not in client.get(press_url("en")).content.decode()


def test_seed_contacts_show_mobile_and_office_in_national_style_on_chinese_page(
    client, demo, page_text
):
    text = page_text(client.get(report_url("zh-hans")))
    assert "186 6602 8168" in text
    assert "010 6425 5855 转 8014" in text
    # The names are known only in Latin letters: the Chinese page shows them as given.
    assert "+86" not in text.split("Guo Silu", 1)[1].split("Qiu Kaixian", 1)[0]


# The seed's contacts are known only in Latin letters: in Chinese too they are named as
# given ("Guo Silu"), never left blank or given guessed characters.
SEED_NAMES = ["Guo Silu", "Shi Yafan", "Xia Tian", "Shi Wanjing", "Qiu Kaixian"]


def test_seed_contacts_named_as_given_on_chinese_press_page(client, demo, page_text):
    text = page_text(client.get(press_url("zh-hans")))
    assert [name for name in SEED_NAMES if name not in text] == []


def test_seed_contact_vcard_in_chinese_names_them_as_given(client, demo):
    contact = MediaContact.objects.get(name_en="Guo Silu")
    (card,) = cards(client.get(f"/zh-hans/press/contacts/{contact.pk}.vcf"))
    assert card.fn.value == "Guo Silu"
    # The house format: family name first.
    assert (card.n.value.family, card.n.value.given) == ("Guo", "Silu")
    assert "nickname" not in card.contents  # no other name to add
    chinese_list = cards(client.get("/zh-hans/2024/press/contacts.vcf"))
    assert [card.fn.value for card in chinese_list] == SEED_NAMES


def test_seed_contact_api_name_is_the_name_as_given_in_every_language(client, demo):
    from django.urls import reverse

    contact = MediaContact.objects.get(name_en="Guo Silu")
    response = client.get(reverse("api:media-contact-detail", args=[contact.pk]))
    assert response.json()["name"] == {
        "en": "Guo Silu",
        "zh-hans": "Guo Silu",
        "zh-hant": "Guo Silu",
    }


def test_seed_contacts_show_international_style_on_english_page(client, demo, page_text):
    text = page_text(client.get(report_url("en")))
    assert "+86 186 6602 8168" in text
    assert "+86 10 6425 5855 ext. 8014" in text


def test_press_page_query_budget_with_many_contacts(client, demo, django_assert_max_num_queries):
    cdrf = Organisation.objects.get(short_name_en="CDRF")
    MediaContactFactory.create_batch(20, organisation=cdrf, email_public=True)
    with django_assert_max_num_queries(6):
        assert client.get("/en/2024/press/").status_code == 200


# --- vCards -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language_code", "name", "family_given", "other", "title", "organisation"),
    [
        (
            "en",
            "Zhou Lan",
            ("Zhou", "Lan"),
            "周岚",
            "Deputy Director, Press Office",
            "China Development Research Foundation",
        ),
        ("zh-hans", "周岚", ("周", "岚"), "Zhou Lan", "新闻处副处长", "中国发展研究基金会"),
    ],
)
def test_vcard_parses_back_with_both_names(
    client, contact, language_code, name, family_given, other, title, organisation
):
    response = client.get(f"/{language_code}/press/contacts/{contact.pk}.vcf")
    assert response["Content-Disposition"] == 'attachment; filename="zhou-lan.vcf"'
    (card,) = cards(response)
    assert card.version.value == "3.0"
    assert card.fn.value == name
    assert (card.n.value.family, card.n.value.given) == family_given
    assert card.nickname.value == other
    assert card.title.value == title
    assert card.org.value == [organisation]


def test_vcard_phones_and_email_are_the_public_ones(client, contact):
    (card,) = cards(client.get(f"/en/press/contacts/{contact.pk}.vcf"))
    phones = [(tel.value, sorted(tel.params["TYPE"])) for tel in card.tel_list]
    assert phones == [("+86 10 6425 5855 ext. 8777", ["VOICE", "WORK"])]
    assert [email.value for email in card.email_list] == ["zhou.lan@example.org"]
    assert "Languages: Chinese (Mandarin), English" in card.note.value
    assert "Weekdays 9:00–18:00" in card.note.value


def test_vcard_with_public_mobile_has_a_cell_line(client, contact):
    contact.mobile_public = True
    contact.save()
    (card,) = cards(client.get(f"/zh-hans/press/contacts/{contact.pk}.vcf"))
    assert ("+86 139 1111 2222", ["CELL", "VOICE"]) in [
        (tel.value, sorted(tel.params["TYPE"])) for tel in card.tel_list
    ]


def test_vcard_is_utf8_text(client, contact):
    response = client.get(f"/zh-hans/press/contacts/{contact.pk}.vcf")
    assert "FN:周岚\r\n" in response.content.decode("utf-8")


def test_press_list_vcard_has_every_public_contact_of_the_edition(client, contact):
    MediaContactFactory(is_public=False, name_en="Hidden One")
    names = [card.fn.value for card in cards(client.get("/en/2024/press/contacts.vcf"))]
    assert names == ["Guo Silu", "Shi Yafan", "Xia Tian", "Shi Wanjing", "Qiu Kaixian", "Zhou Lan"]


def test_press_list_vcard_of_unpublished_edition_is_404(client, db):
    edition = EditionFactory(is_published=False)
    assert client.get(f"/en/{edition.slug}/press/contacts.vcf").status_code == 404


def test_contact_covering_another_edition_not_on_this_press_list(client, demo):
    elsewhere = MediaContactFactory(name_en="Elsewhere Person")
    elsewhere.editions.add(EditionFactory())
    names = [card.fn.value for card in cards(client.get("/en/2024/press/contacts.vcf"))]
    assert "Elsewhere Person" not in names


def test_contact_linked_to_an_edition_is_on_its_press_page(client, db, page_text):
    edition = EditionFactory()
    contact = MediaContactFactory(name_en="Edition Person")
    contact.editions.add(edition)
    assert "Edition Person" in page_text(client.get(f"/en/{edition.slug}/press/"))


def test_contact_on_a_report_is_on_the_report_page_only_with_public_numbers(
    client, db, page_text, page_digits
):
    report = ReportFactory()
    contact = MediaContactFactory(mobile="+8613955556666", mobile_public=False)
    report.media_contacts.add(contact)
    response = client.get(f"/en/reports/{report.slug_en}/")
    assert contact.name_en in page_text(response)
    assert "13955556666" not in page_digits(response)


def test_privacy_helper_catches_a_number_in_any_style(contact):
    with pytest.raises(AssertionError):
        assert_no_private_details("Call 139-1111-2222", contact)
    with pytest.raises(AssertionError):
        assert_no_private_details('{"mobile": "tel:+8613911112222"}', contact)
    with pytest.raises(AssertionError):
        assert_no_private_details("Do not call after 22:00", contact)
    assert_no_private_details("+86 10 6425 5855 ext. 8777 zhou.lan@example.org", contact)


# --- Other public responses (feeds, calendars, sitemap, search, API) -----------------------


def other_public_urls(contact):
    from django.urls import reverse
    from django.utils import translation

    urls = [
        reverse("api:media-contact-list"),
        reverse("api:media-contact-detail", args=[contact.pk]),
        reverse("sitemap"),
    ]
    for code in LANGUAGES:
        with translation.override(code):
            urls += [
                reverse("forum:report-feed-atom"),
                reverse("forum:report-feed-rss"),
                reverse("forum:edition-calendar", args=["2024"]),
                # (A search for the number itself would echo it back.)
                reverse("forum:search") + "?q=Zhou",
                reverse("forum:search") + "?q=Do+not+call",
            ]
    return urls


def test_private_details_in_no_feed_calendar_search_or_api_response(client, contact):
    for url in other_public_urls(contact):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_private_details(response.content.decode(), contact)


def test_api_lists_only_public_details(client, contact):
    from django.urls import reverse

    response = client.get(reverse("api:media-contact-detail", args=[contact.pk]))
    body = response.content.decode()
    assert "Zhou Lan" in body and "zhou.lan@example.org" in body
    assert_no_private_details(body, contact)
