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

Each section of the front matter and the appendices is read into Rules with the topic its
heading implies (a few statements in a section carry a more specific topic): the sections are
data, in ``ilm_sbl_l5_sections``.
"""

from __future__ import annotations

import difflib
import re
from functools import partial
from pathlib import Path
from typing import Any

from knowledge.importers import records
from knowledge.importers.common import NUMBER, assessment_kind, clean, may_statements, number, strip_bullet
from knowledge.importers.ilm_sbl_l5_sections import SECTIONS
from knowledge.importers.reader import Document, LayoutError, spans
from knowledge.importers.statements import document_statements, to_rules
from knowledge.importers.tables import cells, header_row, label_rows

QUALIFICATION_ID = "l5-sbl-diploma"
# The document prints no title page; the KB names it by awarding body and qualification title.
DOCUMENT_TITLE = "ILM Level 5 Diploma for School Business Leaders"

_UAN = re.compile(r"^[A-Z]/\d{3}/\d{4}$")
_UNIT_CODE = re.compile(r"^\d{4}-\d{3}$")
_UNIT_HEAD = re.compile(r"^Unit (\d{3}) (\S.*)$")
_LO_HEAD = re.compile(r"^Learning outcome \(LO (\d+)\)$")
# "1<tab>Understand …": the LO number is followed by a tab, an AC number has a dot.
_LO_TEXT = re.compile(r"^(\d+)\t+(\S.*)$")
_AC = re.compile(r"^(\d+)\.(\d+)(?:\s+(.*))?$")
_EVIDENCE_HEAD = re.compile(r"^(?:Suggested|Suitable) evidence may come from")
_APPENDIX = re.compile(r"^Appendix \d+\b")
_LEVEL = re.compile(r"\bLevel (\d+)\b")
_INT = re.compile(r"\d+")

_UNIT_LABELS = {
    "UAN:": "uan", "Level:": "level", "Credit value:": "credits", "GLH:": "glh",
    "Relationship to Standard:": "standard", "Unit aim:": "aim",
}
# Headings inside a unit's LO block: the reader's next state and where per-AC lines go.
_BLOCKS = {"The learner can:": ("criteria", "depth"), "Depth": ("depth", "depth"),
           "Assessment guidance": ("guidance", "requirements")}


def _number(word: str) -> int:
    """A count matched by ``NUMBER`` ("three" → 3)."""
    n = number(word)
    assert n is not None
    return n


# ---------------------------------------------------------------------------------------------
# Front-matter tables


def _unit_table(doc: Document, end: int) -> list[dict[str, Any]]:
    """Rows of the structure table: UAN, full ILM unit number, title, level, credits, GLH, group."""
    rows: list[dict[str, Any]] = []
    group = ""
    for i in range(end):
        text = doc.lines[i]
        if text in ("Mandatory Units", "Optional Units"):
            group = text.split()[0].lower()
        elif _UAN.match(text) and group:
            row, _ = cells(doc, i, 6)
            uan, code, title, level, credits, glh = (c[1] for c in row)
            if not _UNIT_CODE.match(code):
                raise LayoutError(f"unit table row at line {i + 1} has no ILM unit number")
            rows.append({"uan": uan, "code": code, "title": title, "level": int(level),
                         "credits": int(credits), "glh": int(glh), "group": group, "line": i + 1})
    if not rows:
        raise LayoutError("no unit table")
    return rows


def _assessment_summary(doc: Document, end: int) -> dict[str, dict[str, Any]]:
    """The "Summary of assessment methods" rows by full unit code (merged cells filled down)."""
    start = doc.find("Summary of assessment methods", 0, end)
    header, i = cells(doc, doc.find("Unit number", start, end), 5)
    names = [h for _, h in header]
    if names[:1] != ["Unit number"]:
        raise LayoutError(f"unexpected assessment summary header {names}")
    out: dict[str, dict[str, Any]] = {}
    previous: dict[str, Any] = {}
    while i < end:
        if not _UNIT_CODE.match(doc.lines[i]):
            if doc.raw[i].strip():
                break
            i += 1
            continue
        found, i = cells(doc, i, len(names))
        row = dict(zip(names, (text for _, text in found), strict=True))
        # A vertically merged cell is printed once, on its first row: later rows inherit it.
        for key in ("Assessment method", "Description"):
            row[key] = row[key] or previous.get(key, "")
        row["line"] = found[0][0] + 1
        out[row["Unit number"]] = row
        previous = row
    return out


# ---------------------------------------------------------------------------------------------
# Units


def _parse_unit(doc: Document, head: int, end: int, row: dict[str, Any],
                assessment: dict[str, Any], assessment_notes: list[str]) -> dict[str, Any]:
    heading = _UNIT_HEAD.match(doc.lines[head])
    assert heading is not None
    first_lo = doc.find(_LO_HEAD, head, end)
    fields = {key: doc.text(values)
              for key, _, values in label_rows(doc, head + 1, first_lo, lambda i: _UNIT_LABELS.get(doc.lines[i]))}
    for key in ("uan", "level", "credits", "glh"):
        if key not in fields:
            raise LayoutError(f"unit at line {head + 1} has no {key}")
    if fields["uan"] != row["uan"]:
        raise LayoutError(f"{row['code']}: UAN {fields['uan']} differs from the unit table")
    level = _LEVEL.search(fields["level"])
    # The unit table's title: the unit heading of 8391-504 misprints "Infastructure".
    unit = records.unit(
        row["code"], row["title"], doc.source(head), level=int(level.group(1)) if level else row["level"],
        credits=int(fields["credits"]), glh=int(fields["glh"]),
        aim=fields.get("aim"),
        reference_numbers=[{"label": "UAN", "value": fields["uan"]}],
        standards=[fields["standard"]] if "standard" in fields else [],
        qualifications=[QUALIFICATION_ID], assessment=[assessment], assessment_notes=list(assessment_notes))
    printed_title = heading.group(2).strip()
    if printed_title != row["title"]:
        unit["heading_title"] = printed_title      # kept so a search for the misprint still finds it
    _Outcomes(doc, unit).read(first_lo, end)
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


class _Outcomes:
    """Learning outcomes, their criteria, depth, guidance and evidence (a state machine over lines)."""

    def __init__(self, doc: Document, unit: dict[str, Any]):
        self.doc, self.unit = doc, unit
        self.state = "start"
        self.number = 0
        self.lo: dict[str, Any] | None = None
        self.criteria: dict[str, dict[str, Any]] = {}     # this LO's, by AC number
        self.field = "depth"                               # where depth / guidance lines go
        self.target: dict[str, Any] | None = None          # … and for which criterion
        self.evidence: list[str] = []

    def close_lo(self) -> None:
        if self.lo is None:
            return
        if not self.criteria:
            raise LayoutError(f"{self.unit['code']} LO {self.lo['number']}: no criteria")
        for crit in self.criteria.values():
            crit["evidence"] = list(self.evidence)
            records.finish_criterion(crit, _advice(crit))
        self.unit["evidence"].extend(self.evidence)

    def read(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.line(i, self.doc.lines[i], f"{self.unit['code']} line {i + 1}")
        self.close_lo()

    def line(self, i: int, text: str, where: str) -> None:
        head = _LO_HEAD.match(text)
        if head:
            self.close_lo()
            self.lo, self.criteria, self.evidence = None, {}, []
            self.state, self.number = "lo_intro", int(head.group(1))
        elif not re.search(r"\w", text):
            # Blank lines, and stray punctuation left by the Word export ("." after 8391-505).
            if self.state == "evidence" and self.evidence:
                self.state = "after"         # the evidence list ends at the first blank line
        elif text == "The learner will:":
            self.state = "lo_text"
        elif self.state == "lo_text":
            m = _LO_TEXT.match(self.doc.raw[i].lstrip(" "))
            if not m or int(m.group(1)) != self.number:
                raise LayoutError(f"{where}: expected the text of LO {self.number}")
            self.lo = records.outcome(self.number, clean(m.group(2)), self.doc.source(i))
            self.unit["learning_outcomes"].append(self.lo)
            self.state = "lo_done"
        elif text == "Assessment criteria":
            return
        elif text in _BLOCKS:
            self.state, self.field = _BLOCKS[text]
            self.target = None
        elif text == "The learner must:" and self.state == "guidance":
            return
        elif _EVIDENCE_HEAD.match(text):
            self.state = "evidence"
        elif self.state == "criteria":
            self.criterion(i, text, where)
        elif self.state in ("depth", "guidance"):
            self.block_line(text, where)
        elif self.state == "evidence":
            self.evidence.append(text)
        elif self.state == "after":
            raise LayoutError(f"{where}: unexpected line after the evidence list: {text!r}")
        else:
            raise LayoutError(f"{where}: unexpected line in state {self.state}: {text!r}")

    def criterion(self, i: int, text: str, where: str) -> None:
        m = _AC.match(text)
        if m and self.lo is not None and int(m.group(1)) == self.lo["number"] and m.group(3):
            ac_id = f"{m.group(1)}.{m.group(2)}"
            if ac_id in self.criteria:
                raise LayoutError(f"{where}: AC {ac_id} printed twice")
            self.criteria[ac_id] = records.criterion(ac_id, self.lo["number"], m.group(3), self.doc.source(i))
            self.unit["criteria"].append(self.criteria[ac_id])
        elif self.criteria:
            # A wrapped AC: the wording continues on the next line.
            last = list(self.criteria.values())[-1]
            last["text"] = f"{last['text']} {text}"
        else:
            raise LayoutError(f"{where}: text before the first AC: {text!r}")

    def block_line(self, text: str, where: str) -> None:
        m = _AC.match(text)
        ac_id = f"{m.group(1)}.{m.group(2)}" if m else ""
        if ac_id in self.criteria:
            # A new AC's lines: the AC number (often followed by a tab) opens them.
            self.target = self.criteria[ac_id]
            text = (m.group(3) or "") if m else text
            if not text:
                return
        if self.target is None:
            raise LayoutError(f"{where}: {self.field} line before any AC number: {text!r}")
        self.target[self.field].append(text)


# ---------------------------------------------------------------------------------------------
# Qualification


def _qualification(doc: Document, front_end: int, table: list[dict[str, Any]]) -> dict[str, Any]:
    header, row = header_row(doc, "Title and level", front_end)
    values = dict(zip(header, (text for _, text in row), strict=True))
    title = values["Title and level"]
    glh_numbers = [int(n) for n in _INT.findall(values["GLH"])]
    line = partial(doc.search, start=0, end=front_end, flags=re.IGNORECASE)
    structure = line(r"^To achieve the .* must complete .*credits\.$")
    passing = line(r"To achieve a pass for this qualification")
    validity = line(r"registration is valid for " + NUMBER + r" years")
    age = line(r"registrations for learners under (\d+)")
    induction = line(r"induction of at least " + NUMBER + r" hours")
    tutorial = line(r"at least " + NUMBER + r" hours of tutorial support")
    entry_head = line(r"^Learner entry requirements$")
    if structure is None:
        raise LayoutError("no structure sentence")
    roc_text = [strip_bullet(doc.lines[structure[0]])]
    if passing:
        roc_text.append(strip_bullet(doc.lines[passing[0]]))
    combo = re.search(NUMBER + r" mandatory units? and " + NUMBER + r" optional units?", roc_text[0], re.IGNORECASE)
    min_credits = re.search(r"minimum of (\d+) credits", roc_text[0])
    mandatory = [r["code"] for r in table if r["group"] == "mandatory"]
    optional = [r["code"] for r in table if r["group"] == "optional"]
    if combo and _number(combo.group(1)) != len(mandatory):
        raise LayoutError("the structure sentence and the unit table disagree on mandatory units")
    level = _LEVEL.search(title)
    roc = records.rules_of_combination(
        text=roc_text, all_units_required=not optional, mandatory=mandatory, optional=optional,
        min_optional_units=_number(combo.group(2)) if combo else None,
        min_credits=int(min_credits.group(1)) if min_credits else None)
    qual = records.qualification(
        QUALIFICATION_ID, title, doc.source(row[0][0]), awarding_body="ILM",
        # The document prints no qualification (QAN / ILM) number: only the unit numbers.
        level=int(level.group(1)) if level else None, credits=int(values["Credit"]),
        # "150 -155": the lower bound, with the printed range kept alongside.
        glh=glh_numbers[0] if glh_numbers else None, tqt=int(values["TQT"]),
        registration_validity_months=_number(validity[1].group(1)) * 12 if validity else None,
        registration_validity_text=doc.lines[validity[0]] if validity else None,
        minimum_age=int(age[1].group(1)) if age else None,
        induction_hours=_number(induction[1].group(1)) if induction else None,
        tutorial_hours=_number(tutorial[1].group(1)) if tutorial else None,
        entry_requirements=doc.lines[entry_head[0] + 1] if entry_head else None,
        units=[r["code"] for r in table], rules_of_combination=roc)
    return records.insert_after(qual, "glh", "glh_printed", values["GLH"])


# ---------------------------------------------------------------------------------------------


def _unit_assessment(doc: Document, front_end: int, row: dict[str, Any]) -> dict[str, Any]:
    """How a unit is assessed: the summary row plus the statements made for all units."""
    method = row["Assessment method"]
    item = records.assessment(method, assessment_kind([[method]], (("portfolio", "portfolio"),)),
                              doc.source(row["line"] - 1))
    general = [doc.lines[i] for i in range(front_end) if doc.lines[i].startswith("All units ")]
    item["text"] = [t for t in [row["Description"], *general] if t]
    passing = doc.search(r"^To pass each internally assessed unit the learner must:", 0, front_end, re.IGNORECASE)
    if passing:
        parts = []
        for i in range(passing[0], front_end):
            parts.append(doc.lines[i])
            if parts[-1].endswith("."):
                break       # the list of conditions ends with its full stop
        item["pass_rule"] = " ".join(parts)
    return item


def parse(path: Path) -> dict[str, Any]:
    """The KB data of the Level 5 Diploma for School Business Leaders specification."""
    doc = Document.read(path)
    heads = [i for i, text in enumerate(doc.lines) if _UNIT_HEAD.match(text)]
    if not heads:
        raise LayoutError("no unit headings")
    front_end = heads[0]
    units_end = doc.find(_APPENDIX, heads[-1])
    table = _unit_table(doc, front_end)
    summary = _assessment_summary(doc, front_end)
    notes = [text for text in doc.lines[:front_end]
             if re.match(r"^Assessment decisions can only be determined", text)
             or re.match(r"^Assessors must assess against the assessment criteria", text)]

    by_short = {r["code"].split("-")[1]: r for r in table}
    units = []
    for head, end in spans(heads, units_end):
        short = _UNIT_HEAD.match(doc.lines[head]).group(1)
        row = by_short.get(short)
        if row is None:
            raise LayoutError(f"unit {short} at line {head + 1} is not in the unit table")
        assessment = _unit_assessment(doc, front_end, summary[row["code"]])
        units.append(_parse_unit(doc, head, end, row, assessment, notes))

    qualification = _qualification(doc, front_end, table)
    rules = to_rules(QUALIFICATION_ID, doc, document_statements(doc, SECTIONS, [(0, front_end), (units_end, len(doc))]))
    return {"document": {"file": doc.name, "title": DOCUMENT_TITLE}, "qualifications": [qualification],
            "units": units, "rules": rules}
