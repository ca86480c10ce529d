"""Plain text from a learner's document (.docx, .pdf, .txt, .md), or a kind reason why not.

The bytes stay in memory: a document may hold pupils' personal data, so nothing here writes a file, and
nothing from inside a document (nor its name) goes to the log.
"""

from __future__ import annotations

import io
import logging
import math
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath

import docx
import pypdf
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree
from pypdf import PasswordType
from pypdf.errors import DependencyError, PyPdfError

from bot.types import MAX_FILE_BYTES

log = logging.getLogger(__name__)

# pypdf logs a warning for every oddity in a malformed file ("invalid pdf header", "EOF marker not found"):
# noise in the bot's log for something the person hears about in words anyway. Real errors still show.
logging.getLogger("pypdf").setLevel(logging.ERROR)

SUPPORTED = (".docx", ".pdf", ".txt", ".md")
# The media types of those documents, for a platform file whose name has no ending.
SUFFIX_OF_TYPE = {"text/plain": ".txt", "text/markdown": ".md", "text/x-markdown": ".md", "application/pdf": ".pdf",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}

# A long PDF costs time page by page; the first 200 pages are plenty to suggest criteria from.
MAX_PDF_PAGES = 200
# A .docx is a zip: 10 MB packed can unpack to gigabytes of XML. Real documents stay far below this.
MAX_DOCX_UNPACKED_BYTES = 200 * 1024 * 1024

_MB = 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"       # an encrypted .docx, or an old .doc, is an OLE container
_SUGGEST_DESCRIBE = "or describe the work in a few lines?"
# Control characters (C0/C1) part words like a space would; soft hyphens and zero-width marks join them.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")

# What a broken or mislabelled file makes the readers raise: the person hears "couldn't be opened", the log
# hears nothing. Anything else is logged with its traceback before the person hears the same.
_PDF_ERRORS: tuple[type[Exception], ...] = (PyPdfError, ValueError, KeyError, zlib.error, EOFError)
_DOCX_ERRORS: tuple[type[Exception], ...] = (zipfile.BadZipFile, zipfile.LargeZipFile, PackageNotFoundError,
                                              KeyError, ValueError, etree.LxmlError, zlib.error, EOFError)


class DocumentProblem(Exception):
    """str(exc) is a short, kind sentence for the person, UK English, saying what was wrong and what to do
    (e.g. "“plan.pdf” is password-protected, so I can't read it. Could you send a copy without the password, or
    describe the work in a few lines?")."""


def document_text(name: str, data: bytes) -> str:
    """Plain text of the document: paragraphs separated by blank lines, headings kept as their own lines,
    table cells of a row joined by " | ", whitespace tidied. Raises DocumentProblem."""
    shown = _shown_name(name)
    extension = _extension(name)
    if extension not in SUPPORTED:
        raise DocumentProblem(_unsupported(shown, extension))
    if len(data) > MAX_FILE_BYTES:
        raise DocumentProblem(
            f"{_cap(shown)} is {_megabytes(len(data))} MB, and the most I can read is {MAX_FILE_BYTES / _MB:g} MB. "
            f"Could you send a shorter version (just the pages that matter), {_SUGGEST_DESCRIBE}")
    if not data:
        raise DocumentProblem(f"{_cap(shown)} is empty (0 bytes). Could you check it's the right file and send it "
                              "again?")
    if extension == ".pdf":
        text = _pdf_text(shown, data)
    elif extension == ".docx":
        text = _docx_text(shown, data)
    else:
        text = _plain_text(shown, data)
    if not text:
        raise DocumentProblem(f"I couldn't find any text in {shown}. Could you check it's the right file, "
                              f"{_SUGGEST_DESCRIBE}")
    return text


# --- PDF ---------------------------------------------------------------------------------------------------------

