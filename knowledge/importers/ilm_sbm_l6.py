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
* the NCTL suggested assessments, "Unit 1: Enabling Learning" … "Unit 6: Managing Programmes",
  mapped to the units by order (titles checked); components are lines carrying "NN per cent";
* assessment methodology, level matrices (element × grade tables) and unit assessment forms,
  which become rules.

Unit titles are matched, never the short unit numbers, because 8631-602 … 605 share their
short numbers with 8316-602 … 605 of another document: every code kept here is the full code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from knowledge.importers.common import (
    NUMBER_WORDS,
    clean,
    empty_assessment,
    may_statements,
    min_counts,
    minutes,
    read_lines,
    source,
    word_count,
)

QUALIFICATION_ID = "l6-sbm-diploma"
DOCUMENT_TITLE = "ILM Level 6 Diploma in School Business Management"

_UNIT_CODE = re.compile(r"^\d{4}-\d{3}$")
_AC_ID = re.compile(r"^(\d+)\.(\d+)$")
# "1.Understand …", "2. Be able …", "3 Be able …": a number, optional dot, then a word.
# An AC id ("1.2") never matches because a letter must follow the number.
_LO = re.compile(r"^(\d+)\.?\s*([A-Za-z].*)$")
_ASSESS_UNIT = re.compile(r"^Unit (\d+): (.+)$")
_COMPONENT = re.compile(r"^(?P<title>.+?)\s+(?P<weight>\d+ per cent)\b\s*(?P<rest>.*)$")
_HYPHEN_MINUTE = re.compile(r"(\d)-(?=min)", re.IGNORECASE)
_BULLET = re.compile(r"^[·•]\s*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_TERMINAL = (".", "?", "!")

# Sentences opening with these words lean on the previous sentence ("If not, … is a referral").
_CONNECTIVES = ("If not", "However", "Alternatively", "This ", "These ", "It ", "Please note")

# First match wins; the order puts the specific topics before the general ones.
_TOPIC_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"resubmi", re.I), "resubmission"),
    (re.compile(r"\b(?:is|receiving) an? \W?referral", re.I), "referral"),
    (re.compile(r"\bgrades?\b|\bpass\b|%", re.I), "grading"),
    (re.compile(r"\bmust complete all\b", re.I), "structure"),
    (re.compile(r"approv|assessment instruments?|assignments?\b", re.I), "assessment_method"),
    (re.compile(r"\bmarks?\b|mark sheet|assessment forms?|feedback", re.I), "marking"),
)

# Headings of the prose sections that hold rules, with the topic their statements default to.
_PROSE_SECTIONS: dict[str, str] = {
    "Who is this qualification for?": "purpose",
    "Benefits for individuals": "purpose",
    "Benefits for employers": "purpose",
    "Progression Routes": "progression",
    "Qualification Specific Occupational Competency Requirements": "assessor_requirements",
    "Internal Verifiers": "internal_verification",
}
_CLASSIFIED_SECTIONS: dict[str, str] = {
    "Overview of Assessment Methodology": "assessment_method",
    "Disclaimer": "assessment_method",
    "Assessment Methodology": "marking",
    "Preparing feedback": "marking",
}
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

# Labels of the "Additional information about the unit" rows.
_AIM = "Unit purpose and aim(s)"
_STANDARDS = "Details of the relationship between the unit and relevant national occupational"
_SECTOR_GUIDANCE = "Assessment requirements or guidance specified by a sector or regulatory body"
_SUPPORT = "Support for the unit from a sector skills council"
_LOCATION = "Location of the unit within the subject/sector classification system"
_UNIT_GLH = "Unit guided learning hours"
_ADDITIONAL = "Additional information about the unit"
_UNIT_LABELS = (_AIM, _STANDARDS, _SECTOR_GUIDANCE, _SUPPORT, _LOCATION, _UNIT_GLH)
_AC_NOTE = re.compile(r"^Assessment Criterion (\d+\.\d+)\b")

