"""A save over someone else's is merged field by field, through the plain form (no
JavaScript): fields only I changed are applied, fields only they changed are kept, and
fields both changed come back in full, mine / theirs / original, for a choice. Uploads
survive a form shown again."""

import os
import re
import time

import pytest
from reversion.models import Version

from forum.core import staging
from forum.models import Report
from forum.reports import merge
from tests.factories import MediaContactFactory, PersonFactory, SessionFactory, SpeechFactory
from tests.reports.editing import (
    Status,
    complete_report,
    form_errors,
    image_upload,
    live_report,
    open_form,
    post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_forms(client, people, form_data):
    """A report opened by the editor and by the reviewer at the same time."""
    session = SessionFactory()
    report = complete_report(
        people["author"], status=Status.IN_REVIEW, edition=session.edition, session=session
    )
    forms = {}
    for who in ("editor", "reviewer"):
        client.force_login(people[who])
        forms[who] = open_form(client, form_data, report)
    return report, forms


def save_as(client, people, who, url, data, action="save", **files):
    client.force_login(people[who])
    return post(client, url, data, action, **files)


def conflicts(response):
    page = response.content.decode()
    return re.findall(r'<fieldset class="merge-conflict" id="merge-([a-z_]+)"', page)


def test_changes_to_different_fields_are_both_kept(client, people, two_forms):
    report, forms = two_forms
    url, theirs = forms["reviewer"]
    theirs.update(summary_en="The reviewer's summary", summary_zh_hans="审稿人的摘要")
    assert save_as(client, people, "reviewer", url, theirs).status_code == 302
    url, mine = forms["editor"]
    mine.update(headline_en="The editor's headline", headline_zh_hans="编辑的标题")
    response = save_as(client, people, "editor", url, mine)
    assert response.status_code == 302, form_errors(response)
    report.refresh_from_db()
    assert report.headline_en == "The editor's headline"
    assert report.summary_en == "The reviewer's summary"  # not reverted to the loaded text


def test_links_and_credits_merge_like_texts(client, people, two_forms):
    report, forms = two_forms
    other_session = SessionFactory(edition=report.edition)
    speech = SpeechFactory(session=report.session)
    new_author = PersonFactory()
    url, theirs = forms["reviewer"]
    theirs["session"] = str(other_session.pk)
    theirs["authors"] = [theirs["authors"], str(new_author.pk)]
    assert save_as(client, people, "reviewer", url, theirs).status_code == 302
    url, mine = forms["editor"]
    mine["speeches"] = [str(speech.pk)]
    mine.pop("include_background")  # unticked
    response = save_as(client, people, "editor", url, mine)
    assert response.status_code == 302, form_errors(response)
    report.refresh_from_db()
    assert report.session == other_session
    assert list(report.speeches.all()) == [speech]
    assert report.include_background is False
    assert new_author in [credit.person for credit in report.credits.all()]


def test_both_changed_shows_all_three_in_full_and_applies_the_choice(client, people, two_forms):
    report, forms = two_forms
    long_tail = " and many more words after the eightieth character, all of which must be seen"
    url, theirs = forms["reviewer"]
    theirs["summary_en"] = "Their summary" + long_tail
    theirs["headline_zh_hans"] = "审稿人的标题"
    assert save_as(client, people, "reviewer", url, theirs).status_code == 302

    url, mine = forms["editor"]
    mine["summary_en"] = "My summary" + long_tail
    mine["summary_zh_hans"] = "我的摘要"
    response = save_as(client, people, "editor", url, mine)
    assert response.status_code == 200
    assert conflicts(response) == ["summary_en"]
    page = response.content.decode()
    assert "Someone else saved this report" in page
    panel = page[page.index('id="merge-summary_en"') :]
    assert "My summary" + long_tail in panel
    assert "Their summary" + long_tail in panel
    assert "A summary." in panel  # the original
    assert "…" not in panel[: panel.index("</fieldset>")]
    for choice in ("mine", "theirs"):
        assert f'name="merge_summary_en" value="{choice}"' in panel
    # Their other change is in the form shown again; mine are still there.
    assert "审稿人的标题" in page and "我的摘要" in page
    assert Report.objects.get(pk=report.pk).summary_en == "Their summary" + long_tail

    again = {**_form(client, response), "merge_summary_en": "theirs"}
    response = post(client, url, again)
    assert response.status_code == 302, form_errors(response)
    report.refresh_from_db()
    assert report.summary_en == "Their summary" + long_tail
    assert report.summary_zh_hans == "我的摘要"
    assert report.headline_zh_hans == "审稿人的标题"


def _form(client, response):
    from tools.admin_client import form_data

    return form_data(response.content.decode(), r"report_form")


def test_rich_text_conflict_is_shown_sanitised(client, people, two_forms):
    report, forms = two_forms
    url, theirs = forms["reviewer"]
    theirs["body_en"] = "<p>Their <strong>body</strong></p>"
    theirs["body_zh_hans"] = "<p>他们的正文</p>"
    assert save_as(client, people, "reviewer", url, theirs).status_code == 302
    url, mine = forms["editor"]
    mine["body_en"] = '<p>My body<script>alert(1)</script><img src=x onerror="alert(2)"></p>'
    mine["body_zh_hans"] = "<p>我的正文</p>"
    response = save_as(client, people, "editor", url, mine)
    assert conflicts(response) == ["body_en", "body_zh_hans"]
    page = response.content.decode()
    panel = page[page.index('id="merge-body_en"') : page.index('id="merge-body_zh_hans"')]
    assert "<strong>body</strong>" in panel
    assert "<script>" not in panel and "onerror" not in panel


def test_a_choice_made_against_an_older_save_is_asked_again(client, people, two_forms):
    report, forms = two_forms
    url, theirs = forms["reviewer"]
    theirs["headline_en"] = "Theirs, first"
    assert save_as(client, people, "reviewer", url, theirs).status_code == 302
    url, mine = forms["editor"]
    mine["headline_en"] = "Mine"
    response = save_as(client, people, "editor", url, mine)
    assert conflicts(response) == ["headline_en"]
    shown_again = _form(client, response)
    # Meanwhile the reviewer changes it once more: my choice was made without seeing it.
    workflow_edit(report, people["reviewer"], headline_en="Theirs, second")
    response = save_as(client, people, "editor", url, {**shown_again, "merge_headline_en": "mine"})
    assert conflicts(response) == ["headline_en"]
    assert "Theirs, second" in response.content.decode()
    response = post(client, url, {**_form(client, response), "merge_headline_en": "mine"})
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).headline_en == "Mine"


