"""Importer for the City & Guilds Level 7 Diploma for Senior Leaders handbook (8431-31/33/63).

Layout (Word tables flattened to text): a cell's first line starts with a tab, its continuation
lines do not; headings carry ``[bookmark: _Toc…]`` debris. The handbook has

* a "Qualification at a glance" key/value table and a title/number/GLH/TQT table;
* numbered sections (centre requirements, delivery, assessment, portfolio and unit-assignment
  guidance, EPA) whose paragraphs and list items become Rules;
* section 8: one block per unit (``Unit 700<TAB>Title``) with a label/value header, then per
  learning outcome a three-column table ``AC1.1 / wording / (K10)`` | Depth | Assessment
  Requirements (Sufficiency), then "Guidance for Delivery" and "Suggested Evidence";
* appendices: A (delivery grid, skipped), B (KSB → AC mapping), C (unit assignments with word
  counts and timings), D (evidence matrix), E (results sheets, whose AC text repeats the units').

Criteria are read from section 8 only: the change log ("Unit 705 AC2.1 (K8)") and the
appendices repeat AC numbers with reworded text and must not create criteria.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from knowledge.importers import SPECS
from knowledge.importers.common import (
    NUMBER_WORDS,
    blocks,
    clean,
    empty_assessment,
    join_wrapped,
    ksb_codes,
    may_statements,
    min_counts,
    minutes,
    read_lines,
    source,
    word_count,
)

_TOC = re.compile(r"\[bookmark: (?:_Toc|Section\d|Appendix)")
_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}|Appendix [A-Z])\s+")
_UNIT_HEADING = re.compile(r"^Unit (\d{3}) (.+)$")
_UNIT_CODE = re.compile(r"^(\d{4}-(\d{3}))$")
_AC = re.compile(r"^AC\s?(\d+)\.(\d+)$")
_LO = re.compile(r"^Learning Outcome (\d+)$")
_BRACKET = re.compile(r"^\((.+)\)$")
_ASSIGNMENT = re.compile(r"^Assignment: (\d{3}) (.+)$")
_RESULTS = re.compile(r"^Results Sheet: (\d{3}) ")
_ILM_NUMBER = re.compile(r"^(\d{4}-\d{2})\s*[\u2013-]\s*(.+)$")
_NUM_WORD = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"

# Default topic of the rules printed under each heading (matched against the heading text).
# Headings not listed here (support materials, delivery grid, results sheets …) yield no
# paragraph rules; their useful parts are read by dedicated code below.
_HEADING_TOPICS: list[tuple[str, str]] = [
    (r"^Structure$", "structure"),
    (r"^Total Qualification Time$", "structure"),
    (r"^Approval$", "centre_approval"),
    (r"^Centre Staffing Requirements$", "assessor_requirements"),
    (r"^Learner Entry Requirements$", "entry"),
    (r"^Age Restrictions$", "age"),
    (r"^Time Constraints$", "registration"),
    (r"^Initial Assessment$", "initial_assessment"),
    (r"^Induction$", "induction"),
    (r"^Guidance for Delivery$", "delivery"),
    (r"^Suggested Learning Resources \(General\)$", "learning_resources"),
    (r"^Suggested Learning Resources \(Units\)$", "learning_resources"),
    (r"^Assessment Methods$", "assessment_method"),
    (r"^Assessment Strategy$", "marking"),
    (r"^ILM Assessment Terminology", "assessment_method"),
    (r"^Authenticity$", "authenticity"),
    (r"^Results Sheets$", "marking"),
    (r"^Recognition of Prior Learning", "rpl"),
    (r"^Results Entry on Walled Garden$", "registration"),
    (r"^Certificates$", "certification"),
    (r"^Digital Credentials$", "certification"),
    (r"^Assessment Guidance: Portfolio$", "portfolio"),
    (r"^Types of Evidence$", "evidence_types"),
    (r"^Selecting Evidence$", "sufficiency"),
    (r"^Preparing Evidence$", "portfolio"),
    (r"^Assessment Guidance: Unit Assignments$", "assignment"),
    (r"End-point Assessment$", "epa"),
    (r"^Mapping to the Standard$", "epa"),
    (r"^Units$", "structure"),
    (r"^Portfolio Evidence Matrix$", "evidence_matrix"),
]

# Headings whose statements keep their default topic whatever words they contain (an EPA
# list item about "recordings" is still an EPA rule; the induction list names plagiarism).
_NO_OVERRIDE = {"epa", "induction", "delivery", "learning_resources"}

# A statement about a more specific matter than its section gets that matter's topic.
_KEYWORD_TOPICS: list[tuple[str, str]] = [
    (r"End-point Assessment|\bEPA\b|Gateway", "epa"),
    (r"witness", "witness_testimony"),
    (r"reflective account", "reflective_account"),
    (r"simulat|case stud|scenario", "simulation"),
    (r"\brecordings?\b|video|audio|timestamp", "recordings"),
    (r"Evidence Matrix", "evidence_matrix"),
    (r"header or footer", "evidence_header_footer"),
    (r"\bgraded\b", "grading"),
    (r"\breferral\b", "referral"),
    (r"word counts?", "word_count"),
    (r"Professional Discussion", "professional_discussion"),
    (r"own work", "authenticity"),
    (r"hyperlink", "evidence_types"),
]

# Matters a learner asks about by name even when the statement leads with something else.
_ANYWHERE_TOPICS: list[tuple[str, str]] = [
    (r"reasonable adjustments", "special_considerations"),
]

# "Qualification at a glance" rows and introduction questions → topic (None: not a rule).
_GLANCE_TOPICS: list[tuple[str, str]] = [
    (r"Subject Area", "structure"),
    (r"ILM Number", "registration"),
    (r"Age Group", "age"),
    (r"Entry Requirements", "entry"),
    (r"^Assessment$", "assessment_method"),
    (r"Approvals", "centre_approval"),
    (r"Apprenticeship Standard", "epa"),
    (r"Registration", "registration"),
]
_QUESTION_TOPICS: list[tuple[str, str]] = [
    (r"Who is the qualification for", "entry"),
    (r"progression", "progression"),
    (r"apprenticeship", "epa"),
    (r"cover", "structure"),
]


def _qualification_id(path: Path) -> str:
    """The id registered for this document (knowledge/importers/__init__.py)."""
    for spec in SPECS:
        if spec.document == path.name:
            return spec.qualification_ids[0]
    raise KeyError(path.name)


def _is_cell_start(raw: str) -> bool:
    return raw.startswith("\t")


def _first_match(patterns: list[tuple[str, str]], text: str, flags: int = re.IGNORECASE) -> str | None:
    return next((topic for pattern, topic in patterns if re.search(pattern, text, flags)), None)


def _number(text: str) -> int | None:
    """"1,001" → 1001, "three" → 3; None when the text is not a number."""
    t = text.strip().lower().replace(",", "")
    if t.isdigit():
        return int(t)
    return NUMBER_WORDS.get(t)


# -- headings ---------------------------------------------------------------------------------

def _headings(lines: list[str]) -> list[tuple[int, str]]:
    """(0-based index, heading text without section number) for every bookmarked heading."""
    out = []
    for i, raw in enumerate(lines):
        if not _TOC.search(raw):
            continue
        text = _SECTION_NUMBER.sub("", clean(raw))
        if text and len(text.split()) <= 14:
            out.append((i, text))
    return out


def _regions(lines: list[str]) -> list[tuple[str, int, int]]:
    """(heading, first body index, end index) for each heading, in document order."""
    heads = _headings(lines)
    out = []
    for n, (i, text) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        out.append((text, i + 1, end))
    return out


# -- qualification ----------------------------------------------------------------------------

def _key_value_blocks(lines: list[str], start: int, end: int) -> list[tuple[str, list[int]]]:
    """Two-column key/value table rows: (key text, indices of the value lines)."""
    out = []
    for block in blocks(lines, start, end):
        if len(block) >= 2 and _is_cell_start(lines[block[0]]):
            out.append((clean(lines[block[0]]), block[1:]))
    return out


def _title_table(lines: list[str]) -> tuple[dict[str, str], int]:
    """The "Title & Level | ILM Number | Ofqual … | GLH | TQT" row and the title's line index."""
    for i, raw in enumerate(lines):
        if clean(raw) == "Title & Level":
            header, values = blocks(lines, i, min(len(lines), i + 40))[:2]
            return ({clean(lines[h]): clean(lines[v]) for h, v in zip(header, values, strict=True)},
                    values[0])
    raise ValueError("no 'Title & Level' table")


