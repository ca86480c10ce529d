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
appendices repeat AC numbers with reworded text and must not create criteria. The units and
appendices are read in ``cg_senior_leaders_l7_units``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from knowledge.importers import SPECS, records
from knowledge.importers.cg_senior_leaders_l7_units import (
    UNIT_HEADING,
    assignment,
    results_pass_rules,
    standard_mapping,
    unit,
    unit_resources,
)
from knowledge.importers.common import NUMBER, months, number
from knowledge.importers.reader import Document, spans
from knowledge.importers.statements import Statement, first_match, list_statements, to_rules
from knowledge.importers.tables import code_rows, key_values

_TOC = re.compile(r"\[bookmark: (?:_Toc|Section\d|Appendix)")
_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}|Appendix [A-Z])\s+")
_UNIT_CODE = re.compile(r"^\d{4}-\d{3}$")
_ASSIGNMENT = re.compile(r"^Assignment: (\d{3}) (.+)$")
_ILM_NUMBER = re.compile(r"^(\d{4}-\d{2})\s*[\u2013-]\s*(.+)$")

# Default topic of the rules printed under each heading (matched against the heading text).
# Headings not listed here (support materials, delivery grid, results sheets …) yield no
# paragraph rules; their useful parts are read by dedicated code.
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
# The variants of a unit assignment each print a paragraph of their own, read on the unit.
_VARIANT_LINE = re.compile(r"Written Assignments:|Presentations:|Professional Discussions:")

Region = tuple[str, int, int]


def _qualification_id(path: Path) -> str:
    """The id registered for this document (knowledge/importers/__init__.py)."""
    for spec in SPECS:
        if spec.document == path.name:
            return spec.qualification_ids[0]
    raise KeyError(path.name)


# -- headings ---------------------------------------------------------------------------------

def _regions(doc: Document) -> list[Region]:
    """(heading without its section number, first body index, end index) per bookmarked heading."""
    heads: list[tuple[int, str]] = []
    for i, raw in enumerate(doc.raw):
        text = _SECTION_NUMBER.sub("", doc.lines[i]) if _TOC.search(raw) else ""
        if text and len(text.split()) <= 14:
            heads.append((i, text))
    titles = dict(heads)
    return [(titles[head], head + 1, end) for head, end in spans([i for i, _ in heads], len(doc))]


# -- qualification ----------------------------------------------------------------------------

def _title_table(doc: Document) -> tuple[dict[str, str], int]:
    """The "Title & Level | ILM Number | Ofqual … | GLH | TQT" row and the title's line index."""
    i = doc.find("Title & Level")
    header, values = doc.blocks(i, min(len(doc), i + 40))[:2]
    return {doc.lines[h]: doc.lines[v] for h, v in zip(header, values, strict=True)}, values[0]


def _glance_span(doc: Document, regions: list[Region]) -> tuple[int, int]:
    """The "Qualification at a glance" rows: from its heading to the title table."""
    start = next(s for h, s, _ in regions if h == "Qualification at a glance")
    return start, doc.find("Title & Level", start)


