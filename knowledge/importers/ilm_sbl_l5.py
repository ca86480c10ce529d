"""Importer for 001: ILM Level 5 Diploma for School Business Leaders (units 8391-500 … 8391-505).

Layout of the flattened Word document (table cells start with a tab; a cell's wrapped lines and
list items continue on lines without one):

* front matter: a unit table (UAN, ILM unit number, title, level, credits, GLH on six cell lines,
  under "Mandatory Units" / "Optional Units"), the TQT table, delivery rules, a summary table of
  assessment methods and the assessment strategy;
* one block per unit, headed "Unit 500<tab>Title" (short number only: the full 8391-500 code
  comes from the unit table, never from the short number, which other documents share), with
  label/value cells (UAN, Level, Credit value, GLH, Relationship to Standard, Unit aim);
* per learning outcome: "Learning outcome (LO n)", "The learner will:", "n<tab>LO text",
  "The learner can:" + one "n.m wording" line per AC, "Depth" + lines per AC (the first after the
  AC number, continuation lines without it), "Assessment guidance" / "The learner must:" + the
  same shape, then "Suggested (or Suitable) evidence may come from …:" + evidence lines;
* appendices: assessment guidance, professional discussion, the assessment plan and the
  assessment record sheet templates.

Each section of the front matter and the appendices is read line by line into Rules with the
topic its heading implies (a few statements in a section carry a more specific topic).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.importers.common import (
    NUMBER_WORDS,
    clean,
    empty_assessment,
    may_statements,
    min_counts,
    read_lines,
    source,
)

QUALIFICATION_ID = "l5-sbl-diploma"
# The document prints no title page; the KB names it by awarding body and qualification title.
DOCUMENT_TITLE = "ILM Level 5 Diploma for School Business Leaders"


class LayoutError(ValueError):
    """The document does not have the layout this importer reads."""


_UAN = re.compile(r"^[A-Z]/\d{3}/\d{4}$")
_UNIT_CODE = re.compile(r"^\d{4}-\d{3}$")
_UNIT_HEAD = re.compile(r"^Unit (\d{3}) (\S.*)$")
_LO_HEAD = re.compile(r"^Learning outcome \(LO (\d+)\)$")
# "1<tab>Understand …": the LO number is followed by a tab, an AC number has a dot.
_LO_TEXT = re.compile(r"^(\d+)\t+(\S.*)$")
_AC = re.compile(r"^(\d+)\.(\d+)(?:\s+(.*))?$")
_EVIDENCE_HEAD = re.compile(r"^(?:Suggested|Suitable) evidence may come from")
_APPENDIX = re.compile(r"^Appendix \d+\b")
_BULLET = re.compile(r"^[·•]\s*")
_LEVEL = re.compile(r"\bLevel (\d+)\b")
_INT = re.compile(r"\d+")
_NUMBER = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"

_UNIT_LABELS = {
    "UAN:": "uan", "Level:": "level", "Credit value:": "credits", "GLH:": "glh",
    "Relationship to Standard:": "standard", "Unit aim:": "aim",
}


def _number(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _leading_tabs(raw: str) -> int:
    """Tabs in the line's leading whitespace: 0 for a paragraph, 1 for a table cell."""
    lead = raw[: len(raw) - len(raw.lstrip())]
    return lead.count("\t")


def _blank(raw: str) -> bool:
    """A line with nothing on it; a lone tab is an empty table cell, not a blank line."""
    return not raw.strip(" \u00a0")


def _strip_bullet(text: str) -> str:
    """A standalone statement without its list bullet (a list marker, not wording)."""
    return _BULLET.sub("", text)


def _find(lines: list[str], pattern: re.Pattern[str], start: int = 0, end: int | None = None) -> int:
    """Index of the first cleaned line matching ``pattern`` (LayoutError when absent)."""
    for i in range(start, len(lines) if end is None else end):
        if pattern.search(clean(lines[i])):
            return i
    raise LayoutError(f"no line matching {pattern.pattern!r} after line {start + 1}")


# ---------------------------------------------------------------------------------------------
# Front-matter tables


