import datetime
import re

import pytest
from django.utils import timezone, translation

from forum.models import Edition, MediaContact, Organisation, Report, Session
from tests.factories import (
    CreditFactory,
    EditionFactory,
    PersonFactory,
    ReportFactory,
    SessionFactory,
    SessionRoleFactory,
    SpeechFactory,
)

pytestmark = pytest.mark.django_db

REPORT_SLUG = {
    "en": "li-wenhai-digital-empowerment-industrial-transformation",
    "zh-hans": "li-wenhai-shuzihua-funeng-chanye-zhuanxing",
    "zh-hant": "li-wenhai-shuzihua-funeng-chanye-zhuanxing",
}
SESSION_PATH = "2024/sessions/digital-empowerment-industrial-transformation/"
PEOPLE = ("zhang-junkuo", "li-wenhai", "liu-changjie", "cui-keliang")
LANGUAGES = ("en", "zh-hans", "zh-hant")
# Each language and another, round the three (tests/hant/test_pages.py checks all pairs).
OTHER_LANGUAGE = {"en": "zh-hans", "zh-hans": "zh-hant", "zh-hant": "en"}
# <html lang> as BCP 47 writes each language.
TAG = {"en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}

# Paths under the language prefix; the report differs per language (its slug is translated).
PAGES = {
    "home": "",
    "about": "about/",
    "report-list": "reports/",
    "person-list": "people/",
    "edition": "2024/",
    "press": "2024/press/",
    "session": SESSION_PATH,
    **{f"person-{slug}": f"people/{slug}/" for slug in PEOPLE},
}

# The seed's media contacts: name, mobile, office, extension. The names are known only
# in Latin letters, so Chinese pages show them as given too.
SEED_CONTACTS = [
    ("Guo Silu", "18666028168", "64255855", "8014"),
    ("Shi Yafan", "13810361966", "64255855", "8223"),
    ("Xia Tian", "18801375838", "64255855", "8086"),
    ("Shi Wanjing", "18801090391", "64255855", "8090"),
    ("Qiu Kaixian", "18301078627", "64255855", "8103"),
]


def report_url(language_code):
    return f"/{language_code}/reports/{REPORT_SLUG[language_code]}/"


def html_lang(response):
    match = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", response.content.decode())
    return match and match.group(1)


def hrefs(response):
    return set(re.findall(r"href=\"([^\"]+)\"", response.content.decode()))


def not_found_text(language_code):
    """The custom 404 page's heading in the language (Chinese when the catalogue has it)."""
    with translation.override(language_code):
        text = translation.gettext("Page not found")
    assert language_code == "en" or text != "Page not found", "no Chinese 404 heading"
    return text


# --- Every public page, both languages --------------------------------------------------


@pytest.mark.parametrize("language_code", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_public_page_ok_with_html_lang(client, demo, page, language_code):
    response = client.get(f"/{language_code}/{PAGES[page]}")
    assert response.status_code == 200
    assert html_lang(response) == TAG[language_code]


@pytest.mark.parametrize("language_code", LANGUAGES)
def test_report_page_ok_with_html_lang(client, demo, language_code):
    response = client.get(report_url(language_code))
    assert response.status_code == 200
    assert html_lang(response) == TAG[language_code]


def test_report_list_shows_report_headline(client, demo, page_text):
    assert "Li Wenhai: Digital empowerment is accelerating industrial transformation" in page_text(
        client.get("/en/reports/")
    )
    assert "李文海：数字化赋能产业转型全面提速" in page_text(client.get("/zh-hans/reports/"))


def test_person_list_shows_people_in_chinese(client, demo, page_text):
    text = page_text(client.get("/zh-hans/people/"))
    # Liu Changjie and Cui Keliang are known only in Latin letters: shown as given.
    for name in ("张军扩", "李文海", "Liu Changjie", "Cui Keliang"):
        assert name in text


def test_person_page_shows_name_known_only_in_latin_letters_in_chinese(client, demo, page_text):
    response = client.get("/zh-hans/people/liu-changjie/")
    assert "<h1>Liu Changjie</h1>" in response.content.decode()
    assert "Liu Changjie 为中国发展出版社" in page_text(response)


def test_session_page_shows_presider_with_both_titles(client, demo, page_text):
    text = page_text(client.get(f"/en/{SESSION_PATH}"))
    assert "Zhang Junkuo" in text
    assert "Chairman, China Development Research Foundation (CDRF)" in text
    assert (
        "Deputy Director of the Committee on Proposals, the 14th CPPCC National Committee" in text
    )


def test_session_page_shows_keynote_speaker_in_chinese(client, demo, page_text):
    text = page_text(client.get(f"/zh-hans/{SESSION_PATH}"))
    assert "李文海" in text
    assert "天津市人民政府副市长" in text
    assert "第十四届全国政协提案委员会副主任" in text


def test_edition_page_shows_dates_and_venue(client, demo, page_text):
    text = page_text(client.get("/en/2024/"))
    assert "Diaoyutai State Guesthouse" in text
    assert "March 2024" in text


# --- The seed's facts on the report page ------------------------------------------------


@pytest.fixture
def english_report(client, demo, page_text):
    return page_text(client.get(report_url("en")))


@pytest.fixture
def chinese_report(client, demo, page_text):
    return page_text(client.get(report_url("zh-hans")))


ENGLISH_FACTS = [
    "Li Wenhai: Digital empowerment is accelerating industrial transformation",
    "Vice Mayor, the People's Government of Tianjin Municipality",
    "Zhang Junkuo",
    "Chairman, China Development Research Foundation (CDRF)",
    "Deputy Director of the Committee on Proposals, the 14th CPPCC National Committee",
    "73,000",
    "7.2%",
    "10,000",
    "Diaoyutai State Guesthouse",
    "Background Information",
    "Initiated in 2000, CDF has made remarkable contributions",
    "Floor 15, Tower A, Imperial International Center, No. 138 Andingmen Wai Avenue, "
    "Dongcheng District, Beijing, China",
    "100011",
    "www.cdrf.org.cn",
    "cdrf@cdrf.org.cn",
    *[contact[0] for contact in SEED_CONTACTS],
]

CHINESE_FACTS = [
    "李文海：数字化赋能产业转型全面提速",
    "李文海",
    "天津市人民政府副市长",
    "张军扩",
    "中国发展研究基金会",
    "钓鱼台国宾馆",
    "7.3万",
    "论坛自2000年创办以来",
    "中国北京东城区安定门外大街138号",
    "皇城国际中心A座15层",
    "100011",
    "www.cdrf.org.cn",
    *[contact[0] for contact in SEED_CONTACTS],
]


def missing_phone_digits(page_digits):
    """The seed's numbers not on the page: each mobile, and each office number with its
    extension (compared on digits only: the page formats them, e.g. +86 186 6602 8168)."""
    missing = []
    for _name, mobile, office, extension in SEED_CONTACTS:
        missing += [mobile] if mobile not in page_digits else []
        # The extension follows the office number, whatever separates them on the page.
        missing += [office + extension] if office + extension not in page_digits else []
    return missing


def test_english_report_shows_seed_facts(english_report):
    assert [fact for fact in ENGLISH_FACTS if fact not in english_report] == []


def test_english_report_names_speaker(english_report):
    assert "LI Wenhai" in english_report or "Li Wenhai" in english_report


def test_english_report_byline_authors_and_reviewer(english_report):
    assert re.search(r"Authors\s*:\s*Liu Changjie\s*;\s*Reviewer\s*:\s*Cui Keliang", english_report)


def test_english_report_shows_media_contact_phones(client, demo, page_digits):
    assert missing_phone_digits(page_digits(client.get(report_url("en")))) == []


def test_chinese_report_shows_seed_facts(chinese_report):
    assert [fact for fact in CHINESE_FACTS if fact not in chinese_report] == []


def test_chinese_report_byline_authors_and_reviewer(chinese_report):
    # Names known only in Latin letters are printed as given, not left out or guessed.
    assert re.search(
        r"撰稿\s*[:：]\s*Liu Changjie\s*[;；]\s*审核\s*[:：]\s*Cui Keliang", chinese_report
    )


def test_chinese_report_shows_media_contact_phones(client, demo, page_digits):
    assert missing_phone_digits(page_digits(client.get(report_url("zh-hans")))) == []


def test_chinese_report_has_no_english_headline(chinese_report):
    assert "Digital empowerment is accelerating" not in chinese_report


@pytest.mark.parametrize("language_code", LANGUAGES)
def test_press_page_shows_media_contacts(client, demo, page_text, page_digits, language_code):
    response = client.get(f"/{language_code}/2024/press/")
    names = [contact[0] for contact in SEED_CONTACTS]  # the same in both languages
    assert [name for name in names if name not in page_text(response)] == []
    assert missing_phone_digits(page_digits(response)) == []


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        ("", 7),
        ("reports/", 6),
        ("people/", 6),
        ("2024/", 9),
        ("2024/press/", 6),
        (SESSION_PATH, 8),
        ("people/li-wenhai/", 10),
    ],
)
def test_public_page_query_budget(client, demo, django_assert_max_num_queries, path, budget):
    with django_assert_max_num_queries(budget):
        assert client.get(f"/en/{path}").status_code == 200


