"""The prescribed assessments of 002 (see ``ilm_vrq_8316``): tasks, their mark sheets, their units.

"REFLECTIVE REVIEW: 602", "WORK-BASED ASSIGNMENT: 603", "CONSULTANCY REPORT: 701",
"INTEGRATED WORK-BASED ASSIGNMENT: 602 AND 604" — a TASK text with the word count, then sections
(heading cell; instructions; "(min N marks required from M available)"; criteria bullets), then a
"MARK SHEET: …" repeating marks and the pass rule "Total 50 + overall, AND minimum in each section".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from knowledge.importers import records
from knowledge.importers.common import word_count
from knowledge.importers.matching import requirements_from_sections
from knowledge.importers.reader import Document, LayoutError, spans

# ``rule(qualification or None for both, topic, text, line index)`` records a rule statement.
RuleSink = Callable[[str | None, str, str, int], None]

_TASK = re.compile(
    r"^(?P<sheet>MARK SHEET: )?(?P<kind>REFLECTIVE REVIEW|INTEGRATED WORK-BASED ASSIGNMENT|"
    r"WORK-BASED ASSIGNMENT|CONSULTANCY REPORT): (?P<a>\d{3})(?: AND (?P<b>\d{3}))?$"
)
# The closing parenthesis is missing on two lines of 701 ("(min 10 marks required from 20 available").
_SECTION_MARKS = re.compile(r"^\(min (\d+) marks required from (\d+) available\)?$")
_SHEET_AVAILABLE = re.compile(r"^/(\d+)(?:\s*marks)?$")
_SHEET_MIN = re.compile(r"^\(min (\d+)\)$")
_PASS_RULE = re.compile(r"^Total (\d+) \+ overall")
_NOMINAL = re.compile(r"'nominal' word count for this [\w ]+? is (\d{1,2},?\d{3}) words", re.IGNORECASE)
_ASSESSMENT_KIND = {
    "REFLECTIVE REVIEW": "reflective_account",
    "INTEGRATED WORK-BASED ASSIGNMENT": "assignment",
    "WORK-BASED ASSIGNMENT": "assignment",
    "CONSULTANCY REPORT": "report",
}
# Mark-sheet lines that are rules: pattern → topic.
_SHEET_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^PASS/REFERRAL$"), "grading"),
    (re.compile(r"^Section referral if applicable:$"), "referral"),
    (re.compile(r"^\d+\.\s+Learner named below confirms authenticity"), "authenticity"),
    (re.compile(r"^\d+\.\s+ILM uses learners|^However, if you are unwilling"), "marking"),
)


def _task_word_count(lines: list[str]) -> dict[str, int | None]:
    """"The 'nominal' word count … is 2,000 words; the suggested range is between 1,500 and 3,000
    words" → nominal 2000, min 1500, max 3000; "between 1,500 and 2,000 words" → min/max only."""
    out: dict[str, int | None] = {"nominal": None, "min": None, "max": None}
    for line in lines:
        nominal = _NOMINAL.search(line)
        limits = word_count(line[nominal.end():] if nominal else line)
        if nominal:
            out["nominal"] = int(nominal.group(1).replace(",", ""))
        if limits:
            for key in ("min", "max"):
                if limits[key] is not None:
                    out[key] = limits[key]
            if out["nominal"] is None and limits["nominal"] is not None:
                out["nominal"] = limits["nominal"]
    return out


def _full_code(codes: set[str], short: str, index: int) -> str:
    """"602" → "8316-602": the unit of this document with that number (never a bare number:
    602 also exists as 8631-602 and 700 as 8431-700 in other documents)."""
    found = {code for code in codes if code.split("-", 1)[1] == short}
    if len(found) != 1:
        raise LayoutError(f"line {index + 1}: unit {short} is {sorted(found) or 'unknown'}")
    return found.pop()


def read_assessments(doc: Document, qid: str | None, start: int, end: int, unit_codes: set[str],
                     tasks: list[dict[str, Any]], rule: RuleSink) -> None:
    """The tasks and mark sheets of one "ASSESSMENTS FOR …" section, added to ``tasks``."""
    heads = [i for i in range(start, end) if _TASK.match(doc.lines[i])]
    for a, b in spans(heads, end):
        m = _TASK.match(doc.lines[a])
        assert m is not None
        codes = [_full_code(unit_codes, n, a) for n in (m.group("a"), m.group("b")) if n]
        if m.group("sheet"):
            _mark_sheet(doc, qid, tasks, a, b, rule)
        else:
            tasks.append(_task(doc, qid, codes, m.group("kind"), a, b, rule))


