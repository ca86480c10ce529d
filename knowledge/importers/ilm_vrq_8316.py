"""Importer for 002: ILM Level 6 Award and Level 6 Diploma in Management (8316 units).

Layout (Word tables flattened to text): a qualification overview per qualification (label cell,
value cell), a units overview table (Group A / Group B for the Diploma), occupational competence
and assessment guidance sections per qualification, unit specifications per qualification (units
8316-602 and 8316-604 are printed once for each), and prescribed assessments with mark sheets per
qualification (again 602/604 twice).

Unit tables: an LO line ("1 Improve own managerial practice"), then a block of AC numbers, then a
block of AC texts in the same order (uneven blank lines between), then label/value cells and the
indicative content per LO ("1" then bullet lines).

Assessments: "REFLECTIVE REVIEW: 602", "WORK-BASED ASSIGNMENT: 603", "CONSULTANCY REPORT: 701",
"INTEGRATED WORK-BASED ASSIGNMENT: 602 AND 604" — a TASK text with the word count, then sections
(heading cell; instructions; "(min N marks required from M available)"; criteria bullets), then a
"MARK SHEET: …" repeating marks and the pass rule "Total 50 + overall, AND minimum in each section".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from knowledge.importers.common import (
    blocks,
    clean,
    empty_assessment,
    join_wrapped,
    may_statements,
    min_counts,
    read_lines,
    source,
    word_count,
)

AWARD = "l6-management-award"
DIPLOMA = "l6-management-diploma"

# Top-level headings that open a section of the document.
_HEADING = re.compile(
    r"^(QUALIFICATION OVERVIEW:|OVERVIEW OF UNITS|OCCUPATIONAL COMPETENCY REQUIREMENTS FOR .+|"
    r"ASSESSMENT GUIDANCE FOR .+|UNIT SPECIFICATIONS FOR .+|ASSESSMENTS FOR .+|A P P E N D I X - [A-Z])$"
)
_CODE = re.compile(r"^\d{4}-\d{3}$")
_LO = re.compile(r"^(\d{1,2})\s+(\S.*)$")
_AC_ID = re.compile(r"^(\d{1,2})\.(\d{1,2})$")
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
_OLD_CODE = re.compile(r"^(?P<code>[A-Z]\d\.\d{2})\**\s+[–-]\s+(?P<title>.+)$")
_ASSESSMENT_KIND = {
    "REFLECTIVE REVIEW": "reflective_account",
    "INTEGRATED WORK-BASED ASSIGNMENT": "assignment",
    "WORK-BASED ASSIGNMENT": "assignment",
    "CONSULTANCY REPORT": "report",
}


def parse(path: Path) -> dict[str, Any]:
    """The KB data of the 8316 Level 6 Management document (see knowledge/SCHEMA.md)."""
    path = Path(path)
    lines = read_lines(path)
    doc = path.name
    parser = _Parser(lines, doc)
    return parser.run()


def _qualification_id(text: str) -> str | None:
    """Which qualification a heading or title speaks of ("… AWARD IN MANAGEMENT")."""
    upper = text.upper()
    if "AWARD" in upper:
        return AWARD
    if "DIPLOMA" in upper:
        return DIPLOMA
    return None


def _blocks(lines: list[str], start: int, end: int) -> list[list[tuple[int, str]]]:
    """Blank-line separated blocks of (line index, raw line) between ``start`` and ``end``."""
    return [[(i, lines[i]) for i in block] for block in blocks(lines, start, end)]


def _first_int(text: str) -> int | None:
    m = re.search(r"\d+", text)
    return int(m.group()) if m else None


def _hours(text: str) -> float | None:
    """"At least 7 hours tutorial support" → 7; "2 Hours" → 2."""
    m = re.search(r"(\d+(?:\.\d+)?)\s*hours?\b", text, re.IGNORECASE)
    if not m:
        return None
    value = float(m.group(1))
    return int(value) if value.is_integer() else value


def _stems(text: str) -> set[str]:
    """Crude word stems (first six letters of longer words) to match restated criteria."""
    stop = {"that", "with", "this", "from", "their", "there", "have", "been", "which", "these", "those",
            "into", "about", "them", "they", "will", "your", "were"}
    return {w[:6] for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3 and w not in stop}


class _Parser:
    """One pass over the document, section by section."""

    def __init__(self, lines: list[str], doc: str):
        self.lines = lines
        self.doc = doc
        self.qualifications: dict[str, dict[str, Any]] = {}
        self.unit_copies: list[tuple[str, dict[str, Any]]] = []     # (qualification id, unit)
        self.tasks: list[dict[str, Any]] = []
        self.rules: list[dict[str, Any]] = []
        self._rule_keys: set[tuple[str, str, str]] = set()
        self.old_codes: dict[str, str] = {}      # normalised title → older ILM code (M6.01 …)
        self.integrated_notes: dict[str, list[tuple[str, int]]] = {}   # qualification → footnotes

    # -- driver --------------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        heads = [i for i, raw in enumerate(self.lines) if _HEADING.match(clean(raw))]
        bounds = list(zip(heads, heads[1:] + [len(self.lines)], strict=True))
        self._note(0, heads[0])
        scope: str | None = None
        for start, end in bounds:
            head = clean(self.lines[start])
            if head.startswith("A P P E N D I X"):
                continue
            if head == "QUALIFICATION OVERVIEW:":
                scope = self._overview(start + 1, end)
            elif head == "OVERVIEW OF UNITS":
                self._units_table(scope, start + 1, end)
            else:
                scope = _qualification_id(head)
                if head.startswith("OCCUPATIONAL COMPETENCY"):
                    self._competence(scope, start + 1, end)
                elif head.startswith("ASSESSMENT GUIDANCE"):
                    self._guidance(scope, start + 1, end)
                elif head.startswith("UNIT SPECIFICATIONS"):
                    self._unit_specs(scope, start + 1, end)
                elif head.startswith("ASSESSMENTS FOR"):
                    self._assessments(scope, start + 1, end)
        units = self._merge_units()
        self._attach_assessments(units)
        return {
            "document": {"file": self.doc, "title": self._title()},
            "qualifications": list(self.qualifications.values()),
            "units": units,
            "rules": self.rules,
        }

    def _title(self) -> str:
        titles = [q["title"] for q in self.qualifications.values()]
        return "ILM " + " and ".join(titles)

    def _rule(self, qids: list[str] | str | None, topic: str, text: str, index: int) -> None:
        """One rule per qualification; a statement printed again (e.g. on every mark sheet, with
        its list number changed) is kept once, at its first line."""
        ids = [qids] if isinstance(qids, str) else list(qids or [AWARD, DIPLOMA])
        key_text = re.sub(r"^\d+\.\s+", "", text)
        for qid in ids:
            key = (qid, topic, key_text)
            if key in self._rule_keys:
                continue
            self._rule_keys.add(key)
            self.rules.append({"qualification": qid, "topic": topic, "text": text,
                               "source": source(self.doc, index + 1)})

    def _note(self, start: int, end: int) -> None:
        """The note above the first heading applies to both qualifications."""
        for i in range(start, end):
            text = clean(self.lines[i])
            if text:
                self._rule(None, "general", text, i)

    # -- qualification overview ------------------------------------------------------------------
    def _overview(self, start: int, end: int) -> str:
        blocks = _blocks(self.lines, start, end)
        title_index, title_raw = blocks[0][0]
        title = clean(title_raw)
        qid = _qualification_id(title)
        if qid is None:
            raise ValueError(f"line {title_index + 1}: unknown qualification {title!r}")
        q: dict[str, Any] = {
            "id": qid, "title": title,
            # "All ILM qualifications are awarded by The City and Guilds of London Institute." (line 1)
            "awarding_body": "City & Guilds",
            "numbers": [], "level": _first_int(title), "credits": None, "glh": None, "tqt": None,
            "registration_validity_months": None, "registration_validity_text": None,
            "minimum_age": None, "induction_hours": None, "tutorial_hours": None,
            "entry_requirements": None, "units": [],
            "rules_of_combination": {
                "text": [], "all_units_required": False, "mandatory": [], "optional": [],
                "min_optional_units": None, "min_credits": None, "groups": [], "group_exclusive": False,
                "min_share_at_level": None,
            },
            "source": source(self.doc, title_index + 1),
            # Printed for the Diploma besides its GLH ("Average Guided Learning Hours: 81").
            "average_glh": None,
        }
        self.qualifications[qid] = q
        for block in blocks[1:]:
            label_index = block[0][0]
            label = clean(block[0][1]).rstrip(":").strip().lower()
            values = [clean(raw) for _, raw in block[1:]]
            value = " ".join(values)
            statement = join_wrapped([raw for _, raw in block])
            if label == "qualification number":
                q["numbers"].append({"kind": "ofqual", "value": value, "note": None})
            elif label == "credit value":
                q["credits"] = _first_int(value)
                self._rule(qid, "structure", statement, label_index)
            elif label == "induction":
                q["induction_hours"] = _hours(value)
                self._rule(qid, "induction", statement, label_index)
            elif label == "tutorial support":
                q["tutorial_hours"] = _hours(value)
                self._rule(qid, "tutorial_support", statement, label_index)
            elif label == "guided learning hours (glh)":
                q["glh"] = _first_int(value)
                self._rule(qid, "structure", statement, label_index)
            elif label == "average guided learning hours":
                q["average_glh"] = _first_int(value)
                self._rule(qid, "structure", statement, label_index)
            elif label == "total qualification time (tqt)":
                q["tqt"] = _first_int(value)
                self._rule(qid, "structure", statement, label_index)
            elif label == "structure":
                self._structure(q, values, block[1][0])
            elif label == "purpose of the qualification":
                self._rule(qid, "general", statement, label_index)
            elif label == "progression routes":
                # The lead-in sentence with its label, then one rule per listed route.
                self._rule(qid, "progression", join_wrapped([block[0][1], block[1][1]]), label_index)
                for i, raw in block[2:]:
                    self._rule(qid, "progression", clean(raw), i)
            else:
                raise ValueError(f"line {label_index + 1}: unexpected overview label {label!r}")
        return qid

    def _structure(self, q: dict[str, Any], values: list[str], index: int) -> None:
        """Rules of combination from the printed structure sentences."""
        text = " ".join(values)
        roc = q["rules_of_combination"]
        roc["text"] = [s for s in re.split(r"(?<=\.)\s+(?=[A-Z])", text) if s]
        for sentence in roc["text"]:
            self._rule(q["id"], "structure", sentence, index)
        m = re.search(r"combined credit value of (\d+)", text)
        if m:
            roc["min_credits"] = int(m.group(1))
        if re.search(r"\bmandatory units\b", text):
            roc["all_units_required"] = True
        groups = re.findall(r"minimum of (\d+) credits from (Group [A-Z])", text)
        roc["groups"] = [{"name": name, "units": [], "min_credits": int(n)} for n, name in groups]
        roc["group_exclusive"] = bool(re.search(r"completed in Group [A-Z] cannot be taken from Group", text))
        m = re.search(r"more than (\d+)% of credits achieved are at Level (\d+)", text)
        if m:
            roc["min_share_at_level"] = {"level": int(m.group(2)), "more_than_percent": int(m.group(1))}

    def _units_table(self, qid: str | None, start: int, end: int) -> None:
        """Unit rows (code, title, level, credits, GLH) and the group they are listed under."""
        if qid is None:
            raise ValueError(f"line {start}: units table outside a qualification")
        q = self.qualifications[qid]
        roc = q["rules_of_combination"]
        group: str | None = None
        for block in _blocks(self.lines, start, end):
            cells = [clean(raw) for _, raw in block]
            named = [c for c in cells if re.fullmatch(r"Group [A-Z]", c)]
            if named:
                group = named[0]
                continue
            if not _CODE.match(cells[0]):
                continue
            code = cells[0]
            if code not in q["units"]:
                q["units"].append(code)
            if group:
                for g in roc["groups"]:
                    if g["name"] == group:
                        g["units"].append(code)
        if roc["all_units_required"]:
            roc["mandatory"] = list(q["units"])
            # "two mandatory units with a combined credit value of 12" must name the units listed.
            m = re.search(r"\b(\w+) mandatory units\b", " ".join(roc["text"]))
            count = {"two": 2, "three": 3, "four": 4}.get(m.group(1)) if m else None
            if count is not None and count != len(q["units"]):
                raise ValueError(f"{qid}: structure names {count} mandatory units, table lists {q['units']}")
        else:
            roc["optional"] = list(q["units"])
            if roc["groups"] and q["credits"] is not None:
                roc["min_credits"] = q["credits"]

    # -- occupational competence and assessment guidance ----------------------------------------
    def _competence(self, qid: str | None, start: int, end: int) -> None:
        """Paragraphs and table rows on who may deliver and assess: one rule per cell line."""
        topic = "assessor_requirements"
        for block in _blocks(self.lines, start, end):
            first = clean(block[0][1])
            if first.startswith("Tutors Occupational"):
                topic = "tutor_requirements"
                continue
            if first.startswith("Internal Quality Assurors"):
                topic = "assessor_requirements"
                continue
            is_table = block[0][1].startswith("\t")
            for i, raw in block:
                # Paragraphs above the tables concern every role.
                self._rule(qid, topic if is_table else "assessor_requirements", clean(raw), i)

    def _guidance(self, qid: str | None, start: int, end: int) -> None:
        """Assessment guidance: paragraphs, the unit/assessment table rows and the footnote."""
        for block in _blocks(self.lines, start, end):
            if block[0][1].startswith("\t"):
                cells = [clean(raw) for _, raw in block]
                if cells == ["Unit", "Assessment"]:
                    continue
                text = join_wrapped([raw for _, raw in block])
                self._rule(qid, "assessment_method", text, block[0][0])
                m = _OLD_CODE.match(cells[0])
                if m:
                    self.old_codes[m.group("title").strip().lower()] = m.group("code")
                continue
            for i, raw in block:
                text = clean(raw)
                self._rule(qid, _guidance_topic(text), text, i)
                if text.startswith("***") and qid:
                    self.integrated_notes.setdefault(qid, []).append((text, i))

    # -- unit specifications ------------------------------------------------------------------
    def _unit_specs(self, qid: str | None, start: int, end: int) -> None:
        if qid is None:
            raise ValueError(f"line {start}: unit specifications outside a qualification")
        starts = [i for i in range(start, end) if clean(self.lines[i]) == "Title:"]
        for a, b in zip(starts, starts[1:] + [end], strict=True):
            self.unit_copies.append((qid, self._unit(a, b)))

    def _unit(self, start: int, end: int) -> dict[str, Any]:
        lines = self.lines
        texts = [clean(x) for x in lines]

        def find(label: str) -> int:
            for i in range(start, end):
                if texts[i] == label:
                    return i
            raise ValueError(f"line {start + 1}: unit without {label!r}")

        lo_start = find("Learning outcomes (the learner will)")
        info = find("Additional information about the unit")
        content = find("Indicative Content:")
        fields: dict[str, tuple[int, list[str]]] = {}
        for block in _blocks(lines, start, lo_start) + _blocks(lines, info, content):
            label = clean(block[0][1]).rstrip(":").strip()
            fields[label] = (block[0][0], [clean(raw) for _, raw in block[1:]])
        title_index = fields["Title"][0] + 1
        code = fields["Unit number"][1][0]
        if not _CODE.match(code):
            raise ValueError(f"line {title_index}: bad unit number {code!r}")
        unit: dict[str, Any] = {
            "code": code,
            "title": " ".join(fields["Title"][1]),
            "level": int(fields["Level"][1][0]),
            "credits": int(fields["Credit value"][1][0]),
            "glh": _first_int(" ".join(fields["Unit guided learning hours"][1])),
            "aim": " ".join(fields["Unit purpose and aim(s)"][1]) or None,
            "reference_numbers": [],
            "standards": [],
            "qualifications": [],
            "learning_outcomes": [],
            "criteria": [],
            "evidence": [],
            "assessment": [],
            "assessment_notes": [],
            "source": source(self.doc, title_index + 1),
        }
        for label, (_, values) in fields.items():
            value = " ".join(values)
            if label.startswith("Details of the relationship") and value and not value.endswith(":"):
                # "Links to Management & Leadership 2008 NOS: A2"; a bare "… NOS:" maps to nothing.
                unit["standards"].append(value)
            elif label.startswith(("Support for the unit", "Location of the unit")) and value:
                unit["reference_numbers"].append({"label": label, "value": value})
            elif label.startswith(("Additional information", "Assessment requirements")) and value:
                unit["assessment_notes"].append(value)
        self._learning_outcomes(unit, lo_start + 1, info)
        depth = self._indicative_content(content + 1, end)
        for c in unit["criteria"]:
            c["depth"] = list(depth.get(c["lo"], []))
        return unit

    def _learning_outcomes(self, unit: dict[str, Any], start: int, end: int) -> None:
        """LO line, a block of AC numbers, then the AC texts in the same order."""
        groups: list[dict[str, Any]] = []
        for i in range(start, end):
            text = clean(self.lines[i])
            if not text or text == "Assessment criteria (the learner can)":
                continue
            ac = _AC_ID.match(text)
            lo = _LO.match(text)
            if ac:
                groups[-1]["ids"].append(text)
            elif lo and not (groups and groups[-1]["ids"] and not groups[-1]["texts"]):
                groups.append({"number": int(lo.group(1)), "text": lo.group(2), "line": i,
                               "ids": [], "texts": []})
            elif groups and not groups[-1]["ids"]:
                groups[-1]["text"] += " " + text          # the LO wording wraps
            elif groups:
                groups[-1]["texts"].append((i, text))
            else:
                raise ValueError(f"line {i + 1}: text before any learning outcome")
        for g in groups:
            texts = _join_continuations(g["texts"], len(g["ids"]))
            if len(texts) != len(g["ids"]):
                raise ValueError(f"{unit['code']} LO {g['number']}: {len(g['ids'])} AC numbers but "
                                 f"{len(texts)} texts (line {g['line'] + 1})")
            unit["learning_outcomes"].append({"number": g["number"], "text": g["text"],
                                              "source": source(self.doc, g["line"] + 1)})
            for ac_id, (line, wording) in zip(g["ids"], texts, strict=True):
                unit["criteria"].append({
                    "id": ac_id, "lo": int(ac_id.split(".")[0]), "text": wording, "depth": [],
                    "requirements": [], "advice": [], "min_counts": [], "ksbs": [], "evidence": [],
                    "source": source(self.doc, line + 1),
                    # The LO number printed above this AC (kept to compare the two copies of a unit).
                    "_printed_lo": g["number"],
                })

    def _indicative_content(self, start: int, end: int) -> dict[int, list[str]]:
        """Indicative content per LO: a lone LO number cell, then its lines."""
        out: dict[int, list[str]] = {}
        lo: int | None = None
        for i in range(start, end):
            raw = self.lines[i]
            text = clean(raw)
            if not text:
                continue
            if raw.startswith("\t") and re.fullmatch(r"\d{1,2}", text):
                lo = int(text)
                out.setdefault(lo, [])
            elif lo is not None:
                out[lo].append(text)
        return out

    # -- merge the two printings of 602 and 604 ------------------------------------------------
    def _merge_units(self) -> list[dict[str, Any]]:
        merged: dict[str, dict[str, Any]] = {}
        copies: dict[str, list[dict[str, Any]]] = {}
        for qid, unit in self.unit_copies:
            copies.setdefault(unit["code"], []).append(unit)
            first = merged.setdefault(unit["code"], unit)
            if qid not in first["qualifications"]:
                first["qualifications"].append(qid)
        for code, versions in copies.items():
            unit = self._choose_numbering(code, versions)
            merged[code].update({k: unit[k] for k in ("learning_outcomes", "criteria")})
        out = list(merged.values())
        for unit in out:
            for c in unit["criteria"]:
                c.pop("_printed_lo", None)
            old = self.old_codes.get(unit["title"].strip().lower())
            if old:
                unit["reference_numbers"].insert(0, {"label": "ILM unit code", "value": old})
            for qid in unit["qualifications"]:
                for text, _ in self.integrated_notes.get(qid, []):
                    if _names_unit(text, unit, old):
                        unit["assessment_notes"].append(text)
        return out

    @staticmethod
    def _choose_numbering(code: str, versions: list[dict[str, Any]]) -> dict[str, Any]:
        """Of the printings of one unit, the one whose LO numbers agree with its AC numbers.

        The Diploma copy of 8316-602 numbers its only LO "2" while its ACs are 1.1–1.3; the
        Award copy prints LO 1 — the ACs and the other copy agree, so LO 1 is right.
        """
        def consistent(unit: dict[str, Any]) -> bool:
            return all(c["lo"] == c["_printed_lo"] for c in unit["criteria"])

        wording = {tuple((c["id"], c["text"], tuple(c["depth"])) for c in v["criteria"]) for v in versions}
        facts = {tuple(str(v[k]) for k in ("title", "level", "credits", "glh", "aim")) for v in versions}
        if len(wording) > 1 or len(facts) > 1:
            raise ValueError(f"{code}: the printings differ in more than their LO numbers")
        good = [v for v in versions if consistent(v)]
        if not good:
            raise ValueError(f"{code}: no printing numbers its LOs like its ACs")
        return good[0]

    # -- assessments ------------------------------------------------------------------------------
    def _assessments(self, qid: str | None, start: int, end: int) -> None:
        heads = [i for i in range(start, end) if _TASK.match(clean(self.lines[i]))]
        for a, b in zip(heads, heads[1:] + [end], strict=True):
            m = _TASK.match(clean(self.lines[a]))
            assert m is not None
            codes = [self._full_code(n, a) for n in (m.group("a"), m.group("b")) if n]
            if m.group("sheet"):
                self._mark_sheet(qid, codes, a, b)
            else:
                self._task(qid, codes, m.group("kind"), a, b)

    def _full_code(self, short: str, index: int) -> str:
        """"602" → "8316-602": the unit of this document with that number (never a bare number:
        602 also exists as 8631-602 and 700 as 8431-700 in other documents)."""
        codes = {u["code"] for _, u in self.unit_copies if u["code"].split("-", 1)[1] == short}
        if len(codes) != 1:
            raise ValueError(f"line {index + 1}: unit {short} is {sorted(codes) or 'unknown'}")
        return codes.pop()

    def _task(self, qid: str | None, codes: list[str], kind: str, start: int, end: int) -> None:
        title = clean(self.lines[start])
        texts = [clean(x) for x in self.lines]
        task_line = next(i for i in range(start, end) if texts[i] == "TASK")
        headings_line = next(i for i in range(task_line, end)
                             if texts[i].startswith("Please use the headings"))
        self._rule(qid, "assignment", texts[headings_line], headings_line)
        main = empty_assessment(title, _ASSESSMENT_KIND[kind], source(self.doc, start + 1))
        main["text"] = [texts[i] for i in range(task_line + 1, headings_line) if texts[i]]
        main["word_count"] = _task_word_count(main["text"])
        sections: list[dict[str, Any]] = []
        current: dict[str, Any] | None = None
        for i in range(headings_line + 1, end):
            raw, text = self.lines[i], texts[i]
            if not text or text == "Assessment Criteria":
                continue
            if text.startswith("By submitting"):
                self._rule(qid, "authenticity", text, i)
                break
            if raw.startswith("\t") and not text.startswith("·"):
                current = empty_assessment(f"{title} – {text}", _ASSESSMENT_KIND[kind],
                                           source(self.doc, i + 1))
                current["_bullets"] = []
                current["_after_marks"] = False
                sections.append(current)
                continue
            if current is None:
                raise ValueError(f"line {i + 1}: assessment text before a section heading")
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
                raise ValueError(f"{title}: section {s['title']!r} without marks")
        main["marks_available"] = sum(s["marks_available"] for s in sections)
        self.tasks.append({"qualification": qid, "codes": codes, "title": title, "main": main,
                           "sections": sections, "line": start})

    def _mark_sheet(self, qid: str | None, codes: list[str], start: int, end: int) -> None:
        """Pass rule and outcome from the mark sheet; its marks must equal the task's."""
        title = clean(self.lines[start]).removeprefix("MARK SHEET: ")
        task = next(t for t in reversed(self.tasks) if t["title"] == title and t["qualification"] == qid)
        available: list[int] = []
        minimum: list[int] = []
        for i in range(start + 1, end):
            text = clean(self.lines[i])
            if m := _SHEET_AVAILABLE.match(text):
                available.append(int(m.group(1)))
            elif m := _SHEET_MIN.match(text):
                minimum.append(int(m.group(1)))
            elif m := _PASS_RULE.match(text):
                if task["main"]["pass_rule"] is None:
                    task["main"]["pass_rule"] = text
                    task["main"]["min_marks"] = int(m.group(1))
                self._rule(qid, "marking", text, i)
            elif text == "PASS/REFERRAL":
                self._rule(qid, "grading", text, i)
            elif text == "Section referral if applicable:":
                self._rule(qid, "referral", text, i)
            elif re.match(r"^\d+\.\s+Learner named below confirms authenticity", text):
                self._rule(qid, "authenticity", text, i)
            elif (re.match(r"^\d+\.\s+ILM uses learners", text)
                  or text.startswith("However, if you are unwilling")):
                self._rule(qid, "marking", text, i)
        expected = [(s["marks_available"], s["min_marks"]) for s in task["sections"]]
        if list(zip(available, minimum, strict=False)) != expected or len(available) != len(minimum):
            raise ValueError(f"{title} (line {start + 1}): mark sheet {available}/{minimum} "
                             f"!= task {expected}")

    def _attach_assessments(self, units: list[dict[str, Any]]) -> None:
        """Each task once per unit (the Award and Diploma print 602/604 tasks alike); the sections
        of a unit's own task become the requirements of the criteria they restate."""
        by_code = {u["code"]: u for u in units}
        seen: set[tuple[str, str, tuple[str, ...]]] = set()
        for task in self.tasks:
            for code in task["codes"]:
                unit = by_code.get(code)
                if unit is None:
                    raise ValueError(f"{task['title']}: no unit {code}")
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
                    _requirements_from_sections(unit, task["sections"])
        for unit in units:
            for c in unit["criteria"]:
                c["advice"] = may_statements(c["requirements"])
                c["min_counts"] = min_counts(c["requirements"])


