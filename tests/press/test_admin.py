"""The press office's admin: permission boundaries, search, filters, import/export, history,
merging."""

import csv
import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from forum.core import roles
from forum.core.revision_notes import readable
from forum.models import Edition, MediaContact, Organisation, Report
from forum.press.imports import MediaContactResource, PublicMediaContactResource
from forum.reports import workflow
from tests.factories import EditionFactory, MediaContactFactory, user_in
from tests.press.data import contact_row, to_csv, to_xlsx

pytestmark = pytest.mark.django_db


def url(view, *args, model="mediacontact"):
    return reverse(f"admin:forum_{model}_{view}", args=args)


@pytest.fixture
def press_client(client, demo):
    client.force_login(user_in("Press officers"))
    return client


@pytest.fixture
def translator_client(client, demo):
    client.force_login(user_in("Translators"))
    return client


def guo_silu():
    return MediaContact.objects.get(name_en="Guo Silu")


# --- Permission boundaries -------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        lambda: url("changelist"),
        lambda: url("add"),
        lambda: url("change", guo_silu().pk),
        lambda: url("history", guo_silu().pk),
        lambda: url("import"),
        lambda: url("export"),
        lambda: url("recoverlist"),
    ],
    ids=["changelist", "add", "change", "history", "import", "export", "recover"],
)
def test_press_officer_opens_media_contact_pages(press_client, path):
    assert press_client.get(path()).status_code == 200


@pytest.mark.parametrize(
    ("model", "view"),
    [
        ("report", "changelist"),
        ("report", "add"),
        ("report", "change"),
        ("person", "changelist"),
        ("edition", "changelist"),
        ("session", "changelist"),
    ],
)
def test_press_officer_gets_403_outside_media_contacts(press_client, model, view):
    args = [Report.objects.get().pk] if view == "change" else []
    response = press_client.get(reverse(f"admin:forum_{model}_{view}", args=args))
    assert response.status_code == 403


def test_press_officer_admin_index_lists_contacts_and_organisations_only(press_client):
    models = {
        model["object_name"]
        for app in press_client.get("/admin/").context["app_list"]
        for model in app["models"]
    }
    assert models == {"MediaContact", "Organisation"}


def test_press_officer_cannot_change_organisations(press_client):
    organisation = Organisation.objects.get(short_name_en="CDRF")
    response = press_client.get(url("change", organisation.pk, model="organisation"))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


