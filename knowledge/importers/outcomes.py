"""Learning outcomes and criteria printed as a table flattened column by column.

Both ILM unit layouts (000 and 002) print an LO line ("1 Improve own managerial practice"),
then the AC numbers of that LO standing alone, then the AC texts in the same order, with uneven
blank lines between them and some texts wrapped onto a second line. The numbers and texts are
paired by order; how a wrapped text is told from a new one is the document's ``Pairing``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from knowledge.importers import records
from knowledge.importers.reader import Document, LayoutError

# ``(line index, cleaned text)``; ``""`` stands for a blank line inside the AC texts.
Item = tuple[int, str]
# AC texts of one LO → one ``(index of its first line, text)`` per AC number (``expected`` of them).
Pairing = Callable[[list[Item], int], list[Item]]

_TERMINAL = (".", "?", "!")


@dataclass
class OutcomeRow:
    """One LO of the table while it is read: its wording, AC numbers and AC text lines."""

    number: int
    line: int
    parts: list[str]
    ids: list[str] = field(default_factory=list)
    texts: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class ColumnTable:
    """How a document prints its LO/AC table.

    ``lo``: an LO line, groups (number, wording); ``ac``: an AC number standing alone;
    ``opens_lo``: whether an LO-like line at an index really opens a new LO, given the LO being
    read (None before the first); ``strict``: an AC numbered for another LO is a layout error
    (else the AC's own number decides its LO and the printed one is kept as ``_printed_lo``).
    """

    lo: re.Pattern[str]
    ac: re.Pattern[str]
    pairing: Pairing
    opens_lo: Callable[[Document, int, OutcomeRow | None], bool]
    strict: bool = True


def read_outcomes(doc: Document, table: ColumnTable, start: int, end: int
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Learning outcomes and criteria of the table in ``doc.lines[start:end]``.

    Per LO: lines before its first AC number continue the LO wording (an LO wrapped onto a
    second line); AC numbers collect; later lines, blank ones included once a text has begun,
    are AC texts.
    """
    rows: list[OutcomeRow] = []
    for i in range(start, end):
        text = doc.lines[i]
        current = rows[-1] if rows else None
        if table.ac.match(text):
            if current is None:
                raise LayoutError(f"{doc.name} line {i + 1}: AC number before any learning outcome")
            current.ids.append(text)
            continue
        lo_m = table.lo.match(text)
        if lo_m and table.opens_lo(doc, i, current):
            rows.append(OutcomeRow(int(lo_m.group(1)), i, [lo_m.group(2)]))
        elif current is None:
            if text:
                raise LayoutError(f"{doc.name} line {i + 1}: text before any learning outcome")
        elif not current.ids:
            if text:
                current.parts.append(text)
        elif text or current.texts:
            current.texts.append((i, text))
    outcomes: list[dict[str, Any]] = []
    criteria: list[dict[str, Any]] = []
    for row in rows:
        outcomes.append(records.outcome(row.number, " ".join(row.parts), doc.source(row.line)))
        criteria += _criteria(doc, table, row)
    return outcomes, criteria


def _criteria(doc: Document, table: ColumnTable, row: OutcomeRow) -> list[dict[str, Any]]:
    """The criteria of one LO: its AC numbers paired by order with the texts its pairing finds."""
    if not row.ids:
        raise LayoutError(f"{doc.name} line {row.line + 1}: LO {row.number} has no criteria")
    texts = table.pairing(row.texts, len(row.ids))
    if len(texts) != len(row.ids):
        raise LayoutError(f"{doc.name} line {row.line + 1}: LO {row.number} has {len(row.ids)} AC numbers "
                          f"but {len(texts)} texts")
    out: list[dict[str, Any]] = []
    for ac_id, (index, text) in zip(row.ids, texts, strict=True):
        lo = int(ac_id.split(".")[0])
        if table.strict and lo != row.number:
            raise LayoutError(f"{doc.name}: AC {ac_id} listed under LO {row.number}")
        extras = {} if table.strict else {"_printed_lo": row.number}
        out.append(records.criterion(ac_id, lo, text, doc.source(index), **extras))
    return out


def split_items(block: list[Item], expected: int) -> list[Item]:
    """AC texts of one LO, paired later with its AC numbers by order (000's pairing).

    ``block`` holds ``(index, cleaned text)`` with ``""`` for blank lines. A text item starts
    after a blank line or after a line ending a sentence; other lines continue the previous
    item ("… practitioner enquiry," / "With due regard …"). The alternative readings (one item
    per blank-separated paragraph, one per line) are tried when the first does not give
    ``expected`` items, and the layout is rejected if none does.
    """
    def by_sentence() -> list[list[Item]]:
        items: list[list[Item]] = []
        prev = ""
        for i, text in block:
            if not text:
                prev = ""
                continue
            if not items or not prev or prev.endswith(_TERMINAL):
                items.append([])
            items[-1].append((i, text))
            prev = text
        return items

    def by_paragraph() -> list[list[Item]]:
        items: list[list[Item]] = []
        prev = ""
        for i, text in block:
            if text:
                if not prev:
                    items.append([])
                items[-1].append((i, text))
            prev = text
        return items

    def by_line() -> list[list[Item]]:
        return [[(i, t)] for i, t in block if t]

    for reading in (by_sentence, by_paragraph, by_line):
        items = reading()
        if len(items) == expected:
            return [(item[0][0], " ".join(t for _, t in item)) for item in items]
    raise LayoutError(f"cannot pair {expected} AC numbers with texts at line {block[0][0] + 1}")


def join_lower_case_continuations(block: list[Item], expected: int) -> list[Item]:
    """AC texts with wrapped lines (starting in lower case) joined to the line above (002's pairing).

    Blank lines never matter here; lines are joined only when there are more than ``expected``.
    """
    texts = [(i, t) for i, t in block if t]
    if len(texts) <= expected:
        return texts
    out: list[Item] = []
    for line, text in texts:
        if out and text[:1].islower():
            out[-1] = (out[-1][0], out[-1][1] + " " + text)
        else:
            out.append((line, text))
    return out