def _cells(raw: list[str], start: int, count: int) -> tuple[list[tuple[int, str]], int]:
    """``count`` table cells from ``start``: a cell opens on a tab line, untabbed lines continue it.

    Blank lines are skipped (Word splits merged cells over them). Returns ``(line index, text)``
    per cell and the index after the last one.
    """
    cells: list[tuple[int, list[str]]] = []
    i = start
    while i < len(raw):
        text = clean(raw[i])
        if _blank(raw[i]):
            i += 1
            continue
        if _leading_tabs(raw[i]) >= 1:
            if len(cells) == count:
                break
            cells.append((i, [text] if text else []))
        elif cells and len(cells) <= count:
            if len(cells) == count and cells[-1][1]:
                break       # the table is complete: an untabbed line after it is a paragraph
            cells[-1][1].append(text)
        else:
            break
        i += 1
    return [(li, " ".join(parts)) for li, parts in cells], i


def _unit_table(raw: list[str], end: int) -> list[dict[str, Any]]:
    """Rows of the structure table: UAN, full ILM unit number, title, level, credits, GLH, group."""
    rows: list[dict[str, Any]] = []
    group = ""
    for i in range(end):
        text = clean(raw[i])
        if text in ("Mandatory Units", "Optional Units"):
            group = text.split()[0].lower()
        elif _UAN.match(text) and group:
            cells, _ = _cells(raw, i, 6)
            uan, code, title, level, credits, glh = (c[1] for c in cells)
            if not _UNIT_CODE.match(code):
                raise LayoutError(f"unit table row at line {i + 1} has no ILM unit number")
            rows.append({"uan": uan, "code": code, "title": title, "level": int(level),
                         "credits": int(credits), "glh": int(glh), "group": group, "line": i + 1})
    if not rows:
        raise LayoutError("no unit table")
    return rows


def _header_table(raw: list[str], header_first: str, end: int) -> tuple[list[str], list[tuple[int, str]]]:
    """A one-row table whose header row starts with the cell ``header_first``."""
    start = next(i for i in range(end) if clean(raw[i]) == header_first and _leading_tabs(raw[i]))
    header: list[str] = []
    i = start
    while raw[i].strip():
        header.append(clean(raw[i]))
        i += 1
    row, _ = _cells(raw, i, len(header))
    return header, row


def _assessment_summary(raw: list[str], end: int) -> dict[str, dict[str, Any]]:
    """The "Summary of assessment methods" rows by full unit code (merged cells filled down)."""
    start = _find(raw, re.compile(r"^Summary of assessment methods$"), 0, end)
    first_cell = next(i for i in range(start, end) if clean(raw[i]) == "Unit number")
    header, i = _cells(raw, first_cell, 5)
    names = [h for _, h in header]
    if names[0] != "Unit number":
        raise LayoutError(f"unexpected assessment summary header {names}")
    out: dict[str, dict[str, Any]] = {}
    previous: dict[str, Any] = {}
    while i < end:
        if not _UNIT_CODE.match(clean(raw[i])):
            if raw[i].strip():
                break
            i += 1
            continue
        cells, i = _cells(raw, i, len(names))
        row = dict(zip(names, (text for _, text in cells), strict=True))
        # A vertically merged cell is printed once, on its first row: later rows inherit it.
        for key in ("Assessment method", "Description"):
            row[key] = row[key] or previous.get(key, "")
        row["line"] = cells[0][0] + 1
        out[row["Unit number"]] = row
        previous = row
    return out


# ---------------------------------------------------------------------------------------------
# Units


@dataclass
class _Block:
    """Where the lines of a depth or guidance block are going."""

    field: str
    target: dict[str, Any] | None = None


def _unit_fields(raw: list[str], start: int, end: int) -> dict[str, tuple[int, str]]:
    """The label/value cells of a unit header: value lines follow the label until a blank line."""
    fields: dict[str, tuple[int, str]] = {}
    i = start
    while i < end:
        key = _UNIT_LABELS.get(clean(raw[i]))
        if key:
            j = i + 1
            parts: list[str] = []
            while j < end and raw[j].strip():
                parts.append(clean(raw[j]))
                j += 1
            fields[key] = (i + 2, " ".join(p for p in parts if p))
            i = j
        i += 1
    return fields


