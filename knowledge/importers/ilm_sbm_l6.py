"""Importer for the ILM Level 6 Diploma in School Business Management specification (000).

Layout (Word tables flattened to text):

* a "Qualification Structure and Details" table of ``\\tLabel:`` / ``\\tvalue`` rows;
* an overview table of units (code, title, level, credits, GLH on five lines each) — the only
  place the unit codes 8631-600 … 8631-605 are printed;
* one block per unit, headed by the unit title alone. The LO/AC table is flattened column by
  column: an LO line ("1.Understand …", "2. Be able …", "3 Be able …"), then the AC numbers of
  that LO standing alone with uneven blank lines, then the AC texts in the same order, some
  wrapped onto a second line. Numbers and texts are paired by order and the counts checked;
* "Additional information about the unit": labelled rows (aim, standards, GLH …) and, for one
  unit, a free note on a single criterion ("Assessment Criterion 3.2 '…' requires …");
* the NCTL suggested assessments and the assessment methodology, level matrices and unit
  assessment forms, read in ``ilm_sbm_l6_assessment``.

Unit titles are matched, never the short unit numbers, because 8631-602 … 605 share their
short numbers with 8316-602 … 605 of another document: every code kept here is the full code.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Any

from knowledge.importers import records
from knowledge.importers.common import first_int, months, number
from knowledge.importers.ilm_sbm_l6_assessment import (
    ASSESS_UNIT,
    TOPIC_PATTERNS,
    classified,
    forms,
    matrices,
    programme_requirements,
    suggested_assessments,
)
from knowledge.importers.outcomes import ColumnTable, read_outcomes
from knowledge.importers.outcomes import split_items as _split_items  # 000's pairing, by this name in tests
from knowledge.importers.reader import Document, LayoutError, spans
from knowledge.importers.statements import Section, document_statements, to_rules
from knowledge.importers.tables import code_rows, label_rows

QUALIFICATION_ID = "l6-sbm-diploma"
DOCUMENT_TITLE = "ILM Level 6 Diploma in School Business Management"

_UNIT_CODE = re.compile(r"^\d{4}-\d{3}$")
_TERMINAL = (".", "?", "!")

# The LO/AC table. "1.Understand …", "2. Be able …", "3 Be able …": a number, optional dot, then
# a word, so an AC id ("1.2") never matches; an LO line opens a table row (tab-indented), and
# AC texts never start with a number.
_OUTCOMES = ColumnTable(lo=re.compile(r"^(\d+)\.?\s*([A-Za-z].*)$"), ac=re.compile(r"^(\d+)\.(\d+)$"),
                        pairing=_split_items, opens_lo=lambda doc, i, _row: doc.is_cell(i))

# The prose sections: headings are matched at any indentation. "lines" sections give one rule
# per line; "sentences" sections are classified sentence by sentence.
_Prose = partial(Section, max_tabs=None)
_Classified = partial(Section, read="sentences", max_tabs=None, overrides=TOPIC_PATTERNS)
_End = partial(Section, topic="", read="skip", max_tabs=None)   # a heading read by dedicated code
_SECTIONS: tuple[Section, ...] = (
    _Prose("Who is this qualification for?", "purpose"),
    _Prose("Benefits for individuals", "purpose"),
    _Prose("Benefits for employers", "purpose"),
    _Prose("Progression Routes", "progression"),
    _Prose("Qualification Specific Occupational Competency Requirements", "assessor_requirements"),
    _Prose("Internal Verifiers", "internal_verification"),
    _Classified("Overview of Assessment Methodology", "assessment_method"),
    _Classified("Disclaimer", "assessment_method"),
    _Classified("Assessment Methodology", "marking"),
    _Classified("Preparing feedback", "marking"),
    _End("Qualification Structure and Details"),
    _End("Overview of Programme Assessment Requirements"),
    _End("How to use the Assessment Matrices and Forms"),
    _End("Level Matrices"),
    _End("Suggested Assessments for", prefix=True),
    _End(ASSESS_UNIT),
)

# Topic of each row of the qualification structure table (label without its colon).
_STRUCTURE_TOPICS: dict[str, str] = {
    "Planned Operational Start Date": "registration",
    "Credit Value": "structure",
    "Induction": "induction",
    "Tutorial Support": "tutorial_support",
    "Guided Learning Hours (GLH)": "structure",
    "Duration": "registration",
    "Rules of Combination": "structure",
    "Assessments": "assessment_method",
}
# Structure rows whose value is a count: label → qualification key.
_STRUCTURE_COUNTS = {"Credit Value": "credits", "Induction": "induction_hours", "Tutorial Support": "tutorial_hours"}

# Labels of the "Additional information about the unit" rows.
_AIM = "Unit purpose and aim(s)"
_STANDARDS = "Details of the relationship between the unit and relevant national occupational"
_SECTOR_GUIDANCE = "Assessment requirements or guidance specified by a sector or regulatory body"
_SUPPORT = "Support for the unit from a sector skills council"
_LOCATION = "Location of the unit within the subject/sector classification system"
_UNIT_GLH = "Unit guided learning hours"
_ADDITIONAL = "Additional information about the unit"
_UNIT_LABELS = (_AIM, _STANDARDS, _SECTOR_GUIDANCE, _SUPPORT, _LOCATION, _UNIT_GLH)
_HEADER_LABELS = {"Title", "Level", "Credit value"}
_AC_NOTE = re.compile(r"^Assessment Criterion (\d+\.\d+)\b")


# --------------------------------------------------------------------------- qualification


def _validity_months(text: str) -> int | None:
    """36 from "To be completed in 3 years"; months as printed; None when no period is stated."""
    m = re.search(r"\b(\d+|[a-z]+)\s+(years?|months?)\b", text, re.IGNORECASE)
    n = number(m.group(1)) if m else None
    return None if m is None or n is None else months(n, m.group(2))


def _structure_label(doc: Document, i: int) -> str | None:
    """A ``\\tLabel:`` cell of the structure table names its row."""
    text = doc.lines[i]
    return text[:-1].strip() if doc.is_cell(i) and text.endswith(":") else None


def _qualification(doc: Document, units: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The qualification record and the rules of its structure table."""
    head = doc.find("Qualification Structure and Details")
    title_i = doc.find(bool, head + 1)
    end = doc.find(lambda s: s.startswith("Overview of Units"), title_i)
    title = doc.lines[title_i]
    level_m = re.search(r"Level (\d+)", title)
    qual = records.qualification(QUALIFICATION_ID, title, doc.source(title_i), awarding_body="ILM",
                                 level=int(level_m.group(1)) if level_m else None,
                                 units=[u["code"] for u in units])
    rules: list[dict[str, Any]] = []
    roc = qual["rules_of_combination"]
    for label, _, values in label_rows(doc, title_i + 1, end, partial(_structure_label, doc)):
        if not values:
            continue
        value = doc.text(values)
        if label.startswith("Qualification Accreditation"):
            m = re.search(r"\d{3}/\d{4}/\d", value)
            if m:
                qual["numbers"].append({"kind": "ofqual", "value": m.group(), "note": None})
            continue
        if label in _STRUCTURE_COUNTS:
            qual[_STRUCTURE_COUNTS[label]] = first_int(value)
        elif label.startswith("Guided Learning Hours"):
            m = re.search(r"\bis (\d+)", value)
            qual["glh"] = int(m.group(1)) if m else first_int(value)
        elif label == "Duration":
            qual["registration_validity_months"] = _validity_months(value)
            qual["registration_validity_text"] = value
        elif label == "Rules of Combination":
            roc["text"].append(value)
            if re.search(r"\bcomplete all units\b", value, re.IGNORECASE):
                roc["all_units_required"] = True
                roc["mandatory"] = list(qual["units"])
            m = re.search(r"totalling (\d+) credits", value)
            if m:
                roc["min_credits"] = int(m.group(1))
        # A value that is a sentence stands alone; a bare value ("3 hours") needs its label.
        text = value if value.endswith(_TERMINAL) else f"{label}: {value}"
        rules.extend(classified(doc, QUALIFICATION_ID, text, values[0], _STRUCTURE_TOPICS.get(label, "structure")))
    return qual, rules