_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("portfolio", "portfolio"),
    ("business case", "business_case"),
    ("presentation", "presentation"),
    ("interview", "professional_discussion"),
    ("professional discussion", "professional_discussion"),
    ("report", "report"),
)


class LayoutError(ValueError):
    """The document does not have the layout this importer expects."""


def _find(lines: list[str], predicate: Any, start: int = 0, end: int | None = None) -> int:
    """Index of the first cleaned line from ``start`` satisfying ``predicate``."""
    stop = len(lines) if end is None else end
    for i in range(start, stop):
        if predicate(lines[i]):
            return i
    raise LayoutError(f"expected line not found after line {start + 1}")


def _first_int(text: str) -> int | None:
    m = re.search(r"\d+", text)
    return int(m.group()) if m else None


def _strip_bullet(text: str) -> str:
    """A list item without its bullet character (a list marker, not wording)."""
    return _BULLET.sub("", text)


# --------------------------------------------------------------------------- qualification


def _label_rows(raw: list[str], lines: list[str], start: int, end: int) -> list[tuple[str, list[int]]]:
    """``(label, value line indexes)`` of a ``\\tLabel:`` / ``\\tvalue`` table.

    A value is every non-empty line after the label up to the next blank line, so that
    unlabelled notes further down (separated by a blank line) are not taken as values.
    """
    rows: list[tuple[str, list[int]]] = []
    i = start
    while i < end:
        if raw[i].startswith("\t") and lines[i].endswith(":"):
            values: list[int] = []
            j = i + 1
            while j < end and lines[j]:
                values.append(j)
                j += 1
            rows.append((lines[i][:-1].strip(), values))
            i = j
        else:
            i += 1
    return rows


def _validity_months(text: str) -> int | None:
    """36 from "To be completed in 3 years"; months as printed; None when no period is stated."""
    m = re.search(r"\b(\d+|[a-z]+)\s+(years?|months?)\b", text, re.IGNORECASE)
    if not m:
        return None
    raw = m.group(1).lower()
    n = int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw)
    if n is None:
        return None
    return n * 12 if m.group(2).lower().startswith("year") else n


