"""Press data in the admin: private details, internal notes and history only for press
officers, editors and superusers (forum.press.policy); every other role gets the
public view. Pickers of what a contact covers offer drafts only to those who may open them.
"""

import re
from urllib.parse import quote_plus

import pytest
from django.urls import reverse
from reversion.models import Version

from forum.core import roles
from forum.models import MediaContact, Report
from forum.reports import workflow
from tests.factories import (
    EditionFactory,
    MediaContactFactory,
    ReportFactory,
    SessionFactory,
    UserFactory,
    user_in,
)
from tests.press.data import assert_no_private_details, digits
from tests.press.test_admin import url

pytestmark = pytest.mark.django_db

PUBLIC_VIEW_ROLES = (roles.AUTHORS, roles.TRANSLATORS, roles.REVIEWERS)
PRIVATE_VIEW_ROLES = (roles.EDITORS, roles.PRESS_OFFICERS)

OLD_MOBILE = "+8613900001111"
NEW_MOBILE = "+8613911112222"
EMAIL = "hidden.desk.7731@example.org"
NOTES = "Internal-only note zq7731: prefers WeChat after 9pm"


@pytest.fixture
def contact(client, form_data):
    """A public contact, linked to a published report, whose mobile (old and new), email
    and notes are private; its history records the change of mobile."""
    contact = MediaContactFactory(
        mobile=OLD_MOBILE,
        mobile_public=False,
        email=EMAIL,
        email_public=False,
        notes=NOTES,
        hours_en="Weekdays 9:00-18:00",
        languages="zh,en",
    )
    ReportFactory(headline_en="Published headline zq7731").media_contacts.add(contact)
    client.force_login(user_in(roles.PRESS_OFFICERS))
    data = form_data(client.get(url("change", contact.pk)))
    data.update({"mobile": NEW_MOBILE, "_save": "Save"})
    assert client.post(url("change", contact.pk), data).status_code == 302
    client.logout()
    contact.refresh_from_db()
    assert contact.mobile == NEW_MOBILE
    return contact


def assert_nothing_private(text, contact):
    assert_no_private_details(text, contact)
    assert digits(OLD_MOBILE).removeprefix("86") not in digits(text)
    for secret in (EMAIL, NOTES, "zq7731: prefers"):
        assert secret not in text


def without_search_term(response):
    """The page without what was typed in its search box (repeated in the box and links)."""
    content = response.content.decode()
    typed = response.context["cl"].query if response.context and "cl" in response.context else ""
    for form in (typed, quote_plus(typed)) if typed else ():
        content = content.replace(form, "")
    return content


def admin_pages(client, contact):
    """{page: response} of every admin page that names the contact or could find it."""
    report = contact.reports.get()
    version = Version.objects.get_for_object(contact).first()
    autocomplete = {"app_label": "forum", "model_name": "report", "field_name": "media_contacts"}
    return {
        "index": client.get(reverse("admin:index")),
        "list": client.get(url("changelist")),
        "search by name": client.get(url("changelist"), {"q": contact.name_en}),
        "search by email": client.get(url("changelist"), {"q": EMAIL}),
        "search by mobile": client.get(url("changelist"), {"q": "139 1111 2222"}),
        "search by old mobile": client.get(url("changelist"), {"q": "13900001111"}),
        "search by notes": client.get(url("changelist"), {"q": "WeChat"}),
        "view": client.get(url("change", contact.pk)),
        "history": client.get(url("history", contact.pk)),
        "revision": client.get(url("revision", contact.pk, version.pk)),
        "recover list": client.get(url("recoverlist")),
        "export form": client.get(url("export")),
        "autocomplete": client.get("/admin/autocomplete/", {**autocomplete, "term": "Contact"}),
        "autocomplete by email": client.get(
            "/admin/autocomplete/", {**autocomplete, "term": "hidden.desk"}
        ),
        "report change form": client.get(url("change", report.pk, model="report")),
        "report history": client.get(url("history", report.pk, model="report")),
    }


