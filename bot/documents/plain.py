"""Text from a plain text or Markdown file, whatever editor saved it."""

from __future__ import annotations

from bot.documents.problems import SUGGEST_DESCRIBE, DocumentProblem, cap
from bot.documents.tidy import tidy_lines


def plain_text(shown: str, data: bytes) -> str:
    text = _decode(data)
    if text is None:
        raise DocumentProblem(
            f"{cap(shown)} doesn't look like a plain text file (it holds binary data), so I can't read it. Could "
            f"you save it as .txt or .docx and send it again, {SUGGEST_DESCRIBE}")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return tidy_lines(lines, keep_blank=True)


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