def _guidance_topic(text: str) -> str:
    """Topic of an assessment-guidance paragraph, by what it is about."""
    lower = text.lower()
    if "pass mark" in lower or "compensation" in lower:
        return "marking"
    if "word count" in lower:
        return "word_count"
    if "integrated work-based assignment" in lower:
        return "assignment"
    return "assessment_method"


def _names_unit(text: str, unit: dict[str, Any], old_code: str | None) -> bool:
    """Whether a footnote names the unit by number ("Units 602 and 604") or older code ("M6.01")."""
    short = unit["code"].split("-", 1)[1]
    if re.search(rf"\b{short}\b", text):
        return True
    return bool(old_code and re.search(rf"\b{re.escape(old_code)}\b", text))


def _join_continuations(texts: list[tuple[int, str]], wanted: int) -> list[tuple[int, str]]:
    """AC texts, with wrapped lines (starting in lower case) joined to the line above."""
    if len(texts) <= wanted:
        return texts
    out: list[tuple[int, str]] = []
    for line, text in texts:
        if out and text[:1].islower():
            out[-1] = (out[-1][0], out[-1][1] + " " + text)
        else:
            out.append((line, text))
    return out


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


def _best_criterion(text: str, stems: dict[str, set[str]]) -> str | None:
    """The AC whose wording shares most word stems with ``text`` (None when unclear)."""
    words = _stems(text)
    if not words:
        return None
    scores = sorted(((len(words & ac) / len(words), ac_id) for ac_id, ac in stems.items()), reverse=True)
    if not scores or scores[0][0] < 0.5 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]


