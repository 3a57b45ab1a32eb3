"""The editorial workflow: roles × actions × states, the publication gate, translation
freshness, live vs working copy, scheduling, revisions, concurrent edits and previews."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone, translation
from reversion.models import Version

from forum.models import Credit, Report, ReportTransition
from forum.reports import freshness, workflow
from tests.factories import CreditFactory, PersonFactory, ReportFactory, UserFactory

Status = Report.Status
ACTIONS = ("submit", "approve", "reject", "publish", "unpublish", "reopen")
ROLE_NAMES = ("author", "other_author", "translator", "reviewer", "editor", "press")


def complete_report(author, **kwargs):
    """A report complete in both languages with an author and a reviewer credited."""
    kwargs.setdefault("status", Status.DRAFT)
    kwargs.setdefault("published_at", None)
    report = ReportFactory(created_by=author, **kwargs)
    CreditFactory(report=report, role=Credit.Role.AUTHOR)
    CreditFactory(report=report, role=Credit.Role.REVIEWER)
    return report


def call(action, report, user, comment="a reason"):
    if action == "publish":
        return workflow.report_publish(report=report, user=user, comment=comment)
    if action == "unpublish":
        return workflow.report_unpublish(report=report, user=user, reason=comment)
    return getattr(workflow, f"report_{action}")(report=report, user=user, comment=comment)


# Who may take each action from each state; every other combination is refused.
ALLOWED = {
    ("submit", Status.DRAFT): {"author", "translator", "reviewer", "editor"},
    ("approve", Status.IN_REVIEW): {"reviewer", "editor"},
    ("reject", Status.IN_REVIEW): {"reviewer", "editor"},
    ("reject", Status.APPROVED): {"reviewer", "editor"},
    ("publish", Status.APPROVED): {"editor"},
    ("unpublish", Status.PUBLISHED): {"editor"},
    ("reopen", Status.WITHDRAWN): {"editor"},
}
EXPECTED_STATE = {
    "submit": Status.IN_REVIEW,
    "approve": Status.APPROVED,
    "reject": Status.DRAFT,
    "publish": Status.PUBLISHED,
    "unpublish": Status.WITHDRAWN,
    "reopen": Status.DRAFT,
}


@pytest.mark.parametrize("state", [s.value for s in Status])
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_permission_matrix(people, role, action, state):
    published_at = timezone.now() - datetime.timedelta(hours=1)
    report = complete_report(
        people["author"],
        status=state,
        published_at=published_at if state == Status.PUBLISHED else None,
    )
    user = people[role]
    allowed = role in ALLOWED.get((action, state), set())
    if allowed:
        updated = call(action, report, user)
        assert updated.status == EXPECTED_STATE[action]
        step = ReportTransition.objects.get(report=report)
        assert (step.user, step.action, step.from_state) == (user, action, state)
    else:
        with pytest.raises(workflow.WorkflowError) as refused:
            call(action, report, user)
        assert str(refused.value)  # a message the person can read
        fresh = Report.objects.get(pk=report.pk)
        assert (fresh.status, fresh.version) == (state, report.version)
        assert not ReportTransition.objects.filter(report=report).exists()


def test_reject_requires_a_comment(people):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    with pytest.raises(workflow.WorkflowError, match="comment is required"):
        workflow.report_reject(report=report, user=people["reviewer"], comment="  ")
    assert Report.objects.get(pk=report.pk).status == Status.IN_REVIEW


def test_unpublish_requires_a_reason(people):
    report = complete_report(people["author"], status=Status.PUBLISHED, published_at=timezone.now())
    with pytest.raises(workflow.WorkflowError, match="reason is required"):
        workflow.report_unpublish(report=report, user=people["editor"], reason="")
    assert Report.objects.get(pk=report.pk).status == Status.PUBLISHED


def test_reject_records_comment_visible_in_history(people):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    workflow.report_reject(report=report, user=people["reviewer"], comment="Check the figures")
    step = report.transitions.get()
    assert (step.action, step.from_state, step.to_state, step.comment) == (
        "reject",
        Status.IN_REVIEW,
        Status.DRAFT,
        "Check the figures",
    )


# --- The publication gate ---------------------------------------------------------------


def test_approve_refused_when_chinese_incomplete(people):
    report = complete_report(people["author"], status=Status.IN_REVIEW, body_zh_hans="")
    with pytest.raises(workflow.WorkflowError, match="中文 is incomplete"):
        workflow.report_approve(report=report, user=people["reviewer"])
    assert Report.objects.get(pk=report.pk).status == Status.IN_REVIEW


def test_approve_refused_without_reviewer_credit(people):
    report = ReportFactory(status=Status.IN_REVIEW, published_at=None)
    CreditFactory(report=report, role=Credit.Role.AUTHOR)
    with pytest.raises(workflow.WorkflowError, match="reviewer"):
        workflow.report_approve(report=report, user=people["editor"])


def test_image_without_alt_text_blocks_approval(people):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    Report.objects.filter(pk=report.pk).update(hero_image="reports/x.jpg", hero_image_alt_en="")
    with pytest.raises(workflow.WorkflowError, match="image description"):
        workflow.report_approve(report=report, user=people["reviewer"])


def test_names_known_only_in_latin_letters_do_not_block_publication(people, client):
    # A name is not a translation: credits without Chinese characters pass the gate, and
    # the Chinese byline names them as given.
    report = ReportFactory(created_by=people["author"], status=Status.APPROVED, published_at=None)
    for role, family, given in (
        (Credit.Role.AUTHOR, "Liu", "Changjie"),
        (Credit.Role.REVIEWER, "Cui", "Keliang"),
    ):
        person = PersonFactory(
            family_name_en=family,
            given_name_en=given,
            family_name_zh_hans="",
            given_name_zh_hans="",
        )
        CreditFactory(report=report, person=person, role=role)
    assert workflow.publication_problems(report) == []
    workflow.report_publish(report=report, user=people["editor"])
    page = client.get(f"/zh-hans/reports/{Report.objects.get(pk=report.pk).slug_zh_hans}/")
    assert "Liu Changjie" in page.content.decode()
    assert "Cui Keliang" in page.content.decode()


def test_demo_keynote_report_passes_the_publication_gate(demo):
    report = Report.objects.get()
    assert report.credits.filter(person__family_name_zh_hans="").count() == 2
    assert workflow.publication_problems(report) == []


def test_single_language_report_passes_gate_in_that_language(people, client):
    report = complete_report(
        people["author"],
        status=Status.APPROVED,
        headline_zh_hans="",
        summary_zh_hans="",
        body_zh_hans="",
        slug_zh_hans=None,
    )
    with pytest.raises(workflow.WorkflowError):
        workflow.report_publish(report=report, user=people["editor"])
    workflow.report_set_single_language(report=report, user=people["editor"], language_code="en")
    workflow.report_publish(report=report, user=people["editor"])
    assert client.get(f"/en/reports/{report.slug_en}/").status_code == 200
    notice = client.get(f"/zh-hans/reports/{report.slug_en}/")
    assert notice.status_code == 200
    text = notice.content.decode()
    assert "仅有英文版" in text or "English only" in text
    assert f'href="/en/reports/{report.slug_en}/"' in text
    assert 'name="robots" content="noindex"' in text


def test_only_editors_mark_single_language(people):
    report = complete_report(people["author"])
    with pytest.raises(workflow.WorkflowError):
        workflow.report_set_single_language(
            report=report, user=people["reviewer"], language_code="en"
        )
    assert Report.objects.get(pk=report.pk).single_language == ""


# --- Scheduling -------------------------------------------------------------------------


def test_scheduled_publication_appears_when_its_time_comes(people, client):
    report = complete_report(people["author"], status=Status.APPROVED)
    publish_at = timezone.now() + datetime.timedelta(hours=2)
    workflow.report_publish(report=report, user=people["editor"], publish_at=publish_at)
    assert list(Report.objects.published()) == []
    assert client.get(f"/en/reports/{report.slug_en}/").status_code == 404
    later = publish_at + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert list(Report.objects.published()) == [report]
        assert client.get(f"/en/reports/{report.slug_en}/").status_code == 200
    assert report.transitions.get().to_state == "scheduled"


def test_scheduled_report_can_be_withdrawn_before_its_time(people):
    report = complete_report(people["author"], status=Status.APPROVED)
    workflow.report_publish(
        report=report, user=people["editor"], publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    workflow.report_unpublish(report=report, user=people["editor"], reason="Embargo moved")
    assert Report.objects.get(pk=report.pk).status == Status.WITHDRAWN


# --- Live vs working copy, translation freshness ----------------------------------------


@pytest.fixture
def live_report(people):
    report = complete_report(people["author"], status=Status.APPROVED)
    return workflow.report_publish(report=report, user=people["editor"])


def edit(report, user, **values):
    report = Report.objects.get(pk=report.pk).apply_working_copy()
    for column, value in values.items():
        setattr(report, column, value)
    return workflow.report_save(report=report, user=user, expected_version=report.version)


def test_editing_live_report_leaves_public_page_unchanged(people, live_report, client):
    edit(live_report, people["editor"], body_en="<p>A corrected body.</p>")
    page = client.get(f"/en/reports/{live_report.slug_en}/").content.decode()
    assert "The body." in page
    assert "A corrected body." not in page
    report = Report.objects.get(pk=live_report.pk)
    assert report.pending_changes == {"body_en": "<p>A corrected body.</p>"}
    assert report.pending_status == Status.DRAFT


def test_changed_english_body_marks_chinese_outdated_and_blocks_publish(people, live_report):
    edit(live_report, people["editor"], body_en="<p>A corrected body.</p>")
    report = Report.objects.get(pk=live_report.pk)
    assert [(i.field, i.language_code) for i in freshness.outdated_translations(report)] == [
        ("body", "zh-hans")
    ]
    assert report.translations_outdated
    item = freshness.outdated_translations(report)[0]
    assert "-The body." in item.source_diff() and "+A corrected body." in item.source_diff()
    workflow.report_submit(report=report, user=people["reviewer"])
    with pytest.raises(workflow.WorkflowError, match="中文 body is outdated"):
        workflow.report_approve(report=report, user=people["reviewer"])


def test_translator_update_clears_outdated_then_publish_goes_live(people, live_report, client):
    edit(live_report, people["editor"], body_en="<p>A corrected body.</p>")
    edit(live_report, people["translator"], body_zh_hans="<p>更正后的正文。</p>")
    report = Report.objects.get(pk=live_report.pk)
    assert freshness.outdated_translations(report) == []
    assert not report.translations_outdated
    workflow.report_submit(report=report, user=people["translator"])
    workflow.report_approve(report=report, user=people["reviewer"])
    workflow.report_publish(report=report, user=people["editor"])
    assert "A corrected body." in client.get(f"/en/reports/{report.slug_en}/").content.decode()
    assert (
        "更正后的正文。" in client.get(f"/zh-hans/reports/{report.slug_zh_hans}/").content.decode()
    )
    published = Report.objects.get(pk=report.pk)
    assert (published.pending_changes, published.pending_status) == ({}, "")
    assert published.published_at == live_report.published_at


def test_editor_override_clears_outdated(people, live_report):
    edit(live_report, people["editor"], body_en="<p>The body!</p>")
    report = workflow.report_override_outdated(
        report=Report.objects.get(pk=live_report.pk),
        user=people["editor"],
        field="body",
        language_code="zh-hans",
    )
    assert freshness.outdated_translations(report) == []
    assert not Report.objects.get(pk=report.pk).translations_outdated  # what lists filter on
    assert report.transitions.filter(action="override").exists()


def test_reviewer_cannot_override_outdated(people, live_report):
    edit(live_report, people["editor"], body_en="<p>The body!</p>")
    with pytest.raises(workflow.WorkflowError):
        workflow.report_override_outdated(
            report=live_report, user=people["reviewer"], field="body", language_code="zh-hans"
        )


def test_translator_cannot_change_original_language(people):
    report = complete_report(people["author"])
    with translation.override("en"), pytest.raises(workflow.WorkflowError, match="Translators"):
        edit(report, people["translator"], headline_en="Changed by a translator")
    assert Report.objects.get(pk=report.pk).headline_en == report.headline_en


def test_author_edits_only_own_drafts(people):
    report = complete_report(people["author"])
    edit(report, people["author"], headline_en="Mine")
    with pytest.raises(workflow.WorkflowError):
        edit(report, people["other_author"], headline_en="Not mine")
    workflow.report_submit(report=report, user=people["author"])
    with pytest.raises(workflow.WorkflowError):
        edit(report, people["author"], headline_en="After submitting")


def test_byline_is_frozen_at_publication(people, live_report, client):
    author = live_report.credits.get(role=Credit.Role.AUTHOR).person
    author.given_name_en = "Renamed"
    author.save()
    page = client.get(f"/en/reports/{live_report.slug_en}/").content.decode()
    assert "Renamed" not in page


# --- Concurrent edits -------------------------------------------------------------------


def test_stale_save_is_refused_and_input_kept(people, client, form_data):
    report = complete_report(people["author"])
    editor, reviewer = people["editor"], people["reviewer"]
    url = f"/admin/forum/report/{report.pk}/change/"
    client.force_login(editor)
    editors_form = form_data(client.get(url))
    client.force_login(reviewer)
    reviewers_form = form_data(client.get(url))
    reviewers_form["headline_en"] = "The reviewer's headline"
    assert client.post(url, reviewers_form).status_code == 302

    client.force_login(editor)
    editors_form["headline_en"] = "The editor's headline"
    response = client.post(url, editors_form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this report" in page
    assert "The reviewer&#x27;s headline" in page or "The reviewer's headline" in page
    assert "The editor&#x27;s headline" in page  # the editor's input is still in the form
    assert Report.objects.get(pk=report.pk).headline_en == "The reviewer's headline"
    # Having seen both, the editor chooses their own headline.
    assert 'name="merge_headline_en"' in page
    assert client.post(url, form_data(response)).status_code == 200  # no choice made yet
    assert client.post(url, {**form_data(response), "merge_headline_en": "mine"}).status_code == 302
    assert Report.objects.get(pk=report.pk).headline_en == "The editor's headline"


def test_service_refuses_stale_version(people):
    report = complete_report(people["author"])
    stale = report.version
    edit(report, people["editor"], headline_en="First")
    report = Report.objects.get(pk=report.pk)
    report.headline_en = "Second"
    with pytest.raises(workflow.ConcurrentEditError):
        workflow.report_save(report=report, user=people["reviewer"], expected_version=stale)
    assert Report.objects.get(pk=report.pk).headline_en == "First"


# --- Revisions --------------------------------------------------------------------------


def test_every_save_keeps_a_revision_with_both_languages_and_credits(people):
    report = complete_report(people["author"])
    edit(report, people["editor"], headline_en="Version two", headline_zh_hans="第二版")
    version = Version.objects.get_for_object(report).first()
    content = workflow.version_content(version)
    assert content["content"]["headline_en"] == "Version two"
    assert content["content"]["headline_zh_hans"] == "第二版"
    assert [role for _person, role in content["credits"]] == ["author", "reviewer"]


def test_restore_makes_a_new_revision(people, client):
    report = complete_report(people["author"])
    edit(report, people["editor"], headline_en="Version one")
    edit(report, people["editor"], headline_en="Version two")
    versions = list(Version.objects.get_for_object(report))
    assert len(versions) == 2
    old = versions[1]
    client.force_login(people["editor"])
    response = client.post(f"/admin/forum/report/{report.pk}/revisions/{old.pk}/restore/")
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).headline_en == "Version one"
    assert Version.objects.get_for_object(report).count() == 3


def test_reviewer_cannot_restore(people, client):
    report = complete_report(people["author"])
    edit(report, people["editor"], headline_en="Version one")
    version = Version.objects.get_for_object(report).first()
    client.force_login(people["reviewer"])
    client.post(f"/admin/forum/report/{report.pk}/revisions/{version.pk}/restore/")
    assert Version.objects.get_for_object(report).count() == 1


def test_compare_shows_field_and_language_changes(people, client):
    report = complete_report(people["author"])
    edit(report, people["editor"], headline_en="Old words here")
    edit(report, people["editor"], headline_en="New words here", body_zh_hans="<p>新正文</p>")
    new, old = list(Version.objects.get_for_object(report))[:2]
    client.force_login(people["editor"])
    page = client.get(
        f"/admin/forum/report/{report.pk}/revisions/compare/?a={old.pk}&b={new.pk}"
    ).content.decode()
    assert "<del>Old</del>" in page and "<ins>New</ins>" in page
    assert "<ins>新正文</ins>" in page


def test_compare_with_bad_ids_is_not_an_error(people, client):
    report = complete_report(people["author"])
    client.force_login(people["editor"])
    response = client.get(f"/admin/forum/report/{report.pk}/revisions/compare/?a=x&b=")
    assert response.status_code == 302


# --- Preview and the admin --------------------------------------------------------------


def test_preview_shows_working_copy_with_banner_and_headers(people, live_report, client):
    edit(live_report, people["editor"], headline_en="Working headline")
    client.force_login(people["reviewer"])
    response = client.get(f"/en/preview/reports/{live_report.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Working headline" in page
    assert "Preview — not published" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    chinese = client.get(f"/zh-hans/preview/reports/{live_report.pk}/")
    assert "预览" in chinese.content.decode()


def test_preview_is_404_for_anonymous_and_non_staff(people, client):
    report = complete_report(people["author"])
    assert client.get(f"/en/preview/reports/{report.pk}/").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/en/preview/reports/{report.pk}/").status_code == 404
    client.force_login(people["press"])
    assert client.get(f"/en/preview/reports/{report.pk}/").status_code == 404


@pytest.mark.parametrize(
    "state", [Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.WITHDRAWN]
)
def test_unpublished_states_are_404_for_the_public(people, client, state):
    report = complete_report(people["author"], status=state)
    for path in (f"/en/reports/{report.slug_en}/", f"/zh-hans/reports/{report.slug_zh_hans}/"):
        assert client.get(path).status_code == 404


def test_transition_buttons_through_the_admin(people, client):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    client.force_login(people["reviewer"])
    url = f"/admin/forum/report/{report.pk}/transition/reject/"
    client.post(url, {"comment": ""})
    assert Report.objects.get(pk=report.pk).status == Status.IN_REVIEW
    client.post(url, {"comment": "Needs sources"})
    assert Report.objects.get(pk=report.pk).status == Status.DRAFT
    assert client.get(url).status_code == 405


def test_reviewer_publish_button_is_refused_on_the_server(people, client):
    report = complete_report(people["author"], status=Status.APPROVED)
    client.force_login(people["reviewer"])
    response = client.post(f"/admin/forum/report/{report.pk}/transition/publish/", follow=True)
    assert Report.objects.get(pk=report.pk).status == Status.APPROVED
    assert "permission" in response.content.decode()


def test_publish_at_is_entered_in_site_time_zone(people, client):
    report = complete_report(people["author"], status=Status.APPROVED)
    client.force_login(people["editor"])
    client.post(
        f"/admin/forum/report/{report.pk}/transition/publish/",
        {"publish_at": "2099-05-01T09:30"},
    )
    published_at = Report.objects.get(pk=report.pk).published_at
    assert timezone.localtime(published_at).isoformat() == "2099-05-01T09:30:00+08:00"


def test_press_officer_cannot_open_reports(people, client):
    report = complete_report(people["author"])
    client.force_login(people["press"])
    assert client.get("/admin/forum/report/").status_code == 403
    assert client.get(f"/admin/forum/report/{report.pk}/change/").status_code == 403


def test_author_may_not_open_others_draft(people, client, form_data):
    """workflow.can_open: an author opens only their own reports; another's reads as absent."""
    report = complete_report(people["author"])
    client.force_login(people["other_author"])
    url = f"/admin/forum/report/{report.pk}/change/"
    response = client.get(url)
    assert response.status_code == 302
    assert report.headline_en not in client.get(response.url).content.decode()
    client.post(url, {"headline_en": "Taken over"})
    assert Report.objects.get(pk=report.pk).headline_en == report.headline_en


