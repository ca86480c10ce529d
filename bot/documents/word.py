"""Text from a Word document (.docx, python-docx): body paragraphs and tables in document order."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from bot.documents.problems import SUGGEST_DESCRIBE, DocumentProblem, cap, opening
from bot.documents.tidy import tidy, tidy_lines

# A .docx is a zip: 10 MB packed can unpack to gigabytes of XML. Real documents stay far below this.
MAX_DOCX_UNPACKED_BYTES = 200 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"       # an encrypted .docx, or an old .doc, is an OLE container
_DOCX_ERRORS: tuple[type[Exception], ...] = (zipfile.BadZipFile, zipfile.LargeZipFile, PackageNotFoundError,
                                              KeyError, ValueError, etree.LxmlError, zlib.error, EOFError)


def docx_text(shown: str, data: bytes) -> str:
    if data.startswith(_OLE_MAGIC):
        raise DocumentProblem(
            f"{cap(shown)} is either password-protected or saved in the older Word format, so I can't read it. "
            f"Could you save a copy as a .docx without a password, {SUGGEST_DESCRIBE}")
    with opening(shown, "Word (.docx)", _DOCX_ERRORS, len(data)):
        if _unpacked_size(data) > MAX_DOCX_UNPACKED_BYTES:
            raise DocumentProblem(
                f"{cap(shown)} unpacks to far more than a document usually holds, so I won't open it. Could you "
                f"save it again and resend it, {SUGGEST_DESCRIBE}")
        document = docx.Document(io.BytesIO(data))
        blocks = list(_docx_blocks(document))
    return "\n\n".join(block for block in blocks if block)


def _unpacked_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(member.file_size for member in archive.infolist())


def _docx_blocks(document: DocxDocument) -> Iterator[str]:
    """Body paragraphs (headings among them) and tables, in the order they appear."""
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            yield tidy(item.text)
        elif isinstance(item, Table):
            yield tidy_lines(_table_rows(item))


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
            parts.append(tidy(item.text))
        else:       # a table inside a cell: its rows, flattened into the cell
            parts.extend(_table_rows(item))
    return " ".join(part for part in parts if part)
