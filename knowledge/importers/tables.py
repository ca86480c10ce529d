"""Word tables as the flattened text prints them.

A cell opens on a tab-indented line; the lines after it without a tab (a wrapped cell, the
items of a list in the cell) continue it. Rows are separated by blank lines, but Word also
splits merged cells over blank lines, so each reader below states which blank lines end what.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from knowledge.importers.reader import Document

# ``(label, index of the label line, indexes of its value lines)``
LabelRow = tuple[str, int, list[int]]
# ``(index of the cell's first line, its cleaned lines)``; an empty cell has no lines.
Cell = tuple[int, list[str]]


def label_rows(doc: Document, start: int, end: int, label_of: Callable[[int], str | None]) -> list[LabelRow]:
    """Label/value rows: a line that ``label_of`` names, then its value lines up to a blank line.

    The value stops at the first blank line, so that an unlabelled note further down is not
    taken as part of it; the value lines are never read as labels themselves.
    """
    rows: list[LabelRow] = []
    i = start
    while i < end:
        label = label_of(i)
        if label is None:
            i += 1
            continue
        values = doc.until_blank(i + 1, end)
        rows.append((label, i, values))
        i = i + 1 + len(values)
    return rows


def key_values(doc: Document, start: int, end: int) -> list[tuple[str, list[int]]]:
    """Rows of a two-column key/value table: ``(key text, value line indexes)``.

    A row is a block of lines whose first line opens a cell (the key); the rest is the value.
    """
    return [(doc.lines[block[0]], block[1:]) for block in doc.blocks(start, end)
            if len(block) >= 2 and doc.is_cell(block[0])]


def code_rows(doc: Document, start: int, end: int, code: re.Pattern[str], width: int) -> list[tuple[int, list[str]]]:
    """Rows of a units overview table: a line matching ``code``, then its ``width`` non-blank cells.

    Returns ``(index of the code line, cell texts)``; the cells are read past blank lines.
    """
    rows: list[tuple[int, list[str]]] = []
    i = start
    while i < end:
        if code.match(doc.lines[i]):
            found = [j for j in range(i + 1, end) if doc.lines[j]][:width]
            rows.append((i, [doc.lines[j] for j in found]))
            i = found[-1]
        i += 1
    return rows


def cells(doc: Document, start: int, count: int) -> tuple[list[tuple[int, str]], int]:
    """``count`` table cells from ``start`` and the index after the last one.

    Blank lines are skipped (Word splits merged cells over them); an untabbed line continues the
    open cell until the table is complete, and then it is the paragraph after the table.
    Returns ``(line index, text)`` per cell.
    """
    found: list[Cell] = []
    i = start
    while i < len(doc):
        text = doc.lines[i]
        if doc.is_blank(i):
            i += 1
            continue
        if doc.tabs(i) >= 1:
            if len(found) == count:
                break
            found.append((i, [text] if text else []))
        elif found and len(found) <= count:
            if len(found) == count and found[-1][1]:
                break       # the table is complete: an untabbed line after it is a paragraph
            found[-1][1].append(text)
        else:
            break
        i += 1
    return [(li, " ".join(parts)) for li, parts in found], i


def row_groups(doc: Document, start: int, end: int) -> list[tuple[bool, list[Cell]]]:
    """Paragraph lines and table rows of a section, in order.

    Returns ``(is_row, cells)`` items: a paragraph is one cell of one line; a table row's cells
    open on tab lines, untabbed lines continue the open cell, and a blank line ends the row.
    """
    items: list[tuple[bool, list[Cell]]] = []
    in_row = False
    for i in range(start, end):
        text = doc.lines[i]
        if doc.is_blank(i):
            in_row = False
            continue
        if doc.tabs(i) >= 1:
            if not in_row:
                items.append((True, []))
                in_row = True
            items[-1][1].append((i, [text] if text else []))
        elif in_row:
            items[-1][1][-1][1].append(text)
        else:
            items.append((False, [(i, [text])]))
    return items


def header_row(doc: Document, first: str, end: int) -> tuple[list[str], list[tuple[int, str]]]:
    """A one-row table whose header row (one line per cell) starts with the cell ``first``."""
    start = next(i for i in range(end) if doc.lines[i] == first and doc.tabs(i))
    header: list[str] = []
    i = start
    while doc.raw[i].strip():
        header.append(doc.lines[i])
        i += 1
    row, _ = cells(doc, i, len(header))
    return header, row