def _parse_unit(raw: list[str], doc: str, head: int, end: int, row: dict[str, Any],
                assessment: dict[str, Any], assessment_notes: list[str]) -> dict[str, Any]:
    heading = _UNIT_HEAD.match(clean(raw[head]))
    assert heading is not None
    first_lo = _find(raw, _LO_HEAD, head, end)
    fields = _unit_fields(raw, head + 1, first_lo)
    for key in ("uan", "level", "credits", "glh"):
        if key not in fields:
            raise LayoutError(f"unit at line {head + 1} has no {key}")
    if fields["uan"][1] != row["uan"]:
        raise LayoutError(f"{row['code']}: UAN {fields['uan'][1]} differs from the unit table")
    level = _LEVEL.search(fields["level"][1])
    unit: dict[str, Any] = {
        # The unit table's title: the unit heading of 8391-504 misprints "Infastructure".
        "code": row["code"], "title": row["title"],
        "level": int(level.group(1)) if level else row["level"],
        "credits": int(fields["credits"][1]), "glh": int(fields["glh"][1]),
        "aim": fields["aim"][1] if "aim" in fields else None,
        "reference_numbers": [{"label": "UAN", "value": fields["uan"][1]}],
        "standards": [fields["standard"][1]] if "standard" in fields else [],
        "qualifications": [QUALIFICATION_ID],
        "learning_outcomes": [], "criteria": [], "evidence": [],
        "assessment": [assessment], "assessment_notes": list(assessment_notes),
        "source": source(doc, head + 1),
    }
    printed_title = heading.group(2).strip()
    if printed_title != row["title"]:
        unit["heading_title"] = printed_title      # kept so a search for the misprint still finds it
    _parse_outcomes(raw, doc, first_lo, end, unit)
    return unit


def _advice(crit: dict[str, Any]) -> list[str]:
    """The "may" sentences of the guidance, without the restated AC wording that opens it.

    Each guidance block repeats the AC first ("… making recommendations for how these may be
    improved."): a "may" in the criterion's own wording is not advice.
    """
    def norm(text: str) -> str:
        return re.sub(r"[^a-z0-9 ]", "", text.lower().replace("-", " "))

    wording = norm(crit["text"])
    return [s for s in may_statements(crit["requirements"])
            if difflib.SequenceMatcher(None, norm(s), wording).ratio() < 0.8]


def _parse_outcomes(raw: list[str], doc: str, start: int, end: int, unit: dict[str, Any]) -> None:
    """Learning outcomes, their criteria, depth, guidance and evidence (state machine over lines)."""
    state = "start"
    lo: dict[str, Any] | None = None
    lo_criteria: dict[str, dict[str, Any]] = {}
    block = _Block("depth")
    evidence: list[str] = []

    def close_lo() -> None:
        if lo is not None:
            if not lo_criteria:
                raise LayoutError(f"{unit['code']} LO {lo['number']}: no criteria")
            for crit in lo_criteria.values():
                crit["evidence"] = list(evidence)
                crit["advice"] = _advice(crit)
                crit["min_counts"] = min_counts(crit["requirements"])
            unit["evidence"].extend(evidence)

    for i in range(start, end):
        text = clean(raw[i])
        where = f"{unit['code']} line {i + 1}"
        head = _LO_HEAD.match(text)
        if head:
            close_lo()
            lo, lo_criteria, evidence = None, {}, []
            state = "lo_intro"
            number = int(head.group(1))
            continue
        if not re.search(r"\w", text):
            # Blank lines, and stray punctuation left by the Word export ("." after 8391-505).
            if state == "evidence" and evidence:
                state = "after"         # the evidence list ends at the first blank line
            continue
        if text == "The learner will:":
            state = "lo_text"
        elif state == "lo_text":
            m = _LO_TEXT.match(raw[i].lstrip(" "))
            if not m or int(m.group(1)) != number:
                raise LayoutError(f"{where}: expected the text of LO {number}")
            lo = {"number": number, "text": clean(m.group(2)), "source": source(doc, i + 1)}
            unit["learning_outcomes"].append(lo)
            state = "lo_done"
        elif text == "Assessment criteria":
            continue
        elif text == "The learner can:":
            state = "criteria"
        elif text == "Depth":
            state, block = "depth", _Block("depth")
        elif text == "Assessment guidance":
            state, block = "guidance", _Block("requirements")
        elif text == "The learner must:" and state == "guidance":
            continue
        elif _EVIDENCE_HEAD.match(text):
            state = "evidence"
        elif state == "criteria":
            m = _AC.match(text)
            if m and lo is not None and int(m.group(1)) == lo["number"] and m.group(3):
                ac_id = f"{m.group(1)}.{m.group(2)}"
                if ac_id in lo_criteria:
                    raise LayoutError(f"{where}: AC {ac_id} printed twice")
                crit = {"id": ac_id, "lo": lo["number"], "text": m.group(3), "depth": [],
                        "requirements": [], "advice": [], "min_counts": [], "ksbs": [],
                        "evidence": [], "source": source(doc, i + 1)}
                lo_criteria[ac_id] = crit
                unit["criteria"].append(crit)
            elif lo_criteria:
                # A wrapped AC: the wording continues on the next line.
                last = list(lo_criteria.values())[-1]
                last["text"] = f"{last['text']} {text}"
            else:
                raise LayoutError(f"{where}: text before the first AC: {text!r}")
        elif state in ("depth", "guidance"):
            m = _AC.match(text)
            ac_id = f"{m.group(1)}.{m.group(2)}" if m else ""
            if ac_id in lo_criteria:
                # A new AC's lines: the AC number (often followed by a tab) opens them.
                block.target = lo_criteria[ac_id]
                text = (m.group(3) or "") if m else text
                if not text:
                    continue
            if block.target is None:
                raise LayoutError(f"{where}: {block.field} line before any AC number: {text!r}")
            block.target[block.field].append(text)
        elif state == "evidence":
            evidence.append(text)
        elif state == "after":
            raise LayoutError(f"{where}: unexpected line after the evidence list: {text!r}")
        else:
            raise LayoutError(f"{where}: unexpected line in state {state}: {text!r}")
    close_lo()