def test_dashboard_counts_link_to_filtered_lists(people, client):
    complete_report(people["author"])
    complete_report(people["author"], status=Status.IN_REVIEW)
    client.force_login(people["author"])
    page = client.get("/admin/").content.decode()
    assert "My drafts" in page
    assert "?mine=1&amp;state=draft" in page
    changelist = client.get("/admin/forum/report/?mine=1&state=draft")
    assert changelist.context["cl"].result_count == 1


def test_outdated_list_shows_source_diff_for_translators(people, live_report, client):
    edit(live_report, people["editor"], body_en="<p>A corrected body.</p>")
    client.force_login(people["translator"])
    page = client.get("/admin/forum/report/outdated/").content.decode()
    assert "<del>The</del><ins>A corrected</ins> body." in page
    assert client.get("/admin/forum/report/?outdated=1").context["cl"].result_count == 1


def test_new_person_in_credit_list_for_new_report(people):
    # Authors can create reports and people for the byline.
    assert people["author"].has_perm("forum.add_report")
    assert people["author"].has_perm("forum.add_person")
    assert PersonFactory().pk


def test_translator_form_shows_english_read_only_and_chinese_editable(people, client):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    client.force_login(people["translator"])
    page = client.get(f"/admin/forum/report/{report.pk}/change/").content.decode()
    assert 'name="headline_zh_hans"' in page
    assert 'name="headline_en"' not in page
    assert report.headline_en in page  # the source text, to translate from


def test_single_language_mark_hides_existing_translation(people, client):
    report = complete_report(people["author"], status=Status.APPROVED)
    workflow.report_set_single_language(report=report, user=people["editor"], language_code="en")
    workflow.report_publish(report=report, user=people["editor"])
    chinese = client.get(f"/zh-hans/reports/{report.slug_zh_hans}/").content.decode()
    assert report.headline_zh_hans not in chinese
    assert f'href="/en/reports/{report.slug_en}/"' in chinese
    assert report.headline_zh_hans not in client.get("/zh-hans/reports/").content.decode()
    english = client.get(f"/en/reports/{report.slug_en}/").content.decode()
    assert f"/zh-hans/reports/{report.slug_zh_hans}/" not in english
