"""schema.org JSON-LD on public pages."""

import datetime
import json
import re

import pytest

from forum.models import Report
from tests.factories import CreditFactory, ReportFactory, SessionFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
REPORT_PATH = {
    "en": "/en/reports/li-wenhai-digital-empowerment-industrial-transformation/",
    "zh-hans": "/zh-hans/reports/li-wenhai-shuzihua-funeng-chanye-zhuanxing/",
    "zh-hant": "/zh-hant/reports/li-wenhai-shuzihua-funeng-chanye-zhuanxing/",
}
SESSION_PATH = "2024/sessions/digital-empowerment-industrial-transformation/"


def json_ld(response):
    """The page's JSON-LD blocks, parsed."""
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return [json.loads(block) for block in blocks]


def test_report_is_a_news_article_naming_its_translation(client, demo):
    [data] = json_ld(client.get(REPORT_PATH["en"]))
    assert data["@type"] == "NewsArticle"
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == Report.objects.get().headline_en
    assert data["inLanguage"] == "en"
    assert data["url"] == BASE + REPORT_PATH["en"]
    assert data["datePublished"] == "2024-03-25T18:00:00+08:00"
    assert data["dateModified"]
    assert data["author"] == [
        {"@type": "Person", "name": "Liu Changjie", "url": f"{BASE}/en/people/liu-changjie/"}
    ]
    assert data["publisher"] == {"@type": "Organization", "name": "China Development Press"}
    # English is the original: the Chinese versions are its translations.
    assert [version["url"] for version in data["workTranslation"]] == [
        BASE + REPORT_PATH["zh-hans"],
        BASE + REPORT_PATH["zh-hant"],
    ]
    assert [version["inLanguage"] for version in data["workTranslation"]] == [
        "zh-Hans",
        "zh-Hant",
    ]


def test_chinese_report_points_to_the_original(client, demo):
    [data] = json_ld(client.get(REPORT_PATH["zh-hans"]))
    assert data["inLanguage"] == "zh-Hans"
    assert data["headline"] == "李文海：数字化赋能产业转型全面提速"
    assert data["author"][0]["name"] == "Liu Changjie"  # known only in Latin letters
    assert data["translationOfWork"]["url"] == BASE + REPORT_PATH["en"]
    assert data["translationOfWork"]["inLanguage"] == "en"


def test_single_language_report_names_no_translation(client, db):
    report = ReportFactory(slug_en="english-only")
    report.single_language = "en"
    report.save()
    [data] = json_ld(client.get("/en/reports/english-only/"))
    assert "workTranslation" not in data
    assert "translationOfWork" not in data


def test_report_modified_date_is_the_public_text_change(client, db):
    report = ReportFactory(slug_en="changed")
    Report.objects.filter(pk=report.pk).update(live_updated_at="2024-04-01T12:00:00+08:00")
    [data] = json_ld(client.get("/en/reports/changed/"))
    assert data["dateModified"] == "2024-04-01T12:00:00+08:00"


def test_json_ld_cannot_close_its_script_element(client, db):
    report = ReportFactory(
        slug_en="attack", headline_en="</script><script>alert(1)</script> & <!--"
    )
    CreditFactory(report=report)
    response = client.get("/en/reports/attack/")
    content = response.content.decode()
    assert "</script><script>alert(1)" not in content
    [data] = json_ld(response)
    assert data["headline"] == "</script><script>alert(1)</script> & <!--"


def test_a_session_with_its_hours_starts_and_ends_in_beijing_time(client, db):
    session = SessionFactory(start_time=datetime.time(14, 0), end_time=datetime.time(17, 30))
    [data] = json_ld(client.get(f"/en/{session.edition.slug}/sessions/{session.slug}/"))
    day = session.date.isoformat()
    assert (data["startDate"], data["endDate"]) == (
        f"{day}T14:00:00+08:00",
        f"{day}T17:30:00+08:00",
    )


def test_session_is_an_event_in_beijing_time(client, demo):
    [data] = json_ld(client.get(f"/zh-hans/{SESSION_PATH}"))
    assert data["@type"] == "Event"
    assert data["name"] == "数字化赋能产业转型专题研讨会"
    # "On the afternoon of 25 March": the date alone, no hours made up.
    assert (data["startDate"], data["endDate"]) == ("2024-03-25", "2024-03-25")
    assert data["location"]["name"] == "钓鱼台国宾馆"
    assert data["location"]["address"]["addressLocality"] == "北京"
    assert [org["name"] for org in data["organizer"]] == [
        "中国发展研究基金会",
        "国务院发展研究中心",
    ]
    assert [person["name"] for person in data["performer"]] == ["张军扩", "李文海"]
    assert data["superEvent"]["url"] == f"{BASE}/zh-hans/2024/"


def test_edition_is_an_all_day_event_with_its_sessions(client, demo):
    [data] = [data for data in json_ld(client.get("/en/2024/")) if data["@type"] == "Event"]
    assert data["@type"] == "Event"
    assert data["name"] == "China Development Forum 2024"
    assert (data["startDate"], data["endDate"]) == ("2024-03-24", "2024-03-25")
    assert data["location"]["name"] == "Diaoyutai State Guesthouse"
    assert [person["name"] for person in data["performer"]] == ["Zhang Junkuo", "LI Wenhai"]
    assert [event["url"] for event in data["subEvent"]] == [f"{BASE}/en/{SESSION_PATH}"]


def test_person_names_both_languages(client, demo):
    [data] = json_ld(client.get("/en/people/li-wenhai/"))
    assert data["@type"] == "Person"
    assert data["name"] == "LI Wenhai"
    assert data["alternateName"] == ["李文海"]
    assert data["jobTitle"] == ["Vice Mayor"]
    assert data["worksFor"][0]["name"] == "People's Government of Tianjin Municipality"


def test_home_page_describes_the_site_search(client, db):
    [data] = json_ld(client.get("/zh-hans/"))
    assert data["@type"] == "WebSite"
    assert data["potentialAction"]["target"]["urlTemplate"] == (
        f"{BASE}/zh-hans/search/?q={{search_term_string}}"
    )