def _qualification(doc: str, raw: list[str], lines: list[str], units: list[dict[str, Any]]
                   ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The qualification record and the rules of its structure table."""
    head = _find(lines, lambda s: s == "Qualification Structure and Details")
    title_i = _find(lines, bool, head + 1)
    end = _find(lines, lambda s: s.startswith("Overview of Units"), title_i)
    title = lines[title_i]
    level_m = re.search(r"Level (\d+)", title)
    qual: dict[str, Any] = {
        "id": QUALIFICATION_ID, "title": title, "awarding_body": "ILM", "numbers": [],
        "level": int(level_m.group(1)) if level_m else None, "credits": None, "glh": None,
        "tqt": None, "registration_validity_months": None, "registration_validity_text": None,
        "minimum_age": None, "induction_hours": None, "tutorial_hours": None,
        "entry_requirements": None, "units": [u["code"] for u in units],
        "rules_of_combination": {
            "text": [], "all_units_required": False, "mandatory": [], "optional": [],
            "min_optional_units": None, "min_credits": None, "groups": [],
            "group_exclusive": False, "min_share_at_level": None,
        },
        "source": source(doc, title_i + 1),
    }
    rules: list[dict[str, Any]] = []
    roc = qual["rules_of_combination"]
    for label, values in _label_rows(raw, lines, title_i + 1, end):
        value = " ".join(lines[v] for v in values)
        if not values:
            continue
        if label.startswith("Qualification Accreditation"):
            m = re.search(r"\d{3}/\d{4}/\d", value)
            if m:
                qual["numbers"].append({"kind": "ofqual", "value": m.group(), "note": None})
            continue
        if label == "Credit Value":
            qual["credits"] = _first_int(value)
        elif label == "Induction":
            qual["induction_hours"] = _first_int(value)
        elif label == "Tutorial Support":
            qual["tutorial_hours"] = _first_int(value)
        elif label.startswith("Guided Learning Hours"):
            m = re.search(r"\bis (\d+)", value)
            qual["glh"] = int(m.group(1)) if m else _first_int(value)
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
        topic = _STRUCTURE_TOPICS.get(label, "structure")
        rules.extend(_classified(doc, text, values[0] + 1, topic))
    return qual, rules


# --------------------------------------------------------------------------- units


def _overview(lines: list[str]) -> list[dict[str, Any]]:
    """Rows of the "Overview of Units" table: code, title, level, credits, GLH."""
    start = _find(lines, lambda s: s.startswith("Overview of Units"))
    end = _find(lines, lambda s: s.startswith("*Credit Value"), start)
    rows: list[dict[str, Any]] = []
    i = start
    while i < end:
        if _UNIT_CODE.match(lines[i]):
            cells = [j for j in range(i + 1, end) if lines[j]][:4]
            title, level, credits, glh = (lines[j] for j in cells)
            rows.append({"code": lines[i], "title": title, "level": int(level),
                         "credits": int(credits), "glh": int(glh), "line": i + 1})
            i = cells[-1]
        i += 1
    if not rows:
        raise LayoutError("no unit rows in the overview table")
    return rows


def _split_items(block: list[tuple[int, str]], expected: int) -> list[tuple[int, str]]:
    """AC texts of one LO, paired later with its AC numbers by order.

    ``block`` holds ``(index, cleaned text)`` with ``""`` for blank lines. A text item starts
    after a blank line or after a line ending a sentence; other lines continue the previous
    item ("… practitioner enquiry," / "With due regard …"). The alternative readings (one item
    per blank-separated paragraph, one per line) are tried when the first does not give
    ``expected`` items, and the layout is rejected if none does.
    """
    def by_sentence() -> list[list[tuple[int, str]]]:
        items: list[list[tuple[int, str]]] = []
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

    def by_paragraph() -> list[list[tuple[int, str]]]:
        items: list[list[tuple[int, str]]] = []
        prev = ""
        for i, text in block:
            if text:
                if not prev:
                    items.append([])
                items[-1].append((i, text))
            prev = text
        return items

    def by_line() -> list[list[tuple[int, str]]]:
        return [[(i, t)] for i, t in block if t]

    for reading in (by_sentence, by_paragraph, by_line):
        items = reading()
        if len(items) == expected:
            return [(item[0][0], " ".join(t for _, t in item)) for item in items]
    raise LayoutError(f"cannot pair {expected} AC numbers with texts at line {block[0][0] + 1}")


def _criterion(doc: str, ac_id: str, lo: int, text: str, index: int) -> dict[str, Any]:
    return {"id": ac_id, "lo": lo, "text": text, "depth": [], "requirements": [], "advice": [],
            "min_counts": [], "ksbs": [], "evidence": [], "source": source(doc, index + 1)}


def _outcomes(doc: str, raw: list[str], lines: list[str], start: int, end: int
              ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Learning outcomes and criteria of the LO/AC table in ``lines[start:end]``.

    State per LO: lines before its first AC number continue the LO text (an LO wrapped onto
    a second line); AC numbers collect in ``ids``; later lines are AC texts.
    """
    los: list[dict[str, Any]] = []
    criteria: list[dict[str, Any]] = []
    lo_parts: list[str] = []
    ids: list[str] = []
    texts: list[tuple[int, str]] = []

    def flush() -> None:
        if not los:
            return
        los[-1]["text"] = " ".join(lo_parts)
        if not ids:
            raise LayoutError(f"LO {los[-1]['number']} has no criteria")
        number = los[-1]["number"]
        for ac_id, (index, text) in zip(ids, _split_items(texts, len(ids)), strict=True):
            if int(ac_id.split(".")[0]) != number:
                raise LayoutError(f"AC {ac_id} listed under LO {number}")
            criteria.append(_criterion(doc, ac_id, number, text, index))

    for i in range(start, end):
        text = lines[i]
        if _AC_ID.match(text):
            ids.append(text)
            continue
        lo_m = _LO.match(text)
        # An LO line opens a table row (tab-indented); AC texts never start with a number.
        if lo_m and raw[i].startswith("\t"):
            flush()
            los.append({"number": int(lo_m.group(1)), "text": "", "source": source(doc, i + 1)})
            lo_parts, ids, texts = [lo_m.group(2)], [], []
            continue
        if not los:
            continue
        if not ids:
            if text:
                lo_parts.append(text)
        elif text or texts:
            texts.append((i, text))
    flush()
    return los, criteria


def _unit_rows(lines: list[str], start: int, end: int) -> dict[str, Any]:
    """Labelled rows of a unit block and the free notes of its additional-information part."""
    rows: dict[str, Any] = {"notes": []}
    labels = {"Title", "Level", "Credit value"}
    in_additional = False
    i = start
    while i < end:
        text = lines[i]
        label = next((lab for lab in _UNIT_LABELS if text.startswith(lab)), None)
        if label is None and text.endswith(":") and text[:-1].strip().capitalize() in labels:
            label = text[:-1].strip().capitalize()
        if label is not None:
            values: list[tuple[int, str]] = []
            j = i + 1
            while j < end and lines[j]:
                values.append((j, lines[j]))
                j += 1
            rows[label] = values
            i = j
            continue
        if text == _ADDITIONAL:
            in_additional = True
        elif in_additional and text:
            rows["notes"].append((i, text))
        i += 1
    return rows


def _units(doc: str, raw: list[str], lines: list[str], overview: list[dict[str, Any]]
           ) -> list[dict[str, Any]]:
    """One Unit per block of the unit specifications; codes come from the overview table."""
    start = _find(lines, lambda s: s.startswith("Unit Specifications for"))
    end = _find(lines, lambda s: s == "Overview of Assessment Methodology", start)
    by_title = {row["title"].lower(): row for row in overview}
    heads = [i for i in range(start + 1, end)
             if not raw[i].startswith("\t") and lines[i].lower() in by_title]
    if [lines[i].lower() for i in heads] != [row["title"].lower() for row in overview]:
        raise LayoutError("unit blocks do not follow the overview table")
    units: list[dict[str, Any]] = []
    for k, head in enumerate(heads):
        stop = heads[k + 1] if k + 1 < len(heads) else end
        row = by_title[lines[head].lower()]
        table = _find(lines, lambda s: s.startswith("Assessment criteria (the learner can)"), head, stop)
        additional = _find(lines, lambda s: s == _ADDITIONAL, table, stop)
        los, criteria = _outcomes(doc, raw, lines, table + 1, additional)
        fields = _unit_rows(lines, head + 1, stop)

        def value(label: str, fields: dict[str, Any] = fields) -> str | None:
            joined = " ".join(t for _, t in fields.get(label, []))
            return joined or None

        level, credits, glh = (_first_int(value(lab) or "") for lab in ("Level", "Credit value", _UNIT_GLH))
        if (level, credits, glh) != (row["level"], row["credits"], row["glh"]):
            raise LayoutError(f"{row['code']}: unit block disagrees with the overview table")
        notes = [text for _, text in fields["notes"]]
        sector = value(_SECTOR_GUIDANCE)
        if sector:
            notes.append(sector)
        unit = {
            "code": row["code"], "title": lines[head], "level": level, "credits": credits,
            "glh": glh, "aim": value(_AIM), "reference_numbers": [],
            "standards": [t for _, t in fields.get(_STANDARDS, [])],
            "qualifications": [QUALIFICATION_ID], "learning_outcomes": los, "criteria": criteria,
            "evidence": [], "assessment": [], "assessment_notes": notes,
            "source": source(doc, head + 1),
        }
        # "Assessment Criterion 3.2 '…' requires learners to …" is guidance for that criterion.
        for _, note in fields["notes"]:
            m = _AC_NOTE.match(note)
            if not m:
                continue
            crit = next((c for c in criteria if c["id"] == m.group(1)), None)
            if crit is None:
                raise LayoutError(f"{row['code']}: note on unknown criterion {m.group(1)}")
            crit["requirements"].append(note)
        for crit in criteria:
            crit["advice"] = may_statements(crit["requirements"])
            crit["min_counts"] = min_counts(crit["requirements"])
        units.append(unit)
    return units


# --------------------------------------------------------------------------- assessments


def _kind(title: str, texts: list[str], intro: list[str]) -> str:
    """Assessment kind from the component title, else the first description line naming one."""
    for candidates in ([title], texts, intro):
        for text in candidates:
            low = text.lower()
            hits = [(low.find(word), kind) for word, kind in _KIND_WORDS if word in low]
            if hits:
                return min(hits)[1]
    return "other"


def _minutes(text: str) -> dict[str, int | None] | None:
    """``common.minutes`` that also reads the compound adjective "a 15-minute presentation"."""
    return minutes(_HYPHEN_MINUTE.sub(r"\1 ", text))


def _opening(text: str, words: int = 8) -> tuple[str, ...]:
    """First words of a line, ignoring a leading "You will" (detail vs summary wording)."""
    low = re.sub(r"^you will\s+", "", text.lower())
    return tuple(low.split()[:words])


def _assessments(doc: str, raw: list[str], lines: list[str], units: list[dict[str, Any]]) -> None:
    """Attach the NCTL suggested assessments ("Unit N: Title") to the Nth unit."""
    start = _find(lines, lambda s: s.startswith("Suggested Assessments for the Units"))
    end = _find(lines, lambda s: s == "How to use the Assessment Matrices and Forms", start)
    heads = [i for i in range(start, end) if not raw[i].startswith("\t") and _ASSESS_UNIT.match(lines[i])]
    if len(heads) != len(units):
        raise LayoutError("suggested assessments do not cover every unit")
    for k, head in enumerate(heads):
        m = _ASSESS_UNIT.match(lines[head])
        assert m is not None
        unit = units[int(m.group(1)) - 1]
        if m.group(2).strip().lower() != unit["title"].lower():
            raise LayoutError(f"assessment '{lines[head]}' does not match unit {unit['code']}")
        stop = heads[k + 1] if k + 1 < len(heads) else end
        intro: list[str] = []
        components: list[dict[str, Any]] = []
        descriptions: list[list[str]] = []
        current: int | None = None
        for i in range(head + 1, stop):
            text = lines[i]
            if not text:
                continue
            cm = _COMPONENT.match(text)
            if cm and len(cm.group("title")) < 100:
                item = empty_assessment(cm.group("title"), "other", source(doc, i + 1))
                item["weighting"] = cm.group("weight")
                item["text"].append(text)
                components.append(item)
                descriptions.append([])
                current = len(components) - 1
                continue
            if current is None:
                intro.append(text)
                continue
            # A detailed paragraph after the summary rows re-opens the component it expands.
            for n, desc in enumerate(descriptions):
                if n != current and desc and _opening(desc[0]) == _opening(text):
                    current = n
                    break
            components[current]["text"].append(text)
            descriptions[current].append(text)
        for item, desc in zip(components, descriptions, strict=True):
            header = _COMPONENT.match(item["text"][0])
            assert header is not None
            rest = header.group("rest")
            wc = word_count(rest) or next((w for w in map(word_count, desc) if w), None)
            if wc:
                item["word_count"] = wc
            item["timing_minutes"] = _minutes(rest) or next((t for t in map(_minutes, desc) if t), None)
            item["kind"] = _kind(item["title"], desc, intro)
        unit["assessment"] = components
        unit["assessment_notes"] = intro + unit["assessment_notes"]


# --------------------------------------------------------------------------- rules


def _rule(doc: str, topic: str, text: str, line: int) -> dict[str, Any]:
    return {"qualification": QUALIFICATION_ID, "topic": topic, "text": text, "source": source(doc, line)}


def _topic(text: str, default: str) -> str:
    return next((topic for pattern, topic in _TOPIC_PATTERNS if pattern.search(text)), default)


def _classified(doc: str, text: str, line: int, default: str) -> list[dict[str, Any]]:
    """Rules of one printed paragraph: one per run of sentences on the same topic.

    A sentence opening with a connective ("If not, …") stays with the sentence before it, so
    that each rule reads on its own.
    """
    groups: list[str] = []
    for sentence in _SENTENCE.split(text):
        if groups and sentence.startswith(_CONNECTIVES):
            groups[-1] += " " + sentence
        else:
            groups.append(sentence)
    rules: list[dict[str, Any]] = []
    for group in groups:
        topic = _topic(group, default)
        if rules and rules[-1]["topic"] == topic:
            rules[-1]["text"] += " " + group
        else:
            rules.append(_rule(doc, topic, group, line))
    return rules


def _is_lead_in(text: str) -> bool:
    """ "That is:" — a short lead-in to a list, not a statement of its own."""
    return text.endswith(":") and len(text.split()) <= 3


def _prose_rules(doc: str, lines: list[str]) -> list[dict[str, Any]]:
    """Every paragraph / list item under the headings of ``_PROSE_SECTIONS``/``_CLASSIFIED_SECTIONS``."""
    headings = {**_PROSE_SECTIONS, **_CLASSIFIED_SECTIONS}
    stops = set(headings) | {
        "Qualification Structure and Details", "Overview of Programme Assessment Requirements",
        "How to use the Assessment Matrices and Forms", "Level Matrices",
    }
    rules: list[dict[str, Any]] = []
    topic: str | None = None
    classify = False
    for i, text in enumerate(lines):
        if text in stops or text.startswith("Suggested Assessments for") or _ASSESS_UNIT.match(text):
            topic = headings.get(text)
            classify = text in _CLASSIFIED_SECTIONS
            continue
        if topic is None or not text or _is_lead_in(text):
            continue
        text = _strip_bullet(text)
        if classify:
            rules.extend(_classified(doc, text, i + 1, topic))
        else:
            rules.append(_rule(doc, topic, text, i + 1))
    return rules


def _programme_requirements(doc: str, raw: list[str], lines: list[str]) -> list[dict[str, Any]]:
    """The "Overview of Programme Assessment Requirements" table: area cell, requirement cell.

    A tab-indented line opens a cell; following unindented lines are further items of it.
    Each requirement item becomes "Area: requirement". The paragraphs after the table (ILM's
    ready-made instruments, centre-devised assessment) are classified statements.
    """
    start = _find(lines, lambda s: s == "Overview of Programme Assessment Requirements")
    end = _find(lines, lambda s: s.startswith("Suggested Assessments for the Units"), start)
    cells: list[list[tuple[int, str]]] = []
    rules: list[dict[str, Any]] = []
    table_done = False
    for i in range(start + 1, end):
        text = lines[i]
        if not text:
            continue
        if raw[i].startswith("\t") and not table_done:
            cells.append([(i, text)])
        elif cells and not table_done and raw[i - 1].strip():
            cells[-1].append((i, text))
        else:
            table_done = True
            rules.extend(_classified(doc, text, i + 1, "assessment_method"))
    table: list[dict[str, Any]] = []
    for area, reqs in zip(cells[0::2], cells[1::2], strict=True):
        for i, text in reqs:
            table.append(_rule(doc, "assessment_method", f"{area[0][1]}: {text}", i + 1))
    return table + rules


def _matrices(doc: str, raw: list[str], lines: list[str]) -> list[dict[str, Any]]:
    """Level matrices: intro statements, mark bands, then one rule per element × grade cell.

    Each matrix is an element heading, a header row of the four grades and rows of four cells;
    a cell wrapped onto an unindented line continues that cell. A cell becomes
    "<element> (<grade>): <cell>" so that it can be quoted on its own.
    """
    start = _find(lines, lambda s: s == "Level Matrices")
    end = _find(lines, lambda s: s == "Unit Assessment Forms", start)
    rules: list[dict[str, Any]] = []
    grades: list[str] = []
    element: str | None = None
    cells: list[tuple[int, list[str]]] = []

    def flush() -> None:
        if element is None:
            return
        if len(cells) % len(grades):
            raise LayoutError(f"matrix '{element}' has an incomplete row")
        for n, (i, parts) in enumerate(cells):
            grade = grades[n % len(grades)]
            topic = "referral" if grade.lower() == "referral" else "grading"
            rules.append(_rule(doc, topic, f"{element} ({grade}): {' '.join(parts)}", i + 1))

    for i in range(start + 1, end):
        text = lines[i]
        if not text:
            continue
        tabbed = raw[i].startswith("\t")
        if tabbed and text == "Referral":
            # Header row: this and the next three cells name the grades.
            grades = [lines[j] for j in range(i, end) if lines[j]][:4]
            cells = []
            continue
        if tabbed and grades and text in grades:
            continue
        if tabbed:
            cells.append((i, [text]))
        elif cells and raw[i - 1].strip():
            cells[-1][1].append(text)
        elif element is None and not grades and not _is_heading_of_matrix(lines, i, end):
            if not _is_lead_in(text):
                rules.extend(_classified(doc, text, i + 1, "marking"))
        else:
            flush()
            element, grades, cells = text, [], []
    flush()
    return rules


def _is_heading_of_matrix(lines: list[str], i: int, end: int) -> bool:
    """An unindented line whose next non-empty line is the "Referral" header cell."""
    nxt = next((j for j in range(i + 1, end) if lines[j]), None)
    return nxt is not None and lines[nxt] == "Referral"


def _forms(doc: str, raw: list[str], lines: list[str]) -> list[dict[str, Any]]:
    """Unit assessment forms: intro, each form's heading, the LOs it grades, the unit sheet."""
    start = _find(lines, lambda s: s == "Unit Assessment Forms")
    rules: list[dict[str, Any]] = []
    for i in range(start + 1, len(lines)):
        text = lines[i]
        if text.startswith("The following Unit Assessment Forms"):
            rules.extend(_classified(doc, text, i + 1, "marking"))
        elif (text.startswith("Assessment Form Unit") or re.match(r"^LO \d+: ", text)
              or text.endswith("– Unit assessment")):
            rules.append(_rule(doc, "marking", text, i + 1))
    return rules


# --------------------------------------------------------------------------- entry point


def parse(path: Path) -> dict[str, Any]:
    """The KB data of the Level 6 School Business Management specification."""
    path = Path(path)
    doc = path.name
    raw = read_lines(path)
    lines = [clean(x) for x in raw]
    overview = _overview(lines)
    units = _units(doc, raw, lines, overview)
    _assessments(doc, raw, lines, units)
    qual, structure_rules = _qualification(doc, raw, lines, units)
    rules = (_prose_rules(doc, lines) + structure_rules + _programme_requirements(doc, raw, lines)
             + _matrices(doc, raw, lines) + _forms(doc, raw, lines))
    rules.sort(key=lambda r: r["source"]["line"])
    return {"document": {"file": doc, "title": DOCUMENT_TITLE}, "qualifications": [qual],
            "units": units, "rules": rules}
