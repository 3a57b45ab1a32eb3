"""The admin's "Import a press release": paste or upload, review, confirm."""

import io
import re

import docx
import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile

from forum.core import roles
from forum.models import MediaContact, Person, Report, Session, Speech
from forum.releases.admin import SIGNING_SALT
from tests.factories import PersonFactory, user_in
from tests.press.data import assert_no_private_details
from tests.releases.importing import author, editor, seed_text

START = "/admin/forum/report/import-release/"
CONFIRM = "/admin/forum/report/import-release/confirm/"


@pytest.fixture
def author_client(client, db):
    client.force_login(author())
    return client


@pytest.fixture
def editor_client(client, db):
    """An importer whose role may add everything the seed release names."""
    client.force_login(editor())
    return client


def signed_release(response):
    return re.search(r'name="release" value="([^"]+)"', response.content.decode()).group(1)


def review(client, text=None):
    response = client.post(START, {"text": seed_text() if text is None else text})
    assert response.status_code == 200
    return response


def nothing_written():
    return Report.objects.count() == Person.objects.count() == MediaContact.objects.count() == 0


# --- Who may import ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [roles.PRESS_OFFICERS, roles.TRANSLATORS])
def test_import_pages_refused_to_roles_that_may_not_add_reports(client, db, role):
    client.force_login(user_in(role))

    assert client.get(START).status_code == 403
    assert client.post(START, {"text": seed_text()}).status_code == 403
    assert client.post(CONFIRM, {"release": "x"}).status_code == 403
    assert nothing_written()


@pytest.mark.parametrize("role", [roles.AUTHORS, roles.EDITORS])
def test_import_link_on_report_list_for_roles_that_add_reports(client, db, role):
    client.force_login(user_in(role))

    page = client.get("/admin/forum/report/").content.decode()

    assert f'href="{START}"' in page
    assert "Import a press release" in page


def test_import_link_not_on_report_list_for_translator(client, db):
    client.force_login(user_in(roles.TRANSLATORS))

    assert START not in client.get("/admin/forum/report/").content.decode()


def test_import_page_labels_its_fields(author_client):
    page = author_client.get(START).content.decode()

    assert '<label for="id_text">Text of the press release:</label>' in page
    assert '<label for="id_upload">Or a file:</label>' in page
    assert 'aria-describedby="id_text_helptext"' in page


def test_import_page_in_chinese(author_client):
    author_client.cookies["django_language"] = "zh-hans"

    page = author_client.get(START).content.decode()

    assert "导入新闻稿" in page
    assert "新闻稿全文" in page


# --- Review -------------------------------------------------------------------------------


def test_review_of_pasted_seed_shows_fields_plan_and_source(editor_client, page_text):
    response = review(editor_client)

    text = page_text(response)
    assert "Symposium on Digital Empowerment for Industrial Transformation" in text
    assert "Vice Mayor, the People's Government of Tianjin Municipality" in text
    assert "Guo Silu" in text and "+8618666028168" in text
    assert "Records to be created, unpublished: 21." in text
    assert text.count("will be created") == 21
    assert 'value="Create the draft report"' in response.content.decode()
    assert "Hosted by the Development Research Centre" in text  # the source text
    assert nothing_written()


def test_review_on_demo_links_matched_records_and_lists_differences(client, demo):
    client.force_login(author())
    report = Report.objects.get()

    response = review(client)

    page = response.content.decode()
    assert f'href="/admin/forum/report/{report.pk}/change/"' in page
    assert "Records to be created, unpublished: 0." in page
    assert "Li Wenhai: Digital empowerment is accelerating industrial transformation" in page
    assert "Everything in this release exists already" in page
    assert "Create the draft report" not in page


def test_review_of_release_without_session_shows_problem_and_no_confirm(author_client):
    response = review(author_client, "Hello.\n\nNothing about a forum here.")

    page = response.content.decode()
    assert "This release cannot be imported" in page
    assert "The release names no session" in page
    assert 'id="release-confirm-form"' not in page


def test_review_of_uploaded_word_document(editor_client):
    document = docx.Document()
    for paragraph in seed_text().split("\n\n"):
        document.add_paragraph(paragraph.strip())
    data = io.BytesIO()
    document.save(data)
    upload = SimpleUploadedFile("release.docx", data.getvalue())

    response = editor_client.post(START, {"upload": upload})

    assert response.status_code == 200
    assert "Create the draft report" in response.content.decode()
    assert nothing_written()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("release.pdf", b"%PDF-1.4 ...", "Upload the press release as a text file (.txt)"),
        ("release.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "is not a text file"),
        ("release.docx", b"PK\x03\x04 broken", "is not a Word document (.docx)"),
    ],
)
def test_bad_upload_is_a_form_error_with_nothing_written(author_client, name, content, message):
    response = author_client.post(START, {"upload": SimpleUploadedFile(name, content)})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["upload"])
    assert 'aria-invalid="true"' in response.content.decode()
    assert nothing_written()


def test_empty_form_asks_for_text_or_file(author_client):
    response = author_client.post(START, {"text": "  "})

    assert response.context["form"].non_field_errors() == [
        "Paste the text of the release, or choose a file."
    ]


# --- Confirm --------------------------------------------------------------------------------


