"""read_release: the text of .txt and .docx releases; clear errors for anything else."""

import codecs
import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from forum.releases import ReleaseError
from forum.releases.parser import parse_release
from forum.releases.reader import MAX_BYTES, read_release
from tests.releases.importing import seed_text

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def word_document(paragraphs, table_rows=()):
    """A .docx made with python-docx: one Word paragraph per item, then a table."""
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table_rows:
        table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        for row, cells in zip(table.rows, table_rows, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def seed_paragraphs():
    return [part.strip("\n") for part in seed_text().split("\n\n") if part.strip()]


def refusal(data, name):
    """The message of the ReleaseError that reading `data` named `name` raises."""
    with pytest.raises(ReleaseError) as excinfo:
        read_release(data, name)
    return str(excinfo.value)


# --- Text files ----------------------------------------------------------------------------


def test_utf8_text_is_read_as_is():
    assert read_release(seed_text().encode(), "release.txt") == seed_text()


def test_utf8_with_byte_order_mark_loses_the_mark():
    data = codecs.BOM_UTF8 + seed_text().encode()
    assert read_release(data, "release.txt") == seed_text()


def test_gb18030_text_is_read():
    assert read_release(seed_text().encode("gb18030"), "release.txt") == seed_text()


def test_utf16_with_byte_order_mark_is_read():
    assert read_release(seed_text().encode("utf-16"), "release.txt") == seed_text()


def test_windows_line_ends_become_newlines():
    data = seed_text().replace("\n", "\r\n").encode()
    assert read_release(data, "release.txt") == seed_text()


def test_upload_is_read_from_its_start():
    upload = SimpleUploadedFile("Release 2024.TXT", seed_text().encode())
    upload.read(10)
    assert read_release(upload, upload.name) == seed_text()


def test_name_with_a_windows_path_is_read_by_its_extension():
    assert read_release(b"Text", "C:\\fakepath\\release.txt") == "Text"


def test_read_text_parses_like_the_seed():
    text = read_release(seed_text().encode("gb18030"), "release.txt")
    assert parse_release(text) == parse_release(seed_text())


# --- Word documents ------------------------------------------------------------------------


def test_docx_paragraphs_come_in_order_with_blank_lines_between():
    data = word_document(["First paragraph.", "Second paragraph.", "", "Third."])
    assert read_release(data, "release.docx") == "First paragraph.\n\nSecond paragraph.\n\nThird."


def test_docx_of_the_seed_parses_like_the_seed():
    data = word_document(seed_paragraphs())
    assert parse_release(read_release(data, "release.docx")) == parse_release(seed_text())


def test_docx_table_rows_are_paragraphs_after_the_text_before_them():
    data = word_document(["--Media Contact--", "CDRF"], [("Guo Silu", "18666028168/64255855-8014")])
    assert read_release(data, "release.docx") == (
        "--Media Contact--\n\nCDRF\n\nGuo Silu 18666028168/64255855-8014"
    )


def test_docx_file_object_is_read():
    upload = SimpleUploadedFile("release.docx", word_document(["Text."]))
    assert read_release(upload, upload.name) == "Text."


# --- What is refused -----------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b" \n\r\n\t "], ids=["empty", "blank"])
def test_empty_text_file_is_refused(data):
    assert refusal(data, "release.txt") == "“release.txt” is empty: it holds no text."


def test_docx_without_text_is_refused():
    assert "is empty" in refusal(word_document(["", " "]), "release.docx")


@pytest.mark.parametrize("name", ["release.pdf", "release.doc", "release", "release.txt.exe"])
def test_other_formats_are_refused_by_name(name):
    assert refusal(PDF, name) == (
        "Upload the press release as a text file (.txt) or a Word document (.docx); "
        f"“{name}” is neither."
    )


@pytest.mark.parametrize(
    "data",
    [PNG, PDF, b"PK\x03\x04rest of a zip", b"plain text\x00with a NUL byte"],
    ids=["png", "pdf", "zip", "nul"],
)
def test_binary_file_named_txt_is_refused(data):
    assert refusal(data, "release.txt") == (
        "“release.txt” is not a text file. Save the press release as plain text (.txt) or as "
        "a Word document (.docx) and upload it again."
    )


def test_text_with_control_characters_is_refused():
    assert "is not a text file" in refusal(b"Text\x07\x1b[0m", "release.txt")


def test_undecodable_text_is_refused():
    assert refusal(b"caf\xe9 \x80\xff au lait", "release.txt") == (
        "The text of “release.txt” is in an encoding that cannot be read. Save it as UTF-8 "
        "text and upload it again."
    )


def test_three_megabytes_of_text_are_refused():
    data = b"China Development Forum. " * (3 * 1024 * 1024 // 25)
    assert (
        refusal(data, "release.txt")
        == "The file is 3.0\xa0MB; a press release may be at most 2.0\xa0MB."
    )


def test_big_upload_is_refused_by_its_size_before_it_is_read():
    class Upload(io.BytesIO):
        size = 3 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("read")

    assert "may be at most" in refusal(Upload(), "release.txt")


def test_big_stream_is_read_only_up_to_the_limit():
    stream = io.BytesIO(b"a" * (MAX_BYTES + 10))
    assert "may be at most" in refusal(stream, "release.txt")
    assert stream.tell() == MAX_BYTES + 1


@pytest.mark.parametrize(
    "data", [seed_text().encode(), PNG, b"PK\x03\x04broken"], ids=["text", "png", "broken-zip"]
)
def test_docx_that_is_no_word_document_is_refused(data):
    assert refusal(data, "release.docx") == (
        "“release.docx” is not a Word document (.docx), or it is damaged. Open it in Word, "
        "save it as .docx and upload it again."
    )


def test_zip_that_is_no_word_document_is_refused():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("notes.txt", "not a document")
    assert "is not a Word document" in refusal(stream.getvalue(), "release.docx")


def test_docx_that_unpacks_to_too_much_is_refused():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (50 * 1024 * 1024))
    assert len(stream.getvalue()) < MAX_BYTES
    assert "unpacks to 50.0\xa0MB" in refusal(stream.getvalue(), "release.docx")


def test_errors_are_in_the_active_language():
    with translation.override("zh-hans"):
        assert refusal(b"", "release.txt") == "“release.txt”是空文件，没有任何文字。"


def test_release_error_is_a_value_error():
    assert issubclass(ReleaseError, ValueError)


def test_docx_merged_table_cell_is_read_once():
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "CDRF"
    stream = io.BytesIO()
    document.save(stream)
    assert read_release(stream.getvalue(), "release.docx") == "CDRF"