def _restates_a_criterion(text: str, stems: dict[str, set[str]]) -> bool:
    words = _stems(text)
    return bool(words) and any(len(words & ac) / len(words) >= 0.5 for ac in stems.values())


def _instruction_items(lines: list[str]) -> list[list[str]]:
    """Instruction lines grouped into items: a bullet with the paragraphs under it ("· Critically
    review …" + "You should review …"), a paragraph on its own, and a lead-in ending with ":"
    together with the lower-case sub-bullets that complete it ("· Prepare:" + "· a rationale …")."""
    items: list[list[str]] = []
    for t in lines:
        bullet = t.startswith("·")
        body = t.lstrip("· ")
        if items and bullet and body[:1].islower() and items[-1][0].endswith(":"):
            items[-1].append(t)                      # sub-bullet completing a lead-in
        elif items and not bullet and items[-1][0].startswith("·"):
            items[-1].append(t)                      # paragraph under a bullet
        else:
            items.append([t])
    return items


def _assign(bullets: list[str], ac_ids: list[str], stems: dict[str, set[str]]) -> list[str]:
    """One AC per bullet, maximising the total word overlap (Dice) over all bullets.

    Tasks may take the ACs out of order (530 asks for the barriers, AC 2.2, before the business
    case, AC 2.1); near-identical restatements (610 AC 1.1/1.2) are settled by the whole set.
    Exhaustive over subsets of ACs (units have at most a dozen).
    """
    words = [_stems(b) for b in bullets]

    def dice(i: int, j: int) -> float:
        a, b = words[i], stems[ac_ids[j]]
        return 2 * len(a & b) / max(len(a) + len(b), 1)

    n = len(ac_ids)
    best: dict[int, tuple[float, list[int]]] = {0: (0.0, [])}
    for i in range(len(bullets)):
        step: dict[int, tuple[float, list[int]]] = {}
        for mask, (score, picks) in best.items():
            for j in range(n):
                if mask & (1 << j):
                    continue
                # A hair of preference for document order breaks exact ties.
                cand = (score + dice(i, j) + (1e-6 if j == i else 0.0), picks + [j])
                key = mask | (1 << j)
                if key not in step or cand[0] > step[key][0]:
                    step[key] = cand
        best = step
    _, picks = max(best.values(), key=lambda v: v[0])
    return [ac_ids[j] for j in picks]


