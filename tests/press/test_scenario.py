"""The press office's day, as a new press officer would try it in the browser.

They import a CSV of 200 contacts with three bad rows, see exactly those three errors and
nothing written; fix them and import; attach two contacts to the keynote report; mark one
mobile private. The public report page, press page and vCards then show exactly the
public details, in English and in Chinese.
"""

import re

import pytest
import vobject
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from forum.core import roles
from forum.core.revision_notes import readable
from forum.models import MediaContact, Report
from forum.reports import workflow
from tests.factories import user_in
from tests.press.data import assert_no_private_details, contact_row, to_csv
from tests.press.rfc2426 import assert_valid_vcards

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/forum/mediacontact/import/"
REPORT_URLS = {
    "en": "/en/reports/li-wenhai-digital-empowerment-industrial-transformation/",
    "zh-hans": "/zh-hans/reports/li-wenhai-shuzihua-funeng-chanye-zhuanxing/",
}
# Data rows 17, 88 and 150 are bad: spreadsheet lines 18, 89 and 151.
BAD_ROWS = {
    16: {"mobile": "139 0016"},  # too short
    87: {"email": "press87@"},  # not an email address
    149: {"email": "press3@example.org"},  # the same email as data row 4 (line 5)
}


def rows(fixed=False):
    result = [contact_row(number) for number in range(200)]
    if not fixed:
        for index, changes in BAD_ROWS.items():
            result[index].update(changes)
    return result


def upload(client, content):
    return client.post(
        IMPORT_URL,
        {"format": "0", "import_file": SimpleUploadedFile("press-list.csv", content, "text/csv")},
    )


def error_lines(response):
    return [int(line) for line in re.findall(r'data-line="(\d+)"', response.content.decode())]


def press_pages(client, code):
    """Every page of the edition's press page, following its "Next page" links."""
    responses, url = [], f"/{code}/2024/press/"
    while url:
        responses.append(client.get(url))
        assert responses[-1].status_code == 200, url
        following = re.search(r'href="(\?page=\d+)" rel="next"', responses[-1].content.decode())
        url = f"/{code}/2024/press/{following.group(1)}" if following else None
    return responses


def change_contact(client, form_data, contact, **changes):
    url = reverse("admin:forum_mediacontact_change", args=[contact.pk])
    data = form_data(client.get(url))
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    data["_save"] = "Save"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    contact.refresh_from_db()


def vcard(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    text = response.getvalue().decode("utf-8")
    assert_valid_vcards(text)
    return response, list(vobject.readComponents(text))


def test_press_officer_imports_attaches_and_publishes(
    client, demo_with_accounts, form_data, page_text
):
    assert client.login(username="press", password="cdf-press-2024")
    before = MediaContact.objects.count()

    # 1. A CSV of 200 contacts with three bad rows: exactly those three errors, nothing saved.
    response = upload(client, to_csv(rows()))
    assert response.status_code == 200
    assert error_lines(response) == [18, 89, 151]
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [17, 88, 150]
    assert list(result.invalid_rows[0].error_dict) == ["mobile"]
    assert list(result.invalid_rows[1].error_dict) == ["email"]
    assert result.invalid_rows[2].error_dict["email"] == [
        "Line 5 of this file has the same email address."
    ]
    assert "3 rows have errors. Nothing has been imported" in page_text(response)
    assert "confirm_form" not in response.context
    assert MediaContact.objects.count() == before

    # 2. Fixed: a preview of 200 new contacts, still nothing saved until confirmed.
    response = upload(client, to_csv(rows(fixed=True)))
    assert error_lines(response) == []
    assert response.context["result"].totals["new"] == 200
    assert MediaContact.objects.count() == before
    response = client.post(
        reverse("admin:forum_mediacontact_process_import"),
        form_data(response, form_id="confirm-import-form"),
    )
    assert response.status_code == 302
    assert MediaContact.objects.count() == before + 200

    # 3. Two of them cover the keynote report.
    report = Report.objects.get()
    first = MediaContact.objects.get(email="press3@example.org")
    second = MediaContact.objects.get(email="press149@example.org")
    for contact in (first, second):
        change_contact(client, form_data, contact, reports=str(report.pk))
    # The report is live: an editor publishes the change with the report's working copy.
    assert not report.media_contacts.filter(pk__in=[first.pk, second.pk]).exists()
    editor = user_in(roles.EDITORS)
    workflow.report_republish(report=report, user=editor)
    assert set(report.media_contacts.filter(pk__in=[first.pk, second.pk])) == {first, second}

    # 4. The first one's mobile becomes private.
    change_contact(client, form_data, first, mobile_public=False)
    assert first.mobile_public is False
    history = Version.objects.get_for_object(first).first().revision
    assert history.user.username == "press"
    assert "Mobile is public: yes → no" in readable(history.comment)

    # 5. Exactly the public details, in both languages, on every public page and vCard.
    first_office = "+86 10 6425 5855 ext. 5003"
    for code, url in REPORT_URLS.items():
        for responses in ([client.get(url)], press_pages(client, code)):
            text = " ".join(page_text(response) for response in responses)
            body = " ".join(response.content.decode() for response in responses)
            assert_no_private_details(body, first, second)
            if code == "en":
                assert "Liu Wei 3" in text and "Press officer" in text
                assert first_office in text
                assert "+86 139 0149 0149" in text and "+86 10 6425 5855 ext. 5149" in text
            else:
                assert "刘伟3" in text and "新闻官" in text
                assert "010 6425 5855 转 5003" in text
                assert "139 0149 0149" in text and "010 6425 5855 转 5149" in text
                assert "+86" not in text.split("刘伟3", 1)[1][:120]
            # Emails were imported as private.
            assert "press3@example.org" not in text and "press149@example.org" not in text

        response, (card,) = vcard(client, f"/{code}/press/contacts/{first.pk}.vcf")
        assert_no_private_details(response.content.decode(), first)
        assert card.fn.value == ("Liu Wei 3" if code == "en" else "刘伟3")
        assert card.nickname.value == ("刘伟3" if code == "en" else "Liu Wei 3")
        assert [(t.value, sorted(t.params["TYPE"])) for t in card.tel_list] == [
            ("+86 10 6425 5855 ext. 5003", ["VOICE", "WORK"])
        ]
        assert not hasattr(card, "email")

        response, (card,) = vcard(client, f"/{code}/press/contacts/{second.pk}.vcf")
        assert [(t.value, sorted(t.params["TYPE"])) for t in card.tel_list] == [
            ("+86 139 0149 0149", ["CELL", "VOICE"]),
            ("+86 10 6425 5855 ext. 5149", ["VOICE", "WORK"]),
        ]

        response, cards = vcard(client, f"/{code}/2024/press/contacts.vcf")
        assert_no_private_details(response.getvalue().decode(), first, second)
        names = {card.fn.value for card in cards}
        assert {"Liu Wei 3", "Chen Jing 149"} <= names or {"刘伟3", "陈静149"} <= names
