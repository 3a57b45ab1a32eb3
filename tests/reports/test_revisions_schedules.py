"""Revisions and schedules: the live and the scheduled revision marked, restore previewed
then confirmed, a scheduled publication cancelled or moved, times in the site's zone."""

import datetime

import pytest
from django.utils import timezone
from reversion.models import Version

from forum.models import Report
from forum.reports import workflow
from tests.reports.desk_people import complete_report, edit

Status = Report.Status


def later(**kwargs):
    return timezone.now() + datetime.timedelta(**kwargs)


@pytest.fixture
def scheduled(people):
    report = complete_report(people["author"], status=Status.APPROVED)
    return workflow.report_publish(report=report, user=people["editor"], publish_at=later(days=2))


def revisions_page(client, report):
    return client.get(f"/admin/forum/report/{report.pk}/revisions/")


# --- Live and scheduled marked -------------------------------------------------------------


def test_live_revision_is_the_latest_publication(people, client):
    report = complete_report(people["author"], status=Status.APPROVED)
    workflow.report_publish(report=report, user=people["editor"])
    edit(report, people["editor"], headline_en="A correction in progress")
    client.force_login(people["editor"])
    response = revisions_page(client, report)
    marks = [mark for _version, mark in response.context["versions"]]
    # Newest first: the edit after publishing, then the publication.
    assert marks == [None, "live"]
    assert "revision-badge live" in response.content.decode()


def test_scheduled_revision_is_marked_with_its_time(people, client, scheduled):
    client.force_login(people["editor"])
    response = revisions_page(client, scheduled)
    assert [mark for _v, mark in response.context["versions"]] == ["scheduled"]
    page = response.content.decode()
    local = timezone.localtime(scheduled.published_at).strftime("%Y-%m-%d %H:%M")
    assert f'{local} <span class="time-zone">Asia/Shanghai</span>' in page
    moment = timezone.localtime(scheduled.published_at).isoformat(timespec="seconds")
    assert f'datetime="{moment}"' in page
    assert "js/local-times.js" in page


def test_no_mark_for_a_draft(people, client):
    report = complete_report(people["author"])
    edit(report, people["editor"], headline_en="Two")
    client.force_login(people["editor"])
    assert [m for _v, m in revisions_page(client, report).context["versions"]] == [None]


# --- Restore in two steps ------------------------------------------------------------------


def two_versions(people):
    report = complete_report(people["author"])
    edit(report, people["editor"], headline_en="Version one")
    edit(report, people["editor"], headline_en="Version two")
    newest, older = Version.objects.get_for_object(report)[:2]
    return report, older


def test_restore_get_previews_and_changes_nothing(people, client):
    report, older = two_versions(people)
    client.force_login(people["editor"])
    url = f"/admin/forum/report/{report.pk}/revisions/{older.pk}/restore/"
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<del>two</del>" in page and "<ins>one</ins>" in page
    assert '<form method="post" class="restore-confirm">' in page
    assert Report.objects.get(pk=report.pk).headline_en == "Version two"
    assert Version.objects.get_for_object(report).count() == 2


def test_restore_post_confirms(people, client):
    report, older = two_versions(people)
    client.force_login(people["editor"])
    response = client.post(f"/admin/forum/report/{report.pk}/revisions/{older.pk}/restore/")
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).headline_en == "Version one"
    assert Version.objects.get_for_object(report).count() == 3


def test_revisions_page_links_to_the_preview_not_a_post(people, client):
    report, older = two_versions(people)
    client.force_login(people["editor"])
    page = revisions_page(client, report).content.decode()
    assert f'href="/admin/forum/report/{report.pk}/revisions/{older.pk}/restore/"' in page
    assert 'method="post" action="/admin/forum/report/' not in page


def test_restore_preview_refused_to_non_editors(people, client):
    report, older = two_versions(people)
    client.force_login(people["reviewer"])
    url = f"/admin/forum/report/{report.pk}/revisions/{older.pk}/restore/"
    assert client.get(url).status_code == 403
    # The restore itself is the workflow's decision: it says why and writes nothing.
    response = client.post(url, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        "Only editors can restore a revision."
    ]
    assert Report.objects.get(pk=report.pk).headline_en == "Version two"
    assert Version.objects.get_for_object(report).count() == 2


# --- Cancel or move a schedule -------------------------------------------------------------


def test_cancel_schedule_returns_to_approved_and_is_recorded(people, scheduled):
    report = workflow.report_cancel_schedule(
        report=scheduled, user=people["editor"], comment="Embargo moved"
    )
    assert (report.status, report.published_at) == (Status.APPROVED, None)
    assert not Report.objects.scheduled().filter(pk=report.pk).exists()
    step = report.transitions.first()
    assert (step.action, step.from_state, step.to_state, step.comment) == (
        "cancel_schedule",
        "scheduled",
        Status.APPROVED,
        "Embargo moved",
    )
    # Approved again, it can be published at once.
    assert workflow.report_publish(report=report, user=people["editor"]).is_public


