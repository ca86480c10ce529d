"""Rule statements of the prose sections: which heading opens a section and how its body reads.

A document is described by data: one ``Section`` per printed heading with the topic its
statements default to and the way its body is printed (``read``). The readers here turn a body
into ``Statement`` tuples; ``to_rules`` makes them Rules of one qualification.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from knowledge.importers import records
from knowledge.importers.common import strip_bullet
from knowledge.importers.reader import Document
from knowledge.importers.tables import row_groups

# ``(topic, verbatim text, line index)``
Statement = tuple[str, str, int]
# ``(pattern, topic)``: a string is searched case-sensitively; compile a pattern for flags.
Override = tuple[str | re.Pattern[str], str]
# Topic tables searched case-insensitively by ``first_match``.
TopicPatterns = Sequence[tuple[str, str]]

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
# Sentences opening with these words lean on the previous sentence ("If not, … is a referral").
CONNECTIVES = ("If not", "However", "Alternatively", "This ", "These ", "It ", "Please note")


@dataclass(frozen=True)
class Section:
    """A heading that opens a run of rule statements, and how its body is read.

    ``heading``: the cleaned line as printed (or its opening words when ``prefix``; then the
    heading line is a statement too), or a pattern matched at its start. ``read``: ``lines`` (every line is a
    statement), ``sentences`` (every line is split into runs of sentences on one topic),
    ``rows`` (paragraphs are statements; table rows are joined into one statement each, prefixed
    with the heading when ``rows_as`` is ``titled``, left out when ``skip``), ``cells`` (a header
    row and one value row: "Header: value" per cell), ``template`` (a form: sentences and column
    groups only), ``skip`` (a heading that only ends the section before it). ``max_tabs``:
    headings printed in table cells have one tab; None accepts any indentation.
    """

    heading: str | re.Pattern[str]
    topic: str
    read: str = "lines"
    max_tabs: int | None = 0
    rows_as: str = "join"
    header_rows: int = 0              # rows: leading rows that are column headers
    prefix: bool = False
    overrides: tuple[Override, ...] = ()

    def opens(self, doc: Document, i: int) -> bool:
        if self.max_tabs is not None and doc.tabs(i) > self.max_tabs:
            return False
        text = doc.lines[i]
        if isinstance(self.heading, re.Pattern):
            return bool(self.heading.match(text))
        return text == self.heading or (self.prefix and text.startswith(self.heading))

    def topic_of(self, text: str) -> str:
        return next((t for pattern, t in self.overrides if re.search(pattern, text)), self.topic)


def first_match(patterns: TopicPatterns, text: str, flags: int = re.IGNORECASE) -> str | None:
    """The topic of the first pattern found in ``text``, or None."""
    return next((topic for pattern, topic in patterns if re.search(pattern, text, flags)), None)


def is_lead_in(text: str) -> bool:
    """ "That is:" — a short lead-in to a list, not a statement of its own."""
    return text.endswith(":") and len(text.split()) <= 3


def classify(text: str, default: str, patterns: Sequence[Override]) -> list[tuple[str, str]]:
    """``(topic, text)`` runs of one printed paragraph: consecutive sentences on one topic together.

    A sentence opening with a connective ("If not, …") stays with the sentence before it, so
    that each run reads on its own; the first pattern found in a run names its topic.
    """
    groups: list[str] = []
    for sentence in _SENTENCE.split(text):
        if groups and sentence.startswith(CONNECTIVES):
            groups[-1] += " " + sentence
        else:
            groups.append(sentence)
    runs: list[tuple[str, str]] = []
    for group in groups:
        topic = next((t for pattern, t in patterns if re.search(pattern, group)), default)
        if runs and runs[-1][0] == topic:
            runs[-1] = (topic, runs[-1][1] + " " + group)
        else:
            runs.append((topic, group))
    return runs


def sections_in(doc: Document, sections: Sequence[Section], regions: Sequence[tuple[int, int]]
                ) -> list[tuple[Section, int, int]]:
    """``(section, body start, body end)`` of every listed heading in ``regions``.

    A section ends at the next listed heading or at the end of its region; the first section
    that a line opens wins.
    """
    found: list[tuple[Section, int, int]] = []
    for start, end in regions:
        heads = [(i, sec) for i in range(start, end)
                 if (sec := next((s for s in sections if s.opens(doc, i)), None)) is not None]
        stops = [i for i, _ in heads[1:]] + [end]
        found += [(sec, i if sec.prefix else i + 1, stop) for (i, sec), stop in zip(heads, stops, strict=True)]
    return found


def section_statements(doc: Document, sec: Section, start: int, end: int) -> list[Statement]:
    """The statements of one section body (``start`` … ``end - 1``), list bullets removed."""
    if sec.read == "skip":
        return []
    found: list[tuple[str, int]]
    if sec.read in ("lines", "sentences"):
        # A short lead-in ("That is:") introduces the lines after it; it says nothing by itself.
        found = [(doc.lines[i], i) for i in range(start, end) if doc.lines[i] and not is_lead_in(doc.lines[i])]
    else:
        found = _READERS[sec.read](sec, row_groups(doc, start, end))
    out: list[Statement] = []
    for text, i in found:
        text = strip_bullet(text)
        if sec.read == "sentences":
            out += [(topic, run, i) for topic, run in classify(text, sec.topic, sec.overrides)]
        else:
            out.append((sec.topic_of(text), text, i))
    return out


def document_statements(doc: Document, sections: Sequence[Section],
                        regions: Sequence[tuple[int, int]]) -> list[Statement]:
    """The statements of every section found in ``regions``, in document order."""
    return [s for sec, start, end in sections_in(doc, sections, regions)
            for s in section_statements(doc, sec, start, end)]


def to_rules(qid: str, doc: Document, statements: Sequence[Statement]) -> list[dict[str, Any]]:
    """The Rules of ``qid`` that the statements make, in their order."""
    return [records.rule(qid, topic, text, doc.source(i)) for topic, text, i in statements]


# -- readers of table-shaped bodies: (section, paragraphs and rows) → [(text, line index)] ------

Groups = list[tuple[bool, list[tuple[int, list[str]]]]]


def _cells(sec: Section, items: Groups) -> list[tuple[str, int]]:
    out = [(cells[0][1][0], cells[0][0]) for is_row, cells in items if not is_row]
    rows = [cells for is_row, cells in items if is_row]
    header, values = rows[0], rows[1]
    for (_, head), (li, value) in zip(header, values, strict=True):
        out.append((f"{' '.join(head)}: {' '.join(value)}", li))
    return out


def _form_cell(parts: list[str]) -> str:
    """A form column: its label, then a description (capitalised) or the label's wrapped rest."""
    parts = [p for p in parts if p]
    if not parts:
        return ""
    text = parts[0]
    for part in parts[1:]:
        text += (": " if part[0].isupper() and ":" not in text else " ") + part
    return text