def test_report_page_query_budget(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(report_url("en")).status_code == 200


def test_report_list_queries_do_not_grow_with_reports(client, demo, django_assert_max_num_queries):
    session = Session.objects.get()
    ReportFactory.create_batch(15, edition=session.edition, session=session)
    with django_assert_max_num_queries(6):
        assert client.get("/zh-hans/reports/").status_code == 200


def test_edition_page_queries_do_not_grow_with_sessions(
    client, demo, django_assert_max_num_queries
):
    edition = Edition.objects.get()
    for session in SessionFactory.create_batch(6, edition=edition):
        SessionRoleFactory(session=session)
        SpeechFactory(session=session)
    with django_assert_max_num_queries(9):
        assert client.get("/zh-hans/2024/").status_code == 200


def test_person_list_queries_do_not_grow_with_people(client, demo, django_assert_max_num_queries):
    PersonFactory.create_batch(30)
    with django_assert_max_num_queries(6):
        assert client.get("/en/people/").status_code == 200


# --- Language negotiation and switcher --------------------------------------------------


def test_root_redirects_to_english_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/en/"


def test_root_redirects_to_chinese_for_chinese_browser(client):
    response = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert response.status_code == 302
    assert response.url == "/zh-hans/"


@pytest.mark.parametrize("language_code", LANGUAGES)
def test_report_language_switcher_links_other_language_slug(client, demo, language_code):
    other = OTHER_LANGUAGE[language_code]
    assert report_url(other) in hrefs(client.get(report_url(language_code)))


@pytest.mark.parametrize("language_code", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_language_switcher_links_same_page_in_other_language(client, demo, page, language_code):
    other = OTHER_LANGUAGE[language_code]
    response = client.get(f"/{language_code}/{PAGES[page]}")
    assert f"/{other}/{PAGES[page]}" in hrefs(response)


# --- Unpublished things are not shown ---------------------------------------------------


@pytest.mark.parametrize("language_code", LANGUAGES)
def test_draft_report_is_404(client, db, language_code):
    report = ReportFactory(status=Report.Status.DRAFT)
    with translation.override(language_code):
        url = report.get_absolute_url()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("language_code", LANGUAGES)
def test_scheduled_report_is_404(client, db, language_code):
    report = ReportFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    with translation.override(language_code):
        url = report.get_absolute_url()
    assert client.get(url).status_code == 404


def test_withdrawn_demo_report_is_404(client, demo):
    Report.objects.update(status=Report.Status.WITHDRAWN)
    assert client.get(report_url("en")).status_code == 404
    assert client.get(report_url("zh-hans")).status_code == 404


def test_scheduled_report_not_listed(client, demo, page_text):
    ReportFactory(
        edition=Edition.objects.get(),
        headline_en="Tomorrow's scheduled report",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    for url in ("/en/", "/en/reports/", "/en/2024/"):
        assert "Tomorrow's scheduled report" not in page_text(client.get(url))


@pytest.mark.parametrize("language_code", LANGUAGES)
def test_unpublished_session_is_404(client, demo, language_code):
    Session.objects.update(is_published=False)
    assert client.get(f"/{language_code}/{SESSION_PATH}").status_code == 404


def test_session_of_unpublished_edition_is_404(client, db):
    session = SessionFactory(edition=EditionFactory(is_published=False))
    with translation.override("en"):
        url = session.get_absolute_url()
    assert client.get(url).status_code == 404


def test_unpublished_speech_not_shown_on_session_page(client, demo, page_text):
    session = Session.objects.get()
    SpeechFactory(
        session=session,
        is_published=False,
        speaker=PersonFactory(family_name_en="Hidden", given_name_en="Speaker"),
        title_en="An unpublished address",
    )
    text = page_text(client.get(f"/en/{SESSION_PATH}"))
    assert "An unpublished address" not in text
    assert "Hidden Speaker" not in text
    assert "LI Wenhai" in text


@pytest.mark.parametrize("language_code", LANGUAGES)
def test_unpublished_person_is_404(client, db, language_code):
    person = PersonFactory(is_published=False)
    assert client.get(f"/{language_code}/people/{person.slug}/").status_code == 404


def test_unpublished_person_not_listed(client, db, page_text):
    PersonFactory(family_name_en="Unlisted", given_name_en="Person", is_published=False)
    assert "Unlisted Person" not in page_text(client.get("/en/people/"))


@pytest.mark.parametrize("path", ["", "press/"])
@pytest.mark.parametrize("language_code", LANGUAGES)
def test_unpublished_edition_is_404(client, db, language_code, path):
    edition = EditionFactory(is_published=False)
    assert client.get(f"/{language_code}/{edition.slug}/{path}").status_code == 404


@pytest.fixture
def private_contact(demo):
    contact = MediaContact(
        name_en="Private Person",
        name_zh_hans="私人联系人",
        organisation=Organisation.objects.get(short_name_en="CDRF"),
        mobile="+8613912345678",
        office_phone="+861064255855",
        office_extension="8765",
        is_public=False,
    )
    contact.save()
    Report.objects.get().media_contacts.add(contact)
    return contact


@pytest.mark.parametrize(
    "url", [report_url("en"), report_url("zh-hans"), "/en/2024/press/", "/zh-hans/2024/press/"]
)
def test_private_media_contact_never_shown(client, private_contact, page_text, page_digits, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "Private Person" not in page_text(response)
    assert "私人联系人" not in page_text(response)
    assert "13912345678" not in page_digits(response)
    assert "8765" not in page_digits(response)


# --- Reports not yet translated ----------------------------------------------------------


@pytest.fixture
def english_only_report(demo):
    """A published report with no Chinese translation yet (its Chinese slug is empty)."""
    session = Session.objects.get()
    report = ReportFactory(
        edition=session.edition,
        session=session,
        headline_en="An English-only report",
        headline_zh_hans="",
        summary_zh_hans="",
        body_zh_hans="",
        slug_zh_hans=None,
    )
    CreditFactory(report=report, person=PersonFactory(slug="english-only-author"))
    return report


@pytest.mark.parametrize(
    "path", ["", "reports/", "2024/", SESSION_PATH, "people/english-only-author/"]
)
def test_english_only_report_does_not_break_chinese_page(client, english_only_report, path):
    response = client.get(f"/zh-hans/{path}")
    assert response.status_code == 200
    assert "An English-only report" not in response.content.decode()


@pytest.mark.parametrize("path", ["", "reports/", "2024/", SESSION_PATH])
def test_english_only_report_listed_on_english_page(client, english_only_report, page_text, path):
    assert "An English-only report" in page_text(client.get(f"/en/{path}"))


def test_english_only_report_has_no_chinese_page(client, english_only_report):
    response = client.get(f"/en/reports/{english_only_report.slug_en}/")
    assert response.status_code == 200
    assert not [href for href in hrefs(response) if href.startswith("/zh-hans/reports/")]


# --- Unknown addresses ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "reports/no-such-report/",
        "people/no-such-person/",
        "1999/",
        "1999/press/",
        "2024/sessions/no-such-session/",
    ],
)
@pytest.mark.parametrize("language_code", LANGUAGES)
def test_unknown_slug_is_custom_404(client, demo, page_text, language_code, path):
    response = client.get(f"/{language_code}/{path}")
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert html_lang(response) == TAG[language_code]
    assert not_found_text(language_code) in page_text(response)


def test_english_slug_under_chinese_prefix_is_404(client, demo):
    assert client.get(f"/zh-hans/reports/{REPORT_SLUG['en']}/").status_code == 404
