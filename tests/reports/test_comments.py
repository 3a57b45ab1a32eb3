"""Comments where people look: the latest workflow comments on top of the report's form,
and "Returned to you" on the admin home."""

from django.template.loader import render_to_string
from django.test import RequestFactory

from forum.models import Report
from forum.reports import desk, workflow
from tests.reports.desk_people import complete_report

Status = Report.Status


def context_for(user, report):
    request = RequestFactory().get("/")
    request.user = user
    return desk.form_context(request, Report.objects.get(pk=report.pk))


def test_form_context_puts_the_rejection_first(people):
    report = complete_report(people["author"])
    workflow.report_submit(report=report, user=people["author"], comment="Ready, I think.")
    workflow.report_reject(report=report, user=people["reviewer"], comment="Check the figures.")
    context = context_for(people["author"], report)
    assert context["form_notes_returned"]
    newest, older = context["form_notes"]
    assert newest["step"].comment == "Check the figures."
    assert (newest["action"], newest["from"], newest["to"]) == ("Reject", "In review", "Draft")
    assert newest["returned"] and not older["returned"]
    assert older["step"].comment == "Ready, I think."


def test_form_context_without_comments_shows_nothing(people):
    report = complete_report(people["author"])
    workflow.report_submit(report=report, user=people["author"])
    context = context_for(people["author"], report)
    assert context["form_notes"] == [] and not context["form_notes_returned"]
    assert render_to_string("admin/forum/report/includes/form_notes.html", context).strip() == ""


def test_form_notes_render_as_a_status_region_with_the_comment(people):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    workflow.report_reject(report=report, user=people["reviewer"], comment="Fix <the> lead.")
    html = render_to_string(
        "admin/forum/report/includes/form_notes.html", context_for(people["author"], report)
    )
    assert 'role="status"' in html and 'aria-labelledby="form-notes-heading"' in html
    assert "Sent back to you" in html
    assert "Fix &lt;the&gt; lead." in html
    assert '<time datetime="' in html and "Asia/Shanghai" in html


def test_resubmitting_ends_returned(people):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    workflow.report_reject(report=report, user=people["reviewer"], comment="Shorter, please.")
    workflow.report_submit(report=report, user=people["author"])
    assert not context_for(people["author"], report)["form_notes_returned"]
    assert desk.returned_to(people["author"]) == []


def test_dashboard_returned_to_you_lists_own_rejected_reports(people, client):
    mine = complete_report(people["author"], status=Status.IN_REVIEW)
    workflow.report_reject(report=mine, user=people["reviewer"], comment="Check the figures.")
    theirs = complete_report(people["editor"], status=Status.IN_REVIEW)
    workflow.report_reject(report=theirs, user=people["reviewer"], comment="Not yours.")
    client.force_login(people["author"])
    page = client.get("/admin/").content.decode()
    assert "Returned to you" in page
    assert f'href="/admin/forum/report/{mine.pk}/change/"' in page
    assert "Check the figures." in page
    assert "Not yours." not in page
    assert "My drafts" in page  # the counts stay


def test_dashboard_returned_to_the_last_saver_too(people):
    report = complete_report(people["editor"], status=Status.IN_REVIEW)
    Report.objects.filter(pk=report.pk).update(updated_by=people["translator"])
    workflow.report_reject(report=report, user=people["reviewer"], comment="Recheck.")
    assert [item["report"] for item in desk.returned_to(people["translator"])] == [report]


def test_no_returned_panel_without_rejections(people, client):
    complete_report(people["author"])
    client.force_login(people["author"])
    assert "Returned to you" not in client.get("/admin/").content.decode()