def workflow_edit(report, user, **values):
    from forum.reports import workflow

    report = Report.objects.get(pk=report.pk).apply_working_copy()
    for column, value in values.items():
        setattr(report, column, value)
    workflow.report_save(report=report, user=user, expected_version=report.version)


def test_without_the_loaded_version_every_difference_is_a_conflict(client, people, two_forms):
    report, forms = two_forms
    url, theirs = forms["reviewer"]
    theirs["summary_en"] = "Their summary"
    assert save_as(client, people, "reviewer", url, theirs).status_code == 302
    Version.objects.get_for_object(report).delete()  # no history to merge against
    url, mine = forms["editor"]
    mine["headline_en"] = "My headline"
    response = save_as(client, people, "editor", url, mine)
    assert set(conflicts(response)) == {"headline_en", "summary_en"}
    page = response.content.decode()
    assert "not known" in page
    assert Report.objects.get(pk=report.pk).headline_en == report.headline_en


def test_many_to_many_conflict_names_the_contacts(client, people, two_forms):
    report, forms = two_forms
    theirs_contact, my_contact = MediaContactFactory(), MediaContactFactory()
    url, theirs = forms["reviewer"]
    theirs["media_contacts"] = [str(theirs_contact.pk)]
    assert save_as(client, people, "reviewer", url, theirs).status_code == 302
    url, mine = forms["editor"]
    mine["media_contacts"] = [str(my_contact.pk)]
    response = save_as(client, people, "editor", url, mine)
    assert conflicts(response) == ["media_contacts"]
    page = response.content.decode()
    assert str(theirs_contact) in page and str(my_contact) in page
    response = post(client, url, {**_form(client, response), "merge_media_contacts": "mine"})
    assert response.status_code == 302
    assert list(Report.objects.get(pk=report.pk).media_contacts.all()) == [my_contact]