def _glance_span(lines: list[str], regions: list[tuple[str, int, int]]) -> tuple[int, int]:
    """The "Qualification at a glance" rows: from its heading to the title table."""
    start = next(s for h, s, _ in regions if h == "Qualification at a glance")
    end = next(i for i in range(start, len(lines)) if clean(lines[i]) == "Title & Level")
    return start, end


def _qualification(lines: list[str], doc: str, qid: str, regions: list[tuple[str, int, int]],
                   unit_codes: list[str]) -> dict[str, Any]:
    table, title_index = _title_table(lines)
    title = table["Title & Level"]
    glance = dict(_key_value_blocks(lines, *_glance_span(lines, regions)))

    numbers: list[dict[str, Any]] = []
    for i in glance.get("ILM Number", []):
        m = _ILM_NUMBER.match(clean(lines[i]))
        if m:
            numbers.append({"kind": "ilm", "value": m.group(1), "note": m.group(2)})
    numbers.append({"kind": "ofqual", "value": table["Ofqual Accreditation Number"], "note": None})

    age = None
    for i in glance.get("Age Group Approved", []):
        m = re.match(r"(\d+)\+", clean(lines[i]))
        age = int(m.group(1)) if m else age
    entry = join_wrapped([lines[i] for i in glance.get("Entry Requirements", [])]) or None
    standard = join_wrapped([lines[i] for i in glance.get("Apprenticeship Standard", [])]) or None

    validity_months, validity_text = None, None
    induction, tutorial = None, None
    roc_text: list[str] = []
    for raw in lines:
        text = clean(raw)
        m = re.search(r"registration is valid for " + _NUM_WORD + r" (years?|months?)", text, re.I)
        if m and validity_text is None:
            n = _number(m.group(1)) or 0
            validity_months = n * 12 if m.group(2).lower().startswith("year") else n
            validity_text = text
        m = re.match(_NUM_WORD + r" hours? (?:of )?induction", text, re.I)
        if m and induction is None:
            induction = _number(m.group(1))
        m = re.match(r"(?:At least )?" + _NUM_WORD + r" hours? of tutorial support", text, re.I)
        if m and tutorial is None:
            tutorial = _number(m.group(1))
        if re.match(r"To achieve the .+ learners must pass all", text) and not roc_text:
            roc_text.append(text)

    # "must pass all seven units": all units are mandatory when the count agrees with the table
    m_all = re.search(r"must pass all " + _NUM_WORD + r" units", roc_text[0], re.I) if roc_text else None
    all_required = bool(m_all) and _number(m_all.group(1)) == len(unit_codes)
    level = re.search(r"Level (\d)", title)
    return {
        "id": qid,
        "title": title,
        "awarding_body": title.split(" Level")[0],
        "numbers": numbers,
        "level": int(level.group(1)) if level else None,
        "credits": None,  # the handbook prints GLH and TQT but no credit value
        "glh": _number(table["GLH"]),
        "tqt": _number(table["TQT"]),
        "registration_validity_months": validity_months,
        "registration_validity_text": validity_text,
        "minimum_age": age,
        "induction_hours": induction,
        "tutorial_hours": tutorial,
        "entry_requirements": entry,
        "units": unit_codes,
        "rules_of_combination": {
            "text": roc_text,
            "all_units_required": all_required,
            "mandatory": list(unit_codes) if all_required else [],
            "optional": [],
            "min_optional_units": None,
            "min_credits": None,
            "groups": [],
            "group_exclusive": False,
            "min_share_at_level": None,
        },
        "source": source(doc, title_index + 1),
        "apprenticeship_standard": standard,
    }


