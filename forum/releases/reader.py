"""The text of an uploaded press release: a .txt or .docx file, checked before it is read.

Text files come from many editors: UTF-8 (with or without a byte-order mark), UTF-16 with
a byte-order mark (Windows Notepad's "Unicode"), or GB18030, the Chinese national encoding
that older Windows tools write (a superset of GBK and GB2312). A Word document's
paragraphs (and its tables' rows) come out in order, separated by a blank line, as in the
seed release.

Anything else is refused with a ReleaseError whose message says what to do: an empty file,
another format (whatever its name says: a PNG or PDF renamed .txt is binary), a file over
MAX_BYTES, or a .docx whose parts unpack to more than MAX_UNPACKED_BYTES (a zip bomb).

Text past the import limits in settings is refused too, saying which limit it passed
(check_text_limits, also used for pasted text): a .docx's word/document.xml over
RELEASE_IMPORT_MAX_DOCUMENT_BYTES is never parsed, and its text is counted while its
paragraphs are read, which stop past RELEASE_IMPORT_MAX_CHARACTERS. A small .docx can
repeat one run of text millions of times.
"""

import codecs
import io
import itertools
import posixpath
import re
import zipfile

import docx
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell

from forum.releases import ReleaseError

MAX_BYTES = 2 * 1024 * 1024
# A release's document.xml is a few hundred kilobytes; this only stops zip bombs.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
DOCUMENT_PART = "word/document.xml"
TEXT_EXTENSIONS = (".txt",)
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
WORD_EXTENSIONS = (".docx",)
# Formats that a file named .txt can turn out to be (PDF may hold no NUL byte at all).
BINARY_SIGNATURES = (
    b"%PDF-",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"PK\x03\x04",  # zip: .docx, .xlsx…
    b"\xd0\xcf\x11\xe0",  # OLE: .doc, .xls
    b"{\\rtf",
)
# Control characters no release has (tab, line feed, form feed and carriage return are fine).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Every line break the parser splits on (str.splitlines), not only "\n".
LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def read_release(file_or_bytes, name):
    """The text of the release in `file_or_bytes` (bytes or a file object) named `name`.

    Raises ReleaseError (a translated message for the editor) for a file that is empty,
    too big, of another format or not readable. Line ends become "\\n".
    """
    name = posixpath.basename(str(name or "").replace("\\", "/"))
    extension = posixpath.splitext(name)[1].lower()
    if extension not in TEXT_EXTENSIONS + WORD_EXTENSIONS:
        raise ReleaseError(
            gettext(
                "Upload the press release as a text file (.txt) or a Word document (.docx); "
                "“%(name)s” is neither."
            )
            % {"name": name}
        )
    data = _read_bytes(file_or_bytes)
    if not data.strip():
        raise _empty(name)
    text = _docx_text(data, name) if extension in WORD_EXTENSIONS else _decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _empty(name)
    return check_text_limits(text)


def check_text_limits(text):
    """`text`, unless it passes RELEASE_IMPORT_MAX_CHARACTERS or RELEASE_IMPORT_MAX_LINES:
    then a ReleaseError that names the limit. Called before a release is parsed."""
    # Counting stops at the limit-th line break; blank lines after it do not count.
    breaks = LINE_BREAK.finditer(text)
    last = next(itertools.islice(breaks, settings.RELEASE_IMPORT_MAX_LINES - 1, None), None)
    if last is not None and text[last.end() :].strip():
        raise _too_many_lines()
    if len(text) > settings.RELEASE_IMPORT_MAX_CHARACTERS:
        raise _too_many_characters()
    return text


def _read_bytes(file_or_bytes):
    if isinstance(file_or_bytes, bytes | bytearray | memoryview):
        data = bytes(file_or_bytes)
    else:
        size = getattr(file_or_bytes, "size", None)
        if size is not None and size > MAX_BYTES:
            raise _too_big(size)
        if hasattr(file_or_bytes, "seek"):
            file_or_bytes.seek(0)
        # One byte more than allowed tells a file over the limit without reading it all.
        data = file_or_bytes.read(MAX_BYTES + 1) or b""
        if isinstance(data, str):
            data = data.encode()
    if len(data) > MAX_BYTES:
        raise _too_big(len(data))
    return data


def _decode(data, name):
    for bom, codec in BYTE_ORDER_MARKS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec), name)
            except UnicodeDecodeError:
                raise _undecodable(name) from None
    if data.startswith(BINARY_SIGNATURES) or b"\x00" in data:
        raise _binary(name)
    for codec in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(codec), name)
        except UnicodeDecodeError:
            continue
    raise _undecodable(name)


