"""Importer for the fictional Level 4 Award in Example Studies (``spec.txt`` beside this file).

The example of the README's recipe "Add a qualification", used only by tests/test_recipe_qualification.py.
A real one lives in ``knowledge/importers/<layout>.py`` and is registered by one ``SpecSource`` line in
``knowledge/importers/__init__.py``; it is written the same way: the shared reader configured with data.

Layout (a Word document flattened to text, as in knowledge/sources/): bookmarked headings; a
"Qualification Structure and Details" table of ``\\tLabel:`` / ``\\tvalue`` rows; an "Overview of Units"
table (code, title, level, credits, GLH on five lines); one block per unit headed ``Unit <code><TAB><title>``
with labelled rows, then its LO/AC table printed column by column (the AC numbers of an LO, then their
texts in the same order, one wrapped onto a second line); prose sections whose sentences are the rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from knowledge.importers import records
from knowledge.importers.common import NUMBER, first_int, months, number
from knowledge.importers.outcomes import ColumnTable, read_outcomes, split_items
from knowledge.importers.reader import Document, LayoutError, spans
from knowledge.importers.statements import Section, document_statements, to_rules
from knowledge.importers.tables import code_rows, label_rows

# The id the SpecSource line registers; the bot and the records refer to the qualification by it.
QUALIFICATION_ID = "l4-example-award"

# -- the document's patterns and labels ----------------------------------------------------------

_HEADING = re.compile(r"\[bookmark: _Toc")                  # raw text: the debris marks a heading
_UNIT_HEADING = re.compile(r"^Unit (\d{4}-\d{3}) (.+)$")     # cleaned: the tab is one space by then
_UNIT_CODE = re.compile(r"^\d{4}-\d{3}$")
_ACCREDITATION = re.compile(r"\d{3}/\d{4}/\d")
_VALIDITY = re.compile(r"\bvalid for " + NUMBER + r" (years?|months?)", re.IGNORECASE)

# "1. Understand …": a number, a dot, a word (so an AC number "1.2" never reads as an LO); an LO opens a
# table row, so it is a cell. AC texts are told apart by sentence ends, as in 000 (``split_items``).
_OUTCOMES = ColumnTable(lo=re.compile(r"^(\d+)\.?\s*([A-Za-z].*)$"), ac=re.compile(r"^(\d+)\.(\d+)$"),
                        pairing=split_items, opens_lo=lambda doc, i, _row: doc.is_cell(i))
_TABLE_HEAD = "Assessment criteria (the learner can)"

# Structure rows that are a plain fact: label → (qualification key, how the value reads).
_FACTS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "Awarding Body": ("awarding_body", str),
    "Credit Value": ("credits", first_int),
    "Guided Learning Hours (GLH)": ("glh", first_int),
    "Total Qualification Time (TQT)": ("tqt", first_int),
}
# Unit rows: label → unit key; the numbers are checked against the overview table.
_UNIT_FACTS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "Level": ("level", first_int),
    "Credit value": ("credits", first_int),
    "Unit guided learning hours": ("glh", first_int),
    "Unit aim": ("aim", str),
}

# The prose sections: heading as printed, default topic, and the words that move a sentence to a more
# specific topic (checked in order: "A referred portfolio may be resubmitted" is about resubmission).
_Sentences = partial(Section, read="sentences")
_SECTIONS: tuple[Section, ...] = (
    Section("Who is this qualification for?", "entry"),
    _Sentences("Assessment", "assessment_method",
               overrides=(("graded", "grading"), ("resubmit", "resubmission"), ("portfolio", "portfolio"))),
    # Headings read by the code below only end the section before them.
    Section("Qualification Structure and Details", "", read="skip"),
    Section(re.compile(r"^Unit \d{4}-\d{3} "), "", read="skip"),
)


# -- reading ---------------------------------------------------------------------------------------

def _label(doc: Document, i: int) -> str | None:
    """A ``\\tLabel:`` cell names its row; the value cells below it never end with a colon."""
    text = doc.lines[i]
    return text[:-1] if doc.is_cell(i) and text.endswith(":") else None


def _rows(doc: Document, start: int, end: int) -> dict[str, str]:
    """Label → value text of the labelled rows between ``start`` and ``end``."""
    return {label: doc.text(values) for label, _, values in label_rows(doc, start, end, partial(_label, doc))}


def _qualification(doc: Document, units: list[dict[str, Any]]) -> dict[str, Any]:
    head = doc.find("Qualification Structure and Details")
    title_i = doc.find(bool, head + 1)
    end = doc.find("Overview of Units", title_i)
    rows = _rows(doc, title_i + 1, end)
    title = doc.lines[title_i]
    codes = [u["code"] for u in units]
    facts = {key: read(rows[label]) for label, (key, read) in _FACTS.items() if label in rows}
    validity = _VALIDITY.search(rows.get("Registration", ""))
    roc = rows.get("Rules of Combination")
    # The rules of combination name the mandatory units by code; all are required when they name every unit.
    mandatory = [c for c in re.findall(r"\d{4}-\d{3}", roc or "") if c in codes]
    accreditation = _ACCREDITATION.search(rows.get("Qualification Accreditation No", ""))
    level = re.search(r"\bLevel (\d+)", title)
    return records.qualification(
        QUALIFICATION_ID, title, doc.source(title_i), **facts, units=codes,
        level=int(level.group(1)) if level else None,
        numbers=[{"kind": "ofqual", "value": accreditation.group(), "note": None}] if accreditation else [],
        # Never invented: null when the document states no period.
        registration_validity_months=months(number(validity.group(1)) or 0, validity.group(2)) if validity else None,
        registration_validity_text=rows.get("Registration") if validity else None,
        rules_of_combination=records.rules_of_combination(
            text=[roc] if roc else [], mandatory=mandatory, all_units_required=set(mandatory) == set(codes)))


def _overview(doc: Document) -> dict[str, dict[str, Any]]:
    """Code → title, level, credits and GLH as the overview table prints them."""
    start = doc.find("Overview of Units")
    return {doc.lines[i]: {"title": title, "level": int(level), "credits": int(credits), "glh": int(glh)}
            for i, (title, level, credits, glh) in code_rows(doc, start, len(doc), _UNIT_CODE, 4)}


def _unit(doc: Document, head: int, stop: int, overview: dict[str, dict[str, Any]]) -> dict[str, Any]:
    m = _UNIT_HEADING.match(doc.lines[head])
    assert m is not None                                     # _units only passes unit headings
    code, title = m.groups()
    table = doc.find(_TABLE_HEAD, head, stop)
    rows = _rows(doc, head + 1, table)
    facts = {key: read(rows[label]) for label, (key, read) in _UNIT_FACTS.items() if label in rows}
    # The unit block and the overview table are printed separately: a disagreement is a layout error to
    # fix (importer or curation), not something to pick a side in silently.
    printed = overview.get(code)
    if printed is None or printed != {"title": title, **{k: facts.get(k) for k in ("level", "credits", "glh")}}:
        raise LayoutError(f"{code}: unit block disagrees with the overview table")
    los, criteria = read_outcomes(doc, _OUTCOMES, table + 1, stop)
    for crit in criteria:
        records.finish_criterion(crit)
    return records.unit(code, title, doc.source(head), **facts, qualifications=[QUALIFICATION_ID],
                        learning_outcomes=los, criteria=criteria)


def _units(doc: Document) -> list[dict[str, Any]]:
    """One unit per ``Unit <code>`` heading; each block runs to the next heading."""
    heads = [i for i, raw in enumerate(doc.raw) if _HEADING.search(raw)]
    overview = _overview(doc)
    units = [_unit(doc, head, stop, overview) for head, stop in spans(heads, len(doc))
             if _UNIT_HEADING.match(doc.lines[head])]
    if [u["code"] for u in units] != list(overview):
        raise LayoutError("unit blocks do not follow the overview table")
    return units


def parse(path: Path) -> dict[str, Any]:
    """The KB data of the Level 4 Award in Example Studies (the shape of knowledge/SCHEMA.md)."""
    doc = Document.read(path)
    units = _units(doc)
    qualification = _qualification(doc, units)
    rules = to_rules(QUALIFICATION_ID, doc, document_statements(doc, _SECTIONS, [(0, len(doc))]))
    return {"document": {"file": doc.name, "title": qualification["title"]}, "qualifications": [qualification],
            "units": units, "rules": rules}
