"""The units and appendices of the City & Guilds Level 7 handbook (004); see ``cg_senior_leaders_l7``.

Per unit: a label/value header table, then per learning outcome a three-column table whose first
cell holds "AC1.1", the AC wording and its KSB codes "(K10, S4)", the second the depth and the
third the sufficiency requirements. The appendices give the unit assignments (B), the KSB → AC
mapping (C) and the results sheets' pass rules (E).
"""

from __future__ import annotations

import re
from typing import Any

from knowledge.importers import records
from knowledge.importers.common import ksb_codes, minutes, number, word_count
from knowledge.importers.reader import Document, LayoutError
from knowledge.importers.tables import key_values

UNIT_HEADING = re.compile(r"^Unit (\d{3}) (.+)$")
AC = re.compile(r"^AC\s?(\d+)\.(\d+)$")
LO = re.compile(r"^Learning Outcome (\d+)$")
_BRACKET = re.compile(r"^\((.+)\)$")
_RESULTS = re.compile(r"^Results Sheet: (\d{3}) ")
# "Written Assignments: … 3,000 words" and its siblings: the variants of the unit assignment.
_VARIANTS = (("Written Assignments:", "written", "Written"),
             ("Presentations:", "presentation", "Presentation"),
             ("Professional Discussions:", "professional_discussion", "Professional Discussion"))


# -- units ------------------------------------------------------------------------------------

def _wording(doc: Document, crit: dict[str, Any], i: int, end: int) -> int:
    """Read an AC's wording (up to its KSB bracket or the next cell) and the bracket; the next index."""
    wording: list[int] = []
    while i < end:
        if _BRACKET.match(doc.lines[i]) or (doc.is_cell(i) and wording):
            break
        if doc.lines[i]:
            wording.append(i)
        i += 1
    crit["text"] = doc.text(wording)
    crit["source"] = doc.source(wording[0])
    bracket = _BRACKET.match(doc.lines[i]) if i < end else None
    if bracket:
        crit["ksbs"] = ksb_codes(bracket.group(1))
        crit["pass_descriptor"] = "Pass" in bracket.group(1) and "Descriptor" in bracket.group(1)
        i += 1
    return i


