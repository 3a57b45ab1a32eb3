"""The admin: converted columns are in no existing form; overrides have their own admin,
showing the source, the converted text and whether the override is outdated."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from forum.hant import services
from forum.models import Person, Report, TermOverride, TraditionalOverride
from tests.factories import PersonFactory, ReportFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory, url",
    [
        (ReportFactory, "/admin/forum/report/{}/change/"),
        (PersonFactory, "/admin/forum/person/{}/change/"),
        (SessionFactory, "/admin/forum/session/{}/change/"),
    ],
)
def test_existing_admin_forms_have_no_converted_columns(admin_client, factory, url):
    obj = factory()
    response = admin_client.get(url.format(obj.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "_zh_hans" in content  # the Simplified tab is there
    assert "_zh_hant" not in content


def test_saving_an_existing_admin_form_converts_the_traditional_text(admin_client, form_data):
    person = PersonFactory(given_name_zh_hans="军")
    url = f"/admin/forum/person/{person.pk}/change/"
    data = form_data(admin_client.get(url))
    data["given_name_zh_hans"] = "长杰"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.given_name_zh_hant == "長傑"


def test_an_editor_overrides_a_field_in_the_override_admin(admin_client):
    report = ReportFactory(headline_zh_hans="数字化赋能")
    response = admin_client.post(
        "/admin/forum/traditionaloverride/add/",
        {
            "content_type": ContentType.objects.get_for_model(Report).pk,
            "object_id": report.pk,
            "field": "headline",
            "language": "zh-hant",
            "text": "數位化賦能",
        },
    )
    assert response.status_code == 302
    override = TraditionalOverride.objects.get()
    assert override.source_text == "数字化赋能"
    report.refresh_from_db()
    assert report.headline_zh_hant == "數位化賦能"


def test_the_override_admin_refuses_a_field_the_item_does_not_translate(admin_client):
    person = PersonFactory()
    response = admin_client.post(
        "/admin/forum/traditionaloverride/add/",
        {
            "content_type": ContentType.objects.get_for_model(Person).pk,
            "object_id": person.pk,
            "field": "headline",
            "language": "zh-hant",
            "text": "標題",
        },
    )
    assert response.status_code == 200
    assert "headline" in response.context["adminform"].form.errors["field"][0]
    assert not TraditionalOverride.objects.exists()


def test_the_override_admin_shows_source_converted_text_and_outdated(admin_client, page_text):
    report = ReportFactory(headline_zh_hans="数字化赋能")
    override = services.set_override(report, "headline", "數位化賦能", code="zh-hant")
    report.headline_zh_hans = "数据要素"
    report.save()

    listing = page_text(admin_client.get("/admin/forum/traditionaloverride/?outdated__exact=1"))
    assert "數位化賦能" in listing and "數據要素" in listing

    change = page_text(admin_client.get(f"/admin/forum/traditionaloverride/{override.pk}/change/"))
    assert "数据要素" in change  # the source now
    assert "數據要素" in change  # what the converter makes of it
    assert "数字化赋能" in change  # the source the override was written for


def test_deleting_an_override_in_the_admin_converts_the_field_again(admin_client):
    report = ReportFactory(headline_zh_hans="数字化")
    override = services.set_override(report, "headline", "數位化", code="zh-hant")
    response = admin_client.post(
        f"/admin/forum/traditionaloverride/{override.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.headline_zh_hant == "數字化"


def test_a_term_override_in_the_admin_reaches_existing_text(admin_client, page_text):
    report = ReportFactory(headline_zh_hans="在钓鱼台举行")
    response = admin_client.post(
        "/admin/forum/termoverride/add/",
        {"language": "zh-hant", "source": "钓鱼台", "text": "釣魚台", "note": ""},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.headline_zh_hant == "在釣魚台舉行"
    listing = page_text(admin_client.get("/admin/forum/termoverride/"))
    assert "釣魚臺" in listing  # what the converter alone would write
    assert TermOverride.objects.count() == 1


def test_admin_speaks_traditional_chinese(admin_client):
    admin_client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/admin/"})
    content = admin_client.get("/admin/").content.decode()
    assert "中國發展高層論壇管理後臺" in content  # 臺 throughout the interface


def post_slug_override(admin_client, report, text):
    return admin_client.post(
        "/admin/forum/traditionaloverride/add/",
        {
            "content_type": ContentType.objects.get_for_model(Report).pk,
            "object_id": report.pk,
            "field": "slug",
            "language": "zh-hant",
            "text": text,
        },
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("數字化 賦能", "ASCII"),  # not a slug: the column's own rule says why
        ("", "cannot be empty"),
        ("x" * 121, "at most 120 characters"),
    ],
)
def test_the_override_admin_refuses_a_slug_its_column_would_not_accept(
    admin_client, text, expected
):
    report = ReportFactory()
    before = Report.objects.get(pk=report.pk).slug_zh_hant
    response = post_slug_override(admin_client, report, text)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["text"]
    assert expected in error
    assert not TraditionalOverride.objects.exists()
    assert Report.objects.get(pk=report.pk).slug_zh_hant == before


def test_the_override_admin_refuses_a_slug_another_report_has(admin_client):
    taken = ReportFactory().slug_zh_hant
    report = ReportFactory()
    response = post_slug_override(admin_client, report, taken)
    assert response.status_code == 200
    assert "already exists" in response.context["adminform"].form.errors["text"][0]
    assert not TraditionalOverride.objects.exists()


def test_the_override_admin_accepts_a_valid_new_slug(admin_client):
    report = ReportFactory()
    assert post_slug_override(admin_client, report, "shuzihua-funeng-fanti").status_code == 302
    report.refresh_from_db()
    assert report.slug_zh_hant == "shuzihua-funeng-fanti"


def test_changing_an_override_to_a_taken_slug_is_refused(admin_client):
    taken = ReportFactory().slug_zh_hant
    report = ReportFactory()
    override = services.set_override(report, "slug", "shuzihua-funeng", code="zh-hant")
    response = admin_client.post(
        f"/admin/forum/traditionaloverride/{override.pk}/change/", {"text": taken}
    )
    assert response.status_code == 200
    assert "already exists" in response.context["adminform"].form.errors["text"][0]
    override.refresh_from_db()
    assert override.text == "shuzihua-funeng"


def test_set_override_refuses_a_taken_slug_and_saves_nothing():
    taken = ReportFactory().slug_zh_hant
    report = ReportFactory()
    with pytest.raises(ValidationError) as caught:
        services.set_override(report, "slug", taken, code="zh-hant")
    assert "text" in caught.value.message_dict
    assert not TraditionalOverride.objects.exists()


def test_an_empty_slug_is_refused_in_chinese_too(admin_client):
    admin_client.cookies["django_language"] = "zh-hans"
    report = ReportFactory()
    response = post_slug_override(admin_client, report, "")
    assert response.context["adminform"].form.errors["text"] == [
        "此字段用于识别该条目（即其网址），不能为空。"
    ]