# --------------------------------------------------------------------------- units


def _overview(doc: Document) -> list[dict[str, Any]]:
    """Rows of the "Overview of Units" table: code, title, level, credits, GLH."""
    start = doc.find(lambda s: s.startswith("Overview of Units"))
    end = doc.find(lambda s: s.startswith("*Credit Value"), start)
    rows = [{"code": doc.lines[i], "title": title, "level": int(level), "credits": int(credits), "glh": int(glh),
             "line": i + 1} for i, (title, level, credits, glh) in code_rows(doc, start, end, _UNIT_CODE, 4)]
    if not rows:
        raise LayoutError("no unit rows in the overview table")
    return rows


def _unit_label(doc: Document, i: int) -> str | None:
    """The label of a unit's header row or additional-information row, if line ``i`` is one."""
    text = doc.lines[i]
    label = next((lab for lab in _UNIT_LABELS if text.startswith(lab)), None)
    if label is None and text.endswith(":") and text[:-1].strip().capitalize() in _HEADER_LABELS:
        label = text[:-1].strip().capitalize()
    return label


def _unit(doc: Document, head: int, stop: int, row: dict[str, Any]) -> dict[str, Any]:
    """One unit block: its LO/AC table, labelled rows and additional-information notes."""
    table = doc.find(lambda s: s.startswith("Assessment criteria (the learner can)"), head, stop)
    additional = doc.find(_ADDITIONAL, table, stop)
    los, criteria = read_outcomes(doc, _OUTCOMES, table + 1, additional)
    rows = label_rows(doc, head + 1, stop, partial(_unit_label, doc))
    fields = {label: values for label, _, values in rows}
    labelled = {i for _, label_i, values in rows for i in (label_i, *values)}
    # Unlabelled lines of the additional information are free notes.
    notes = [doc.lines[i] for i in range(additional + 1, stop)
             if doc.lines[i] and doc.lines[i] != _ADDITIONAL and i not in labelled]

    def value(label: str) -> str | None:
        return doc.text(fields.get(label, [])) or None

    level, credits, glh = (first_int(value(lab) or "") for lab in ("Level", "Credit value", _UNIT_GLH))
    if (level, credits, glh) != (row["level"], row["credits"], row["glh"]):
        raise LayoutError(f"{row['code']}: unit block disagrees with the overview table")
    sector = value(_SECTOR_GUIDANCE)
    unit = records.unit(row["code"], doc.lines[head], doc.source(head), level=level, credits=credits, glh=glh,
                        aim=value(_AIM), standards=[doc.lines[i] for i in fields.get(_STANDARDS, [])],
                        qualifications=[QUALIFICATION_ID], learning_outcomes=los, criteria=criteria,
                        assessment_notes=notes + [sector] if sector else list(notes))
    # "Assessment Criterion 3.2 '…' requires learners to …" is guidance for that criterion.
    for note in notes:
        m = _AC_NOTE.match(note)
        if not m:
            continue
        crit = next((c for c in criteria if c["id"] == m.group(1)), None)
        if crit is None:
            raise LayoutError(f"{row['code']}: note on unknown criterion {m.group(1)}")
        crit["requirements"].append(note)
    for crit in criteria:
        records.finish_criterion(crit)
    return unit