# ---------------------------------------------------------------------------------------------
# Rules of the front matter and the appendices


@dataclass(frozen=True)
class _Section:
    """A heading that opens a run of rule statements.

    ``mode``: ``lines`` (every line is a statement), ``rows`` (paragraphs are statements; table
    rows are joined into one statement each, or skipped when ``rows_as`` is ``skip``), ``cells``
    (a header row and one value row: "Header: value" per cell), ``template`` (a form: sentences
    and column groups only), ``skip``.
    """

    heading: str
    topic: str
    mode: str = "lines"
    max_tabs: int = 0                 # headings inside the front table are cells (one tab)
    rows_as: str = "join"             # rows: "join", "titled" (prefix the table title), "skip"
    header_rows: int = 0              # rows: leading rows that are column headers
    prefix: bool = False              # the heading is a line that opens the text (emitted too)
    overrides: tuple[tuple[str, str], ...] = ()


_SECTIONS: tuple[_Section, ...] = (
    _Section("Qualification aim", "purpose", max_tabs=1),
    _Section("Who is the qualification for?", "purpose", max_tabs=1),
    _Section("Benefits for individuals", "purpose", max_tabs=1),
    _Section("Benefits for employers and educators", "purpose", max_tabs=1),
    _Section("What opportunities for progression are there?", "progression", max_tabs=1),
    _Section("Structure", "structure", mode="rows", rows_as="skip"),
    _Section("Total qualification time (TQT)", "structure", mode="cells"),
    _Section("Approval", "centre_approval"),
    _Section("Resource requirements", "assessor_requirements"),
    _Section("Occupational competence requirements", "assessor_requirements"),
    _Section("Evidence of occupational competence", "assessor_requirements"),
    _Section("Tutor occupational competence requirements", "assessor_requirements", mode="rows",
             max_tabs=1, rows_as="titled"),
    _Section("Internal Verifier and/or Centre Assessor occupational competence requirements",
             "assessor_requirements", mode="rows", max_tabs=1, rows_as="titled"),
    _Section("Learner entry requirements", "entry"),
    _Section("Age restrictions", "age"),
    _Section("Time constraints", "registration"),
    _Section("Initial assessment", "initial_assessment",
             overrides=((r"Recognition of Prior Learning", "rpl"),
                        (r"reasonable adjustments|special considerations", "special_considerations"))),
    _Section("Induction", "induction"),
    _Section("The following is recommended for this qualification:", "induction", mode="cells",
             overrides=((r"^Tutorial support:", "tutorial_support"),)),
    _Section("Supporting documentation and resources", "resources", mode="rows", header_rows=1),
    _Section("Summary of assessment methods", "assessment_method", mode="rows", rows_as="skip",
             overrides=((r"^To achieve a pass\b", "structure"),)),
    _Section("Assessment strategy", "assessment_method"),
    _Section("Internal assessment", "grading",
             overrides=((r"internally assessed by the Centre", "assessment_method"),
                        (r"evidence is their own", "authenticity"))),
    _Section("Portfolio-based assessment", "portfolio"),
    _Section("Assessment Guidance", "sufficiency"),
    _Section("Types of evidence", "evidence_types",
             overrides=((r"simulation can be used", "simulation"),
                        (r"appropriate job role", "entry"),
                        # Evidence-type list items that name a method with a topic of its own.
                        (r"witness testimony", "witness_testimony"),
                        (r"reflective accounts", "reflective_account"),
                        (r"^Professional discussion$", "professional_discussion"))),
    _Section("Recognition of prior learning (RPL)", "rpl"),
    _Section("Appendix 1 Assessment guidance", "assessment_method"),
    _Section("Assessment planning and review", "assessment_planning"),
    _Section("Quality assurance", "external_verification",
             overrides=((r"Assessment Record Sheet", "evidence_matrix"),
                        (r"Internal Quality Assurance Policy", "internal_verification"))),
    _Section("Workplace assessment", "evidence_types"),
    _Section("Simulation/Case Study", "simulation"),
    _Section("Holistic and integrated assessment", "assessment_method"),
    _Section("Judging sufficiency", "sufficiency"),
    _Section("Grounds for referral", "referral"),
    _Section("Authenticity", "authenticity"),
    _Section("Communication of assessment decisions", "marking"),
    _Section("Language of assessment", "language"),
    _Section("Access Arrangements", "special_considerations"),
    _Section("Special considerations", "special_considerations"),
    # Appendix 2 (professional discussion) prints no title of its own, only its sub-headings.
    _Section("Purpose", "professional_discussion"),
    _Section("Planning the discussion", "professional_discussion"),
    _Section("Facilitating the discussion", "professional_discussion"),
    _Section("Recording the discussion", "recordings"),
    _Section("Common mistakes when conducting a professional discussion", "professional_discussion"),
    # Appendices 3 and 4 (assessment plan, assessment record sheet) open with their first sentence.
    _Section("This record is for ongoing use", "assessment_planning", mode="template", prefix=True,
             overrides=((r"Evidence title", "evidence_matrix"),
                        (r"result of my own work", "authenticity"),
                        (r"demonstrated competence by satisfying", "marking"))),
    _Section("The following documents contain essential information", "resources", prefix=True),
    _Section("Linking to this document from web pages", "", mode="skip"),
)