def _structure_table(lines: list[str], start: int, end: int) -> list[dict[str, Any]]:
    """Rows "code | title | level | GLH" of the Structure section's unit table."""
    rows = []
    for block in blocks(lines, start, end):
        m = _UNIT_CODE.match(clean(lines[block[0]]))
        if m and len(block) >= 4:
            rows.append({"code": m.group(1), "short": m.group(2), "title": clean(lines[block[1]]),
                         "level": _number(clean(lines[block[2]])), "glh": _number(clean(lines[block[3]]))})
    return rows


# -- rules ------------------------------------------------------------------------------------

def _rule(qid: str, topic: str, text: str, doc: str, index: int) -> dict[str, Any]:
    return {"qualification": qid, "topic": topic, "text": text, "source": source(doc, index + 1)}


def _is_subheading(text: str) -> bool:
    """Short unpunctuated lines inside a section ("Email updates", "Instructions for …")."""
    return len(text.split()) <= 4 and not text.endswith((".", ":", "?"))


def _topic_for(text: str, default: str) -> str:
    """The section's topic, or a more specific one named in the statement's first sentence
    (its lead: "Learners must complete a Portfolio … Scenarios/simulations are not accepted"
    is about assessment methods, not simulations)."""
    if default in _NO_OVERRIDE:
        return default
    lead = re.split(r"(?<=[.;])\s+(?=[A-Z])", text, maxsplit=1)[0]
    return _first_match(_KEYWORD_TOPICS, lead) or _first_match(_ANYWHERE_TOPICS, text) or default


