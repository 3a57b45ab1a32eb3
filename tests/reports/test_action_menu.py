"""One form, one action menu: every button of the report form saves its edits and takes
its workflow step together, or does neither and shows the form again with the reason."""

import re

import pytest
from django.utils import timezone, translation

from forum.models import Credit, Report, ReportTransition
from forum.reports import workflow
from tests.factories import EditionFactory, PersonFactory
from tests.reports.editing import (
    Status,
    complete_report,
    form_errors,
    live_report,
    open_form,
    post,
)

pytestmark = pytest.mark.django_db


def menu(page):
    """The values of the action menu's buttons, in order."""
    assert 'id="action-menu"' in page, "no action menu"
    block = page[page.index('id="action-menu"') :]
    return re.findall(r'<button type="submit" name="_action" value="([a-z_]+)"', block)


@pytest.mark.parametrize(
    ("role", "state", "expected"),
    [
        ("author", Status.DRAFT, ["save", "submit"]),
        ("reviewer", Status.IN_REVIEW, ["save", "approve", "reject"]),
        ("editor", Status.IN_REVIEW, ["save", "approve", "approve_publish", "reject"]),
        ("editor", Status.APPROVED, ["save", "publish", "schedule", "reject"]),
        ("editor", Status.WITHDRAWN, ["save", "reopen"]),
    ],
)
def test_menu_offers_what_the_workflow_allows(client, people, role, state, expected):
    report = complete_report(people["author"], status=state)
    client.force_login(people[role])
    page = client.get(f"/admin/forum/report/{report.pk}/change/").content.decode()
    assert menu(page) == expected
    assert expected[1:] == workflow.available_actions(people[role], report)
    assert 'name="workflow_comment"' in page and "<textarea" in page
    assert ('name="publish_at"' in page) == ("schedule" in expected)
    assert 'name="expected_version"' in page
    assert "js/report-form.js" in page  # the unsaved-changes warning


def test_menu_of_a_live_report_offers_republish_and_unpublish(client, people):
    report = live_report(people)
    client.force_login(people["editor"])
    page = client.get(f"/admin/forum/report/{report.pk}/change/").content.decode()
    assert menu(page) == ["save", "republish", "unpublish"]
    assert "Save changes for review" in page


def test_add_form_saves_a_draft_or_submits(client, people, form_data):
    client.force_login(people["author"])
    page = client.get("/admin/forum/report/add/")
    assert menu(page.content.decode()) == ["save", "submit"]
    data = form_data(page)
    author, reviewer = PersonFactory(), PersonFactory()
    data.update(
        {
            "headline_en": "A new report",
            "headline_zh_hans": "一篇新报道",
            "summary_en": "Summary.",
            "summary_zh_hans": "摘要。",
            "body_en": "<p>Body.</p>",
            "body_zh_hans": "<p>正文。</p>",
            "edition": str(EditionFactory().pk),
            "authors": [str(author.pk)],
            "reviewers": [str(reviewer.pk)],
        }
    )
    response = post(client, "/admin/forum/report/add/", data, "submit")
    assert response.status_code == 302, form_errors(response)
    report = Report.objects.get()
    assert report.status == Status.IN_REVIEW
    assert report.created_by == people["author"]
    assert response["Location"] == f"/admin/forum/report/{report.pk}/change/"
    # Blank slugs are made from the headlines, the Chinese one in pinyin.
    assert (report.slug_en, report.slug_zh_hans) == ("a-new-report", "yi-pian-xin-bao-dao")


def test_edit_and_approve_in_one_step(client, people, form_data):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    client.force_login(people["reviewer"])
    url, data = open_form(client, form_data, report)
    data["headline_en"] = "Edited, then approved"
    data["headline_zh_hans"] = "修改后批准"  # both languages, or the Chinese is outdated
    assert post(client, url, data, "approve").status_code == 302
    report.refresh_from_db()
    assert (report.headline_en, report.status) == ("Edited, then approved", Status.APPROVED)
    assert report.transitions.get().action == "approve"


