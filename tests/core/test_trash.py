"""The trash: deleting in the admin moves a report, edition, session, person or media
contact there; it is off the public site, an editor (a press officer too, for contacts)
restores it with its history, revisions and links, and purge_trash deletes it for good
after 30 days (forum/models/trash.py)."""

import datetime
from io import StringIO

import pytest
import reversion
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from reversion.models import Version

from forum.core import roles
from forum.models import (
    Credit,
    Edition,
    MediaContact,
    Person,
    Report,
    ReportTransition,
    Session,
    Speech,
)
from forum.press.services import media_contact_restore_from_trash, media_contact_trash
from forum.programme.services import programme_item_trash
from forum.reports.workflow import report_trash
from forum.templatetags.forum_admin import editor_dashboard
from tests.factories import (
    CreditFactory,
    MediaContactFactory,
    PersonFactory,
    ReportFactory,
    SessionFactory,
    SpeechFactory,
    UserFactory,
    user_in,
)

pytestmark = pytest.mark.django_db


def a_report_with_history():
    """A published report with a credit, a speech, a contact, a workflow step and a revision."""
    editor = user_in(roles.EDITORS)
    report = ReportFactory(headline_en="Trashed headline zebra", slug_en="trashed-zebra")
    CreditFactory(report=report)
    report.speeches.add(SpeechFactory(session=SessionFactory(edition=report.edition)))
    report.media_contacts.add(MediaContactFactory())
    ReportTransition.objects.create(
        report=report, user=editor, action="publish", from_state="approved", to_state="published"
    )
    with reversion.create_revision():
        reversion.set_user(editor)
        report.save()
    return report, editor


def links_of(report):
    return (
        list(report.credits.values_list("person", "role")),
        list(report.speeches.values_list("pk", flat=True)),
        list(report.media_contacts.values_list("pk", flat=True)),
    )


def versions_of(report):
    return Version.objects.get_for_object_reference(Report, report.pk).count()


def delete_in_admin(client, model_name, pk):
    return client.post(f"/admin/forum/{model_name}/{pk}/delete/", {"post": "yes"}, follow=True)


# --- Deleting: into the trash, off the public site ---------------------------------------


def test_deleting_a_report_in_the_admin_moves_it_to_the_trash_with_its_history(client):
    report, editor = a_report_with_history()
    links = links_of(report)
    client.force_login(editor)

    delete_in_admin(client, "report", report.pk)

    report = Report.objects.get(pk=report.pk)
    assert report.deleted_at is not None
    assert report.deleted_by == editor
    assert report.transitions.count() == 1
    assert versions_of(report) == 1
    assert links_of(report) == links


PUBLIC_PLACES = (
    "/en/reports/",
    "/en/feeds/reports.atom",
    "/en/search/?q=zebra",
    "/api/v1/reports/",
    "/sitemap-reports.xml",
)


def test_a_report_in_the_trash_is_on_no_public_page_feed_search_or_api(client):
    report, editor = a_report_with_history()
    # Each place lists the report before it goes to the trash.
    assert all("trashed-zebra" in client.get(path).content.decode() for path in PUBLIC_PLACES)
    client.force_login(editor)
    delete_in_admin(client, "report", report.pk)
    client.logout()

    assert Report.objects.in_trash().get() == report
    assert client.get("/en/reports/trashed-zebra/").status_code == 404
    for path in PUBLIC_PLACES:
        assert "trashed-zebra" not in client.get(path).content.decode(), path


def test_a_session_of_a_trashed_edition_is_not_public():
    session = SessionFactory()
    editor = user_in(roles.EDITORS)
    programme_item_trash(item=session.edition, user=editor)

    assert not Session.objects.published().filter(pk=session.pk).exists()
    assert not Speech.objects.published().filter(session=session).exists()


def test_a_trashed_person_page_is_gone(client):
    person = PersonFactory(slug="li-wenhai")
    client.force_login(user_in(roles.EDITORS))
    delete_in_admin(client, "person", person.pk)
    client.logout()

    assert client.get("/en/people/li-wenhai/").status_code == 404
    assert Person.objects.get(pk=person.pk).deleted_at is not None


def test_an_edition_with_sessions_goes_to_the_trash_with_them_kept(client):
    session = SessionFactory()
    edition = session.edition
    client.force_login(user_in(roles.EDITORS))

    delete_in_admin(client, "edition", edition.pk)

    assert Edition.objects.get(pk=edition.pk).deleted_at is not None
    assert Session.objects.get(pk=session.pk).edition == edition
    assert client.get(f"/en/{edition.slug}/").status_code == 404