def _template(sec: Section, items: Groups) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for is_row, cells in items:
        if not is_row:
            li, parts = cells[0]
            if parts[0].endswith(".") and len(parts[0].split()) >= 4:
                out.append((parts[0], li))
            continue
        # A form's column group: label + description cells; blank fields and "Name:" labels are left out.
        texts = [t for t in (_form_cell(parts) for _, parts in cells) if t and not t.endswith(":")]
        if len(texts) >= 2:
            out.append(("; ".join(texts), cells[0][0]))
    return out


def _rows(sec: Section, items: Groups) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    skip_rows = sec.header_rows + (1 if sec.max_tabs else 0)   # a cell heading opens its header row
    for is_row, cells in items:
        if not is_row:
            li, parts = cells[0]
            out.append((parts[0], li))
            continue
        if skip_rows:
            skip_rows -= 1
            continue
        if sec.rows_as == "skip":
            continue
        text = " ".join(p for _, parts in cells for p in parts if p)
        if sec.rows_as == "titled":
            text = f"{sec.heading}: {text}"
        out.append((text, cells[0][0]))
    return out


_READERS: dict[str, Callable[[Section, Groups], list[tuple[str, int]]]] = {
    "cells": _cells, "template": _template, "rows": _rows,
}


# -- paragraphs and bullet lists of plain prose ------------------------------------------------


def _is_subheading(text: str) -> bool:
    """Short unpunctuated lines inside a section ("Email updates", "Instructions for …")."""
    return len(text.split()) <= 4 and not text.endswith((".", ":", "?"))


def list_statements(doc: Document, start: int, end: int, default: str,
                    topic_for: Callable[[str, str], str], keep_topic: bool = False) -> list[Statement]:
    """One statement per paragraph or list item of plain (non-table) lines, bullets kept.

    A paragraph ending in ":" introduces a list: it is not a statement by itself, each item
    carries it as a prefix so the item keeps its meaning ("Evidence should not: Include case
    studies…"). A "·" bullet carries its parent item too, and a bullet ending in ":" is the
    parent of the bullets after it. ``topic_for(text, default)`` names a statement's topic;
    with ``keep_topic`` a bullet never gets a topic of its own.
    """
    out: list[Statement] = []
    found = doc.blocks(start, end)
    for b, whole in enumerate(found):
        # The block's lines up to the first table cell (a table can follow prose directly).
        block = next((whole[:n] for n, i in enumerate(whole) if doc.is_cell(i)), whole)
        if not block:
            continue  # a table row; its continuation lines belong to the cell, not to prose
        texts = [doc.lines[i] for i in block]
        table_next = len(block) < len(whole) or (b + 1 < len(found) and doc.is_cell(found[b + 1][0]))
        if len(texts) == 1 and texts[0].endswith(":") and table_next:
            continue  # "Recommended for this qualification:" introduces a table
        stem = texts[0] if texts[0].endswith(":") and len(texts) > 1 else ""
        parent, parent_topic = "", topic_for(stem, default) if stem else default
        bullet_parent, bullet_topic = "", parent_topic
        for n, (i, text) in enumerate(zip(block, texts, strict=True)):
            if n == 0 and (stem or _is_subheading(text)):
                continue
            if text.startswith("Extract from "):
                continue  # a citation of the text above ("Extract from Ofqual: …"), not a statement
            nxt = texts[n + 1] if n + 1 < len(texts) else ""
            if text.startswith("·"):
                full = " ".join(p for p in (stem, parent, bullet_parent, text) if p)
                own = "" if keep_topic else topic_for(text, "")
                topic = own or (bullet_topic if bullet_parent else parent_topic)
                out.append((topic, full, i))
                if text.endswith(":"):
                    bullet_parent, bullet_topic = text, topic
                continue
            full = f"{stem} {text}" if stem and n > 0 else text
            parent, parent_topic = text, topic_for(text, default)
            bullet_parent = ""
            if text.endswith(":") and nxt.startswith("·"):
                continue  # a sub-list heading: its bullets carry it
            out.append((parent_topic, full, i))
    return out