def _requirements_from_sections(unit: dict[str, Any], sections: list[dict[str, Any]]) -> None:
    """Give each criterion the lines of the task section that assesses it.

    The bullets after "(min N marks …)" restate the ACs in order ("Own ability to set direction
    … is critically reviewed"), one bullet per AC, which ties each section to its ACs. Where a
    section covers several ACs, each instruction item goes to the AC it restates (by shared word
    stems); items that match no single AC, and the marks line, go to all of them.
    """
    stems = {c["id"]: _stems(c["text"]) for c in unit["criteria"]}
    restating = [(s_i, b) for s_i, s in enumerate(sections) for b in s["_bullets"]
                 if _restates_a_criterion(b, stems)]
    if len(restating) == len(unit["criteria"]):
        ids = _assign([b for _, b in restating], [c["id"] for c in unit["criteria"]], stems)
        owner = dict(zip(restating, ids, strict=True))
    else:   # not one bullet per AC: fall back to the best match of each bullet
        owner = {(s_i, b): ac for s_i, b in restating if (ac := _best_criterion(b, stems))}
    for s_i, s in enumerate(sections):
        bullets = [(b, owner.get((s_i, b))) for b in s["_bullets"]]
        covered = list(dict.fromkeys(ac for _, ac in bullets if ac))
        if not covered:
            continue
        local = {ac: stems[ac] for ac in covered}
        lines: list[str] = s["text"]
        marks_at = next(i for i, t in enumerate(lines) if _SECTION_MARKS.match(t))
        owned: list[tuple[list[str], str | None]] = []
        for item in _instruction_items(lines[:marks_at]):
            ac = _best_criterion(item[0], local) if len(covered) > 1 else covered[0]
            owned.append((item, ac or _best_criterion(" ".join(item), local)))
        owned.append(([lines[marks_at]], None))
        owned += [([b], ac) for b, ac in bullets]
        for c in unit["criteria"]:
            if c["id"] in covered:
                for item, ac in owned:
                    if ac is None or ac == c["id"]:
                        c["requirements"].extend(item)
