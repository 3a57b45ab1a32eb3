"""Test helpers for media contacts: spreadsheets to import, and a privacy check that any
public response (page, vCard, feed, API) can be run through."""

import csv
import io
import re

import openpyxl

from forum.models import MediaContact

COLUMNS = (
    "name_en",
    "name_zh_hans",
    "job_title_en",
    "job_title_zh_hans",
    "organisation",
    "mobile",
    "mobile_public",
    "office_phone",
    "office_phone_public",
    "email",
    "email_public",
    "languages",
    "is_public",
    "editions",
)

SURNAMES = [("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈")]
GIVEN = [("Wei", "伟"), ("Fang", "芳"), ("Na", "娜"), ("Min", "敏"), ("Jing", "静")]


def contact_row(number, organisation="CDRF", **changes):
    """A valid row for contact `number` (0-199…): unique mobile, extension and email,
    written the way press offices type them."""
    family, family_zh = SURNAMES[number % 5]
    given, given_zh = GIVEN[(number // 5) % 5]
    row = {
        "name_en": f"{family} {given} {number}",
        "name_zh_hans": f"{family_zh}{given_zh}{number}",
        "job_title_en": "Press officer",
        "job_title_zh_hans": "新闻官",
        "organisation": organisation,
        "mobile": f"139 {number:04d} {number:04d}",
        "mobile_public": "yes",
        "office_phone": f"64255855-{5000 + number}",
        "office_phone_public": "yes",
        "email": f"press{number}@example.org",
        "email_public": "no",
        "languages": "中文, English",
        "is_public": "yes",
        "editions": "",
    }
    row.update(changes)
    return row


def to_csv(rows, columns=COLUMNS):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def to_xlsx(rows, columns=COLUMNS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def digits(text):
    return re.sub(r"\D", "", text)


def private_details(contact):
    """Strings of `contact` that must appear in no public response."""
    contact = MediaContact.objects.get(pk=contact.pk)
    public = contact.public_details()
    secrets = []
    if contact.notes:
        secrets.append(contact.notes)
    for field in MediaContact.DETAIL_FLAGS:
        value = getattr(contact, field)
        if value and field not in public:
            # Colleagues share the switchboard: the number with its extension is private.
            if field == "office_phone" and contact.office_extension:
                value += contact.office_extension
            secrets.append(value)
    if not public:  # a private or inactive contact: not even the name
        secrets += [name for name in (contact.name_en, contact.name_zh_hans) if name]
    return secrets


def assert_no_private_details(text, *contacts):
    """Fails if any private detail of the contacts is in `text` (HTML, JSON, XML, vCard…).

    Numbers are compared as digits, so no style of writing them ("+86 139 1234 5678",
    "139-1234-5678", tel:+8613912345678) lets one through.
    """
    text_digits = digits(text)
    for contact in contacts:
        for secret in private_details(contact):
            if secret.startswith("+") or secret.isdigit():
                national = digits(secret).removeprefix("86")
                assert national not in text_digits, f"private number {secret} of {contact} leaked"
            else:
                assert secret not in text, f"private detail {secret!r} of {contact} leaked"