@pytest.mark.parametrize("role", PUBLIC_VIEW_ROLES)
def test_private_press_data_appears_nowhere_in_the_admin_for_roles_without_it(
    client, contact, role
):
    client.force_login(user_in(role))
    pages = admin_pages(client, contact)
    for page, response in pages.items():
        # 302: a report an author did not write reads as absent (workflow.can_open).
        assert response.status_code in (200, 302, 403), page
        assert_nothing_private(without_search_term(response), contact)
    # The pages are there, and show what they should.
    assert contact.name_en in pages["view"].content.decode()
    if role != roles.AUTHORS:
        assert contact.name_en in pages["report change form"].content.decode()
    assert contact.name_en in pages["autocomplete"].content.decode()
    for page in ("search by email", "search by mobile", "search by old mobile", "search by notes"):
        assert pages[page].context["cl"].result_count == 0, page
    assert pages["search by name"].context["cl"].result_count == 1


@pytest.mark.parametrize("role", PRIVATE_VIEW_ROLES)
def test_private_press_data_shown_to_press_office_and_editors(client, contact, role):
    client.force_login(user_in(role))
    pages = admin_pages(client, contact)
    assert EMAIL in pages["view"].content.decode()
    assert NOTES in pages["view"].content.decode()
    assert "+8613900001111" in pages["history"].content.decode()  # the old value
    for page in ("search by email", "search by mobile"):
        assert pages[page].context["cl"].result_count == 1, page


def test_public_view_shows_public_details_from_public_details(client, contact, page_text):
    client.force_login(user_in(roles.REVIEWERS))
    text = page_text(client.get(url("change", contact.pk)))
    public = contact.public_details()
    assert f"+86 10 6425 5855 ext. {public['office_extension']}" in text
    assert "Weekdays 9:00-18:00" in text
    assert "Chinese (Mandarin), English" in text
    assert "Published headline zq7731" in text


@pytest.mark.parametrize("role", PUBLIC_VIEW_ROLES)
def test_history_refused_and_unlinked_for_roles_without_private_access(client, contact, role):
    client.force_login(user_in(role))
    assert client.get(url("history", contact.pk)).status_code == 403
    view = client.get(url("change", contact.pk)).content.decode()
    assert url("history", contact.pk) not in view


@pytest.mark.parametrize("role", PUBLIC_VIEW_ROLES)
def test_view_page_has_no_export_button_for_view_only_roles(client, contact, role):
    """The button posts the change form, which view-only roles may not (403)."""
    client.force_login(user_in(role))
    assert "_export-item" not in client.get(url("change", contact.pk)).content.decode()


@pytest.mark.parametrize("role", PUBLIC_VIEW_ROLES)
def test_filter_on_private_field_refused_for_roles_without_private_access(client, contact, role):
    client.force_login(user_in(role))
    response = client.get(url("changelist"), {"notes__contains": "WeChat"})
    assert response.status_code == 400


@pytest.mark.parametrize("role", (*PUBLIC_VIEW_ROLES, *PRIVATE_VIEW_ROLES, "superuser"))
def test_media_contact_view_page_renders_for_every_role(client, contact, role):
    """It raised 'ManyToManyRel' object has no attribute 'empty_values' for view-only roles
    (the reports picker is not a model field)."""
    user = UserFactory(username="root", superuser=True) if role == "superuser" else user_in(role)
    client.force_login(user)
    response = client.get(url("change", contact.pk))
    assert response.status_code == 200
    assert contact.name_en in response.content.decode()
    assert "Published headline zq7731" in response.content.decode()


@pytest.mark.parametrize("role", PUBLIC_VIEW_ROLES)
def test_roles_without_private_access_may_not_change_contacts(client, contact, role, form_data):
    client.force_login(user_in(role))
    response = client.post(url("change", contact.pk), {"name_en": "Changed", "_save": "Save"})
    assert response.status_code == 403
    assert MediaContact.objects.get(pk=contact.pk).name_en == contact.name_en


# --- Pickers of what a contact covers --------------------------------------------------------


