"""Press-release imports stop at the limits in settings (RELEASE_IMPORT_MAX_*), while
reading: a Word document that unpacks to millions of characters, a paste of 20,000 lines.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from forum.models import Report
from forum.releases import ReleaseError
from forum.releases.reader import DOCUMENT_PART, read_release
from tests.releases.importing import author, seed_text
from tests.releases.test_reader import word_document

START = "/admin/forum/report/import-release/"


def with_document_xml(paragraph_xml, count):
    """A .docx whose body is `paragraph_xml` repeated `count` times: a few kilobytes
    zipped, as much as wanted unpacked."""
    template = io.BytesIO(word_document(["placeholder"]))
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == DOCUMENT_PART:
                head, _, rest = data.decode().partition("<w:body>")
                tail = rest[rest.index("<w:sectPr") :]
                data = f"{head}<w:body>{paragraph_xml * count}{tail}".encode()
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def paragraph(text, runs=1):
    return "<w:p>" + f"<w:r><w:t>{text}</w:t></w:r>" * runs + "</w:p>"


def refusal(data, name):
    with pytest.raises(ReleaseError) as excinfo:
        read_release(data, name)
    return str(excinfo.value)


def test_docx_bomb_is_refused_by_its_document_size_before_parsing():
    # 20 million characters of text in about 100 KB: the size of document.xml refuses it.
    bomb = with_document_xml(paragraph("x" * 2000), 10_000)
    assert len(bomb) < 200_000

    message = refusal(bomb, "release.docx")

    assert "The text of “release.docx” unpacks to" in message
    assert "over the limit of 5.0" in message


def test_docx_past_the_character_limit_is_refused(settings):
    settings.RELEASE_IMPORT_MAX_CHARACTERS = 10_000
    document = with_document_xml(paragraph("Tianjin ", runs=50), 100)  # 40,000 characters

    assert "longer than 10,000 characters" in refusal(document, "release.docx")


def test_docx_stops_reading_within_a_paragraph_of_many_runs(settings):
    settings.RELEASE_IMPORT_MAX_CHARACTERS = 1_000
    # One paragraph of 20,000 runs: refused at the first run past the limit.
    document = with_document_xml(paragraph("abcde", runs=20_000), 1)

    assert "longer than 1,000 characters" in refusal(document, "release.docx")


def test_text_file_past_the_line_limit_is_refused():
    text = seed_text() + "\n".join(f"Contact {number} 186 6602 8168" for number in range(20_000))

    assert "more than 2,000 lines" in refusal(text.encode(), "release.txt")


def test_trailing_blank_lines_do_not_count_against_the_line_limit(settings):
    settings.RELEASE_IMPORT_MAX_LINES = seed_text().count("\n") + 1

    assert read_release((seed_text() + "\n" * 50).encode(), "release.txt").startswith(seed_text())


def test_seed_release_is_within_the_limits():
    assert read_release(seed_text().encode(), "release.txt") == seed_text()


# --- The admin and the command ----------------------------------------------------------------


@pytest.fixture
def author_client(client, db):
    client.force_login(author())
    return client


def test_pasted_20000_lines_are_a_form_error_with_nothing_written(author_client):
    lines = "\n".join(f"GUO Silu 186 6602 {number:04d}" for number in range(20_000))

    response = author_client.post(START, {"text": seed_text() + lines})

    assert response.status_code == 200
    assert "more than 2,000 lines" in " ".join(response.context["form"].errors["text"])
    assert "confirm" not in response.context
    assert Report.objects.count() == 0


def test_pasted_text_past_the_character_limit_is_a_form_error(author_client, settings):
    settings.RELEASE_IMPORT_MAX_CHARACTERS = len(seed_text()) + 10

    response = author_client.post(START, {"text": seed_text() + "x" * 11})

    assert "longer than" in " ".join(response.context["form"].errors["text"])


def test_uploaded_docx_bomb_is_a_form_error(author_client):
    bomb = with_document_xml(paragraph("x" * 2000), 10_000)

    response = author_client.post(START, {"upload": SimpleUploadedFile("release.docx", bomb)})

    assert "over the limit of 5.0" in " ".join(response.context["form"].errors["upload"])
    assert Report.objects.count() == 0


def test_command_refuses_a_docx_bomb_with_nothing_written(db, tmp_path):
    path = tmp_path / "release.docx"
    path.write_bytes(with_document_xml(paragraph("x" * 2000), 10_000))

    with pytest.raises(CommandError, match="over the limit of 5.0"):
        call_command("import_press_release", str(path), "--dry-run", stdout=io.StringIO())
    assert Report.objects.count() == 0


def test_docx_of_empty_paragraphs_is_refused_at_the_line_limit():
    # Half a million empty paragraphs: no characters, but each is a line to read.
    message = refusal(with_document_xml("<w:p/>", 500_000), "release.docx")
    assert "more than 2,000 lines" in message


def test_docx_with_a_long_vertical_merge_is_read_cell_by_cell():
    # A table cell merged down 1,000 rows: python-docx's merged-cell lookup walks up the
    # rows (quadratic, and recursion deep enough to fail); each cell is read as written.
    first = '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p/></w:tc></w:tr>'
    merged = "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>"
    table = f"<w:tbl>{first}{merged * 1000}</w:tbl>"
    message = refusal(with_document_xml(table, 1), "release.docx")
    assert "is empty" in message or "lines" in message


@pytest.mark.parametrize("line_break", ["\r", "\u2028", "\x0c"])
def test_lines_past_the_limit_are_counted_whatever_ends_them(settings, line_break):
    settings.RELEASE_IMPORT_MAX_LINES = 100
    message = refusal(line_break.join(["A line"] * 200).encode(), "release.txt")
    assert "more than 100 lines" in message
