"""Text from a PDF (pypdf), page by page, up to ``MAX_PDF_PAGES``."""

from __future__ import annotations

import io
import logging
import zlib

import pypdf
from pypdf import PasswordType
from pypdf.errors import DependencyError, PyPdfError

from bot.documents.problems import SUGGEST_DESCRIBE, DocumentProblem, cap, opening, unopenable
from bot.documents.tidy import tidy_lines

log = logging.getLogger(__name__)

# pypdf logs a warning for every oddity in a malformed file ("invalid pdf header", "EOF marker not found"):
# noise in the bot's log for something the person hears about in words anyway. Real errors still show.
logging.getLogger("pypdf").setLevel(logging.ERROR)

# A long PDF costs time page by page; the first 200 pages are plenty to suggest criteria from.
MAX_PDF_PAGES = 200
# What a broken or mislabelled file makes pypdf raise: the person hears "couldn't be opened", the log
# hears nothing. Anything else is logged with its traceback before the person hears the same.
_PDF_ERRORS: tuple[type[Exception], ...] = (PyPdfError, ValueError, KeyError, zlib.error, EOFError)


def pdf_text(shown: str, data: bytes) -> str:
    with opening(shown, "PDF", _PDF_ERRORS, len(data)):
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _unlocked(reader):
            raise DocumentProblem(f"{cap(shown)} is password-protected, so I can't read it. Could you send a copy "
                                  f"without the password, {SUGGEST_DESCRIBE}")
        page_count = min(len(reader.pages), MAX_PDF_PAGES)

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
        page = tidy_lines(raw.splitlines())
        if page:
            pages.append(page)
    if pages:
        return "\n\n".join(pages)
    if page_count and failed == page_count:
        raise DocumentProblem(unopenable(shown, "PDF"))
    if page_count:
        # Pages but not one word on them: almost always a scan or a photo saved as PDF.
        raise DocumentProblem(
            f"{cap(shown)} looks like a scanned document: its pages are pictures, so I can't read the words. Could "
            f"you send a text version (the original Word file, say), {SUGGEST_DESCRIBE}")
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
