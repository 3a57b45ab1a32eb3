"""The media-contact import stops at CONTACT_IMPORT_MAX_ROWS and _CELLS while it reads the
file, and its review page lists only the first rows, whatever the file's length."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forum.core import roles
from forum.models import MediaContact
from forum.press.admin import IMPORT_PREVIEW_ROWS
from forum.press.imports import BoundedCSV, BoundedXLSX, ImportLimitError
from tests.factories import user_in
from tests.press.data import COLUMNS, contact_row, to_csv, to_xlsx

IMPORT_URL = "/admin/forum/mediacontact/import/"


def huge_xlsx(rows, columns=14):
    """A workbook written row by row (openpyxl's write-only mode keeps the test fast)."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([f"column {number}" for number in range(columns)])
    for number in range(rows):
        sheet.append([f"{number}-{column}" for column in range(columns)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def twenty_thousand_lines():
    header = ",".join(COLUMNS)
    return "\n".join([header, *(f"Person {number},,,,CDRF" for number in range(20_000))])


def test_xlsx_past_the_row_limit_is_refused_while_read(settings):
    settings.CONTACT_IMPORT_MAX_ROWS = 100

    with pytest.raises(ImportLimitError, match="more than 100 rows"):
        BoundedXLSX().create_dataset(huge_xlsx(20_000, columns=2))


def test_xlsx_past_the_cell_limit_is_refused(settings):
    settings.CONTACT_IMPORT_MAX_CELLS = 1_000

    with pytest.raises(ImportLimitError, match="more than 1,000 cells"):
        BoundedXLSX().create_dataset(huge_xlsx(100, columns=200))


def test_csv_of_20000_lines_is_refused_by_the_row_limit():
    with pytest.raises(ImportLimitError, match="more than 1,000 rows"):
        BoundedCSV(encoding="utf-8").create_dataset(twenty_thousand_lines().encode())


def test_files_within_the_limits_read_as_before():
    rows = [contact_row(1), contact_row(2)]

    xlsx = BoundedXLSX().create_dataset(to_xlsx(rows))
    csv = BoundedCSV(encoding="utf-8").create_dataset(to_csv(rows))

    assert xlsx.headers == csv.headers == list(COLUMNS)
    assert len(xlsx) == len(csv) == 2


# --- Through the admin ----------------------------------------------------------------------


@pytest.fixture
def press_client(client, demo):
    client.force_login(user_in(roles.PRESS_OFFICERS))
    return client


def post_import(client, content, name, file_format):
    return client.post(
        IMPORT_URL, {"format": file_format, "import_file": SimpleUploadedFile(name, content)}
    )


def test_admin_refuses_20000_pasted_lines_saying_which_limit(press_client):
    before = MediaContact.objects.count()

    response = post_import(press_client, twenty_thousand_lines().encode(), "list.csv", "0")

    errors = " ".join(response.context["form"].errors["import_file"])
    assert "The file has more than 1,000 rows" in errors
    assert "result" not in response.context
    assert MediaContact.objects.count() == before


def test_admin_refuses_a_huge_xlsx_saying_which_limit(press_client, settings):
    settings.CONTACT_IMPORT_MAX_CELLS = 5_000

    response = post_import(press_client, huge_xlsx(1_000), "list.xlsx", "1")

    errors = " ".join(response.context["form"].errors["import_file"])
    assert "The file has more than 5,000 cells" in errors


def test_admin_review_lists_only_the_first_rows_with_the_counts(press_client, page_text):
    count = IMPORT_PREVIEW_ROWS + 20
    rows = [contact_row(number) for number in range(count)]

    response = post_import(press_client, to_csv(rows), "list.csv", "0")

    assert response.context["result"].totals["new"] == count
    text = page_text(response)
    assert f"{count} new, 0 changed, 0 unchanged" in text
    assert f"The first {IMPORT_PREVIEW_ROWS} of {count} rows are shown." in text
    assert response.content.decode().count('<tr class="new">') == IMPORT_PREVIEW_ROWS
