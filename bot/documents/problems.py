"""What a document's reader tells the person when it can't read it: one or two kind sentences naming the
file and what to do. Shared by every reader, and by the adapters, which check type and size before
downloading and must say it in the same words."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager

from bot.documents.tidy import tidy
from bot.types import MAX_FILE_BYTES

log = logging.getLogger("bot.documents")

SUPPORTED = (".docx", ".pdf", ".txt", ".md")
MB = 1024 * 1024
SUGGEST_DESCRIBE = "or describe the work in a few lines?"


class DocumentProblem(Exception):
    """str(exc) is a short, kind sentence for the person, UK English, saying what was wrong and what to do
    (e.g. "“plan.pdf” is password-protected, so I can't read it. Could you send a copy without the password, or
    describe the work in a few lines?")."""


def extension(name: str) -> str:
    base = _base_name(name)
    return "." + base.rsplit(".", 1)[1].lower() if "." in base else ""


def _base_name(name: str) -> str:
    # A console path may be POSIX or Windows; the person knows the file by its last part.
    return re.split(r"[\\/]", name.strip())[-1].strip()


def shown_name(name: str) -> str:
    base = tidy(_base_name(name))
    if not base:
        return "that file"
    if len(base) > 60:
        base = base[:57] + "…"
    return f"“{base}”"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def megabytes(size: int) -> str:
    # Rounded up, so a file just over the limit never reads as "10.0 MB" against a 10 MB limit.
    return f"{math.ceil(size * 10 / MB) / 10:.1f}"


def unsupported(shown: str, extension: str) -> str:
    reads = "Word (.docx), PDF (.pdf), plain text (.txt) and Markdown (.md) files"
    if extension == ".doc":
        return (f"{cap(shown)} is in the older Word format (.doc), which I can't read. Could you save it as a "
                f".docx (File › Save As › Word Document), {SUGGEST_DESCRIBE}")
    if not extension:
        return (f"I can't tell what kind of document {shown} is, as its name has no ending like .pdf or .docx. "
                f"I can read {reads}. Could you send it as one of those, {SUGGEST_DESCRIBE}")
    return (f"I can't read {extension} files like {shown}. I can read {reads}. Could you send it as one of "
            f"those, {SUGGEST_DESCRIBE}")


def unopenable(shown: str, kind: str) -> str:
    return (f"I couldn't open {shown}: it may be damaged, or not really a {kind} file. Could you save it again "
            f"and send it, {SUGGEST_DESCRIBE}")


def too_big(name: str, size: int | None) -> str:
    """The file is over the limit (``size`` None: found while downloading, the total unknown)."""
    what = f"{megabytes(size)} MB" if size else f"more than {MAX_FILE_BYTES // MB} MB"
    return (f"{cap(shown_name(name))} is {what}; I can read files up to {MAX_FILE_BYTES // MB} MB. Could you "
            f"send a shorter version, {SUGGEST_DESCRIBE}")


def not_readable(name: str) -> str:
    """A type the readers don't take (.xlsx, a picture, no ending at all)."""
    return unsupported(shown_name(name), extension(name))


@contextmanager
def opening(shown: str, kind: str, expected: tuple[type[BaseException], ...], size: int) -> Iterator[None]:
    """Any failure opening the file becomes "I couldn't open …": the errors a broken or mislabelled file
    raises quietly, anything else logged (type and size only) as a fault of ours."""
    try:
        yield
    except DocumentProblem:
        raise
    except expected:
        raise DocumentProblem(unopenable(shown, kind)) from None
    except Exception:
        log.exception("Unexpected error opening a %s of %d bytes", kind, size)
        raise DocumentProblem(unopenable(shown, kind)) from None


