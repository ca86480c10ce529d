"""The assessment part of 000 (see ``ilm_sbm_l6``): suggested assessments, requirements, matrices, forms.

* the NCTL suggested assessments, "Unit 1: Enabling Learning" … "Unit 6: Managing Programmes",
  mapped to the units by order (titles checked); components are lines carrying "NN per cent";
* the programme assessment requirements table, the level matrices (element × grade tables) and
  the unit assessment forms, which become rules whose topic each sentence's wording decides.
"""

from __future__ import annotations

import re
from typing import Any

from knowledge.importers import records
from knowledge.importers.common import assessment_kind, minutes, word_count
from knowledge.importers.reader import Document, LayoutError, spans
from knowledge.importers.statements import classify, is_lead_in

ASSESS_UNIT = re.compile(r"^Unit (\d+): (.+)$")
_COMPONENT = re.compile(r"^(?P<title>.+?)\s+(?P<weight>\d+ per cent)\b\s*(?P<rest>.*)$")
_HYPHEN_MINUTE = re.compile(r"(\d)-(?=min)", re.IGNORECASE)

# A statement's topic from its wording: first match wins; the order puts the specific topics
# before the general ones.
TOPIC_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"resubmi", re.I), "resubmission"),
    (re.compile(r"\b(?:is|receiving) an? \W?referral", re.I), "referral"),
    (re.compile(r"\bgrades?\b|\bpass\b|%", re.I), "grading"),
    (re.compile(r"\bmust complete all\b", re.I), "structure"),
    (re.compile(r"approv|assessment instruments?|assignments?\b", re.I), "assessment_method"),
    (re.compile(r"\bmarks?\b|mark sheet|assessment forms?|feedback", re.I), "marking"),
)

_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("portfolio", "portfolio"),
    ("business case", "business_case"),
    ("presentation", "presentation"),
    ("interview", "professional_discussion"),
    ("professional discussion", "professional_discussion"),
    ("report", "report"),
)


def classified(doc: Document, qid: str, text: str, i: int, default: str) -> list[dict[str, Any]]:
    """The rules of one printed paragraph: one per run of sentences on the same topic."""
    return [records.rule(qid, topic, run, doc.source(i)) for topic, run in classify(text, default, TOPIC_PATTERNS)]


# --------------------------------------------------------------------------- suggested assessments


def _minutes(text: str) -> dict[str, int | None] | None:
    """``common.minutes`` that also reads the compound adjective "a 15-minute presentation"."""
    return minutes(_HYPHEN_MINUTE.sub(r"\1 ", text))


def _opening(text: str, words: int = 8) -> tuple[str, ...]:
    """First words of a line, ignoring a leading "You will" (detail vs summary wording)."""
    low = re.sub(r"^you will\s+", "", text.lower())
    return tuple(low.split()[:words])


def _components(doc: Document, head: int, stop: int) -> tuple[list[str], list[dict[str, Any]], list[list[str]]]:
    """Intro lines, components ("… NN per cent") and each component's description lines."""
    intro: list[str] = []
    components: list[dict[str, Any]] = []
    descriptions: list[list[str]] = []
    current: int | None = None
    for i in range(head + 1, stop):
        text = doc.lines[i]
        if not text:
            continue
        cm = _COMPONENT.match(text)
        if cm and len(cm.group("title")) < 100:
            item = records.assessment(cm.group("title"), "other", doc.source(i))
            item["weighting"] = cm.group("weight")
            item["text"].append(text)
            components.append(item)
            descriptions.append([])
            current = len(components) - 1
        elif current is None:
            intro.append(text)
        else:
            # A detailed paragraph after the summary rows re-opens the component it expands.
            for n, desc in enumerate(descriptions):
                if n != current and desc and _opening(desc[0]) == _opening(text):
                    current = n
                    break
            components[current]["text"].append(text)
            descriptions[current].append(text)
    return intro, components, descriptions