def test_organisation_autocomplete_works_for_press_officer(press_client):
    response = press_client.get(
        "/admin/autocomplete/",
        {
            "term": "CDRF",
            "app_label": "forum",
            "model_name": "mediacontact",
            "field_name": "organisation",
        },
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [
        "China Development Research Foundation"
    ]


def test_translator_may_not_import_contacts(translator_client):
    assert translator_client.get(url("import")).status_code == 403


def test_translator_exports_only_public_details(translator_client):
    response = translator_client.get(url("export"))
    assert response.status_code == 200
    assert [name for _value, name in response.context["form"].fields["resource"].choices] == [
        "Public details only (for journalists)"
    ]


# --- The change form ---------------------------------------------------------------------


def test_contact_added_in_admin_is_private_in_every_detail(press_client, form_data):
    data = form_data(press_client.get(url("add")))
    data.update(
        {
            "name_en": "Zhou Lan",
            "name_zh_hans": "周岚",
            "organisation": str(Organisation.objects.get(short_name_en="CDRF").pk),
            "mobile": "139 1111 2222",
            "office_phone": "64255855转8777",
            "email": "zhou@example.org",
            "_save": "Save",
        }
    )
    response = press_client.post(url("add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    contact = MediaContact.objects.get(name_en="Zhou Lan")
    assert (contact.mobile, contact.office_phone, contact.office_extension) == (
        "+8613911112222",
        "+861064255855",
        "8777",
    )
    assert contact.is_active is True
    assert contact.public_details() == {}


def test_duplicate_mobile_in_admin_is_a_clear_form_error(press_client, form_data):
    data = form_data(press_client.get(url("add")))
    data.update(
        {
            "name_en": "Someone Else",
            "organisation": str(Organisation.objects.get(short_name_en="CDRF").pk),
            "mobile": "186-6602-8168",
            "_save": "Save",
        }
    )
    response = press_client.post(url("add"), data)
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["mobile"]
    assert "Guo Silu" in errors["mobile"][0] and "merge" in errors["mobile"][0]


def test_change_form_attaches_reports_and_keeps_languages(press_client, form_data):
    contact = MediaContactFactory(languages="zh,en")
    report = Report.objects.get()
    data = form_data(press_client.get(url("change", contact.pk)))
    assert data["languages"] == ["zh", "en"]
    data.update({"reports": str(report.pk), "_save": "Save"})
    assert press_client.post(url("change", contact.pk), data).status_code == 302
    contact.refresh_from_db()
    assert contact.languages == "zh,en"
    # The report is live: the contact waits in its working copy until an editor publishes.
    assert not contact.reports.exists()
    assert contact.pk in Report.objects.get().pending_changes["media_contacts"]
    assert form_data(press_client.get(url("change", contact.pk)))["reports"] == str(report.pk)
    workflow.report_republish(report=report, user=user_in(roles.EDITORS))
    assert list(contact.reports.all()) == [report]


def test_history_records_who_and_what_changed(press_client, form_data):
    contact = guo_silu()
    data = form_data(press_client.get(url("change", contact.pk)))
    data.pop("mobile_public")
    data.update({"mobile": "139 1234 5678", "_save": "Save"})
    assert press_client.post(url("change", contact.pk), data).status_code == 302
    response = press_client.get(url("history", contact.pk))
    # Oldest first: the demo content's load, then the press officer's change.
    loaded, action = response.context["action_list"]
    assert loaded["revision"].user is None
    assert action["revision"].user.groups.get().name == "Press officers"
    comment = readable(action["revision"].comment)
    assert "Mobile: “+8618666028168” → “+8613912345678”" in comment
    assert "Mobile is public: yes → no" in comment


# --- Change list: search and filters -------------------------------------------------------


@pytest.mark.parametrize("term", ["186 6602 8168", "18666028168", "Silu", "Guo", "CDRF"])
def test_search_finds_contact_by_name_organisation_or_number(press_client, term):
    response = press_client.get(url("changelist"), {"q": term})
    assert guo_silu() in response.context["cl"].queryset


def test_search_by_extension(press_client):
    response = press_client.get(url("changelist"), {"q": "8223"})
    assert [c.name_en for c in response.context["cl"].queryset] == ["Shi Yafan"]


def test_filter_by_language(press_client):
    speaker = MediaContactFactory(languages="zh,fr")
    response = press_client.get(url("changelist"), {"language": "fr"})
    assert list(response.context["cl"].queryset) == [speaker]


def test_filter_by_edition(press_client):
    edition = Edition.objects.get()
    covering = MediaContactFactory()
    covering.editions.add(edition)
    response = press_client.get(url("changelist"), {"editions__id__exact": edition.pk})
    assert list(response.context["cl"].queryset) == [covering]


def test_filter_by_active_and_organisation(press_client):
    inactive = MediaContactFactory(is_active=False)
    response = press_client.get(
        url("changelist"),
        {"is_active__exact": "0", "organisation__id__exact": inactive.organisation_id},
    )
    assert list(response.context["cl"].queryset) == [inactive]


def test_changelist_marks_private_numbers(press_client, page_text):
    MediaContactFactory(name_en="Quiet Person", mobile="+8613955556666", mobile_public=False)
    text = page_text(press_client.get(url("changelist"), {"q": "Quiet"}))
    assert "+86 139 5555 6666 (private)" in text


# --- Import and export through the admin ---------------------------------------------------


def post_import(client, content, name="contacts.csv", file_format="0"):
    return client.post(
        url("import"),
        {"format": file_format, "import_file": SimpleUploadedFile(name, content)},
    )


def test_admin_import_formats_are_csv_and_excel(press_client):
    choices = press_client.get(url("import")).context["form"].fields["format"].choices
    assert [label for _value, label in choices if _value != ""] == ["csv", "xlsx"]


def test_admin_excel_import_preview_then_confirm(press_client, form_data):
    response = post_import(
        press_client, to_xlsx([contact_row(1), contact_row(2)]), "contacts.xlsx", "1"
    )
    assert response.context["result"].totals["new"] == 2
    assert MediaContact.objects.count() == 5
    response = press_client.post(
        url("process_import"), form_data(response, form_id="confirm-import-form")
    )
    assert response.status_code == 302
    assert (
        MediaContact.objects.filter(email__in=["press1@example.org", "press2@example.org"]).count()
        == 2
    )


def test_admin_import_error_report_names_line_and_column(press_client, page_text):
    response = post_import(press_client, to_csv([contact_row(1), contact_row(2, mobile="123")]))
    text = page_text(response)
    assert "1 row has errors. Nothing has been imported" in text
    assert "mobile: “123” is not a valid phone number." in text
    assert MediaContact.objects.count() == 5


def export_data(resource_index):
    resource = (MediaContactResource, PublicMediaContactResource)[resource_index]
    fields = resource().get_export_order()
    return {
        "format": "0",
        "resource": str(resource_index),
        **{f"{resource.__name__.lower()}_{field}": "on" for field in fields},
    }


def exported_rows(response):
    content = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def test_admin_export_of_a_filtered_selection(press_client):
    MediaContactFactory(name_en="Inactive Person", is_active=False)
    response = press_client.post(url("export") + "?is_active__exact=0", export_data(0))
    assert response.status_code == 200
    assert [row["name_en"] for row in exported_rows(response)] == ["Inactive Person"]


def test_admin_public_export_leaves_private_details_out(press_client):
    guo = guo_silu()
    guo.mobile_public = False
    guo.save()
    response = press_client.post(url("export"), export_data(1))
    rows = {row["name_en"]: row for row in exported_rows(response)}
    assert rows["Guo Silu"]["mobile"] == ""
    assert rows["Guo Silu"]["office_phone"] == "+86 10 6425 5855 ext. 8014"
    assert rows["Shi Yafan"]["mobile"] == "+86 138 1036 1966"


def test_admin_export_selected_action(press_client):
    guo = guo_silu()
    response = press_client.post(
        url("changelist"), {"action": "export_admin_action", "_selected_action": [guo.pk]}
    )
    assert response.status_code == 200
    assert response.context["form"].initial["export_items"] == [guo.pk]


# --- Merging duplicates ---------------------------------------------------------------------


def test_merge_action_asks_which_contact_to_keep_then_merges(press_client):
    keep = guo_silu()
    duplicate = MediaContactFactory(name_en="Guo Silu (old)", email="guo@example.org")
    edition = EditionFactory()
    duplicate.editions.add(edition)
    selected = {"action": "merge_contacts", "_selected_action": [keep.pk, duplicate.pk]}

    response = press_client.post(url("changelist"), selected)
    assert response.status_code == 200
    assert response.templates[0].name == "admin/forum/mediacontact/merge.html"
    assert MediaContact.objects.filter(pk=duplicate.pk).exists()

    response = press_client.post(
        url("changelist"), {**selected, "confirm-merge": "1", "keep": str(keep.pk)}
    )
    assert response.status_code == 302
    assert not MediaContact.objects.filter(pk=duplicate.pk).exists()
    keep.refresh_from_db()
    assert keep.email == "guo@example.org"
    assert list(keep.editions.all()) == [edition]
    assert list(keep.reports.all()) == [Report.objects.get()]
    assert "Merged" in readable(Version.objects.get_for_object(keep).first().revision.comment)


def test_merge_action_hidden_from_translators(translator_client):
    response = translator_client.get(url("changelist"))
    assert "merge_contacts" not in response.context["action_form"].fields["action"].choices[0]
    assert "merge_contacts" not in dict(response.context["action_form"].fields["action"].choices)


@pytest.mark.parametrize("admin_language", ["zh-hans", "zh-hant"])
@pytest.mark.parametrize("who", ["press", "translator"])
def test_contact_list_names_a_contact_known_only_in_latin_letters_in_the_chinese_admin(
    client, demo, admin_language, who
):
    client.force_login(user_in("Press officers" if who == "press" else "Translators"))
    assert not guo_silu().name_zh_hans  # the demo gives no made-up Chinese name

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = admin_language
    response = client.get(url("changelist"))

    assert response.status_code == 200
    change = url("change", guo_silu().pk)
    assert re.search(rf'<a href="{change}"[^>]*>Guo Silu</a>', response.content.decode())
