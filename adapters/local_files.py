"""A document on this computer, taken as Slack or Teams would deliver it (``/attach`` in the console,
``assessbot evidence suggest``): its size checked before it is read, the problem said in the core's words."""

from __future__ import annotations

from pathlib import Path

from bot.documents import too_big
from bot.types import MAX_FILE_BYTES, IncomingFile


def local_file(path: str) -> IncomingFile:
    name = Path(path).name or path
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            return IncomingFile(name, size, problem=too_big(name, size))
        return IncomingFile(name, size, Path(path).read_bytes())
    except OSError as exc:
        return IncomingFile(name, 0, problem=f"I can't open “{path}” on this computer ({exc.strerror or exc}).")