def _pdf_text(shown: str, data: bytes) -> str:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _unlocked(reader):
            raise DocumentProblem(f"{_cap(shown)} is password-protected, so I can't read it. Could you send a copy "
                                  f"without the password, {_SUGGEST_DESCRIBE}")
        page_count = min(len(reader.pages), MAX_PDF_PAGES)
    except DocumentProblem:
        raise
    except _PDF_ERRORS:
        raise DocumentProblem(_unopenable(shown, "PDF")) from None
    except Exception:
        log.exception("Unexpected error opening a PDF of %d bytes", len(data))
        raise DocumentProblem(_unopenable(shown, "PDF")) from None

    pages: list[str] = []
    failed = 0
    for number in range(page_count):
        # One damaged page shouldn't cost the rest of the document.
        try:
            raw = reader.pages[number].extract_text()
        except _PDF_ERRORS:
            failed += 1
            continue
        except Exception:
            log.exception("Unexpected error reading page %d of %d of a PDF", number + 1, page_count)
            failed += 1
            continue
        page = _tidy_lines(raw.splitlines())
        if page:
            pages.append(page)
    if pages:
        return "\n\n".join(pages)
    if page_count and failed == page_count:
        raise DocumentProblem(_unopenable(shown, "PDF"))
    if page_count:
        # Pages but not one word on them: almost always a scan or a photo saved as PDF.
        raise DocumentProblem(
            f"{_cap(shown)} looks like a scanned document: its pages are pictures, so I can't read the words. Could "
            f"you send a text version (the original Word file, say), {_SUGGEST_DESCRIBE}")
    return ""


def _unlocked(reader: pypdf.PdfReader) -> bool:
    """Many PDFs are "encrypted" only to restrict printing or copying, with an empty password to open them."""
    try:
        return reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except DependencyError:
        log.exception("A PDF needs a cryptography library to decrypt")
        return False
    except _PDF_ERRORS:
        return False


# --- Word --------------------------------------------------------------------------------------------------------

def _docx_text(shown: str, data: bytes) -> str:
    if data.startswith(_OLE_MAGIC):
        raise DocumentProblem(
            f"{_cap(shown)} is either password-protected or saved in the older Word format, so I can't read it. "
            f"Could you save a copy as a .docx without a password, {_SUGGEST_DESCRIBE}")
    try:
        if _unpacked_size(data) > MAX_DOCX_UNPACKED_BYTES:
            raise DocumentProblem(
                f"{_cap(shown)} unpacks to far more than a document usually holds, so I won't open it. Could you "
                f"save it again and resend it, {_SUGGEST_DESCRIBE}")
        document = docx.Document(io.BytesIO(data))
        blocks = list(_docx_blocks(document))
    except DocumentProblem:
        raise
    except _DOCX_ERRORS:
        raise DocumentProblem(_unopenable(shown, "Word (.docx)")) from None
    except Exception:
        log.exception("Unexpected error reading a .docx of %d bytes", len(data))
        raise DocumentProblem(_unopenable(shown, "Word (.docx)")) from None
    return "\n\n".join(block for block in blocks if block)


def _unpacked_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(member.file_size for member in archive.infolist())


def _docx_blocks(document: DocxDocument) -> Iterator[str]:
    """Body paragraphs (headings among them) and tables, in the order they appear."""
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            yield _tidy(item.text)
        elif isinstance(item, Table):
            yield _tidy_lines(_table_rows(item))


