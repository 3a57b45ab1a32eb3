"""The read-only JSON API: bilingual, paginated, filterable, and only public content."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum.models import MediaContact, Report
from tests.factories import (
    EditionFactory,
    MediaContactFactory,
    PersonFactory,
    ReportFactory,
    SessionFactory,
    SpeechFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def results(client, path, **params):
    response = client.get(f"{API}/{path}/", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


# --- Both languages ---------------------------------------------------------------------


def test_report_carries_both_languages(client, demo):
    [report] = results(client, "reports")
    assert report["headline"] == {
        "en": "Li Wenhai: Digital empowerment is accelerating industrial transformation",
        "zh-hans": "李文海：数字化赋能产业转型全面提速",
        "zh-hant": "李文海：數字化賦能產業轉型全面提速",
    }
    assert report["languages"] == ["en", "zh-hans", "zh-hant"]
    assert report["url"] == {
        "en": "http://testserver/en/reports/li-wenhai-digital-empowerment-industrial-transformation/",
        "zh-hans": "http://testserver/zh-hans/reports/li-wenhai-shuzihua-funeng-chanye-zhuanxing/",
        "zh-hant": "http://testserver/zh-hant/reports/li-wenhai-shuzihua-funeng-chanye-zhuanxing/",
    }
    assert report["edition"] == "2024"
    assert report["published_at"] == "2024-03-25T18:00:00+08:00"
    assert report["byline"][0]["label"] == {"en": "Authors", "zh-hans": "撰稿", "zh-hant": "撰稿"}
    # Known only in Latin letters: the Chinese byline names him as given.
    assert report["byline"][0]["people"][0]["name"] == {
        "en": "Liu Changjie",
        "zh-hans": "Liu Changjie",
        "zh-hant": "Liu Changjie",
    }


def test_session_carries_both_languages_and_beijing_times(client, demo):
    [session] = results(client, "sessions")
    assert session["title"] == {
        "en": "Symposium on Digital Empowerment for Industrial Transformation",
        "zh-hans": "数字化赋能产业转型专题研讨会",
        "zh-hant": "數字化賦能產業轉型專題研討會",
    }
    # Only "the afternoon" is known: the date, no hours made up.
    assert (session["part_of_day"], session["start_time"]) == ("afternoon", None)
    assert (session["starts_at"], session["ends_at"]) == ("2024-03-25", "2024-03-25")
    assert session["roles"][0]["person"]["name"] == {
        "en": "Zhang Junkuo",
        "zh-hans": "张军扩",
        "zh-hant": "張軍擴",
    }
    assert session["calendar_url"]["zh-hans"].endswith("/calendar.ics")


def test_edition_speech_and_person_in_both_languages(client, demo):
    [edition] = results(client, "editions")
    assert edition["title"] == {
        "en": "China Development Forum 2024",
        "zh-hans": "中国发展高层论坛2024年年会",
        "zh-hant": "中國發展高層論壇2024年年會",
    }
    [speech] = results(client, "speeches")
    names = {"en": "LI Wenhai", "zh-hans": "李文海", "zh-hant": "李文海"}
    assert speech["speaker"]["name"] == names
    person = client.get(f"{API}/people/li-wenhai/").json()
    assert person["name"] == names
    assert person["positions"][0]["title"] == {
        "en": "Vice Mayor",
        "zh-hans": "副市长",
        "zh-hant": "副市長",
    }


def test_single_language_report_has_no_text_in_the_other_language(client, db):
    report = ReportFactory(headline_zh_hans="仅英文")
    report.single_language = "en"
    report.save()
    [data] = results(client, "reports")
    assert data["languages"] == ["en"]
    assert data["headline"]["zh-hans"] is None
    assert data["url"]["zh-hans"] is None


# --- Only what is public ----------------------------------------------------------------


def test_reports_never_include_drafts_or_scheduled_or_withdrawn(client, db):
    published = ReportFactory()
    ReportFactory(status=Report.Status.DRAFT)
    ReportFactory(status=Report.Status.IN_REVIEW)
    ReportFactory(status=Report.Status.APPROVED)
    ReportFactory(status=Report.Status.WITHDRAWN)
    ReportFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    assert [report["id"] for report in results(client, "reports")] == [published.pk]


def test_draft_report_is_not_found_by_id(client, db):
    draft = ReportFactory(status=Report.Status.DRAFT)
    assert client.get(f"{API}/reports/{draft.pk}/").status_code == 404


def test_working_copy_is_not_exposed(client, db):
    report = ReportFactory(headline_en="Live headline")
    report.pending_changes = {"headline_en": "Unreviewed headline"}
    report.save()
    [data] = results(client, "reports")
    assert data["headline"]["en"] == "Live headline"
    assert "Unreviewed" not in str(data)


def test_unpublished_programme_is_left_out(client, db):
    hidden_edition = EditionFactory(is_published=False)
    hidden_session = SessionFactory(edition=hidden_edition)
    SpeechFactory(session=hidden_session)
    hidden_speech = SpeechFactory(is_published=False)
    assert [e["slug"] for e in results(client, "editions")] == [hidden_speech.session.edition.slug]
    assert [s["id"] for s in results(client, "sessions")] == [hidden_speech.session.pk]
    assert results(client, "speeches") == []
    assert client.get(f"{API}/editions/{hidden_edition.slug}/").status_code == 404
    assert client.get(f"{API}/sessions/{hidden_session.pk}/").status_code == 404


def test_unpublished_person_is_not_found(client, db):
    person = PersonFactory(is_published=False)
    assert client.get(f"{API}/people/{person.slug}/").status_code == 404
    assert person.slug not in {p["slug"] for p in results(client, "people")}


def test_private_media_contacts_are_left_out(client, db):
    public = MediaContactFactory()
    MediaContactFactory(is_public=False)
    MediaContactFactory(is_active=False)
    assert [contact["id"] for contact in results(client, "media-contacts")] == [public.pk]


def test_media_contacts_show_only_their_public_details(client, db):
    contact = MediaContactFactory(
        mobile_public=False,
        office_phone_public=True,
        email="press@example.org",
        email_public=False,
        notes="Internal: prefers WeChat",
    )
    [data] = results(client, "media-contacts")
    assert data["mobile"] is None
    assert data["email"] is None
    assert data["office_phone"] == contact.office_phone
    assert data["office_extension"] == contact.office_extension
    contact.refresh_from_db()
    assert data["name"] == {
        "en": contact.name_en,
        "zh-hans": contact.name_zh_hans,
        "zh-hant": contact.name_zh_hant,
    }
    text = str(data)
    assert contact.mobile not in text
    assert "press@example.org" not in text
    assert "WeChat" not in text


def test_media_contact_details_are_exactly_the_public_ones(client, demo):
    for data in results(client, "media-contacts"):
        details = MediaContact.objects.get(pk=data["id"]).public_details()
        for field in ("mobile", "office_phone", "office_extension", "fax", "email"):
            assert data[field] == details.get(field)


# --- Filters and pages ------------------------------------------------------------------


def test_lists_filter_by_edition(client, db):
    first, second = EditionFactory(), EditionFactory()
    report = ReportFactory(edition=first)
    ReportFactory(edition=second)
    session = SessionFactory(edition=first)
    SessionFactory(edition=second)
    speech = SpeechFactory(session=session)
    assert [r["id"] for r in results(client, "reports", edition=first.slug)] == [report.pk]
    assert [s["id"] for s in results(client, "sessions", edition=first.slug)] == [session.pk]
    assert [s["id"] for s in results(client, "speeches", edition=first.slug)] == [speech.pk]
    assert [p["slug"] for p in results(client, "people", edition=first.slug)] == [
        speech.speaker.slug
    ]
    assert [e["slug"] for e in results(client, "editions", edition=first.slug)] == [first.slug]


def test_media_contacts_filter_by_edition(client, db):
    edition = EditionFactory()
    covering = MediaContactFactory()
    covering.editions.add(edition)
    MediaContactFactory()
    assert [c["id"] for c in results(client, "media-contacts", edition=edition.slug)] == [
        covering.pk
    ]


def test_reports_filter_by_language(client, db):
    both = ReportFactory()
    english_only = ReportFactory()
    english_only.single_language = "en"
    english_only.save()
    assert {r["id"] for r in results(client, "reports", language="en")} == {
        both.pk,
        english_only.pk,
    }
    assert [r["id"] for r in results(client, "reports", language="zh-hans")] == [both.pk]


def test_lists_are_paginated(client, db):
    ReportFactory.create_batch(25)
    first = client.get(f"{API}/reports/").json()
    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["next"].endswith("/api/v1/reports/?page=2")
    assert len(client.get(f"{API}/reports/", {"page": 2}).json()["results"]) == 5


def test_page_past_the_last_is_not_found(client, db):
    ReportFactory()
    response = client.get(f"{API}/reports/", {"page": 2})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_page_size_sets_the_items_a_page(client, db):
    ReportFactory.create_batch(3)
    page = client.get(f"{API}/reports/", {"page_size": 2}).json()
    assert len(page["results"]) == 2
    assert page["next"].endswith("/api/v1/reports/?page=2&page_size=2")


WHOLE_PAGE = ["A whole number, 1 or more."]
WHOLE_SIZE = ["A whole number from 1 to 100."]
INVALID_PARAMETERS = {
    "page=abc": {"page": WHOLE_PAGE},
    "page=0": {"page": WHOLE_PAGE},
    "page=1.5": {"page": WHOLE_PAGE},
    "page=last": {"page": WHOLE_PAGE},
    "page_size=true": {"page_size": WHOLE_SIZE},
    "page_size=0": {"page_size": WHOLE_SIZE},
    "page_size=101": {"page_size": WHOLE_SIZE},
    "page_size=1.4e-299": {"page_size": WHOLE_SIZE},
    "page_size=%2B5": {"page_size": WHOLE_SIZE},
    "language=fr": {"language": ["Use one of: en, zh-hans, zh-hant."]},
    "edition=20%2024": {
        "edition": ["An edition's slug: letters, digits, hyphens and underscores, e.g. 2024."]
    },
    "page=0&page_size=0": {"page": WHOLE_PAGE, "page_size": WHOLE_SIZE},
    "page=1&page=2": {"page": ["Give this parameter once."]},
}


@pytest.mark.parametrize(
    ("query", "errors"), INVALID_PARAMETERS.items(), ids=list(INVALID_PARAMETERS)
)
def test_invalid_parameter_is_a_client_error_naming_it(client, db, query, errors):
    response = client.get(f"{API}/reports/?{query}")
    assert response.status_code == 400
    assert response.json() == errors


def test_empty_parameters_are_the_same_as_none(client, db):
    report = ReportFactory()
    listed = results(client, "reports", edition="", language="", page="", page_size="")
    assert [r["id"] for r in listed] == [report.pk]


def test_unknown_address_in_the_api_is_a_json_not_found(client, db):
    for path in ("people/no.such.person", "reports/abc", "nothing"):
        response = client.get(f"{API}/{path}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_api_is_read_only(client, db):
    assert client.post(f"{API}/reports/", {}).status_code == 405


def test_api_list_queries_do_not_grow(client, db, django_assert_max_num_queries):
    ReportFactory.create_batch(10)
    with django_assert_max_num_queries(6):
        assert client.get(f"{API}/reports/").status_code == 200


# --- Schema and docs --------------------------------------------------------------------


def test_openapi_schema_describes_every_endpoint(client, db):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("editions", "sessions", "speeches", "people", "reports", "media-contacts"):
        assert f"/api/v1/{path}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/reports/"]["get"]["parameters"]}
    assert {"edition", "language", "page"} <= parameters


def test_openapi_schema_states_parameter_types_and_bounds(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/reports/"]["get"]["parameters"]
    assert {p["name"]: p["schema"] for p in parameters} == {
        "edition": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "example": "2024"},
        "language": {"type": "string", "enum": ["en", "zh-hans", "zh-hant"]},
        "page": {"type": "integer", "minimum": 1},
        "page_size": {"type": "integer", "minimum": 1, "maximum": 100},
    }
    # An empty value is the same as none.
    assert all(p["allowEmptyValue"] for p in parameters)


def test_openapi_schema_documents_every_status_of_every_operation(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        responses = operations["get"]["responses"]
        assert set(responses) == {"200", "400", "404"}, path
        assert responses["404"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
        assert "text/plain" in responses["400"]["content"], path
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_openapi_schema_marks_optional_organisations_nullable(client, db):
    schemas = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    for name, field in [
        ("Edition", "host"),
        ("Edition", "organiser"),
        ("Report", "publisher"),
        ("Position", "organisation"),
    ]:
        assert schemas[name]["properties"][field]["nullable"] is True, (name, field)


def test_api_docs_use_our_own_static_files(client, db):
    content = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in content
    assert "http://" not in content
    assert "https://" not in content


def test_api_docs_do_not_call_the_public_validator(client, db):
    script = client.get("/api/docs/", {"script": ""}).content.decode()
    assert '"validatorUrl": null' in script


def test_browsable_api_uses_our_own_static_files(client, demo):
    content = client.get(f"{API}/reports/", HTTP_ACCEPT="text/html").content.decode()
    assert "/static/rest_framework/js/jquery" in content
    assert not re.search(r'(src|href)="https?://(?!testserver/)', content)


def test_api_root_leads_to_the_docs(client, db):
    assert client.get("/api/")["Location"] == "/api/docs/"


def test_openapi_schema_is_valid_without_warnings(db, tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert "/api/v1/media-contacts/" in (tmp_path / "schema.yml").read_text()
