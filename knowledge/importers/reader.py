"""The shared reader of a specification document flattened to text.

Every source is a Word document exported line by line: a table cell opens on a tab-indented
line and its wrapped lines follow without the tab, blank lines separate cells, rows and
paragraphs, and headings carry ``[bookmark: …]`` debris. ``Document`` keeps each raw line (the
tabs are layout) beside its cleaned text (what the KB quotes), so that an importer asks layout
questions ("does a cell open here?", "where does this section end?") without re-cleaning lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.importers.common import clean, read_lines

# What ``Document.find`` looks for: the exact cleaned text, a pattern searched in it, or a test.
LineTest = str | re.Pattern[str] | Callable[[str], bool]


class LayoutError(ValueError):
    """The document does not have the layout its importer expects."""


def _as_test(test: LineTest) -> Callable[[str], bool]:
    if isinstance(test, str):
        return lambda text: text == test
    if isinstance(test, re.Pattern):
        return lambda text: bool(test.search(text))
    return test


@dataclass(frozen=True)
class Document:
    """One source document: ``raw[i]`` as printed and ``lines[i]`` cleaned; ``i`` is 0-based."""

    name: str
    raw: list[str]
    lines: list[str]

    @classmethod
    def read(cls, path: Path | str) -> Document:
        path = Path(path)
        raw = read_lines(path)
        return cls(path.name, raw, [clean(line) for line in raw])

    def __len__(self) -> int:
        return len(self.raw)

    def source(self, i: int) -> dict[str, Any]:
        """The citation of line index ``i``: document file name and 1-based line number."""
        return {"document": self.name, "line": i + 1}

    def is_cell(self, i: int) -> bool:
        """Whether line ``i`` opens a table cell (a paragraph never starts with a tab)."""
        return self.raw[i].startswith("\t")

    def tabs(self, i: int) -> int:
        """Tabs in the line's indentation: 0 for a paragraph, 1 for a table cell."""
        raw = self.raw[i]
        return raw[: len(raw) - len(raw.lstrip())].count("\t")

    def is_blank(self, i: int) -> bool:
        """Nothing at all on the line: a lone tab is an empty table cell, not a blank line."""
        return not self.raw[i].strip(" \u00a0")

    def find(self, test: LineTest, start: int = 0, end: int | None = None) -> int:
        """Index of the first cleaned line from ``start`` that passes ``test`` (LayoutError if none)."""
        passes = _as_test(test)
        for i in range(start, len(self) if end is None else end):
            if passes(self.lines[i]):
                return i
        raise LayoutError(f"{self.name}: no line like {getattr(test, 'pattern', test)!r} after line {start + 1}")

    def search(self, pattern: str | re.Pattern[str], start: int = 0, end: int | None = None,
               flags: int = 0) -> tuple[int, re.Match[str]] | None:
        """The first cleaned line matching ``pattern`` and its match, or None."""
        rx = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
        for i in range(start, len(self) if end is None else end):
            m = rx.search(self.lines[i])
            if m:
                return i, m
        return None

    def blocks(self, start: int, end: int) -> list[list[int]]:
        """Runs of non-blank lines (their indexes) between blank lines: usually one cell or paragraph."""
        out: list[list[int]] = []
        current: list[int] = []
        for i in range(start, end):
            if self.lines[i]:
                current.append(i)
            elif current:
                out.append(current)
                current = []
        if current:
            out.append(current)
        return out

    def until_blank(self, start: int, end: int) -> list[int]:
        """Line indexes from ``start`` up to the next blank line (a label's value lines)."""
        out: list[int] = []
        for i in range(start, end):
            if not self.lines[i]:
                break
            out.append(i)
        return out

    def text(self, indexes: Sequence[int], sep: str = " ") -> str:
        """The cleaned lines at ``indexes``, joined."""
        return sep.join(self.lines[i] for i in indexes)


def spans(heads: Sequence[int], end: int) -> list[tuple[int, int]]:
    """``(head, stop)`` per heading: each section runs to the next heading, the last to ``end``."""
    return list(zip(heads, [*heads[1:], end], strict=True))