def test_refused_step_saves_nothing_and_keeps_the_edits(client, people, form_data):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    client.force_login(people["reviewer"])
    url, data = open_form(client, form_data, report)
    data["headline_en"] = "An edit that must not be lost"
    data["summary_zh_hans"] = ""  # the publication gate refuses approval without it
    response = post(client, url, data, "approve")
    assert response.status_code == 200
    page = response.content.decode()
    assert "中文 is incomplete: summary." in page
    assert "An edit that must not be lost" in page
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.headline_en, fresh.summary_zh_hans) == (report.headline_en, "摘要。")
    assert (fresh.status, fresh.version) == (Status.IN_REVIEW, report.version)
    assert not ReportTransition.objects.filter(report=report).exists()


def test_invalid_form_takes_no_step(client, people, form_data):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    client.force_login(people["reviewer"])
    url, data = open_form(client, form_data, report)
    data["slug_en"] = "Not A Slug!"
    response = post(client, url, data, "approve")
    assert response.status_code == 200
    assert "slug_en" in form_errors(response)
    assert Report.objects.get(pk=report.pk).status == Status.IN_REVIEW


@pytest.mark.parametrize(
    ("action", "state"), [("reject", Status.IN_REVIEW), ("unpublish", Status.PUBLISHED)]
)
def test_reject_and_unpublish_need_a_comment(client, people, form_data, action, state):
    report = (
        live_report(people)
        if state == Status.PUBLISHED
        else complete_report(people["author"], status=state)
    )
    client.force_login(people["editor"])
    url, data = open_form(client, form_data, report)
    response = post(client, url, data, action)
    assert response.status_code == 200
    assert "workflow_comment" in form_errors(response)
    assert Report.objects.get(pk=report.pk).status == state
    data["workflow_comment"] = "Check the figures"
    assert post(client, url, data, action).status_code == 302
    step = Report.objects.get(pk=report.pk).transitions.get(action=action)
    assert step.comment == "Check the figures"


def test_schedule_from_the_menu(client, people, form_data):
    report = complete_report(people["author"], status=Status.APPROVED)
    client.force_login(people["editor"])
    url, data = open_form(client, form_data, report)
    response = post(client, url, {**data, "publish_at": "2001-01-01T09:00"}, "schedule")
    assert response.status_code == 200
    assert "publish_at" in form_errors(response)
    response = post(client, url, {**data, "publish_at": "2099-05-01T09:30"}, "schedule")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_scheduled
    assert timezone.localtime(report.published_at).isoformat() == "2099-05-01T09:30:00+08:00"


def test_editor_approves_and_publishes_in_one_step(client, people, form_data):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    client.force_login(people["editor"])
    url, data = open_form(client, form_data, report)
    assert post(client, url, data, "approve_publish").status_code == 302
    report.refresh_from_db()
    assert report.is_public
    assert [step.action for step in report.transitions.order_by("pk")] == ["approve", "publish"]


def test_editor_publishes_an_edited_approved_report(client, people, form_data):
    # The edit sends it back to review (recorded); the editor approves it on the way.
    report = complete_report(people["author"], status=Status.APPROVED)
    client.force_login(people["editor"])
    url, data = open_form(client, form_data, report)
    data["headline_en"] = "Corrected before publication"
    data["headline_zh_hans"] = "发布前更正"
    assert post(client, url, data, "publish").status_code == 302
    report.refresh_from_db()
    assert report.is_public and report.headline_en == "Corrected before publication"
    steps = [(s.action, s.from_state, s.to_state) for s in report.transitions.order_by("pk")]
    assert steps == [
        ("edited", Status.APPROVED, Status.IN_REVIEW),
        ("approve", Status.IN_REVIEW, Status.APPROVED),
        ("publish", Status.APPROVED, Status.PUBLISHED),
    ]


def test_republish_a_correction_in_one_step(client, people, form_data):
    report = live_report(people)
    client.force_login(people["editor"])
    url, data = open_form(client, form_data, report)
    data["body_en"] = "<p>The corrected body.</p>"
    data["body_zh_hans"] = "<p>更正后的正文。</p>"
    data["workflow_comment"] = "Typo"
    assert post(client, url, data, "republish").status_code == 302
    page = client.get(f"/en/reports/{report.slug_en}/").content.decode()
    assert "The corrected body." in page
    report.refresh_from_db()
    assert (report.pending_changes, report.pending_status) == ({}, "")
    step = report.transitions.order_by("-pk").first()
    assert (step.action, step.to_state, step.comment) == ("republish", Status.PUBLISHED, "Typo")