def _table_rows(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        seen = None
        for cell in row.cells:
            # A merged cell comes back once per grid column it spans; keep it once.
            if cell._tc is seen:
                continue
            seen = cell._tc
            cells.append(_cell_text(cell.iter_inner_content()))
        if any(cells):
            yield " | ".join(cells)


def _cell_text(content: Iterable[Paragraph | Table]) -> str:
    parts: list[str] = []
    for item in content:
        if isinstance(item, Paragraph):
            parts.append(_tidy(item.text))
        else:       # a table inside a cell: its rows, flattened into the cell
            parts.extend(_table_rows(item))
    return " ".join(part for part in parts if part)


# --- plain text and Markdown -------------------------------------------------------------------------------------

def _plain_text(shown: str, data: bytes) -> str:
    text = _decode(data)
    if text is None:
        raise DocumentProblem(
            f"{_cap(shown)} doesn't look like a plain text file (it holds binary data), so I can't read it. Could "
            f"you save it as .txt or .docx and send it again, {_SUGGEST_DESCRIBE}")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return _tidy_lines(lines, keep_blank=True)


def _decode(data: bytes) -> str | None:
    """The text, or None when the bytes are not text. UTF-8 (with or without a BOM), else Windows-1252 (what
    older Windows editors save); UTF-16 only with a BOM (Notepad's "Unicode")."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; a stray one shouldn't lose the rest of the file.
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for char in text if char < " " and char not in "\t\n\r\f")
    return None if controls > len(text) // 20 else text


# --- shared ------------------------------------------------------------------------------------------------------

def _tidy(text: str) -> str:
    """One line: invisible characters gone, runs of whitespace (tabs, non-breaking spaces) as one space."""
    return " ".join(_CONTROLS.sub(" ", _INVISIBLE.sub("", text)).split())


def _tidy_lines(lines: Iterable[str], keep_blank: bool = False) -> str:
    """Each line tidied; empty lines dropped, or (keep_blank) kept as single blank lines between paragraphs."""
    out: list[str] = []
    for line in lines:
        tidy = _tidy(line)
        if tidy:
            out.append(tidy)
        elif keep_blank and out and out[-1]:
            out.append("")
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _extension(name: str) -> str:
    base = _base_name(name)
    return "." + base.rsplit(".", 1)[1].lower() if "." in base else ""


def _base_name(name: str) -> str:
    # A console path may be POSIX or Windows; the person knows the file by its last part.
    return re.split(r"[\\/]", name.strip())[-1].strip()


def _shown_name(name: str) -> str:
    base = _tidy(_base_name(name))
    if not base:
        return "that file"
    if len(base) > 60:
        base = base[:57] + "…"
    return f"“{base}”"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _megabytes(size: int) -> str:
    # Rounded up, so a file just over the limit never reads as "10.0 MB" against a 10 MB limit.
    return f"{math.ceil(size * 10 / _MB) / 10:.1f}"


def _unsupported(shown: str, extension: str) -> str:
    reads = "Word (.docx), PDF (.pdf), plain text (.txt) and Markdown (.md) files"
    if extension == ".doc":
        return (f"{_cap(shown)} is in the older Word format (.doc), which I can't read. Could you save it as a "
                f".docx (File › Save As › Word Document), {_SUGGEST_DESCRIBE}")
    if not extension:
        return (f"I can't tell what kind of document {shown} is, as its name has no ending like .pdf or .docx. "
                f"I can read {reads}. Could you send it as one of those, {_SUGGEST_DESCRIBE}")
    return (f"I can't read {extension} files like {shown}. I can read {reads}. Could you send it as one of "
            f"those, {_SUGGEST_DESCRIBE}")


def _unopenable(shown: str, kind: str) -> str:
    return (f"I couldn't open {shown}: it may be damaged, or not really a {kind} file. Could you save it again "
            f"and send it, {_SUGGEST_DESCRIBE}")


# -- said by the adapters, which check type and size before downloading --------------------------------------------
def too_big(name: str, size: int | None) -> str:
    """The file is over the limit (``size`` None: found while downloading, the total unknown)."""
    what = f"{size / _MB:.1f} MB" if size else f"more than {MAX_FILE_BYTES // _MB} MB"
    return (f"“{name}” is {what}; I can read files up to {MAX_FILE_BYTES // _MB} MB. Could you send a shorter "
            "version, or describe the work in a few lines?")


def not_readable(name: str) -> str:
    """A type :func:`document_text` can't read, in the same words (the adapters don't download those)."""
    reads = "Word (.docx), PDF (.pdf), plain text (.txt) and Markdown (.md) files"
    suffix = PurePosixPath(name.lower()).suffix
    first = (f"I can't read {suffix} files like “{name}”." if suffix else
             f"I can't tell what kind of document “{name}” is, as its name has no ending like .pdf or .docx.")
    return f"{first} I can read {reads}. Could you send it as one of those, or describe the work in a few lines?"
