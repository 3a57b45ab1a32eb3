"""Everything public is reviewed: no public field of a live report changes without a
publish step recorded in its history. Each field a reader sees is changed through the
report form; the public pages, the API, the feed and search keep the live values until
an editor publishes the working copy."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forum.models import Report, ReportTransition
from forum.reports import workflow
from tests.factories import (
    EditionFactory,
    MediaContactFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    SpeechFactory,
)
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


def public_view(client, report):
    """What readers get of the report: its pages, the API, the feed and search."""
    report = Report.objects.get(pk=report.pk)
    paths = [
        f"/en/reports/{report.slug_en}/",
        f"/zh-hans/reports/{report.slug_zh_hans}/",
        "/api/v1/reports/",
        "/en/feeds/reports.atom",
        "/en/search/?q=headline",
    ]
    texts = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        # Per-response tokens are not content.
        texts.append(
            re.sub(r'(nonce|csrfmiddlewaretoken)="?[^" >]*"?', "", response.content.decode())
        )
    return texts


def live_row(report):
    """The report's live values as stored (what every reader reads)."""
    report = Report.objects.get(pk=report.pk)
    values = workflow.live_links(report)
    values.update({column: getattr(report, column) for column in workflow.content_columns()})
    return values


def change(field, data, report):
    """Changes one public field in the posted form; returns the field's new-value check."""
    if field in ("headline", "summary", "slug", "hero_image_alt"):
        data[f"{field}_en"] = "changed-en" if field == "slug" else f"Changed {field}"
        data[f"{field}_zh_hans"] = "changed-zh" if field == "slug" else f"改过的{field}"
    elif field == "body":
        data.update(body_en="<p>Changed body.</p>", body_zh_hans="<p>改过的正文。</p>")
    elif field == "session":
        data["session"] = str(SessionFactory(edition=report.edition).pk)
    elif field == "edition":
        edition = EditionFactory(year=2031, slug="2031")
        data["edition"] = str(edition.pk)
        data["session"] = ""
    elif field == "publisher":
        data["publisher"] = str(OrganisationFactory().pk)
    elif field == "speeches":
        data["speeches"] = [str(SpeechFactory(session=report.session).pk)]
    elif field in ("authors", "reviewers"):
        data[field] = [str(PersonFactory(is_published=True).pk)]
    elif field == "media_contacts":
        data["media_contacts"] = [str(MediaContactFactory().pk)]
    elif field == "include_background":
        data.pop("include_background", None)
    return {}


PUBLIC_FIELDS = (
    "headline",
    "summary",
    "body",
    "slug",
    "hero_image",
    "hero_image_alt",
    "session",
    "edition",
    "publisher",
    "speeches",
    "authors",
    "reviewers",
    "media_contacts",
    "include_background",
)


@pytest.fixture
def report(people, media):
    session = SessionFactory()
    return live_report(people, edition=session.edition, session=session)


@pytest.mark.parametrize("field", PUBLIC_FIELDS)
@pytest.mark.parametrize("who", ["editor", "reviewer", "author"])
def test_no_public_field_changes_without_a_publish_step(
    client, people, form_data, report, field, who
):
    before_view, before_row = public_view(client, report), live_row(report)
    client.force_login(people[who])
    url, data = open_form(client, form_data, report)
    change(field, data, report)
    if field == "hero_image":
        data.update(hero_image_alt_en="A picture", hero_image_alt_zh_hans="一张图")
        response = post(client, url, data, hero_image=image_upload())
    else:
        response = post(client, url, data)
    assert response.status_code == 302, form_errors(response)

    fresh = Report.objects.get(pk=report.pk)
    assert fresh.pending_changes, "the change went to the working copy"
    assert fresh.pending_status == Status.DRAFT
    client.logout()
    assert live_row(report) == before_row
    assert public_view(client, report) == before_view
    steps = list(ReportTransition.objects.filter(report=report).values_list("action", flat=True))

    # An editor publishes the working copy: now, and only now, the public values change.
    workflow.report_republish(report=fresh, user=people["editor"])
    after_row = live_row(report)
    assert after_row != before_row
    changed = {key for key in after_row if after_row[key] != before_row[key]}
    expected_key = {
        "authors": "credits",
        "reviewers": "credits",
        "headline": "headline_en",
        "summary": "summary_en",
        "body": "body_en",
        "slug": "slug_en",
        "hero_image_alt": "hero_image_alt_en",
    }.get(field, field)
    assert expected_key in changed
    published = Report.objects.get(pk=report.pk)
    assert (published.pending_changes, published.pending_status) == ({}, "")
    new_steps = ReportTransition.objects.filter(report=report).exclude(action__in=steps)
    assert [step.action for step in new_steps] == ["republish"]
    if field in ("authors", "reviewers"):
        # The byline printed is the new one.
        name = PersonFactory._meta.model.objects.get(pk=int(data[field][0])).full_name("en")
        assert any(p["name_en"] == name for e in published.published_byline for p in e["people"])


