"""Whitespace and invisible characters tidied the same way for every kind of document."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Control characters (C0/C1) part words like a space would; soft hyphens and zero-width marks join them.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")


def tidy(text: str) -> str:
    """One line: invisible characters gone, runs of whitespace (tabs, non-breaking spaces) as one space."""
    return " ".join(_CONTROLS.sub(" ", _INVISIBLE.sub("", text)).split())


def tidy_lines(lines: Iterable[str], keep_blank: bool = False) -> str:
    """Each line tidied; empty lines dropped, or (keep_blank) kept as single blank lines between paragraphs."""
    out: list[str] = []
    for line in lines:
        tidied = tidy(line)
        if tidied:
            out.append(tidied)
        elif keep_blank and out and out[-1]:
            out.append("")
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
