"""Plain text from a learner's document (.docx, .pdf, .txt, .md), or a kind reason why not.

The bytes stay in memory: a document may hold pupils' personal data, so nothing here writes a file, and
nothing from inside a document (nor its name) goes to the log.

The PDF and Word readers are imported when a document of their kind arrives, not with the bot: pypdf and
python-docx cost about a tenth of a second of start-up, and almost no message carries a document.
"""

from __future__ import annotations

from bot.documents.problems import (
    SUGGEST_DESCRIBE,
    SUPPORTED,
    DocumentProblem,
    cap,
    extension,
    not_readable,
    shown_name,
    too_big,
    unsupported,
)
from bot.types import MAX_FILE_BYTES

__all__ = ["SUFFIX_OF_TYPE", "SUPPORTED", "DocumentProblem", "document_text", "not_readable", "too_big"]

# The media types of those documents, for a platform file whose name has no ending.
SUFFIX_OF_TYPE = {"text/plain": ".txt", "text/markdown": ".md", "text/x-markdown": ".md", "application/pdf": ".pdf",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}


def document_text(name: str, data: bytes) -> str:
    """Plain text of the document: paragraphs separated by blank lines, headings kept as their own lines,
    table cells of a row joined by " | ", whitespace tidied. Raises DocumentProblem."""
    shown = shown_name(name)
    kind = extension(name)
    if kind not in SUPPORTED:
        raise DocumentProblem(unsupported(shown, kind))
    if len(data) > MAX_FILE_BYTES:
        raise DocumentProblem(too_big(name, len(data)))
    if not data:
        raise DocumentProblem(f"{cap(shown)} is empty (0 bytes). Could you check it's the right file and send it "
                              "again?")
    if kind == ".pdf":
        from bot.documents.pdf import pdf_text

        text = pdf_text(shown, data)
    elif kind == ".docx":
        from bot.documents.word import docx_text

        text = docx_text(shown, data)
    else:
        from bot.documents.plain import plain_text

        text = plain_text(shown, data)
    if not text:
        raise DocumentProblem(f"I couldn't find any text in {shown}. Could you check it's the right file, "
                              f"{SUGGEST_DESCRIBE}")
    return text