def _prose(lines: list[str], block: list[int]) -> list[int]:
    """The block's lines up to the first table cell (a table can follow prose directly)."""
    out = []
    for i in block:
        if _is_cell_start(lines[i]):
            break
        out.append(i)
    return out


def _paragraph_rules(lines: list[str], start: int, end: int, default: str, qid: str,
                     doc: str) -> list[dict[str, Any]]:
    """One rule per paragraph or list item of plain (non-table) lines.

    A paragraph ending in ":" introduces a list: it is not a rule by itself, each item carries
    it as a prefix so the item keeps its meaning ("Evidence should not: Include case studies…").
    A "·" bullet carries its parent item too (the witness-testimony bullet on feedback), and
    a bullet ending in ":" is the parent of the bullets after it (the recording bullets).
    """
    out: list[dict[str, Any]] = []
    found = blocks(lines, start, end)
    for b, whole in enumerate(found):
        block = _prose(lines, whole)
        if not block:
            continue  # a table row; its continuation lines belong to the cell, not to prose
        texts = [clean(lines[i]) for i in block]
        table_next = len(block) < len(whole) or (
            b + 1 < len(found) and _is_cell_start(lines[found[b + 1][0]]))
        if len(texts) == 1 and texts[0].endswith(":") and table_next:
            continue  # "Recommended for this qualification:" introduces a table
        stem = texts[0] if texts[0].endswith(":") and len(texts) > 1 else ""
        parent, parent_topic = "", _topic_for(stem, default) if stem else default
        bullet_parent, bullet_topic = "", parent_topic
        for n, (i, text) in enumerate(zip(block, texts, strict=True)):
            if n == 0 and (stem or _is_subheading(text)):
                continue
            if text.startswith("Extract from "):
                continue  # a citation of the text above ("Extract from Ofqual: …"), not a statement
            nxt = texts[n + 1] if n + 1 < len(texts) else ""
            if text.startswith("·"):
                full = " ".join(p for p in (stem, parent, bullet_parent, text) if p)
                own = _topic_for(text, "") if default not in _NO_OVERRIDE else ""
                topic = own or (bullet_topic if bullet_parent else parent_topic)
                out.append(_rule(qid, topic, full, doc, i))
                if text.endswith(":"):
                    bullet_parent, bullet_topic = text, topic
                continue
            full = f"{stem} {text}" if stem and n > 0 else text
            parent, parent_topic = text, _topic_for(text, default)
            bullet_parent = ""
            if text.endswith(":") and nxt.startswith("·"):
                continue  # a sub-list heading: its bullets carry it
            out.append(_rule(qid, parent_topic, full, doc, i))
    return out