def _task(doc: Document, qid: str | None, codes: list[str], kind: str, start: int, end: int,
          rule: RuleSink) -> dict[str, Any]:
    title = doc.lines[start]
    task_line = doc.find("TASK", start, end)
    headings_line = doc.find(lambda s: s.startswith("Please use the headings"), task_line, end)
    rule(qid, "assignment", doc.lines[headings_line], headings_line)
    main = records.assessment(title, _ASSESSMENT_KIND[kind], doc.source(start))
    main["text"] = [t for t in doc.lines[task_line + 1:headings_line] if t]
    main["word_count"] = _task_word_count(main["text"])
    sections: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for i in range(headings_line + 1, end):
        text = doc.lines[i]
        if not text or text == "Assessment Criteria":
            continue
        if text.startswith("By submitting"):
            rule(qid, "authenticity", text, i)
            break
        if doc.is_cell(i) and not text.startswith("·"):
            current = records.assessment(f"{title} – {text}", _ASSESSMENT_KIND[kind], doc.source(i))
            current["_bullets"] = []
            current["_after_marks"] = False
            sections.append(current)
            continue
        if current is None:
            raise LayoutError(f"line {i + 1}: assessment text before a section heading")
        current["text"].append(text)
        marks = _SECTION_MARKS.match(text)
        if marks:
            current["min_marks"], current["marks_available"] = int(marks.group(1)), int(marks.group(2))
            current["pass_rule"] = text
            current["_after_marks"] = True
        elif current["_after_marks"]:
            current["_bullets"].append(text)
    for s in sections:
        if s["marks_available"] is None:
            raise LayoutError(f"{title}: section {s['title']!r} without marks")
    main["marks_available"] = sum(s["marks_available"] for s in sections)
    return {"qualification": qid, "codes": codes, "title": title, "main": main, "sections": sections,
            "line": start}


def _mark_sheet(doc: Document, qid: str | None, tasks: list[dict[str, Any]], start: int, end: int,
                rule: RuleSink) -> None:
    """Pass rule and outcome from the mark sheet; its marks must equal the task's."""
    title = doc.lines[start].removeprefix("MARK SHEET: ")
    task = next(t for t in reversed(tasks) if t["title"] == title and t["qualification"] == qid)
    available: list[int] = []
    minimum: list[int] = []
    for i in range(start + 1, end):
        text = doc.lines[i]
        if m := _SHEET_AVAILABLE.match(text):
            available.append(int(m.group(1)))
        elif m := _SHEET_MIN.match(text):
            minimum.append(int(m.group(1)))
        elif m := _PASS_RULE.match(text):
            if task["main"]["pass_rule"] is None:
                task["main"]["pass_rule"] = text
                task["main"]["min_marks"] = int(m.group(1))
            rule(qid, "marking", text, i)
        else:
            topic = next((t for pattern, t in _SHEET_RULES if pattern.match(text)), None)
            if topic:
                rule(qid, topic, text, i)
    expected = [(s["marks_available"], s["min_marks"]) for s in task["sections"]]
    if list(zip(available, minimum, strict=False)) != expected or len(available) != len(minimum):
        raise LayoutError(f"{title} (line {start + 1}): mark sheet {available}/{minimum} != task {expected}")


def attach(units: list[dict[str, Any]], tasks: list[dict[str, Any]]) -> None:
    """Each task once per unit (the Award and Diploma print 602/604 tasks alike); the sections
    of a unit's own task become the requirements of the criteria they restate."""
    by_code = {u["code"]: u for u in units}
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    for task in tasks:
        for code in task["codes"]:
            unit = by_code.get(code)
            if unit is None:
                raise LayoutError(f"{task['title']}: no unit {code}")
            key = (code, task["title"], tuple(task["main"]["text"]))
            if key in seen:
                continue
            seen.add(key)
            unit["assessment"].append(task["main"])
            for s in task["sections"]:
                unit["assessment"].append({k: v for k, v in s.items() if not k.startswith("_")})
            if task["main"]["pass_rule"] and task["main"]["pass_rule"] not in unit["assessment_notes"]:
                unit["assessment_notes"].append(task["main"]["pass_rule"])
            if len(task["codes"]) == 1:
                requirements_from_sections(unit, task["sections"], _SECTION_MARKS)
    for unit in units:
        for c in unit["criteria"]:
            records.finish_criterion(c)