def _section_at(raw: str) -> _Section | None:
    text = clean(raw)
    for sec in _SECTIONS:
        if _leading_tabs(raw) > sec.max_tabs:
            continue
        if text == sec.heading or (sec.prefix and text.startswith(sec.heading)):
            return sec
    return None


def _rule(doc: str, sec: _Section, text: str, line: int) -> dict[str, Any]:
    text = _strip_bullet(text)
    topic = next((t for pattern, t in sec.overrides if re.search(pattern, text)), sec.topic)
    return {"qualification": QUALIFICATION_ID, "topic": topic, "text": text, "source": source(doc, line)}


def _groups(raw: list[str], start: int, end: int) -> list[tuple[int, list[tuple[int, list[str]]]]]:
    """Paragraph lines and table rows of a section, in order.

    Returns ``(kind, cells)`` items: kind 0 is a paragraph (one cell of one line), kind 1 a table
    row (cells open on tab lines, untabbed lines continue the cell; a blank line ends the row).
    """
    items: list[tuple[int, list[tuple[int, list[str]]]]] = []
    in_row = False
    for i in range(start, end):
        text = clean(raw[i])
        if _blank(raw[i]):
            in_row = False
            continue
        if _leading_tabs(raw[i]) >= 1:
            if not in_row:
                items.append((1, []))
                in_row = True
            items[-1][1].append((i, [text] if text else []))
        elif in_row:
            items[-1][1][-1][1].append(text)
        else:
            items.append((0, [(i, [text])]))
    return items


def _form_cell(parts: list[str]) -> str:
    """A form column: its label, then a description (capitalised) or the label's wrapped rest."""
    parts = [p for p in parts if p]
    if not parts:
        return ""
    text = parts[0]
    for part in parts[1:]:
        text += (": " if part[0].isupper() and ":" not in text else " ") + part
    return text