def test_cancel_schedule_keeps_unreviewed_changes_unreviewed(people, scheduled):
    edit(scheduled, people["editor"], headline_en="Edited while waiting")
    report = workflow.report_cancel_schedule(report=scheduled, user=people["editor"])
    assert report.status == Status.DRAFT
    assert report.headline_en == "Edited while waiting" and report.pending_changes == {}


def test_reschedule_moves_the_time_and_records_both(people, scheduled):
    new_time = later(days=5)
    report = workflow.report_reschedule(
        report=scheduled, user=people["editor"], publish_at=new_time
    )
    assert report.published_at == new_time.replace(microsecond=0)
    assert report.is_scheduled
    step = report.transitions.first()
    assert step.action == "reschedule"
    assert step.to_state == timezone.localtime(new_time).strftime("%Y-%m-%d %H:%M")


def test_reschedule_to_the_past_is_refused(people, scheduled):
    with pytest.raises(workflow.WorkflowError, match="passed"):
        workflow.report_reschedule(
            report=scheduled, user=people["editor"], publish_at=later(minutes=-1)
        )
    assert Report.objects.get(pk=scheduled.pk).published_at == scheduled.published_at


@pytest.mark.parametrize("role", ["reviewer", "author", "translator"])
def test_schedule_changes_are_for_editors_only(people, scheduled, role):
    with pytest.raises(workflow.WorkflowError):
        workflow.report_cancel_schedule(report=scheduled, user=people[role])
    with pytest.raises(workflow.WorkflowError):
        workflow.report_reschedule(report=scheduled, user=people[role], publish_at=later(days=3))
    fresh = Report.objects.get(pk=scheduled.pk)
    assert fresh.is_scheduled and fresh.published_at == scheduled.published_at


def test_schedule_changes_refused_when_not_scheduled(people):
    report = complete_report(people["author"], status=Status.APPROVED)
    live = workflow.report_publish(report=report, user=people["editor"])
    with pytest.raises(workflow.WorkflowError, match="not scheduled"):
        workflow.report_cancel_schedule(report=live, user=people["editor"])
    with pytest.raises(workflow.WorkflowError, match="not scheduled"):
        workflow.report_reschedule(report=live, user=people["editor"], publish_at=later(days=1))
    assert Report.objects.get(pk=live.pk).is_public


def test_schedule_buttons_on_revisions_page_and_views(people, client, scheduled):
    client.force_login(people["editor"])
    page = revisions_page(client, scheduled).content.decode()
    move = f"/admin/forum/report/{scheduled.pk}/schedule/move/"
    cancel = f"/admin/forum/report/{scheduled.pk}/schedule/cancel/"
    assert f'action="{move}"' in page and f'action="{cancel}"' in page
    when = timezone.localtime(later(days=4)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(move, {"publish_at": when, "back": "revisions"})
    assert response.url == f"/admin/forum/report/{scheduled.pk}/revisions/"
    moved = Report.objects.get(pk=scheduled.pk)
    assert timezone.localtime(moved.published_at).strftime("%Y-%m-%dT%H:%M") == when
    # A bad time is a message, not an error page.
    client.post(move, {"publish_at": "not a time"})
    assert Report.objects.get(pk=scheduled.pk).published_at == moved.published_at
    client.post(cancel, {"comment": "Called off"})
    assert Report.objects.get(pk=scheduled.pk).status == Status.APPROVED


def test_schedule_buttons_hidden_from_reviewers(people, client, scheduled):
    client.force_login(people["reviewer"])
    page = revisions_page(client, scheduled).content.decode()
    assert "Scheduled publication" in page
    assert "/schedule/cancel/" not in page
    response = client.post(f"/admin/forum/report/{scheduled.pk}/schedule/cancel/")
    assert response.status_code == 302
    assert Report.objects.get(pk=scheduled.pk).is_scheduled


def test_restore_preview_shows_changed_links_too(people, client):
    report = complete_report(people["author"])
    edit(report, people["editor"], headline_en="Version one")
    edit(report, people["editor"], include_background=False)
    older = Version.objects.get_for_object(report)[1]
    client.force_login(people["editor"])
    response = client.get(f"/admin/forum/report/{report.pk}/revisions/{older.pk}/restore/")
    changed = {str(row["field"]) for row in response.context["rows"] if row["changed"]}
    assert changed == {"show background information"}
    assert "<del>no</del>" in response.content.decode()
