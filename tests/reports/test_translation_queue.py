"""The translators' queue: missing and outdated translations together, field by field, the
source's changes paragraph by paragraph, the source rendered, and "translation done"."""

import pytest
from django.test import Client

from forum.models import Report, ReportTransition
from forum.reports import freshness, workflow
from tests.reports.desk_people import complete_report, edit

Status = Report.Status
QUEUE = "/admin/forum/report/outdated/"


def tasks(report, codes=None):
    report = Report.objects.get(pk=report.pk)
    return [(t.kind, t.field, t.language_code) for t in freshness.translation_tasks(report, codes)]


# --- Freshness: emptying a translation is not a source change ----------------------------


def test_deleting_chinese_standfirst_does_not_mark_english_outdated(people):
    report = complete_report(people["author"])
    edit(report, people["editor"], summary_zh_hans="")
    fresh = Report.objects.get(pk=report.pk)
    assert freshness.outdated_translations(fresh) == []
    assert not fresh.translations_outdated
    assert tasks(report) == [("missing", "summary", "zh-hans")]


def test_rewritten_translation_after_emptying_is_current(people):
    report = complete_report(people["author"])
    edit(report, people["editor"], summary_zh_hans="")
    edit(report, people["translator"], summary_zh_hans="新的摘要。")
    assert tasks(report) == []


def test_source_changed_while_translation_empty_then_translated_is_current(people):
    report = complete_report(people["author"])
    edit(report, people["editor"], summary_zh_hans="", summary_en="A new summary.")
    assert tasks(report) == [("missing", "summary", "zh-hans")]
    edit(report, people["translator"], summary_zh_hans="新的摘要。")
    assert tasks(report) == []


def test_source_change_still_marks_translation_outdated(people):
    report = complete_report(people["author"])
    edit(report, people["editor"], summary_en="A changed summary.")
    assert tasks(report) == [("outdated", "summary", "zh-hans")]


# --- The paragraph-aware diff --------------------------------------------------------------


def test_paragraphs_split_on_block_tags_before_tags_are_removed():
    html = "<p>Banks and lenders.</p><p>Participants &amp; guests<br>met.</p><ul><li>One</li></ul>"
    assert freshness.paragraphs(html) == [
        "Banks and lenders.",
        "Participants & guests",
        "met.",
        "One",
    ]


def test_source_diff_does_not_run_paragraphs_together():
    item = freshness.OutdatedField(
        "body",
        "zh-hans",
        "en",
        "<p>Banks and lenders.</p><p>Participants met.</p>",
        "<p>Banks and lenders.</p><p>Participants met twice.</p>",
    )
    lines = item.source_diff()
    assert "lenders.Participants met." not in "".join(lines)
    assert "-Participants met." in lines and "+Participants met twice." in lines


def test_paragraph_diff_shows_added_removed_paragraphs_and_changed_words():
    changes = freshness.paragraph_diff(
        "<p>Banks and lenders.</p><p>Participants met.</p><p>An old closing line.</p>",
        "<p>Banks and other lenders.</p><p>Participants met.</p><p>Zzz.</p><p>Extra.</p>",
    )
    assert [(c.kind, c.text) for c in changes] == [
        ("changed", "Banks and other lenders."),
        ("removed", "An old closing line."),
        ("added", "Zzz."),
        ("added", "Extra."),
    ]
    assert ("added", "other ") in changes[0].words


def test_word_diff_of_chinese_is_by_character():
    assert freshness.word_diff("中国发展论坛", "中国高层论坛") == [
        ("same", "中国"),
        ("removed", "发展"),
        ("added", "高层"),
        ("same", "论坛"),
    ]


# --- What the queue lists ------------------------------------------------------------------


def test_missing_needs_text_in_the_other_language(people):
    report = complete_report(people["author"], summary_en="", summary_zh_hans="")
    assert tasks(report) == []
    Report.objects.filter(pk=report.pk).update(hero_image_alt_en="A photo")
    assert tasks(report) == [("missing", "hero_image_alt", "zh-hans")]


def test_single_language_report_needs_only_its_language(people):
    report = complete_report(people["author"], body_zh_hans="", single_language="en")
    assert tasks(report) == []
    Report.objects.filter(pk=report.pk).update(single_language="zh-hans")
    assert tasks(report) == [("missing", "body", "zh-hans")]