def _section_rules(raw: list[str], doc: str, sec: _Section, start: int, end: int) -> list[dict[str, Any]]:
    """The rule statements of one section (lines ``start`` … ``end - 1``, heading excluded)."""
    rules: list[dict[str, Any]] = []
    if sec.mode == "skip":
        return rules
    if sec.mode == "lines":
        for i in range(start, end):
            text = clean(raw[i])
            if text:
                rules.append(_rule(doc, sec, text, i + 1))
        return rules
    items = _groups(raw, start, end)
    if sec.mode == "cells":
        paragraphs = [cells[0] for kind, cells in items if kind == 0]
        rows = [cells for kind, cells in items if kind == 1]
        rules += [_rule(doc, sec, parts[0], li + 1) for li, parts in paragraphs]
        header, values = rows[0], rows[1]
        for (_, head), (li, value) in zip(header, values, strict=True):
            rules.append(_rule(doc, sec, f"{' '.join(head)}: {' '.join(value)}", li + 1))
        return rules
    if sec.mode == "template":
        for kind, cells in items:
            if kind == 0:
                li, parts = cells[0]
                if parts[0].endswith(".") and len(parts[0].split()) >= 4:
                    rules.append(_rule(doc, sec, parts[0], li + 1))
                continue
            # A form's column group: label + description cells; blank fields and "Name:" labels
            # are left out.
            texts = [_form_cell(parts) for _, parts in cells]
            texts = [t for t in texts if t and not t.endswith(":")]
            if len(texts) >= 2:
                rules.append(_rule(doc, sec, "; ".join(texts), cells[0][0] + 1))
        return rules
    # rows
    title = sec.heading
    skip_rows = sec.header_rows + (1 if sec.max_tabs else 0)   # a cell heading opens its header row
    for kind, cells in items:
        if kind == 0:
            li, parts = cells[0]
            rules.append(_rule(doc, sec, parts[0], li + 1))
            continue
        if skip_rows:
            skip_rows -= 1
            continue
        if sec.rows_as == "skip":
            continue
        text = " ".join(p for _, parts in cells for p in parts if p)
        if sec.rows_as == "titled":
            text = f"{title}: {text}"
        rules.append(_rule(doc, sec, text, cells[0][0] + 1))
    return rules


def _rules(raw: list[str], doc: str, regions: list[tuple[int, int]]) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    for start, end in regions:
        current: _Section | None = None
        body = start
        for i in range(start, end + 1):
            sec = _section_at(raw[i]) if i < end else None
            if sec is None and i < end:
                continue
            if current is not None:
                rules += _section_rules(raw, doc, current, body, i)
            if sec is not None:
                current, body = sec, (i if sec.prefix else i + 1)
    return rules


# ---------------------------------------------------------------------------------------------
# Qualification


def _line(raw: list[str], pattern: str, end: int) -> tuple[int, re.Match[str]] | None:
    """First line before ``end`` matching ``pattern`` (case-insensitive) and its match."""
    rx = re.compile(pattern, re.IGNORECASE)
    for i in range(end):
        m = rx.search(clean(raw[i]))
        if m:
            return i, m
    return None