def test_confirm_creates_draft_report_and_opens_it(editor_client):
    response = editor_client.post(CONFIRM, {"release": signed_release(review(editor_client))})

    report = Report.objects.get()
    assert response.status_code == 302
    assert response.url == f"/admin/forum/report/{report.pk}/change/"
    assert report.status == Report.Status.DRAFT
    message = str(list(response.wsgi_request._messages)[0])
    assert message == (
        "The press release is imported as the draft report “Li Wenhai: Digital Empowerment "
        "for Industrial Transformation” (21 records created)."
    )
    page = editor_client.get(response.url)
    assert page.status_code == 200


def test_confirm_on_demo_creates_nothing_and_opens_existing_report(client, demo):
    client.force_login(author())
    report = Report.objects.get()
    count = Person.objects.count()

    response = client.post(CONFIRM, {"release": signed_release(review(client))})

    assert response.url == f"/admin/forum/report/{report.pk}/change/"
    assert Report.objects.get() == report and Person.objects.count() == count


def test_confirm_with_altered_release_is_refused(editor_client):
    release = signed_release(review(editor_client))

    response = editor_client.post(CONFIRM, {"release": release[:-3] + "abc"}, follow=True)

    assert response.redirect_chain == [(START, 302)]
    assert "This review has expired or is not yours" in response.content.decode()
    assert nothing_written()


def test_confirm_of_another_users_review_is_refused(client, db):
    client.force_login(editor())
    release = signed_release(review(client))
    client.force_login(editor())

    response = client.post(CONFIRM, {"release": release})

    assert response.url == START
    assert nothing_written()


def test_confirm_of_hand_made_release_without_signature_is_refused(author_client):
    forged = signing.dumps({"text": seed_text()}, salt="another salt")

    author_client.post(CONFIRM, {"release": forged})

    assert nothing_written()


def test_confirm_after_records_changed_shows_review_again(editor_client):
    release = signed_release(review(editor_client))
    PersonFactory(family_name_en="Li", given_name_en="Wenhai")

    response = editor_client.post(CONFIRM, {"release": release})

    assert response.status_code == 200
    assert "The records changed since this review" in response.content.decode()
    assert Report.objects.count() == 0
    assert signed_release(response) != release


def test_confirm_signature_is_for_this_text_only(editor_client):
    release = signed_release(review(editor_client))
    data = signing.loads(release, salt=SIGNING_SALT)

    assert data["text"] == seed_text()
    assert set(data) == {"text", "user", "plan"}


def test_review_shows_choices_by_their_labels(author_client):
    response = review(author_client)

    sections = dict(response.context["sections"])
    assert ("part of day", "Afternoon") in sections["Session"]
    assert ("Presided by 1 › role", "Presided by") in sections["Session"]
    assert ("kind", "Keynote speech") in sections["Speech 1"]


# --- Press data stays with the press office ------------------------------------------------

HIDDEN_MOBILE = "+8613900001111"
HIDDEN_EMAIL = "hidden.desk.7731@example.org"


@pytest.fixture
def guo(demo):
    """The seed's first media contact, listed publicly, whose current mobile and office
    line are private and differ from what the release prints (the release prints no
    e-mail, so the review lists the current one nowhere)."""
    contact = MediaContact.objects.get(name_en="Guo Silu")
    contact.mobile, contact.mobile_public = HIDDEN_MOBILE, False
    contact.office_extension, contact.office_phone_public = "9917", False
    contact.email, contact.email_public = HIDDEN_EMAIL, False
    contact.notes = "Internal-only note zq7731"
    contact.is_public = True
    contact.save()
    return contact


def test_author_review_shows_no_private_detail_of_a_matched_contact(client, guo):
    client.force_login(author())

    page = review(client).content.decode()

    assert_no_private_details(page, guo)
    assert HIDDEN_EMAIL not in page
    assert "will be matched/created by the press office" in page
    assert f"/admin/forum/mediacontact/{guo.pk}/" not in page


def test_author_with_press_office_role_review_shows_the_contacts_details(client, guo):
    """The policy decides, not the role that opens the import."""
    user = author()
    user.groups.add(Group.objects.get(name=roles.PRESS_OFFICERS))
    client.force_login(user)

    page = review(client).content.decode()

    assert "+86 139 0000 1111" in page  # current → in the release
    assert "ext. 9917" in page
    assert "will be matched/created by the press office" not in page


def test_editor_review_shows_the_contacts_details(editor_client, guo):
    page = review(editor_client).content.decode()

    assert "+86 139 0000 1111" in page
    assert "ext. 9917" in page


def test_author_confirm_creates_no_contact_session_or_speech(client, demo):
    Report.objects.all().delete()  # the release has just arrived
    counts = {model: model.objects.count() for model in (MediaContact, Session, Speech)}
    text = seed_text().replace("Xia Tian 18801375838", "Zhou Ming 13700001234")
    client.force_login(author())

    response = client.post(CONFIRM, {"release": signed_release(review(client, text))})

    report = Report.objects.get()
    assert response.status_code == 302
    assert {model: model.objects.count() for model in counts} == counts
    assert not report.media_contacts.exists()
    assert not MediaContact.objects.filter(name_en="Zhou Ming").exists()


def test_text_and_file_together_are_a_form_error_with_nothing_written(editor_client):
    upload = SimpleUploadedFile("release.txt", seed_text().encode("utf-8"))

    response = editor_client.post(START, {"text": seed_text(), "upload": upload})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Give the release either as a file or as pasted text, not both."
    ]
    assert 'name="release"' not in response.content.decode()
    assert nothing_written()