@pytest.fixture
def drafts():
    edition = EditionFactory(is_published=False, year=2031)
    return {
        "report": ReportFactory(
            headline_en="Draft headline zq5512", status=Report.Status.DRAFT, published_at=None
        ),
        "session": SessionFactory(title_en="Unannounced session zq5512", is_published=False),
        "edition": edition,
    }


def test_reports_picker_offers_press_officer_published_reports_only(client, drafts):
    published = ReportFactory(headline_en="Published headline zq5512")
    client.force_login(user_in(roles.PRESS_OFFICERS))
    response = client.get(url("add"))
    assert list(response.context["adminform"].form.fields["reports"].queryset) == [published]
    content = response.content.decode()
    assert "Published headline zq5512" in content
    assert "Draft headline zq5512" not in content


def test_programme_pickers_offer_press_officer_published_rows_only(client, drafts):
    client.force_login(user_in(roles.PRESS_OFFICERS))
    form = client.get(url("add")).context["adminform"].form
    assert drafts["session"] not in form.fields["sessions"].queryset
    assert drafts["edition"] not in form.fields["editions"].queryset
    assert "Unannounced session zq5512" not in client.get(url("add")).content.decode()


def test_reports_picker_offers_editor_drafts(client, drafts):
    client.force_login(user_in(roles.EDITORS))
    form = client.get(url("add")).context["adminform"].form
    assert drafts["report"] in form.fields["reports"].queryset
    assert drafts["session"] in form.fields["sessions"].queryset


def test_press_officer_save_keeps_links_to_unpublished_rows(client, drafts, form_data):
    published = ReportFactory()
    contact = MediaContactFactory()
    contact.reports.add(drafts["report"])
    contact.sessions.add(drafts["session"])
    contact.editions.add(drafts["edition"])
    client.force_login(user_in(roles.PRESS_OFFICERS))
    data = form_data(client.get(url("change", contact.pk)))
    data.update({"reports": [str(published.pk)], "job_title_en": "Spokesperson", "_save": "Save"})
    assert client.post(url("change", contact.pk), data).status_code == 302
    contact.refresh_from_db()
    assert contact.job_title_en == "Spokesperson"
    # The published report gets the contact when an editor publishes its working copy.
    assert list(contact.reports.all()) == [drafts["report"]]
    assert workflow.covered_by(contact) == {drafts["report"].pk, published.pk}
    assert list(contact.sessions.all()) == [drafts["session"]]
    assert list(contact.editions.all()) == [drafts["edition"]]


def test_press_officer_may_not_link_a_draft_report(client, drafts, form_data):
    contact = MediaContactFactory()
    client.force_login(user_in(roles.PRESS_OFFICERS))
    data = form_data(client.get(url("change", contact.pk)))
    data.update({"reports": [str(drafts["report"].pk)], "_save": "Save"})
    response = client.post(url("change", contact.pk), data)
    assert response.status_code == 200
    assert "reports" in response.context["adminform"].form.errors
    assert not contact.reports.exists()


def test_history_names_an_unpublished_report_by_number_only(client, drafts, form_data):
    contact = MediaContactFactory()
    client.force_login(user_in(roles.EDITORS))
    data = form_data(client.get(url("change", contact.pk)))
    data.update({"reports": [str(drafts["report"].pk)], "_save": "Save"})
    assert client.post(url("change", contact.pk), data).status_code == 302
    client.force_login(user_in(roles.PRESS_OFFICERS))
    history = client.get(url("history", contact.pk)).content.decode()
    assert f"Reports: #{drafts['report'].pk}" in history
    assert "Draft headline zq5512" not in history


def test_edition_filter_lists_press_officer_published_editions_only(client, drafts):
    published = EditionFactory(year=2032)
    contact = MediaContactFactory()
    contact.editions.add(published, drafts["edition"])
    client.force_login(user_in(roles.PRESS_OFFICERS))
    content = client.get(url("changelist")).content.decode()
    assert re.search(rf"editions__id__exact={published.pk}\b", content)
    assert not re.search(rf"editions__id__exact={drafts['edition'].pk}\b", content)