def _qualification(raw: list[str], doc: str, front_end: int, table: list[dict[str, Any]]) -> dict[str, Any]:
    header, row = _header_table(raw, "Title and level", front_end)
    values = dict(zip(header, (text for _, text in row), strict=True))
    title = values["Title and level"]
    glh_numbers = [int(n) for n in _INT.findall(values["GLH"])]
    structure = _line(raw, r"^To achieve the .* must complete .*credits\.$", front_end)
    passing = _line(raw, r"To achieve a pass for this qualification", front_end)
    validity = _line(raw, r"registration is valid for " + _NUMBER + r" years", front_end)
    age = _line(raw, r"registrations for learners under (\d+)", front_end)
    induction = _line(raw, r"induction of at least " + _NUMBER + r" hours", front_end)
    tutorial = _line(raw, r"at least " + _NUMBER + r" hours of tutorial support", front_end)
    entry_head = _line(raw, r"^Learner entry requirements$", front_end)
    if structure is None:
        raise LayoutError("no structure sentence")
    roc_text = [_strip_bullet(clean(raw[structure[0]]))]
    if passing:
        roc_text.append(_strip_bullet(clean(raw[passing[0]])))
    combo = re.search(_NUMBER + r" mandatory units? and " + _NUMBER + r" optional units?", roc_text[0],
                      re.IGNORECASE)
    min_credits = re.search(r"minimum of (\d+) credits", roc_text[0])
    mandatory = [r["code"] for r in table if r["group"] == "mandatory"]
    optional = [r["code"] for r in table if r["group"] == "optional"]
    if combo and _number(combo.group(1)) != len(mandatory):
        raise LayoutError("the structure sentence and the unit table disagree on mandatory units")
    level = _LEVEL.search(title)
    qual: dict[str, Any] = {
        "id": QUALIFICATION_ID, "title": title,
        "awarding_body": "ILM",
        # The document prints no qualification (QAN / ILM) number: only the unit numbers.
        "numbers": [],
        "level": int(level.group(1)) if level else None,
        "credits": int(values["Credit"]),
        # "150 -155": the lower bound, with the printed range kept alongside.
        "glh": glh_numbers[0] if glh_numbers else None,
        "glh_printed": values["GLH"],
        "tqt": int(values["TQT"]),
        "registration_validity_months": _number(validity[1].group(1)) * 12 if validity else None,
        "registration_validity_text": clean(raw[validity[0]]) if validity else None,
        "minimum_age": int(age[1].group(1)) if age else None,
        "induction_hours": _number(induction[1].group(1)) if induction else None,
        "tutorial_hours": _number(tutorial[1].group(1)) if tutorial else None,
        "entry_requirements": clean(raw[entry_head[0] + 1]) if entry_head else None,
        "units": [r["code"] for r in table],
        "rules_of_combination": {
            "text": roc_text,
            "all_units_required": not optional,
            "mandatory": mandatory,
            "optional": optional,
            "min_optional_units": _number(combo.group(2)) if combo else None,
            "min_credits": int(min_credits.group(1)) if min_credits else None,
            "groups": [],
            "group_exclusive": False,
            "min_share_at_level": None,
        },
        "source": source(doc, row[0][0] + 1),
    }
    return qual


# ---------------------------------------------------------------------------------------------


def _unit_assessment(raw: list[str], doc: str, front_end: int, row: dict[str, Any]) -> dict[str, Any]:
    """How a unit is assessed: the summary row plus the statements made for all units."""
    method = row["Assessment method"]
    item = empty_assessment(method, "portfolio" if "portfolio" in method.lower() else "other",
                            source(doc, row["line"]))
    general = [clean(raw[i]) for i in range(front_end) if clean(raw[i]).startswith("All units ")]
    item["text"] = [t for t in [row["Description"], *general] if t]
    passing = _line(raw, r"^To pass each internally assessed unit the learner must:", front_end)
    if passing:
        parts = []
        for i in range(passing[0], front_end):
            parts.append(clean(raw[i]))
            if parts[-1].endswith("."):
                break       # the list of conditions ends with its full stop
        item["pass_rule"] = " ".join(parts)
    return item


def parse(path: Path) -> dict[str, Any]:
    """The KB data of the Level 5 Diploma for School Business Leaders specification."""
    path = Path(path)
    doc = path.name
    raw = read_lines(path)
    heads = [i for i, line in enumerate(raw) if _UNIT_HEAD.match(clean(line))]
    if not heads:
        raise LayoutError("no unit headings")
    front_end = heads[0]
    units_end = _find(raw, _APPENDIX, heads[-1])
    table = _unit_table(raw, front_end)
    summary = _assessment_summary(raw, front_end)
    notes = [clean(raw[i]) for i in range(front_end)
             if re.match(r"^Assessment decisions can only be determined", clean(raw[i]))
             or re.match(r"^Assessors must assess against the assessment criteria", clean(raw[i]))]

    by_short = {r["code"].split("-")[1]: r for r in table}
    units = []
    for n, head in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else units_end
        short = _UNIT_HEAD.match(clean(raw[head])).group(1)
        row = by_short.get(short)
        if row is None:
            raise LayoutError(f"unit {short} at line {head + 1} is not in the unit table")
        assessment = _unit_assessment(raw, doc, front_end, summary[row["code"]])
        units.append(_parse_unit(raw, doc, head, end, row, assessment, notes))

    qualification = _qualification(raw, doc, front_end, table)
    rules = _rules(raw, doc, [(0, front_end), (units_end, len(raw))])
    return {"document": {"file": doc, "title": DOCUMENT_TITLE}, "qualifications": [qualification],
            "units": units, "rules": rules}