# --- Uploads kept across a form shown again -------------------------------------------


def test_upload_survives_a_form_error(client, people, form_data, media):
    report = complete_report(people["author"])
    client.force_login(people["editor"])
    url, data = open_form(client, form_data, report)
    data["headline_en"] = ""  # an error: the form comes back
    response = post(client, url, data, hero_image=image_upload("portrait.png"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kept: portrait.png" in page
    again = _form(client, response)
    assert again["hero_image_staged"]
    again["headline_en"] = "Now with a headline"
    assert post(client, url, again).status_code == 302
    report.refresh_from_db()
    assert report.hero_image.name.startswith("reports/") and report.hero_image.name.endswith(".png")
    assert not list((media / staging.FOLDER).iterdir())  # the staged copy is gone


def test_upload_survives_a_merge(client, people, two_forms, media):
    report, forms = two_forms
    url, theirs = forms["reviewer"]
    theirs["headline_en"] = "Theirs"
    assert save_as(client, people, "reviewer", url, theirs).status_code == 302
    url, mine = forms["editor"]
    mine["headline_en"] = "Mine"
    response = save_as(client, people, "editor", url, mine, hero_image=image_upload())
    assert conflicts(response) == ["headline_en"]
    assert "Kept: photo.png" in response.content.decode()
    response = post(client, url, {**_form(client, response), "merge_headline_en": "theirs"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.hero_image and report.headline_en == "Theirs"


def test_a_staged_upload_is_only_its_uploaders(client, people, form_data, media):
    report = complete_report(people["author"])
    client.force_login(people["editor"])
    url, data = open_form(client, form_data, report)
    response = post(client, url, {**data, "headline_en": ""}, hero_image=image_upload())
    token = _form(client, response)["hero_image_staged"]
    client.force_login(people["reviewer"])
    url, data = open_form(client, form_data, report)
    assert post(client, url, {**data, "hero_image_staged": token}).status_code == 302
    assert not Report.objects.get(pk=report.pk).hero_image
    assert post(client, url, {**data, "hero_image_staged": "forged"}).status_code == 302
    assert not Report.objects.get(pk=report.pk).hero_image


def test_merge_on_a_live_report_keeps_the_public_page(client, people, form_data):
    report = live_report(people)
    forms = {}
    for who in ("editor", "reviewer"):
        client.force_login(people[who])
        forms[who] = open_form(client, form_data, report)
    url, theirs = forms["reviewer"]
    theirs["summary_en"] = "Their summary"
    assert save_as(client, people, "reviewer", url, theirs).status_code == 302
    url, mine = forms["editor"]
    mine["headline_en"] = "My headline"
    assert save_as(client, people, "editor", url, mine).status_code == 302
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.pending_changes["headline_en"] == "My headline"
    assert fresh.pending_changes["summary_en"] == "Their summary"
    assert fresh.headline_en == report.headline_en and fresh.summary_en == report.summary_en


def test_staged_uploads_of_abandoned_forms_are_swept(media, people):
    old = staging.stage(image_upload("old.png"), people["editor"])
    old_path = staging.signing.loads(old, salt=staging._SALT)["path"]
    stale = time.time() - staging.STAGING_MAX_AGE - 60
    os.utime(os.path.join(media, old_path), (stale, stale))
    fresh = staging.stage(image_upload("new.png"), people["editor"])
    assert staging.staged_file(old, people["editor"]) is None
    assert not os.path.exists(os.path.join(media, old_path))
    assert staging.staged_file(fresh, people["editor"]) is not None


# --- The merge rule itself (forum.reports.merge) ------------------------------------------

ORIGINAL = {"headline_en": "Loaded", "summary_en": "Loaded", "authors": [1, 2]}


def test_merge_takes_theirs_where_only_they_changed_a_field():
    mine = {"headline_en": "Loaded", "summary_en": "Mine"}
    theirs = {"headline_en": "Theirs", "summary_en": "Loaded"}
    merged = merge.three_way(original=ORIGINAL, mine=mine, theirs=theirs)
    assert (merged.theirs, merged.conflicts) == (["headline_en"], [])


def test_merge_keeps_mine_where_only_i_changed_a_field_or_both_agree():
    mine = {"headline_en": "Same change", "summary_en": "Mine"}
    theirs = {"headline_en": "Same change", "summary_en": "Loaded"}
    merged = merge.three_way(original=ORIGINAL, mine=mine, theirs=theirs)
    assert (merged.theirs, merged.conflicts) == ([], [])


def test_merge_conflicts_where_both_changed_a_field_until_a_choice_is_made():
    mine = {"headline_en": "Mine", "authors": [2, 1]}
    theirs = {"headline_en": "Theirs", "authors": [1, 2, 3]}
    merged = merge.three_way(original=ORIGINAL, mine=mine, theirs=theirs)
    assert (merged.theirs, merged.conflicts) == ([], ["headline_en", "authors"])
    choices = {"headline_en": merge.THEIRS, "authors": merge.MINE}
    merged = merge.three_way(original=ORIGINAL, mine=mine, theirs=theirs, choices=choices)
    assert (merged.theirs, merged.conflicts) == (["headline_en"], [])


def test_merge_ignores_choices_that_are_not_mine_or_theirs_or_settle_nothing():
    mine = {"headline_en": "Mine", "summary_en": "Loaded"}
    theirs = {"headline_en": "Theirs", "summary_en": "Theirs"}
    choices = {"headline_en": "both", "summary_en": merge.MINE}
    merged = merge.three_way(original=ORIGINAL, mine=mine, theirs=theirs, choices=choices)
    # Only they changed the summary: a stray choice does not revert it to the loaded text.
    assert (merged.theirs, merged.conflicts) == (["summary_en"], ["headline_en"])


def test_merge_without_the_original_makes_every_difference_a_conflict():
    mine = {"headline_en": "Loaded", "summary_en": "Same"}
    theirs = {"headline_en": "Theirs", "summary_en": "Same"}
    merged = merge.three_way(original=None, mine=mine, theirs=theirs)
    assert (merged.theirs, merged.conflicts) == ([], ["headline_en"])


def test_merge_reads_only_the_fields_i_could_change():
    theirs = {"headline_en": "Theirs", "summary_en": "Theirs"}
    merged = merge.three_way(original=ORIGINAL, mine={"summary_en": "Mine"}, theirs=theirs)
    assert merged.conflicts == ["summary_en"]  # the headline, not in my form, is theirs


def test_empty_text_and_no_value_are_the_same():
    assert merge.same("summary_zh_hans", None, "")
    assert merge.same("edition", None, None)
    assert not merge.same("edition", None, 3)


def test_bodies_are_the_same_when_they_sanitise_alike():
    assert merge.same("body_en", "<p>Text<script>x()</script></p>", "<p>Text</p>")
    assert not merge.same("body_en", "<p>Text</p>", "<p>Other</p>")


def test_a_new_upload_differs_from_every_stored_image():
    upload = merge.Upload("reports/photo.png")
    assert not merge.same("hero_image", upload, "reports/photo.png")
    assert (
        merge.field_outcome(
            "hero_image", original="reports/photo.png", mine=upload, theirs="reports/photo.png"
        )
        == merge.MINE
    )