def _table_rules(lines: list[str], start: int, end: int, patterns: list[tuple[str, str]],
                 qid: str, doc: str, join_key: bool) -> list[dict[str, Any]]:
    """Rules from a two-column key/value table (glance table, introduction Q&A)."""
    out = []
    for key, values in _key_value_blocks(lines, start, end):
        topic = _first_match(patterns, key)
        if topic is None or not values:
            continue
        if join_key:
            out.append(_rule(qid, topic, f"{key}: {join_wrapped([lines[i] for i in values])}", doc,
                             values[0]))
        else:
            for i in values:
                text = f"{key} {clean(lines[i])}"
                out.append(_rule(qid, _topic_for(clean(lines[i]), topic), text, doc, i))
    return out


def _hours_rules(lines: list[str], start: int, end: int, qid: str, doc: str) -> list[dict[str, Any]]:
    """The induction / tutorial-support table cells ("Two hours induction")."""
    out = []
    for i in range(start, end):
        text = clean(lines[i])
        if _is_cell_start(lines[i]) and re.search(r"hours? (?:of )?(?:induction|tutorial)", text, re.I):
            topic = "tutorial_support" if "tutorial" in text.lower() else "induction"
            out.append(_rule(qid, topic, text, doc, i))
    return out


# -- units ------------------------------------------------------------------------------------

def _unit_header(lines: list[str], start: int, end: int) -> dict[str, list[int]]:
    """Label cells ("Unit Aim:") of the unit's header table and their value lines."""
    out: dict[str, list[int]] = {}
    for key, values in _key_value_blocks(lines, start, end):
        if key.endswith(":"):
            out[key[:-1]] = values
    return out