def test_republish_with_nothing_changed_is_refused(client, people, form_data):
    report = live_report(people)
    client.force_login(people["editor"])
    url, data = open_form(client, form_data, report)
    response = post(client, url, data, "republish")
    assert response.status_code == 200
    assert "Nothing to republish" in response.content.decode()


def test_an_action_the_user_may_not_take_is_a_form_error(client, people, form_data):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    client.force_login(people["reviewer"])
    url, data = open_form(client, form_data, report)
    response = post(client, url, data, "publish")
    assert response.status_code == 200
    assert form_errors(response)
    assert Report.objects.get(pk=report.pk).status == Status.IN_REVIEW


def test_credits_are_picked_per_role_in_order(client, people, form_data):
    report = complete_report(people["author"])
    first, second, third = PersonFactory(), PersonFactory(), PersonFactory()
    client.force_login(people["author"])
    url, data = open_form(client, form_data, report)
    data["authors"] = [str(second.pk), str(first.pk)]
    data["reviewers"] = [str(third.pk)]
    assert post(client, url, data).status_code == 302
    credits = [(c.person, c.role) for c in Report.objects.get(pk=report.pk).credits.all()]
    assert credits == [
        (second, Credit.Role.AUTHOR),
        (first, Credit.Role.AUTHOR),
        (third, Credit.Role.REVIEWER),
    ]
    # The form prints them in that order again.
    page = client.get(url).content.decode()
    authors = re.search(r'<select name="authors".*?</select>', page, re.S).group()
    assert authors.index(f'value="{second.pk}"') < authors.index(f'value="{first.pk}"')


def test_translators_see_credits_read_only(client, people, form_data):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    before = list(report.credits.values_list("person", "role"))
    client.force_login(people["translator"])
    url, data = open_form(client, form_data, report)
    assert "authors" not in data
    data["headline_zh_hans"] = "译者的标题"
    assert post(client, url, data).status_code == 302
    assert list(report.credits.values_list("person", "role")) == before


def test_gate_messages_name_fields_as_editors_read_them(people):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    Report.objects.filter(pk=report.pk).update(
        hero_image="reports/x.jpg", hero_image_alt_en="", summary_en=""
    )
    report.refresh_from_db()
    with translation.override("en"):
        problems = " ".join(workflow.publication_problems(report))
    assert "summary, image description" in problems
    assert "hero_image_alt" not in problems


def test_old_step_forms_still_work(client, people):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    client.force_login(people["reviewer"])
    client.post(f"/admin/forum/report/{report.pk}/transition/approve/", {"comment": ""})
    assert Report.objects.get(pk=report.pk).status == Status.APPROVED
    assert report.transitions.get().action == "approve"


# --- One decision per click: the workflow's ---------------------------------------------


def assert_nothing_written(report):
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.version, fresh.status, fresh.updated_at) == (
        report.version,
        report.status,
        report.updated_at,
    )
    assert (fresh.headline_en, fresh.headline_zh_hans) == (
        report.headline_en,
        report.headline_zh_hans,
    )
    assert not ReportTransition.objects.filter(report=report).exists()


def test_a_step_refused_for_the_role_says_why_and_writes_nothing(client, people, form_data):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    client.force_login(people["translator"])  # may edit the translation, not approve it
    url, data = open_form(client, form_data, report)
    data["headline_zh_hans"] = "译者改过的标题"
    response = post(client, url, data, "approve")
    assert response.status_code == 200
    assert form_errors(response)["__all__"] == [
        "You do not have permission to approve this report."
    ]
    assert "译者改过的标题" in response.content.decode()  # the edit is kept in the form
    assert_nothing_written(report)


def test_a_step_refused_for_the_state_says_why_and_writes_nothing(client, people, form_data):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    client.force_login(people["reviewer"])
    url, data = open_form(client, form_data, report)
    data["headline_en"] = "An edit that waits for approval"
    response = post(client, url, data, "publish")
    assert form_errors(response)["__all__"] == [
        "“Publish” is not possible while the report is in review."
    ]
    assert_nothing_written(report)


def test_an_unknown_step_is_refused_and_writes_nothing(client, people, form_data):
    report = complete_report(people["author"])
    client.force_login(people["author"])
    url, data = open_form(client, form_data, report)
    data["headline_en"] = "Not to be saved"
    response = post(client, url, data, "delete_everything")
    assert form_errors(response)["__all__"] == ["Unknown action."]
    assert_nothing_written(report)