def _criteria(doc: Document, start: int, end: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Learning outcomes and criteria of one unit's LO tables (state machine over lines)."""
    los: list[dict[str, Any]] = []
    criteria: list[dict[str, Any]] = []
    lo = 0
    crit: dict[str, Any] | None = None
    cells = 0  # table cells started since the KSB bracket line: 1 = Depth, 2 = Sufficiency

    def finish() -> None:
        if crit is None:
            return
        records.finish_criterion(crit)
        if not crit["requirements"]:
            raise LayoutError(f"criterion {crit['id']} at line {crit['source']['line']} has no sufficiency")
        criteria.append(crit)

    i = start
    while i < end:
        text = doc.lines[i]
        m_lo = LO.match(text)
        m_ac = AC.match(text) if doc.is_cell(i) else None
        if m_lo:
            finish()
            crit, lo = None, int(m_lo.group(1))
            j = doc.find(bool, i + 1)
            los.append(records.outcome(lo, doc.lines[j], doc.source(j)))
            i = j + 1
            continue
        if text in ("Guidance for Delivery", "Suggested Evidence"):
            break
        if m_ac:
            finish()
            crit = records.criterion(f"{m_ac.group(1)}.{m_ac.group(2)}", lo, "", None, pass_descriptor=False)
            if int(m_ac.group(1)) != lo:
                raise LayoutError(f"AC {crit['id']} under Learning Outcome {lo} (line {i + 1})")
            cells = 0
            i = _wording(doc, crit, i + 1, end)
            continue
        if crit is not None and text:
            if doc.is_cell(i):
                cells += 1
                if cells > 2:
                    raise LayoutError(f"unexpected table cell at line {i + 1}: {text[:40]}")
            if cells == 1:
                crit["depth"].append(text)
            elif cells == 2:
                crit["requirements"].append(text)
        i += 1
    finish()
    return los, criteria


def _unit_tail(doc: Document, start: int, end: int) -> tuple[list[str], list[str]]:
    """"Guidance for Delivery" paragraphs and "Suggested Evidence" work-product lines."""
    delivery: list[str] = []
    evidence: list[str] = []
    target: list[str] | None = None
    for text in doc.lines[start:end]:
        if text == "Guidance for Delivery":
            target = delivery
        elif text == "Suggested Evidence":
            target = evidence
        elif text and target is not None:
            if target is evidence and text.endswith(":") and not evidence:
                continue  # "Work product which could be used as evidence for this unit:"
            target.append(text)
    return delivery, evidence


def unit(doc: Document, start: int, end: int, code: str, qid: str) -> dict[str, Any]:
    """The unit whose heading is the line before ``start``."""
    heading = UNIT_HEADING.match(doc.lines[start - 1])
    first_lo = doc.find(LO, start, end)
    # Label cells ("Unit Aim:") of the unit's header table and their value lines.
    header = {key[:-1]: values for key, values in key_values(doc, start, first_lo) if key.endswith(":")}
    los, criteria = _criteria(doc, first_lo, end)
    delivery, evidence = _unit_tail(doc, first_lo, end)

    def value(key: str) -> str | None:
        return doc.text(header.get(key, [])) or None

    return records.unit(
        code, heading.group(2) if heading else "", doc.source(start - 1),
        level=number(value("Unit Level") or ""), glh=number(value("Guided Learning Hours (GLH)") or ""),
        aim=value("Unit Aim"),
        standards=[doc.lines[i] for i in header.get("Relationship to Apprenticeship Standard", [])],
        qualifications=[qid], learning_outcomes=los, criteria=criteria, evidence=evidence,
        assessment_notes=[doc.lines[i] for i in header.get("Assessment Method", [])],
        delivery_guidance=delivery, learning_resources=[], standard_mapping=[])


# -- assessments (appendix C, results sheets) --------------------------------------------------

def _assignment_word_count(text: str) -> dict[str, int | None] | None:
    """"word count 4,500 +/- 10%" (no "words" after the number) or any common.word_count form."""
    m = re.search(r"word count\s+(\d{1,2},?\d{3})\s*(?:\+/-|\u00b1)\s*(\d{1,2})\s*%", text, re.I)
    if m:
        return word_count(f"{m.group(1)} words (+/- {m.group(2)}%)")
    return word_count(text)


def _timing(text: str) -> dict[str, int | None] | None:
    """"limited to 30 minutes" is a ceiling; other forms as common.minutes reads them."""
    m = re.search(r"limited to (\d{1,3}) min", text, re.I)
    if m:
        return {"nominal": None, "min": None, "max": int(m.group(1))}
    return minutes(text)


def _variant(doc: Document, i: int, main: dict[str, Any], pass_rule: str | None) -> dict[str, Any] | None:
    """The written / presentation / discussion variant that line ``i`` describes, if it is one."""
    text = doc.lines[i]
    for prefix, kind, title in _VARIANTS:
        if text.startswith(prefix):
            a = records.assessment(f"Unit Assignment: {title}", kind, doc.source(i))
            a["text"] = [text]
            wc = _assignment_word_count(text)
            if wc:
                a["word_count"] = wc
                main["word_count"] = dict(wc)
            a["timing_minutes"] = _timing(text)
            a["pass_rule"] = pass_rule
            return a
    return None


def assignment(doc: Document, start: int, end: int, pass_rule: str | None) -> list[dict[str, Any]]:
    """The unit-assignment record and its written / presentation / discussion variants."""
    main = records.assessment("Unit Assignment", "assignment", doc.source(start - 1))
    main["pass_rule"] = pass_rule
    variants: list[dict[str, Any]] = []
    state = "intro"
    for i in range(start, end):
        text = doc.lines[i]
        if not text:
            if doc.is_cell(i) and state == "task":
                state = "acs"  # the empty cell opening the "Assessment Criteria" column
            continue
        if state == "intro":
            if text == "Assignment Task":
                state = "header"
            elif not text.startswith("Find the explanations of verbs"):
                main["text"].append(text)
                variants += [v for v in [_variant(doc, i, main, pass_rule)] if v]
        elif LO.match(text):
            state = "lo_text"
        elif state == "lo_text":
            state = "task"  # the line after "Learning Outcome N" restates the outcome
        elif state == "task":
            if AC.match(text):
                state = "acs"
            else:
                main["text"].append(text)
    return [main, *variants]


def results_pass_rules(doc: Document, regions: list[tuple[str, int, int]],
                       short_to_code: dict[str, str]) -> dict[str, str]:
    """Unit code → the results sheet's "In order to Pass the unit …" sentence."""
    out = {}
    for heading, start, end in regions:
        m = _RESULTS.match(heading)
        if not m or m.group(1) not in short_to_code:
            continue
        i = next((i for i in range(start, end) if doc.lines[i].startswith("In order to Pass the unit")), None)
        if i is not None:
            out[short_to_code[m.group(1)]] = doc.lines[i]
    return out


def standard_mapping(doc: Document, start: int, end: int,
                     short_to_code: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Appendix B: unit code → [{text (KSB or pass descriptor), criteria, kind, source}]."""
    out: dict[str, list[dict[str, Any]]] = {}
    unit_code = None
    pending: int | None = None           # a KSB / descriptor cell waiting for its first AC
    current: dict[str, Any] | None = None
    for i in range(start, end):
        text = doc.lines[i]
        if not text:
            continue
        ac = AC.match(text)
        if ac:
            if pending is not None and unit_code:
                current = {"text": doc.lines[pending], "criteria": [],
                           "kind": "ksb" if ksb_codes(doc.lines[pending][:5]) else "pass_descriptor",
                           "source": doc.source(pending)}
                out.setdefault(unit_code, []).append(current)
                pending = None
            if current is not None:
                current["criteria"].append(f"{ac.group(1)}.{ac.group(2)}")
            continue
        if doc.is_cell(i):
            m = re.match(r"^(\d{3}) ", text)
            if m and pending is not None:
                unit_code, pending, current = short_to_code.get(m.group(1)), None, None
                continue
            pending, current = i, None
    return out


def unit_resources(doc: Document, start: int, end: int) -> dict[str, list[str]]:
    """"Suggested Learning Resources (Units)": full code → its resource lines, verbatim."""
    out: dict[str, list[str]] = {}
    code = None
    for text in doc.lines[start:end]:
        m = re.match(r"^(\d{4}-\d{3}) ", text)
        if m:
            code = m.group(1)
            out[code] = []
        elif text and code:
            out[code].append(text)
    return out