def _criteria(lines: list[str], start: int, end: int, doc: str) -> tuple[list[dict], list[dict]]:
    """Learning outcomes and criteria of one unit's LO tables (state machine over lines)."""
    los: list[dict[str, Any]] = []
    criteria: list[dict[str, Any]] = []
    state = "none"
    lo = 0
    crit: dict[str, Any] | None = None
    cells = 0  # table cells started since the KSB bracket line: 1 = Depth, 2 = Sufficiency

    def finish() -> None:
        if crit is None:
            return
        crit["advice"] = may_statements(crit["requirements"])
        crit["min_counts"] = min_counts(crit["requirements"])
        if not crit["requirements"]:
            raise ValueError(f"criterion {crit['id']} at line {crit['source']['line']} has no sufficiency")
        criteria.append(crit)

    i = start
    while i < end:
        raw, text = lines[i], clean(lines[i])
        m_lo = _LO.match(text)
        m_ac = _AC.match(text) if _is_cell_start(raw) else None
        if m_lo:
            finish()
            crit, state = None, "lo"
            lo = int(m_lo.group(1))
            j = i + 1
            while not clean(lines[j]):
                j += 1
            los.append({"number": lo, "text": clean(lines[j]), "source": source(doc, j + 1)})
            i = j + 1
            continue
        if text in ("Guidance for Delivery", "Suggested Evidence"):
            break
        if m_ac:
            finish()
            crit = {"id": f"{m_ac.group(1)}.{m_ac.group(2)}", "lo": lo, "text": "", "depth": [],
                    "requirements": [], "advice": [], "min_counts": [], "ksbs": [], "evidence": [],
                    "source": None, "pass_descriptor": False}
            if int(m_ac.group(1)) != lo:
                raise ValueError(f"AC {crit['id']} under Learning Outcome {lo} (line {i + 1})")
            cells, wording = 0, []
            i += 1
            while i < end:
                t = clean(lines[i])
                bracket = _BRACKET.match(t)
                if bracket or (_is_cell_start(lines[i]) and wording):
                    break
                if t:
                    wording.append((i, t))
                i += 1
            crit["text"] = " ".join(t for _, t in wording)
            crit["source"] = source(doc, wording[0][0] + 1)
            if i < end and _BRACKET.match(clean(lines[i])):
                inside = _BRACKET.match(clean(lines[i])).group(1)
                crit["ksbs"] = ksb_codes(inside)
                crit["pass_descriptor"] = "Pass" in inside and "Descriptor" in inside
                i += 1
            state = "cells"
            continue
        if crit is not None and state == "cells" and text:
            if _is_cell_start(raw):
                cells += 1
                if cells > 2:
                    raise ValueError(f"unexpected table cell at line {i + 1}: {text[:40]}")
            if cells == 1:
                crit["depth"].append(text)
            elif cells == 2:
                crit["requirements"].append(text)
        i += 1
    finish()
    return los, criteria


def _unit_tail(lines: list[str], start: int, end: int) -> tuple[list[str], list[str]]:
    """"Guidance for Delivery" paragraphs and "Suggested Evidence" work-product lines."""
    delivery: list[str] = []
    evidence: list[str] = []
    target: list[str] | None = None
    for i in range(start, end):
        text = clean(lines[i])
        if text == "Guidance for Delivery":
            target = delivery
        elif text == "Suggested Evidence":
            target = evidence
        elif text and target is not None:
            if target is evidence and text.endswith(":") and not evidence:
                continue  # "Work product which could be used as evidence for this unit:"
            target.append(text)
    return delivery, evidence


def _unit(lines: list[str], start: int, end: int, code: str, doc: str, qid: str) -> dict[str, Any]:
    heading = _UNIT_HEADING.match(clean(lines[start - 1]))
    first_lo = next(i for i in range(start, end) if _LO.match(clean(lines[i])))
    header = _unit_header(lines, start, first_lo)
    los, criteria = _criteria(lines, first_lo, end, doc)
    delivery, evidence = _unit_tail(lines, first_lo, end)

    def value(key: str) -> str | None:
        return join_wrapped([lines[i] for i in header.get(key, [])]) or None

    return {
        "code": code,
        "title": heading.group(2) if heading else "",
        "level": _number(value("Unit Level") or ""),
        "credits": None,
        "glh": _number(value("Guided Learning Hours (GLH)") or ""),
        "aim": value("Unit Aim"),
        "reference_numbers": [],
        "standards": [clean(lines[i]) for i in header.get("Relationship to Apprenticeship Standard", [])],
        "qualifications": [qid],
        "learning_outcomes": los,
        "criteria": criteria,
        "evidence": evidence,
        "assessment": [],
        "assessment_notes": [clean(lines[i]) for i in header.get("Assessment Method", [])],
        "source": source(doc, start),
        "delivery_guidance": delivery,
        "learning_resources": [],
        "standard_mapping": [],
    }


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