def _units(doc: Document, overview: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One Unit per block of the unit specifications; codes come from the overview table."""
    start = doc.find(lambda s: s.startswith("Unit Specifications for"))
    end = doc.find("Overview of Assessment Methodology", start)
    by_title = {row["title"].lower(): row for row in overview}
    heads = [i for i in range(start + 1, end) if not doc.is_cell(i) and doc.lines[i].lower() in by_title]
    if [doc.lines[i].lower() for i in heads] != [row["title"].lower() for row in overview]:
        raise LayoutError("unit blocks do not follow the overview table")
    return [_unit(doc, head, stop, by_title[doc.lines[head].lower()]) for head, stop in spans(heads, end)]


# --------------------------------------------------------------------------- entry point


def parse(path: Path) -> dict[str, Any]:
    """The KB data of the Level 6 School Business Management specification."""
    doc = Document.read(path)
    units = _units(doc, _overview(doc))
    suggested_assessments(doc, units)
    qual, structure_rules = _qualification(doc, units)
    prose = to_rules(QUALIFICATION_ID, doc, document_statements(doc, _SECTIONS, [(0, len(doc))]))
    rules = (prose + structure_rules + programme_requirements(doc, QUALIFICATION_ID) + matrices(doc, QUALIFICATION_ID)
             + forms(doc, QUALIFICATION_ID))
    rules.sort(key=lambda r: r["source"]["line"])
    return {"document": {"file": doc.name, "title": DOCUMENT_TITLE}, "qualifications": [qual],
            "units": units, "rules": rules}