def _checked(text, name):
    if CONTROL_CHARACTERS.search(text):
        raise _binary(name)
    return text


def _docx_text(data, name):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            parts = {info.filename: info.file_size for info in archive.infolist()}
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise _not_word(name) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReleaseError(
            gettext("“%(name)s” unpacks to %(size)s, far more than a press release holds.")
            % {"name": name, "size": filesizeformat(unpacked)}
        )
    # The parser holds the whole part in memory: its size is checked first.
    if parts.get(DOCUMENT_PART, 0) > settings.RELEASE_IMPORT_MAX_DOCUMENT_BYTES:
        raise ReleaseError(
            gettext(
                "The text of “%(name)s” unpacks to %(size)s, over the limit of %(limit)s "
                "for a press release. Nothing was imported."
            )
            % {
                "name": name,
                "size": filesizeformat(parts[DOCUMENT_PART]),
                "limit": filesizeformat(settings.RELEASE_IMPORT_MAX_DOCUMENT_BYTES),
            }
        )
    budget = _CharacterBudget()
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = [_block_text(block, budget) for block in document.iter_inner_content()]
    except TextLimitError:
        raise
    # lxml's XMLSyntaxError is a SyntaxError; a missing part is a KeyError.
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError):
        raise _not_word(name) from None
    return _checked("\n\n".join(block for block in blocks if block.strip()), name)


class TextLimitError(ReleaseError):
    """Text past an import limit (a ValueError, like ReleaseError: raised while python-docx
    reads, it must not be taken for a damaged file)."""


class _CharacterBudget:
    """Counts the characters and the paragraphs (lines) read from a document; past either
    limit, reading stops. Empty paragraphs count: a small file can hold a million."""

    def __init__(self):
        self.left = settings.RELEASE_IMPORT_MAX_CHARACTERS
        self.lines_left = settings.RELEASE_IMPORT_MAX_LINES

    def take(self, text):
        self.left -= len(text)
        if self.left < 0:
            raise _too_many_characters()
        return text

    def line(self):
        self.lines_left -= 1
        if self.lines_left < 0:
            raise _too_many_lines()


def _block_text(block, budget):
    budget.line()
    if not isinstance(block, Table):
        # Run by run (and link by link): one paragraph can hold millions of characters.
        return "".join(budget.take(item.text) for item in block.iter_inner_content())
    rows = []
    for row in block.rows:
        budget.line()
        # Each cell as written, once: python-docx's row.cells resolves merged cells by
        # walking up the rows above, in time that grows with their square (and recursion
        # deep enough to fail) for a long vertical merge.
        cells = [budget.take(_Cell(tc, block).text.strip()) for tc in row._tr.tc_lst]
        rows.append(" ".join(text for text in cells if text))
    return "\n\n".join(rows)


def _empty(name):
    return ReleaseError(gettext("“%(name)s” is empty: it holds no text.") % {"name": name})


def _too_many_lines():
    return TextLimitError(
        gettext(
            "The press release has more than %(limit)s lines, the most an import "
            "takes. Nothing was imported: check that this is the release."
        )
        % {"limit": number_format(settings.RELEASE_IMPORT_MAX_LINES, force_grouping=True)}
    )


def _too_many_characters():
    return TextLimitError(
        gettext(
            "The press release is longer than %(limit)s characters, the most an import "
            "takes. Nothing was imported: check that this is the release."
        )
        % {"limit": number_format(settings.RELEASE_IMPORT_MAX_CHARACTERS, force_grouping=True)}
    )


def _too_big(size):
    return ReleaseError(
        gettext("The file is %(size)s; a press release may be at most %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(MAX_BYTES)}
    )


def _binary(name):
    return ReleaseError(
        gettext(
            "“%(name)s” is not a text file. Save the press release as plain text (.txt) or "
            "as a Word document (.docx) and upload it again."
        )
        % {"name": name}
    )


def _undecodable(name):
    return ReleaseError(
        gettext(
            "The text of “%(name)s” is in an encoding that cannot be read. Save it as "
            "UTF-8 text and upload it again."
        )
        % {"name": name}
    )


def _not_word(name):
    return ReleaseError(
        gettext(
            "“%(name)s” is not a Word document (.docx), or it is damaged. Open it in Word, "
            "save it as .docx and upload it again."
        )
        % {"name": name}
    )