def _assignment(lines: list[str], start: int, end: int, doc: str,
                pass_rule: str | None) -> list[dict[str, Any]]:
    """The unit-assignment record and its written / presentation / discussion variants."""
    main = empty_assessment("Unit Assignment", "assignment", source(doc, start))
    main["pass_rule"] = pass_rule
    variants: list[dict[str, Any]] = []
    state = "intro"
    for i in range(start, end):
        raw, text = lines[i], clean(lines[i])
        if not text:
            if _is_cell_start(raw) and state == "task":
                state = "acs"  # the empty cell opening the "Assessment Criteria" column
            continue
        if state == "intro":
            if text == "Assignment Task":
                state = "header"
                continue
            if text.startswith("Find the explanations of verbs"):
                continue
            main["text"].append(text)
            kind_title = [("Written Assignments:", "written", "Written"),
                          ("Presentations:", "presentation", "Presentation"),
                          ("Professional Discussions:", "professional_discussion", "Professional Discussion")]
            for prefix, kind, title in kind_title:
                if text.startswith(prefix):
                    a = empty_assessment(f"Unit Assignment: {title}", kind, source(doc, i + 1))
                    a["text"] = [text]
                    wc = _assignment_word_count(text)
                    if wc:
                        a["word_count"] = wc
                        main["word_count"] = dict(wc)
                    a["timing_minutes"] = _timing(text)
                    a["pass_rule"] = pass_rule
                    variants.append(a)
        elif _LO.match(text):
            state = "lo_text"
        elif state == "lo_text":
            state = "task"  # the line after "Learning Outcome N" restates the outcome
        elif state == "task":
            if _AC.match(text):
                state = "acs"
            else:
                main["text"].append(text)
    return [main, *variants]


def _results_pass_rules(lines: list[str], regions: list[tuple[str, int, int]],
                        short_to_code: dict[str, str]) -> dict[str, str]:
    """Unit code → the results sheet's "In order to Pass the unit …" sentence."""
    out = {}
    for heading, start, end in regions:
        m = _RESULTS.match(heading)
        if not m or m.group(1) not in short_to_code:
            continue
        for i in range(start, end):
            if clean(lines[i]).startswith("In order to Pass the unit"):
                out[short_to_code[m.group(1)]] = clean(lines[i])
                break
    return out