def test_a_trashed_media_contact_has_no_vcard(client):
    contact = MediaContactFactory()
    client.force_login(user_in(roles.PRESS_OFFICERS))
    delete_in_admin(client, "mediacontact", contact.pk)
    client.logout()

    assert MediaContact.objects.in_trash().get() == contact
    assert client.get(f"/en/press/contacts/{contact.pk}.vcf").status_code == 404
    assert not MediaContact.objects.public().filter(pk=contact.pk).exists()


def test_the_bulk_delete_action_moves_the_selection_to_the_trash(client):
    sessions = SessionFactory.create_batch(2)
    client.force_login(user_in(roles.EDITORS))

    client.post(
        "/admin/forum/session/",
        {
            "action": "trash_selected",
            "_selected_action": [session.pk for session in sessions],
            "post": "yes",
        },
    )

    assert Session.objects.in_trash().count() == 2
    assert Session.objects.count() == 2


def test_admin_lists_and_pickers_leave_out_the_trash(client):
    kept = PersonFactory(family_name_en="Keptname")
    trashed = PersonFactory(family_name_en="Trashedname")
    client.force_login(user_in(roles.EDITORS))
    delete_in_admin(client, "person", trashed.pk)

    listed = client.get("/admin/forum/person/").content.decode()
    assert "Keptname" in listed and "Trashedname" not in listed
    in_trash = client.get("/admin/forum/person/?trash=1").content.decode()
    assert "Trashedname" in in_trash and "Keptname" not in in_trash
    picked = client.get(
        "/admin/autocomplete/",
        {"term": "name", "app_label": "forum", "model_name": "speech", "field_name": "speaker"},
    ).json()
    assert [result["id"] for result in picked["results"]] == [str(kept.pk)]
    assert client.get(f"/admin/forum/person/{trashed.pk}/change/").status_code == 302


# --- Restoring -----------------------------------------------------------------------------


def test_an_editor_restores_a_report_with_its_history_revisions_and_links(client):
    report, editor = a_report_with_history()
    links = links_of(report)
    client.force_login(editor)
    delete_in_admin(client, "report", report.pk)

    client.post(
        "/admin/forum/report/?trash=1",
        {"action": "restore_selected", "_selected_action": [report.pk]},
    )

    report = Report.objects.get(pk=report.pk)
    assert report.deleted_at is None and report.deleted_by is None
    assert report.transitions.count() == 1
    assert versions_of(report) == 1
    assert links_of(report) == links
    client.logout()
    assert client.get("/en/reports/trashed-zebra/").status_code == 200


def test_a_press_officer_restores_a_media_contact(client):
    contact = MediaContactFactory()
    officer = user_in(roles.PRESS_OFFICERS)
    client.force_login(officer)
    delete_in_admin(client, "mediacontact", contact.pk)

    client.post(
        "/admin/forum/mediacontact/?trash=1",
        {"action": "restore_selected", "_selected_action": [contact.pk]},
    )

    assert MediaContact.objects.public().filter(pk=contact.pk).exists()
    messages = [entry.get_change_message() for entry in LogEntry.objects.order_by("pk")]
    assert messages == ["Moved to the trash.", "Restored from the trash."]


def test_the_trash_list_says_who_deleted_what_and_when(client):
    person = PersonFactory(family_name_en="Trashedname")
    editor = user_in(roles.EDITORS, username="deleting-editor")
    client.force_login(editor)
    delete_in_admin(client, "person", person.pk)

    page = client.get("/admin/forum/person/?trash=1").content.decode()

    assert "deleting-editor" in page
    assert "Restore selected people" in page


# --- Who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [roles.AUTHORS, roles.TRANSLATORS, roles.REVIEWERS])
def test_other_roles_cannot_move_a_report_to_the_trash(client, role):
    report = ReportFactory()
    client.force_login(user_in(role))

    response = delete_in_admin(client, "report", report.pk)

    assert response.status_code == 403
    assert Report.objects.get(pk=report.pk).deleted_at is None


