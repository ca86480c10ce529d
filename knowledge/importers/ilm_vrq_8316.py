"""Importer for 002: ILM Level 6 Award and Level 6 Diploma in Management (8316 units).

Layout (Word tables flattened to text): a qualification overview per qualification (label cell,
value cell), a units overview table (Group A / Group B for the Diploma), occupational competence
and assessment guidance sections per qualification, unit specifications per qualification (units
8316-602 and 8316-604 are printed once for each), and prescribed assessments with mark sheets per
qualification (again 602/604 twice; read in ``ilm_vrq_8316_tasks``).

Unit tables: an LO line ("1 Improve own managerial practice"), then a block of AC numbers, then a
block of AC texts in the same order (uneven blank lines between), then label/value cells and the
indicative content per LO ("1" then bullet lines).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from knowledge.importers import ilm_vrq_8316_tasks as tasks
from knowledge.importers import records
from knowledge.importers.common import first_int
from knowledge.importers.outcomes import ColumnTable, join_lower_case_continuations, read_outcomes
from knowledge.importers.reader import Document, LayoutError, spans

AWARD = "l6-management-award"
DIPLOMA = "l6-management-diploma"

# Top-level headings that open a section of the document.
_HEADING = re.compile(
    r"^(QUALIFICATION OVERVIEW:|OVERVIEW OF UNITS|OCCUPATIONAL COMPETENCY REQUIREMENTS FOR .+|"
    r"ASSESSMENT GUIDANCE FOR .+|UNIT SPECIFICATIONS FOR .+|ASSESSMENTS FOR .+|A P P E N D I X - [A-Z])$"
)
_CODE = re.compile(r"^\d{4}-\d{3}$")
_OLD_CODE = re.compile(r"^(?P<code>[A-Z]\d\.\d{2})\**\s+[–-]\s+(?P<title>.+)$")
# The LO/AC table: "1 Improve own managerial practice"; a line like it inside the AC texts
# ("2 …" after a block of AC numbers, before any text) is not a new LO. Each AC takes the LO of
# its own number: the printed LO number is kept to choose between the two printings of a unit.
_OUTCOMES = ColumnTable(
    lo=re.compile(r"^(\d{1,2})\s+(\S.*)$"), ac=re.compile(r"^(\d{1,2})\.(\d{1,2})$"),
    pairing=join_lower_case_continuations, strict=False,
    opens_lo=lambda doc, i, row: not (row and row.ids and not row.texts))


def _hours(text: str) -> float | None:
    """"At least 7 hours tutorial support" → 7; "2 Hours" → 2."""
    m = re.search(r"(\d+(?:\.\d+)?)\s*hours?\b", text, re.IGNORECASE)
    if not m:
        return None
    value = float(m.group(1))
    return int(value) if value.is_integer() else value


# Overview rows that give a number: label → (qualification key, how to read it, topic of the row's rule).
_OVERVIEW_FACTS: dict[str, tuple[str, Callable[[str], float | None], str]] = {
    "credit value": ("credits", first_int, "structure"),
    "induction": ("induction_hours", _hours, "induction"),
    "tutorial support": ("tutorial_hours", _hours, "tutorial_support"),
    "guided learning hours (glh)": ("glh", first_int, "structure"),
    "average guided learning hours": ("average_glh", first_int, "structure"),
    "total qualification time (tqt)": ("tqt", first_int, "structure"),
}


def parse(path: Path) -> dict[str, Any]:
    """The KB data of the 8316 Level 6 Management document (see knowledge/SCHEMA.md)."""
    return _Parser(Document.read(path)).run()


def _qualification_id(text: str) -> str | None:
    """Which qualification a heading or title speaks of ("… AWARD IN MANAGEMENT")."""
    upper = text.upper()
    if "AWARD" in upper:
        return AWARD
    if "DIPLOMA" in upper:
        return DIPLOMA
    return None


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


class _Parser:
    """One pass over the document, section by section."""

    def __init__(self, doc: Document):
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
        doc = self.doc
        heads = [i for i, text in enumerate(doc.lines) if _HEADING.match(text)]
        self._note(0, heads[0])
        scope: str | None = None
        for start, end in spans(heads, len(doc)):
            head = doc.lines[start]
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
                    codes = {u["code"] for _, u in self.unit_copies}
                    tasks.read_assessments(doc, scope, start + 1, end, codes, self.tasks, self._rule)
        units = self._merge_units()
        tasks.attach(units, self.tasks)
        return {
            "document": {"file": doc.name, "title": self._title()},
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
            self.rules.append(records.rule(qid, topic, text, self.doc.source(index)))

    def _note(self, start: int, end: int) -> None:
        """The note above the first heading applies to both qualifications."""
        for i in range(start, end):
            if self.doc.lines[i]:
                self._rule(None, "general", self.doc.lines[i], i)

    # -- qualification overview ------------------------------------------------------------------
    def _overview(self, start: int, end: int) -> str:
        doc = self.doc
        blocks = doc.blocks(start, end)
        title_index = blocks[0][0]
        title = doc.lines[title_index]
        qid = _qualification_id(title)
        if qid is None:
            raise LayoutError(f"line {title_index + 1}: unknown qualification {title!r}")
        q = records.qualification(
            qid, title, doc.source(title_index),
            # "All ILM qualifications are awarded by The City and Guilds of London Institute." (line 1)
            awarding_body="City & Guilds", level=first_int(title),
            # Printed for the Diploma besides its GLH ("Average Guided Learning Hours: 81").
            average_glh=None)
        self.qualifications[qid] = q
        for block in blocks[1:]:
            label_index = block[0]
            label = doc.lines[label_index].rstrip(":").strip().lower()
            value = doc.text(block[1:])
            statement = doc.text(block)
            if label in _OVERVIEW_FACTS:
                key, read, topic = _OVERVIEW_FACTS[label]
                q[key] = read(value)
                self._rule(qid, topic, statement, label_index)
            elif label == "qualification number":
                q["numbers"].append({"kind": "ofqual", "value": value, "note": None})
            elif label == "structure":
                self._structure(q, value, block[1])
            elif label == "purpose of the qualification":
                self._rule(qid, "general", statement, label_index)
            elif label == "progression routes":
                # The lead-in sentence with its label, then one rule per listed route.
                self._rule(qid, "progression", doc.text(block[:2]), label_index)
                for i in block[2:]:
                    self._rule(qid, "progression", doc.lines[i], i)
            else:
                raise LayoutError(f"line {label_index + 1}: unexpected overview label {label!r}")
        return qid

    def _structure(self, q: dict[str, Any], text: str, index: int) -> None:
        """Rules of combination from the printed structure sentences."""
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
            raise LayoutError(f"line {start}: units table outside a qualification")
        q = self.qualifications[qid]
        roc = q["rules_of_combination"]
        group: str | None = None
        for block in self.doc.blocks(start, end):
            cells = [self.doc.lines[i] for i in block]
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
                raise LayoutError(f"{qid}: structure names {count} mandatory units, table lists {q['units']}")
        else:
            roc["optional"] = list(q["units"])
            if roc["groups"] and q["credits"] is not None:
                roc["min_credits"] = q["credits"]

    # -- occupational competence and assessment guidance ----------------------------------------
    def _competence(self, qid: str | None, start: int, end: int) -> None:
        """Paragraphs and table rows on who may deliver and assess: one rule per cell line."""
        topic = "assessor_requirements"
        for block in self.doc.blocks(start, end):
            first = self.doc.lines[block[0]]
            if first.startswith("Tutors Occupational"):
                topic = "tutor_requirements"
                continue
            if first.startswith("Internal Quality Assurors"):
                topic = "assessor_requirements"
                continue
            is_table = self.doc.is_cell(block[0])
            for i in block:
                # Paragraphs above the tables concern every role.
                self._rule(qid, topic if is_table else "assessor_requirements", self.doc.lines[i], i)

    def _guidance(self, qid: str | None, start: int, end: int) -> None:
        """Assessment guidance: paragraphs, the unit/assessment table rows and the footnote."""
        doc = self.doc
        for block in doc.blocks(start, end):
            if doc.is_cell(block[0]):
                cells = [doc.lines[i] for i in block]
                if cells == ["Unit", "Assessment"]:
                    continue
                self._rule(qid, "assessment_method", doc.text(block), block[0])
                m = _OLD_CODE.match(cells[0])
                if m:
                    self.old_codes[m.group("title").strip().lower()] = m.group("code")
                continue
            for i in block:
                text = doc.lines[i]
                self._rule(qid, _guidance_topic(text), text, i)
                if text.startswith("***") and qid:
                    self.integrated_notes.setdefault(qid, []).append((text, i))

    # -- unit specifications ------------------------------------------------------------------
    def _unit_specs(self, qid: str | None, start: int, end: int) -> None:
        if qid is None:
            raise LayoutError(f"line {start}: unit specifications outside a qualification")
        starts = [i for i in range(start, end) if self.doc.lines[i] == "Title:"]
        for a, b in spans(starts, end):
            self.unit_copies.append((qid, self._unit(a, b)))

    def _unit(self, start: int, end: int) -> dict[str, Any]:
        doc = self.doc
        lo_start = doc.find("Learning outcomes (the learner will)", start, end)
        info = doc.find("Additional information about the unit", start, end)
        content = doc.find("Indicative Content:", start, end)
        # Label cells ("Title:", "Unit number:" …) and their value lines, above and below the LO table.
        fields: dict[str, tuple[int, list[str]]] = {}
        for block in doc.blocks(start, lo_start) + doc.blocks(info, content):
            fields[doc.lines[block[0]].rstrip(":").strip()] = (block[0], [doc.lines[i] for i in block[1:]])
        title_index = fields["Title"][0] + 1
        code = fields["Unit number"][1][0]
        if not _CODE.match(code):
            raise LayoutError(f"line {title_index}: bad unit number {code!r}")
        table = doc.find("Assessment criteria (the learner can)", lo_start, info)
        los, criteria = read_outcomes(doc, _OUTCOMES, table + 1, info)
        unit = records.unit(
            code, " ".join(fields["Title"][1]), doc.source(title_index), level=int(fields["Level"][1][0]),
            credits=int(fields["Credit value"][1][0]), glh=first_int(" ".join(fields["Unit guided learning hours"][1])),
            aim=" ".join(fields["Unit purpose and aim(s)"][1]) or None, learning_outcomes=los, criteria=criteria)
        for label, (_, values) in fields.items():
            value = " ".join(values)
            if label.startswith("Details of the relationship") and value and not value.endswith(":"):
                # "Links to Management & Leadership 2008 NOS: A2"; a bare "… NOS:" maps to nothing.
                unit["standards"].append(value)
            elif label.startswith(("Support for the unit", "Location of the unit")) and value:
                unit["reference_numbers"].append({"label": label, "value": value})
            elif label.startswith(("Additional information", "Assessment requirements")) and value:
                unit["assessment_notes"].append(value)
        depth = self._indicative_content(content + 1, end)
        for c in unit["criteria"]:
            c["depth"] = list(depth.get(c["lo"], []))
        return unit

    def _indicative_content(self, start: int, end: int) -> dict[int, list[str]]:
        """Indicative content per LO: a lone LO number cell, then its lines."""
        out: dict[int, list[str]] = {}
        lo: int | None = None
        for i in range(start, end):
            text = self.doc.lines[i]
            if not text:
                continue
            if self.doc.is_cell(i) and re.fullmatch(r"\d{1,2}", text):
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
            raise LayoutError(f"{code}: the printings differ in more than their LO numbers")
        good = [v for v in versions if consistent(v)]
        if not good:
            raise LayoutError(f"{code}: no printing numbers its LOs like its ACs")
        return good[0]