def _standard_mapping(lines: list[str], start: int, end: int, doc: str,
                      short_to_code: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Appendix B: unit code → [{text (KSB or pass descriptor), criteria, kind, source}]."""
    out: dict[str, list[dict[str, Any]]] = {}
    unit = None
    pending: tuple[int, str] | None = None
    current: dict[str, Any] | None = None
    for i in range(start, end):
        raw, text = lines[i], clean(lines[i])
        if not text:
            continue
        ac = _AC.match(text)
        if ac:
            if pending is not None and unit:
                current = {"text": pending[1], "criteria": [],
                           "kind": "ksb" if ksb_codes(pending[1][:5]) else "pass_descriptor",
                           "source": source(doc, pending[0] + 1)}
                out.setdefault(unit, []).append(current)
                pending = None
            if current is not None:
                current["criteria"].append(f"{ac.group(1)}.{ac.group(2)}")
            continue
        if _is_cell_start(raw):
            m = re.match(r"^(\d{3}) ", text)
            if m and pending is not None:
                unit, pending, current = short_to_code.get(m.group(1)), None, None
                continue
            pending, current = (i, text), None
    return out


def _unit_resources(lines: list[str], start: int, end: int) -> dict[str, list[str]]:
    """"Suggested Learning Resources (Units)": full code → its resource lines, verbatim."""
    out: dict[str, list[str]] = {}
    code = None
    for i in range(start, end):
        text = clean(lines[i])
        m = re.match(r"^(\d{4}-\d{3}) ", text)
        if m:
            code = m.group(1)
            out[code] = []
        elif text and code:
            out[code].append(text)
    return out


# -- parse ------------------------------------------------------------------------------------

def parse(path: Path) -> dict[str, Any]:
    path = Path(path)
    doc = path.name
    qid = _qualification_id(path)
    lines = read_lines(path)
    regions = _regions(lines)
    by_heading = {h: (s, e) for h, s, e in regions}

    structure = _structure_table(lines, *by_heading["Structure"])
    short_to_code = {row["short"]: row["code"] for row in structure}
    unit_codes = [row["code"] for row in structure]
    qualification = _qualification(lines, doc, qid, regions, unit_codes)

    pass_rules = _results_pass_rules(lines, regions, short_to_code)
    units: list[dict[str, Any]] = []
    rules: list[dict[str, Any]] = []
    first_assignment = first_results = True
    resources: dict[str, list[str]] = {}
    mapping: dict[str, list[dict[str, Any]]] = {}
    assignments: dict[str, list[dict[str, Any]]] = {}
    portfolio_line = next(i for i, raw in enumerate(lines) if clean(raw).startswith("Portfolio – evidence"))

    for heading, start, end in regions:
        unit_m = _UNIT_HEADING.match(heading)
        assign_m = _ASSIGNMENT.match(heading)
        if heading == "Qualification at a glance":
            rules += _table_rules(lines, *_glance_span(lines, regions), _GLANCE_TOPICS, qid, doc,
                                  join_key=True)
        elif heading == "Introduction":
            rules += _paragraph_rules(lines, start, end, "structure", qid, doc)
            rules += _table_rules(lines, start, end, _QUESTION_TOPICS, qid, doc, join_key=False)
        elif unit_m and unit_m.group(1) in short_to_code:
            units.append(_unit(lines, start, end, short_to_code[unit_m.group(1)], doc, qid))
        elif assign_m and assign_m.group(1) in short_to_code:
            code = short_to_code[assign_m.group(1)]
            assignments[code] = _assignment(lines, start, end, doc, pass_rules.get(code))
            if first_assignment:
                # The generic lines repeat in every assignment: read them once, as rules, up to
                # the task table; the per-unit word counts and timings stay on the unit.
                first_assignment = False
                task = next(i for i in range(start, end) if clean(lines[i]) == "Assignment Task")
                for rule in _paragraph_rules(lines, start, task, "assignment", qid, doc):
                    printed = clean(lines[rule["source"]["line"] - 1])
                    if not re.match(r"Written Assignments:|Presentations:|Professional Discussions:",
                                    printed):
                        rules.append(rule)
        elif heading.startswith("Mapping Level 7"):
            mapping = _standard_mapping(lines, start, end, doc, short_to_code)
        elif heading.startswith("Results Sheet: "):
            if first_results:
                # Every results sheet repeats the same instructions: read the first, up to its table.
                first_results = False
                table = next(i for i in range(start, end) if _is_cell_start(lines[i]))
                rules += _paragraph_rules(lines, start, table, "marking", qid, doc)
        else:
            topic = _first_match(_HEADING_TOPICS, heading, 0)
            if topic is None:
                continue
            if heading == "Suggested Learning Resources (Units)":
                resources = _unit_resources(lines, start, end)
                first_unit = next(i for i in range(start, end) if re.match(r"^\d{4}-\d{3} ", clean(lines[i])))
                end = first_unit
            rules += _paragraph_rules(lines, start, end, topic, qid, doc)
            if topic == "induction":
                rules += _hours_rules(lines, start, end, qid, doc)

    for unit in units:
        code = unit["code"]
        portfolio = empty_assessment("Portfolio", "portfolio", source(doc, portfolio_line + 1))
        portfolio["text"] = [clean(lines[portfolio_line])]
        portfolio["pass_rule"] = pass_rules.get(code)
        unit["assessment"] = [portfolio, *assignments.get(code, [])]
        unit["learning_resources"] = resources.get(code, [])
        unit["standard_mapping"] = mapping.get(code, [])

    return {
        "document": {"file": doc, "title": qualification["title"]},
        "qualifications": [qualification],
        "units": units,
        "rules": rules,
    }
