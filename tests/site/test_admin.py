import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from forum.models import (
    Edition,
    MediaContact,
    Person,
    Report,
    Session,
    TraditionalOverride,
)
from tests.factories import EditionFactory, OrganisationFactory, PersonFactory, ReportFactory

pytestmark = pytest.mark.django_db

FORUM_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "forum"),
    key=lambda model: model._meta.model_name,
)
MODEL_IDS = [model._meta.model_name for model in FORUM_MODELS]


def admin_url(model, view, *args):
    return reverse(f"admin:forum_{model._meta.model_name}_{view}", args=args)


def switch_admin_to_chinese(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/admin/"})
    assert response.status_code == 302
    return response


def chinese(text):
    with translation.override("zh-hans"):
        return str(translation.gettext(text))


def has_cjk(text):
    return re.search(r"[\u4e00-\u9fff]", text) is not None


# --- Every page opens -------------------------------------------------------------------


def test_admin_registers_the_content_models():
    assert set(MODEL_IDS) >= {
        "edition",
        "forum",
        "mediacontact",
        "organisation",
        "person",
        "report",
        "session",
        "speech",
    }


@pytest.mark.parametrize("model", FORUM_MODELS, ids=MODEL_IDS)
def test_admin_changelist_ok(admin_client, demo, model):
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()


@pytest.mark.parametrize("model", FORUM_MODELS, ids=MODEL_IDS)
def test_admin_add_view_ok(admin_client, demo, model):
    response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == 200
    assert response.context["adminform"].form.instance.pk is None


# Models the demo has rows of: every one but field overrides, which editors write when a
# conversion needs correcting (tests/hant/test_admin.py opens theirs).
DEMO_MODELS = [model for model in FORUM_MODELS if model is not TraditionalOverride]


@pytest.mark.parametrize("model", DEMO_MODELS, ids=[m._meta.model_name for m in DEMO_MODELS])
def test_admin_change_view_of_every_demo_row_ok(admin_client, demo, model):
    objects = list(model.objects.all())
    assert objects, f"the demo content has no {model.__name__}"
    for obj in objects:
        response = admin_client.get(admin_url(model, "change", obj.pk))
        assert response.status_code == 200, obj
        assert response.context["original"] == obj


def test_admin_index_in_chinese_after_setlang(admin_client, page_text):
    switch_admin_to_chinese(admin_client)
    text = page_text(admin_client.get("/admin/"))
    assert "站点管理" in text
    assert chinese("reports") == "报道"
    assert "报道" in text


@pytest.mark.parametrize("view", ["changelist", "add"])
@pytest.mark.parametrize("model", FORUM_MODELS, ids=MODEL_IDS)
def test_admin_page_in_chinese_after_setlang(admin_client, demo, page_text, model, view):
    switch_admin_to_chinese(admin_client)
    response = admin_client.get(admin_url(model, view))
    assert response.status_code == 200
    name = chinese(
        model._meta.verbose_name_plural if view == "changelist" else model._meta.verbose_name
    )
    assert has_cjk(name), f"no Chinese translation of {model._meta.verbose_name!r}"
    assert name in page_text(response)


# --- Static assets ----------------------------------------------------------------------


@pytest.mark.parametrize("model", [Report, Session, Person, MediaContact], ids=lambda m: m.__name__)
def test_admin_uses_our_jquery_ui(admin_client, demo, model):
    content = admin_client.get(
        admin_url(model, "change", model.objects.first().pk)
    ).content.decode()
    assert "vendor/jquery-ui/jquery-ui.min.js" in content
    assert "ajax.googleapis.com" not in content


# --- Completeness column ----------------------------------------------------------------


def test_admin_report_list_shows_missing_chinese(admin_client, page_text):
    ReportFactory(
        headline_en="English only report",
        headline_zh_hans="",
        summary_zh_hans="",
        body_zh_hans="",
        slug_zh_hans=None,
    )
    text = page_text(admin_client.get(admin_url(Report, "changelist")))
    assert "EN ✓" in text
    assert "中文 ✗" in text


def test_admin_report_list_shows_complete_report(admin_client, page_text):
    ReportFactory()
    text = page_text(admin_client.get(admin_url(Report, "changelist")))
    assert "EN ✓" in text
    assert "中文 ✓" in text


# --- Report add form --------------------------------------------------------------------


def report_post_data(form_data, client, edition, author, reviewer):
    """The add form's rendered defaults, filled in with both languages and two credits."""
    data = form_data(client.get(admin_url(Report, "add")))
    data.update(report_values(edition, author, reviewer))
    return data


def report_values(edition, author, reviewer):
    return {
        "headline_en": "A new report",
        "headline_zh_hans": "一篇新报道",
        "slug_en": "a-new-report",
        "slug_zh_hans": "yi-pian-xin-baodao",
        "summary_en": "Its summary.",
        "summary_zh_hans": "摘要。",
        "body_en": "<p>Its body.</p>",
        "body_zh_hans": "<p>正文。</p>",
        "hero_image_alt_en": "",
        "hero_image_alt_zh_hans": "",
        "status": Report.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "publisher": "",
        "edition": str(edition.pk),
        "session": "",
        "include_background": "on",
        "authors": str(author.pk),
        "reviewers": str(reviewer.pk),
        "_save": "Save",
    }


def test_admin_report_add_creates_report_and_credits(admin_client, superuser, form_data):
    edition = EditionFactory()
    author, reviewer = PersonFactory(), PersonFactory()
    response = admin_client.post(
        admin_url(Report, "add"),
        report_post_data(form_data, admin_client, edition, author, reviewer),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    report = Report.objects.get()
    assert (report.headline_en, report.headline_zh_hans) == ("A new report", "一篇新报道")
    assert (report.slug_en, report.slug_zh_hans) == ("a-new-report", "yi-pian-xin-baodao")
    assert report.edition == edition
    assert report.created_by == superuser
    assert [(c.person, c.role) for c in report.credits.all()] == [
        (author, "author"),
        (reviewer, "reviewer"),
    ]


def test_admin_report_add_refuses_chinese_slug(admin_client, form_data):
    data = report_post_data(
        form_data, admin_client, EditionFactory(), PersonFactory(), PersonFactory()
    )
    data["slug_zh_hans"] = "一篇新报道"
    response = admin_client.post(admin_url(Report, "add"), data)
    assert response.status_code == 200
    assert "slug_zh_hans" in response.context["adminform"].form.errors
    assert Report.objects.count() == 0


# --- Session roles inline ---------------------------------------------------------------


def test_admin_session_saves_role_with_two_titles(admin_client, demo, form_data):
    session = Session.objects.get()
    url = admin_url(Session, "change", session.pk)
    data = form_data(admin_client.get(url))
    assert data["roles-TOTAL_FORMS"] == "1"
    li_wenhai = Person.objects.get(slug="li-wenhai")
    data.update(
        {
            "roles-TOTAL_FORMS": "2",
            "roles-1-id": "",
            "roles-1-session": str(session.pk),
            "roles-1-person": str(li_wenhai.pk),
            "roles-1-role": "discussant",
            "roles-1-order": "2",
            "roles-1-printed_titles_en": "Vice Mayor, Tianjin\r\nMember, a committee",
            "roles-1-printed_titles_zh_hans": "天津市副市长\r\n某委员会委员",
            "_save": "Save",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and [
        formset.errors for formset in response.context["inline_admin_formsets"]
    ]
    role = session.roles.get(person=li_wenhai)
    with translation.override("en"):
        assert role.printed_title_list() == ["Vice Mayor, Tianjin", "Member, a committee"]
    with translation.override("zh-hans"):
        assert role.printed_title_list() == ["天津市副市长", "某委员会委员"]
    assert session.roles.count() == 2


# --- Media contacts ---------------------------------------------------------------------


def contact_post_data(form_data, client, organisation, **changes):
    """The add form as an editor fills it in: the rendered defaults plus these values."""
    data = form_data(client.get(admin_url(MediaContact, "add")))
    data.update(
        {
            "name_en": "New Contact",
            "name_zh_hans": "新联系人",
            "organisation": str(organisation.pk),
            "mobile": "18666028168",
            "office_phone": "64255855-8014",
            "office_extension": "",
            "_save": "Save",
        }
    )
    data.update(changes)
    return data


def test_admin_media_contact_office_phone_normalised(admin_client, form_data):
    organisation = OrganisationFactory()
    response = admin_client.post(
        admin_url(MediaContact, "add"), contact_post_data(form_data, admin_client, organisation)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    contact = MediaContact.objects.get(name_en="New Contact")
    assert (contact.mobile, contact.office_phone, contact.office_extension) == (
        "+8618666028168",
        "+861064255855",
        "8014",
    )
    assert contact.is_public is False


def test_admin_media_contact_bad_phone_is_form_error(admin_client, form_data):
    organisation = OrganisationFactory()
    response = admin_client.post(
        admin_url(MediaContact, "add"),
        contact_post_data(form_data, admin_client, organisation, mobile="12345"),
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["mobile"]
    assert not MediaContact.objects.filter(name_en="New Contact").exists()


def test_admin_media_contact_bad_office_phone_is_form_error(admin_client, form_data):
    organisation = OrganisationFactory()
    response = admin_client.post(
        admin_url(MediaContact, "add"),
        contact_post_data(form_data, admin_client, organisation, office_phone="abc"),
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["office_phone"]


def test_admin_edition_end_before_start_is_form_error(admin_client, demo, form_data):
    edition = Edition.objects.get()
    url = admin_url(Edition, "change", edition.pk)
    data = form_data(admin_client.get(url))
    data.update({"end_date": "2024-03-23", "_save": "Save"})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    edition.refresh_from_db()
    assert str(edition.end_date) == "2024-03-25"


# --- Search and autocomplete ------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "term", "expected"),
    [
        (Person, "Wenhai", "li-wenhai"),
        (Person, "文海", "li-wenhai"),
        (Report, "数字化", "li-wenhai-digital-empowerment-industrial-transformation"),
        (MediaContact, "Silu", "Guo Silu"),
        (Edition, "2024", "2024"),
        (Session, "Digital", "digital-empowerment-industrial-transformation"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_admin_search_finds_demo_row(admin_client, demo, model, term, expected):
    response = admin_client.get(admin_url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    found = [
        str(getattr(obj, "slug_en", None) or getattr(obj, "slug", None) or obj.name_en)
        for obj in response.context["cl"].result_list
    ]
    assert found == [expected]


def autocomplete_fields():
    """(model, field) for every autocomplete field of the forum admins and their inlines."""
    fields = set()
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "forum":
            continue
        fields.update((model, name) for name in model_admin.autocomplete_fields)
        for inline in model_admin.inlines:
            fields.update((inline.model, name) for name in inline.autocomplete_fields)
    return sorted(fields, key=lambda item: (item[0]._meta.model_name, item[1]))


AUTOCOMPLETE_FIELDS = autocomplete_fields()


@pytest.mark.parametrize(
    ("model", "field_name"),
    AUTOCOMPLETE_FIELDS,
    ids=[f"{model._meta.model_name}.{field}" for model, field in AUTOCOMPLETE_FIELDS],
)
def test_admin_autocomplete_answers(admin_client, demo, model, field_name):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "forum", "model_name": model._meta.model_name, "field_name": field_name},
    )
    assert response.status_code == 200
    assert response.json()["results"], f"nothing to choose for {field_name}"