def test_an_edit_to_an_approved_report_sends_it_back_to_review(client, people, form_data):
    report = complete_report(people["author"], status=Status.APPROVED)
    client.force_login(people["reviewer"])
    url, data = open_form(client, form_data, report)
    data["slug_en"] = "a-changed-slug"
    assert post(client, url, data).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW
    step = report.transitions.get()
    assert (step.action, step.from_state, step.to_state, step.user) == (
        "edited",
        Status.APPROVED,
        Status.IN_REVIEW,
        people["reviewer"],
    )


def test_an_unchanged_save_of_an_approved_report_keeps_it_approved(client, people, form_data):
    report = complete_report(people["author"], status=Status.APPROVED)
    client.force_login(people["reviewer"])
    url, data = open_form(client, form_data, report)
    assert post(client, url, data).status_code == 302
    assert Report.objects.get(pk=report.pk).status == Status.APPROVED
    assert not report.transitions.exists()


def test_an_edit_to_an_approved_working_copy_sends_it_back_to_review(people, client, form_data):
    report = live_report(people)
    client.force_login(people["editor"])
    url, data = open_form(client, form_data, report)
    data["publisher"] = str(OrganisationFactory().pk)
    assert post(client, url, data, "save").status_code == 302
    fresh = Report.objects.get(pk=report.pk)
    workflow.report_submit(report=fresh, user=people["editor"])
    workflow.report_approve(report=fresh, user=people["reviewer"])
    url, data = open_form(client, form_data, report)
    data["include_background"] = ""
    data.pop("include_background")
    assert post(client, url, data).status_code == 302
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.status, fresh.pending_status) == (Status.PUBLISHED, Status.IN_REVIEW)
    assert fresh.transitions.order_by("-pk").first().action == "edited"
    assert fresh.include_background is True  # still live until published


def test_the_form_shows_the_working_copy_of_links(client, people, form_data, media):
    report = live_report(people)
    contact, speech = MediaContactFactory(), SpeechFactory()
    client.force_login(people["editor"])
    url, data = open_form(client, form_data, report)
    data.update(media_contacts=[str(contact.pk)], speeches=[str(speech.pk)])
    assert post(client, url, data, hero_image=image_upload()).status_code == 302
    again = form_data(client.get(url))
    assert again["media_contacts"] == str(contact.pk) and again["speeches"] == str(speech.pk)
    page = client.get(url).content.decode()
    assert Report.objects.get(pk=report.pk).pending_changes["hero_image"] in page
    assert not Report.objects.get(pk=report.pk).hero_image  # not public yet


def test_preview_shows_the_working_image(client, people, media):
    report = live_report(people)
    report = Report.objects.get(pk=report.pk)
    report.hero_image = SimpleUploadedFile("x.png", image_upload().read())
    workflow.report_save(report=report, user=people["editor"])
    stored = Report.objects.get(pk=report.pk)
    assert stored.pending_changes["hero_image"].startswith("reports/")
    assert stored.working_copy().hero_image.name == stored.pending_changes["hero_image"]
    assert not stored.hero_image


# --- The contact side -------------------------------------------------------------------


def contact_form(client, form_data, contact):
    url = f"/admin/forum/mediacontact/{contact.pk}/change/"
    return url, form_data(client.get(url))


def test_contact_picker_routes_live_reports_through_their_working_copy(client, people, form_data):
    live = live_report(people)
    draft = complete_report(people["author"])
    contact = MediaContactFactory()
    before = public_view(client, live)
    client.force_login(people["editor"])  # press officers are offered published reports only
    url, data = contact_form(client, form_data, contact)
    data.update({"reports": [str(live.pk), str(draft.pk)], "_save": "Save"})
    assert client.post(url, data).status_code == 302
    # The draft has it at once (nothing public); the live report in its working copy.
    assert list(draft.media_contacts.all()) == [contact]
    assert not live.media_contacts.exists()
    fresh = Report.objects.get(pk=live.pk)
    assert fresh.pending_changes == {"media_contacts": [contact.pk]}
    assert fresh.pending_status == Status.DRAFT
    client.logout()
    assert public_view(client, live) == before
    client.force_login(people["editor"])
    assert set(contact_form(client, form_data, contact)[1]["reports"]) == {
        str(live.pk),
        str(draft.pk),
    }
    workflow.report_republish(report=fresh, user=people["editor"])
    assert list(live.media_contacts.all()) == [contact]
    assert live.transitions.order_by("-pk").first().action == "republish"


def test_contact_picker_removal_from_a_live_report_waits_for_publication(client, people, form_data):
    contact = MediaContactFactory()
    report = complete_report(people["author"], status=Status.APPROVED)
    report.media_contacts.add(contact)
    workflow.report_publish(report=report, user=people["editor"])
    client.force_login(people["press"])
    url, data = contact_form(client, form_data, contact)
    data.pop("reports", None)
    data["_save"] = "Save"
    assert client.post(url, data).status_code == 302
    assert list(report.media_contacts.all()) == [contact]
    assert Report.objects.get(pk=report.pk).pending_changes == {"media_contacts": []}
    assert "reports" not in form_data(client.get(url))