def test_queue_lists_missing_and_outdated_with_rendered_source_and_filter(people, client):
    missing = complete_report(people["author"], body_zh_hans="")
    Report.objects.filter(pk=missing.pk).update(
        body_en="<p>First <strong>point</strong>.</p><p>Second.</p>"
    )
    outdated = complete_report(people["author"])
    edit(outdated, people["editor"], body_en="<p>The body.</p><p>A new paragraph.</p>")
    withdrawn = complete_report(people["author"], status=Status.WITHDRAWN, body_zh_hans="")
    client.force_login(people["translator"])
    response = client.get(QUEUE)
    assert response.status_code == 200
    page = response.content.decode()
    assert str(missing) in page and str(outdated) in page
    assert str(withdrawn) not in page
    assert "<strong>point</strong>" in page  # rendered, not shown as raw HTML
    assert "&lt;p&gt;" not in page
    assert "<ins>A new paragraph.</ins>" in page
    assert f"/admin/forum/report/{missing.pk}/change/#id_body_zh_hans" in page
    english_only = client.get(QUEUE, {"language": "en"}).content.decode()
    assert str(missing) not in english_only and str(outdated) not in english_only


def test_queue_rejects_script_in_the_source(people, client):
    report = complete_report(people["author"], summary_zh_hans="")
    Report.objects.filter(pk=report.pk).update(summary_en="<script>alert(1)</script>")
    client.force_login(people["translator"])
    page = client.get(QUEUE).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_queue_queries_do_not_grow_with_reports(people, client, django_assert_max_num_queries):
    client.force_login(people["translator"])
    for _n in range(3):
        edit(complete_report(people["author"]), people["editor"], body_en="<p>New.</p>")
    with django_assert_max_num_queries(20) as few:
        client.get(QUEUE)
    for _n in range(30):
        edit(complete_report(people["author"]), people["editor"], body_en="<p>New.</p>")
        complete_report(people["author"], summary_zh_hans="")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(QUEUE).context["queue"]) == 63


# --- Translation done ----------------------------------------------------------------------


def test_translation_done_moves_draft_to_review_and_is_recorded(people):
    report = complete_report(people["author"])
    done = workflow.report_translation_done(
        report=report, user=people["translator"], language_code="zh-hans", comment="Checked."
    )
    assert done.status == Status.IN_REVIEW
    step = ReportTransition.objects.get(report=report)
    assert (step.action, step.from_state, step.to_state, step.comment, step.user) == (
        "translated",
        Status.DRAFT,
        Status.IN_REVIEW,
        "Checked.",
        people["translator"],
    )


def test_translation_done_in_review_records_without_moving(people):
    report = complete_report(people["author"], status=Status.IN_REVIEW)
    done = workflow.report_translation_done(
        report=report, user=people["reviewer"], language_code="zh-hans"
    )
    assert done.status == Status.IN_REVIEW
    assert report.transitions.get().action == "translated"


@pytest.mark.parametrize("missing", [True, False])
def test_translation_done_refused_while_missing_or_outdated(people, missing):
    report = complete_report(people["author"])
    if missing:
        edit(report, people["editor"], summary_zh_hans="")
    else:
        edit(report, people["editor"], summary_en="A changed summary.")
    with pytest.raises(workflow.WorkflowError, match="not finished"):
        workflow.report_translation_done(
            report=report, user=people["translator"], language_code="zh-hans"
        )
    assert not report.transitions.exists()
    assert Report.objects.get(pk=report.pk).status == Status.DRAFT


@pytest.mark.parametrize("role", ["author", "press"])
def test_translation_done_refused_to_other_roles(people, role):
    report = complete_report(people["author"])
    with pytest.raises(workflow.WorkflowError):
        workflow.report_translation_done(report=report, user=people[role], language_code="zh-hans")
    assert not report.transitions.exists()


def test_translation_done_refused_for_original_language_and_unknown(people):
    report = complete_report(people["author"])
    for code in ("en", "xx"):
        with pytest.raises(workflow.WorkflowError):
            workflow.report_translation_done(
                report=report, user=people["translator"], language_code=code
            )


def test_translated_report_waits_on_queue_and_button_marks_it_done(people, client):
    report = complete_report(people["author"], summary_zh_hans="")
    edit(report, people["translator"], summary_zh_hans="摘要。")
    client.force_login(people["translator"])
    page = client.get(QUEUE).content.decode()
    button = f'action="/admin/forum/report/{report.pk}/translated/"'
    assert button in page
    response = client.post(
        f"/admin/forum/report/{report.pk}/translated/",
        {"language": "zh-hans", "shown_language": "zh-hans"},
    )
    assert response.status_code == 302 and response.url.endswith("?language=zh-hans")
    assert Report.objects.get(pk=report.pk).status == Status.IN_REVIEW
    assert button not in client.get(QUEUE).content.decode()


def test_translated_button_needs_post_and_csrf(people):
    report = complete_report(people["author"])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["translator"])
    url = f"/admin/forum/report/{report.pk}/translated/"
    assert strict.get(url).status_code == 405
    assert strict.post(url, {"language": "zh-hans"}).status_code == 403
    assert not report.transitions.exists()