def _qualification(doc: Document, qid: str, regions: list[Region], unit_codes: list[str]) -> dict[str, Any]:
    table, title_index = _title_table(doc)
    title = table["Title & Level"]
    glance = dict(key_values(doc, *_glance_span(doc, regions)))

    numbers: list[dict[str, Any]] = []
    for i in glance.get("ILM Number", []):
        m = _ILM_NUMBER.match(doc.lines[i])
        if m:
            numbers.append({"kind": "ilm", "value": m.group(1), "note": m.group(2)})
    numbers.append({"kind": "ofqual", "value": table["Ofqual Accreditation Number"], "note": None})

    age = None
    for i in glance.get("Age Group Approved", []):
        m = re.match(r"(\d+)\+", doc.lines[i])
        age = int(m.group(1)) if m else age

    def glance_text(key: str) -> str | None:
        return doc.text(glance.get(key, [])) or None

    validity = doc.search(r"registration is valid for " + NUMBER + r" (years?|months?)", flags=re.I)
    validity_months = months(number(validity[1].group(1)) or 0, validity[1].group(2)) if validity else None
    induction = doc.search(r"^" + NUMBER + r" hours? (?:of )?induction", flags=re.I)
    tutorial = doc.search(r"^(?:At least )?" + NUMBER + r" hours? of tutorial support", flags=re.I)
    structure = doc.search(r"^To achieve the .+ learners must pass all")
    roc_text = [doc.lines[structure[0]]] if structure else []
    # "must pass all seven units": all units are mandatory when the count agrees with the table
    m_all = re.search(r"must pass all " + NUMBER + r" units", roc_text[0], re.I) if roc_text else None
    all_required = bool(m_all) and number(m_all.group(1)) == len(unit_codes)
    level = re.search(r"Level (\d)", title)
    return records.qualification(
        qid, title, doc.source(title_index), awarding_body=title.split(" Level")[0], numbers=numbers,
        level=int(level.group(1)) if level else None,
        glh=number(table["GLH"]), tqt=number(table["TQT"]),   # the handbook prints no credit value
        registration_validity_months=validity_months,
        registration_validity_text=doc.lines[validity[0]] if validity else None,
        minimum_age=age, induction_hours=number(induction[1].group(1)) if induction else None,
        tutorial_hours=number(tutorial[1].group(1)) if tutorial else None,
        entry_requirements=glance_text("Entry Requirements"), units=unit_codes,
        rules_of_combination=records.rules_of_combination(
            text=roc_text, all_units_required=all_required, mandatory=list(unit_codes) if all_required else []),
        apprenticeship_standard=glance_text("Apprenticeship Standard"))


def _structure_table(doc: Document, start: int, end: int) -> list[dict[str, Any]]:
    """Rows "code | title | level | GLH" of the Structure section's unit table."""
    return [{"code": doc.lines[i], "short": doc.lines[i].split("-")[1], "title": title, "level": number(level),
             "glh": number(glh)} for i, (title, level, glh) in code_rows(doc, start, end, _UNIT_CODE, 3)]


# -- rules ------------------------------------------------------------------------------------

def _topic_for(text: str, default: str) -> str:
    """The section's topic, or a more specific one named in the statement's first sentence
    (its lead: "Learners must complete a Portfolio … Scenarios/simulations are not accepted"
    is about assessment methods, not simulations)."""
    if default in _NO_OVERRIDE:
        return default
    lead = re.split(r"(?<=[.;])\s+(?=[A-Z])", text, maxsplit=1)[0]
    return first_match(_KEYWORD_TOPICS, lead) or first_match(_ANYWHERE_TOPICS, text) or default


def _paragraphs(doc: Document, start: int, end: int, default: str) -> list[Statement]:
    return list_statements(doc, start, end, default, _topic_for, keep_topic=default in _NO_OVERRIDE)


def _table_statements(doc: Document, start: int, end: int, patterns: list[tuple[str, str]],
                      join_key: bool) -> list[Statement]:
    """Statements of a two-column key/value table (glance table, introduction Q&A)."""
    out: list[Statement] = []
    for key, values in key_values(doc, start, end):
        topic = first_match(patterns, key)
        if topic is None or not values:
            continue
        if join_key:
            out.append((topic, f"{key}: {doc.text(values)}", values[0]))
        else:
            out += [(_topic_for(doc.lines[i], topic), f"{key} {doc.lines[i]}", i) for i in values]
    return out


def _hours_statements(doc: Document, start: int, end: int) -> list[Statement]:
    """The induction / tutorial-support table cells ("Two hours induction")."""
    return [("tutorial_support" if "tutorial" in doc.lines[i].lower() else "induction", doc.lines[i], i)
            for i in range(start, end)
            if doc.is_cell(i) and re.search(r"hours? (?:of )?(?:induction|tutorial)", doc.lines[i], re.I)]