def suggested_assessments(doc: Document, units: list[dict[str, Any]]) -> None:
    """Attach the NCTL suggested assessments ("Unit N: Title") to the Nth unit."""
    start = doc.find(lambda s: s.startswith("Suggested Assessments for the Units"))
    end = doc.find("How to use the Assessment Matrices and Forms", start)
    heads = [i for i in range(start, end) if not doc.is_cell(i) and ASSESS_UNIT.match(doc.lines[i])]
    if len(heads) != len(units):
        raise LayoutError("suggested assessments do not cover every unit")
    for head, stop in spans(heads, end):
        m = ASSESS_UNIT.match(doc.lines[head])
        assert m is not None
        unit = units[int(m.group(1)) - 1]
        if m.group(2).strip().lower() != unit["title"].lower():
            raise LayoutError(f"assessment '{doc.lines[head]}' does not match unit {unit['code']}")
        intro, components, descriptions = _components(doc, head, stop)
        for item, desc in zip(components, descriptions, strict=True):
            header = _COMPONENT.match(item["text"][0])
            assert header is not None
            rest = header.group("rest")
            wc = word_count(rest) or next((w for w in map(word_count, desc) if w), None)
            if wc:
                item["word_count"] = wc
            item["timing_minutes"] = _minutes(rest) or next((t for t in map(_minutes, desc) if t), None)
            # The component title names the kind, else the first description line naming one.
            item["kind"] = assessment_kind(([item["title"]], desc, intro), _KIND_WORDS)
        unit["assessment"] = components
        unit["assessment_notes"] = intro + unit["assessment_notes"]


# --------------------------------------------------------------------------- rules


def programme_requirements(doc: Document, qid: str) -> list[dict[str, Any]]:
    """The "Overview of Programme Assessment Requirements" table: area cell, requirement cell.

    A tab-indented line opens a cell; following unindented lines are further items of it.
    Each requirement item becomes "Area: requirement". The paragraphs after the table (ILM's
    ready-made instruments, centre-devised assessment) are classified statements.
    """
    start = doc.find("Overview of Programme Assessment Requirements")
    end = doc.find(lambda s: s.startswith("Suggested Assessments for the Units"), start)
    cells: list[list[int]] = []
    rules: list[dict[str, Any]] = []
    table_done = False
    for i in range(start + 1, end):
        if not doc.lines[i]:
            continue
        if doc.is_cell(i) and not table_done:
            cells.append([i])
        elif cells and not table_done and doc.raw[i - 1].strip():
            cells[-1].append(i)
        else:
            table_done = True
            rules.extend(classified(doc, qid, doc.lines[i], i, "assessment_method"))
    table = [records.rule(qid, "assessment_method", f"{doc.lines[area[0]]}: {doc.lines[i]}", doc.source(i))
             for area, reqs in zip(cells[0::2], cells[1::2], strict=True) for i in reqs]
    return table + rules


def _is_heading_of_matrix(doc: Document, i: int, end: int) -> bool:
    """An unindented line whose next non-empty line is the "Referral" header cell."""
    nxt = next((j for j in range(i + 1, end) if doc.lines[j]), None)
    return nxt is not None and doc.lines[nxt] == "Referral"


def matrices(doc: Document, qid: str) -> list[dict[str, Any]]:
    """Level matrices: intro statements, mark bands, then one rule per element × grade cell.

    Each matrix is an element heading, a header row of the four grades and rows of four cells;
    a cell wrapped onto an unindented line continues that cell. A cell becomes
    "<element> (<grade>): <cell>" so that it can be quoted on its own.
    """
    start = doc.find("Level Matrices")
    end = doc.find("Unit Assessment Forms", start)
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
            rules.append(records.rule(qid, topic, f"{element} ({grade}): {' '.join(parts)}", doc.source(i)))

    for i in range(start + 1, end):
        text = doc.lines[i]
        if not text:
            continue
        tabbed = doc.is_cell(i)
        if tabbed and text == "Referral":
            # Header row: this and the next three cells name the grades.
            grades = [doc.lines[j] for j in range(i, end) if doc.lines[j]][:4]
            cells = []
        elif tabbed and grades and text in grades:
            continue
        elif tabbed:
            cells.append((i, [text]))
        elif cells and doc.raw[i - 1].strip():
            cells[-1][1].append(text)
        elif element is None and not grades and not _is_heading_of_matrix(doc, i, end):
            if not is_lead_in(text):
                rules.extend(classified(doc, qid, text, i, "marking"))
        else:
            flush()
            element, grades, cells = text, [], []
    flush()
    return rules


def forms(doc: Document, qid: str) -> list[dict[str, Any]]:
    """Unit assessment forms: intro, each form's heading, the LOs it grades, the unit sheet."""
    start = doc.find("Unit Assessment Forms")
    rules: list[dict[str, Any]] = []
    for i in range(start + 1, len(doc)):
        text = doc.lines[i]
        if text.startswith("The following Unit Assessment Forms"):
            rules.extend(classified(doc, qid, text, i, "marking"))
        elif (text.startswith("Assessment Form Unit") or re.match(r"^LO \d+: ", text)
              or text.endswith("– Unit assessment")):
            rules.append(records.rule(qid, "marking", text, doc.source(i)))
    return rules