def test_a_reviewer_cannot_restore_a_report(client):
    report = ReportFactory()
    editor = user_in(roles.EDITORS)
    report_trash(report=report, user=editor)
    client.force_login(user_in(roles.REVIEWERS))

    client.post(
        "/admin/forum/report/?trash=1",
        {"action": "restore_selected", "_selected_action": [report.pk]},
    )

    assert Report.objects.get(pk=report.pk).deleted_at is not None


def test_an_author_cannot_restore_a_contact_through_the_service():
    contact = MediaContactFactory()
    media_contact_trash(contact=contact, user=user_in(roles.PRESS_OFFICERS))

    with pytest.raises(PermissionDenied):
        media_contact_restore_from_trash(contact=contact, user=user_in(roles.AUTHORS))
    assert MediaContact.objects.get(pk=contact.pk).deleted_at is not None


def test_a_press_officer_cannot_move_a_person_to_the_trash():
    person = PersonFactory()
    with pytest.raises(PermissionDenied):
        programme_item_trash(item=person, user=user_in(roles.PRESS_OFFICERS))
    assert Person.objects.get(pk=person.pk).deleted_at is None


# --- Purging -------------------------------------------------------------------------------


def trashed_days_ago(item, days):
    type(item).objects.filter(pk=item.pk).update(
        deleted_at=timezone.now() - datetime.timedelta(days=days),
        deleted_by=UserFactory(),
    )


def test_purge_deletes_a_report_older_than_30_days_with_its_history_and_revisions():
    report, _editor = a_report_with_history()
    trashed_days_ago(report, 31)

    call_command("purge_trash", stdout=StringIO())

    assert not Report.objects.filter(pk=report.pk).exists()
    assert not ReportTransition.objects.filter(report_id=report.pk).exists()
    assert versions_of(report) == 0
    assert not Version.objects.get_for_model(Credit).exists()


def test_purge_keeps_what_is_younger_than_30_days_and_what_a_dry_run_names():
    recent, _editor = a_report_with_history()
    trashed_days_ago(recent, 29)
    old = ReportFactory()
    trashed_days_ago(old, 31)
    out = StringIO()

    call_command("purge_trash", "--dry-run", stdout=out)

    assert f"forum.Report #{old.pk}" in out.getvalue()
    assert f"#{recent.pk}" not in out.getvalue()
    assert Report.objects.count() == 2
    call_command("purge_trash", "--days", "60", stdout=StringIO())
    assert Report.objects.count() == 2


def test_purge_keeps_an_item_something_outside_the_trash_still_needs():
    credit = CreditFactory()
    trashed_days_ago(credit.person, 31)
    out = StringIO()

    call_command("purge_trash", stdout=out)

    assert Person.objects.filter(pk=credit.person.pk).exists()
    assert f"Kept forum.Person #{credit.person.pk}" in out.getvalue()


def test_purge_deletes_an_edition_after_its_trashed_sessions():
    session = SessionFactory()
    trashed_days_ago(session, 31)
    trashed_days_ago(session.edition, 31)

    call_command("purge_trash", stdout=StringIO())

    assert not Edition.objects.exists() and not Session.objects.exists()


@pytest.mark.parametrize(
    ("language", "question", "button"),
    [("en", "to the trash?", "Move to the trash"), ("zh-hans", "移入回收站？", "移入回收站")],
)
def test_the_delete_page_offers_the_trash_in_each_language(client, language, question, button):
    session = SessionFactory()
    client.force_login(user_in(roles.EDITORS))

    page = client.get(
        f"/admin/forum/session/{session.pk}/delete/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()

    assert question in page
    assert f'value="{button}"' in page


def test_the_admin_home_counts_leave_out_the_trash():
    editor = user_in(roles.EDITORS)
    ReportFactory(status=Report.Status.IN_REVIEW, published_at=None)
    trashed = ReportFactory(status=Report.Status.IN_REVIEW, published_at=None)

    report_trash(report=trashed, user=editor)

    counts = {str(label): count for label, count, _url in editor_dashboard(editor)}
    assert counts["Awaiting review"] == 1


def test_the_bulk_action_asks_first_and_changes_nothing_until_confirmed(client):
    session = SessionFactory(title_en="Asked-about session")
    client.force_login(user_in(roles.EDITORS))

    page = client.post(
        "/admin/forum/session/",
        {"action": "trash_selected", "_selected_action": [session.pk]},
    ).content.decode()

    assert "Asked-about session" in page
    assert 'value="Move to the trash"' in page
    assert not Session.objects.in_trash().exists()