# -- parse ------------------------------------------------------------------------------------

def parse(path: Path) -> dict[str, Any]:
    """The KB data of the Level 7 Diploma for Senior Leaders handbook."""
    doc = Document.read(path)
    qid = _qualification_id(Path(path))
    regions = _regions(doc)
    by_heading = {h: (s, e) for h, s, e in regions}

    structure = _structure_table(doc, *by_heading["Structure"])
    short_to_code = {row["short"]: row["code"] for row in structure}
    unit_codes = [row["code"] for row in structure]
    qualification = _qualification(doc, qid, regions, unit_codes)

    pass_rules = results_pass_rules(doc, regions, short_to_code)
    units: list[dict[str, Any]] = []
    statements: list[Statement] = []
    first_assignment = first_results = True
    resources: dict[str, list[str]] = {}
    mapping: dict[str, list[dict[str, Any]]] = {}
    assignments: dict[str, list[dict[str, Any]]] = {}
    portfolio_line = doc.find(lambda s: s.startswith("Portfolio – evidence"))

    for heading, start, end in regions:
        unit_m = UNIT_HEADING.match(heading)
        assign_m = _ASSIGNMENT.match(heading)
        if heading == "Qualification at a glance":
            statements += _table_statements(doc, *_glance_span(doc, regions), _GLANCE_TOPICS, join_key=True)
        elif heading == "Introduction":
            statements += _paragraphs(doc, start, end, "structure")
            statements += _table_statements(doc, start, end, _QUESTION_TOPICS, join_key=False)
        elif unit_m and unit_m.group(1) in short_to_code:
            units.append(unit(doc, start, end, short_to_code[unit_m.group(1)], qid))
        elif assign_m and assign_m.group(1) in short_to_code:
            code = short_to_code[assign_m.group(1)]
            assignments[code] = assignment(doc, start, end, pass_rules.get(code))
            if first_assignment:
                # The generic lines repeat in every assignment: read them once, as rules, up to
                # the task table; the per-unit word counts and timings stay on the unit.
                first_assignment = False
                task = doc.find("Assignment Task", start, end)
                statements += [s for s in _paragraphs(doc, start, task, "assignment")
                               if not _VARIANT_LINE.match(doc.lines[s[2]])]
        elif heading.startswith("Mapping Level 7"):
            mapping = standard_mapping(doc, start, end, short_to_code)
        elif heading.startswith("Results Sheet: "):
            if first_results:
                # Every results sheet repeats the same instructions: read the first, up to its table.
                first_results = False
                table = next(i for i in range(start, end) if doc.is_cell(i))
                statements += _paragraphs(doc, start, table, "marking")
        else:
            topic = first_match(_HEADING_TOPICS, heading, 0)
            if topic is None:
                continue
            if heading == "Suggested Learning Resources (Units)":
                resources = unit_resources(doc, start, end)
                end = doc.find(lambda s: bool(re.match(r"^\d{4}-\d{3} ", s)), start, end)
            statements += _paragraphs(doc, start, end, topic)
            if topic == "induction":
                statements += _hours_statements(doc, start, end)

    for u in units:
        portfolio = records.assessment("Portfolio", "portfolio", doc.source(portfolio_line))
        portfolio["text"] = [doc.lines[portfolio_line]]
        portfolio["pass_rule"] = pass_rules.get(u["code"])
        u["assessment"] = [portfolio, *assignments.get(u["code"], [])]
        u["learning_resources"] = resources.get(u["code"], [])
        u["standard_mapping"] = mapping.get(u["code"], [])

    return {"document": {"file": doc.name, "title": qualification["title"]}, "qualifications": [qualification],
            "units": units, "rules": to_rules(qid, doc, statements)}
