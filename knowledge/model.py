"""Typed, read-only view of the curated KB files (see ``knowledge/SCHEMA.md``).

Every record keeps the keys the schema names as attributes and anything else the importer
recorded (``average_glh``, ``pass_descriptor`` …) in ``extra``, so a dump loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Source:
    """Where a fact was read: the source document and its 1-based line."""

    document: str
    line: int

    def cite(self) -> str:
        return f"{self.document}, line {self.line}"


@dataclass(frozen=True)
class MinCount:
    """A minimum count stated in a requirement: "at least two models" → n=2, what="models"."""

    n: int
    what: str


@dataclass(frozen=True)
class LearningOutcome:
    number: int
    text: str
    source: Source | None = None


@dataclass(frozen=True)
class Criterion:
    """An assessment criterion (AC), quoted exactly."""

    unit: str
    id: str
    lo: int
    text: str
    depth: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()
    min_counts: tuple[MinCount, ...] = ()
    ksbs: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    source: Source | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Assessment:
    title: str
    kind: str
    text: tuple[str, ...] = ()
    weighting: str | None = None
    word_count: dict[str, int | None] = field(default_factory=dict, compare=False)
    timing_minutes: dict[str, int | None] | None = None
    marks_available: int | None = None
    min_marks: int | None = None
    pass_rule: str | None = None
    source: Source | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Unit:
    code: str
    title: str
    level: int
    credits: int | None
    glh: int | None
    aim: str | None
    reference_numbers: tuple[dict[str, str], ...]
    standards: tuple[str, ...]
    qualifications: tuple[str, ...]
    learning_outcomes: tuple[LearningOutcome, ...]
    criteria: tuple[Criterion, ...]
    evidence: tuple[str, ...]
    assessment: tuple[Assessment, ...]
    assessment_notes: tuple[str, ...]
    source: Source | None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def short_code(self) -> str:
        """The number after the scheme: ``8391-501`` → ``501``."""
        return self.code.split("-", 1)[-1]

    def criterion(self, ac_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == ac_id), None)

    def own_lines(self) -> list[tuple[str | None, str]]:
        """(AC id or None, line) for every line the unit prints about its aim, assessment and criteria:
        the brief, the notes, each criterion's wording, requirements and depth."""
        out: list[tuple[str | None, str]] = [(None, self.aim)] if self.aim else []
        for a in self.assessment:
            out += [(None, line) for line in a.text]
        out += [(None, line) for line in self.assessment_notes]
        for c in self.criteria:
            out.append((c.id, c.text))
            out += [(c.id, line) for line in (*c.requirements, *c.depth)]
        return out

    def learning_outcome(self, number: int) -> LearningOutcome | None:
        return next((lo for lo in self.learning_outcomes if lo.number == number), None)


@dataclass(frozen=True)
class Qualification:
    id: str
    title: str
    awarding_body: str | None
    numbers: tuple[dict[str, Any], ...]
    level: int
    credits: int | None
    glh: int | None
    tqt: int | None
    registration_validity_months: int | None
    registration_validity_text: str | None
    minimum_age: int | None
    induction_hours: float | None
    tutorial_hours: float | None
    entry_requirements: str | None
    units: tuple[str, ...]
    rules_of_combination: dict[str, Any]
    source: Source | None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def mandatory_units(self) -> list[str]:
        """The units every learner takes: all of them, or those the rules of combination name."""
        roc = self.rules_of_combination
        return list(self.units) if roc.get("all_units_required") else list(roc.get("mandatory") or [])


@dataclass(frozen=True)
class Rule:
    qualification: str
    topic: str
    text: str
    source: Source | None


def _source(raw: dict[str, Any] | None) -> Source | None:
    return Source(raw["document"], int(raw["line"])) if raw else None


def _split(raw: dict[str, Any], cls: type) -> tuple[dict[str, Any], dict[str, Any]]:
    """Schema keys of ``cls`` and the rest (kept as ``extra``)."""
    names = {f.name for f in fields(cls)} - {"extra"}
    known = {k: v for k, v in raw.items() if k in names}
    extra = {k: v for k, v in raw.items() if k not in names}
    return known, extra


def criterion_from(raw: dict[str, Any], unit_code: str) -> Criterion:
    known, extra = _split(raw, Criterion)
    return Criterion(
        unit=unit_code, id=str(known["id"]), lo=int(known["lo"]), text=known["text"],
        depth=tuple(known.get("depth") or ()), requirements=tuple(known.get("requirements") or ()),
        advice=tuple(known.get("advice") or ()),
        min_counts=tuple(MinCount(int(m["n"]), m["what"]) for m in known.get("min_counts") or ()),
        ksbs=tuple(known.get("ksbs") or ()), evidence=tuple(known.get("evidence") or ()),
        source=_source(known.get("source")), extra=extra,
    )


def assessment_from(raw: dict[str, Any]) -> Assessment:
    known, extra = _split(raw, Assessment)
    return Assessment(
        title=known["title"], kind=known["kind"], text=tuple(known.get("text") or ()),
        weighting=known.get("weighting"), word_count=dict(known.get("word_count") or {}),
        timing_minutes=known.get("timing_minutes"), marks_available=known.get("marks_available"),
        min_marks=known.get("min_marks"), pass_rule=known.get("pass_rule"),
        source=_source(known.get("source")), extra=extra,
    )


def unit_from(raw: dict[str, Any]) -> Unit:
    known, extra = _split(raw, Unit)
    code = known["code"]
    return Unit(
        code=code, title=known["title"], level=int(known["level"]), credits=known.get("credits"),
        glh=known.get("glh"), aim=known.get("aim"),
        reference_numbers=tuple(known.get("reference_numbers") or ()),
        standards=tuple(known.get("standards") or ()),
        qualifications=tuple(known.get("qualifications") or ()),
        learning_outcomes=tuple(LearningOutcome(int(lo["number"]), lo["text"], _source(lo.get("source")))
                                for lo in known.get("learning_outcomes") or ()),
        criteria=tuple(criterion_from(c, code) for c in known.get("criteria") or ()),
        evidence=tuple(known.get("evidence") or ()),
        assessment=tuple(assessment_from(a) for a in known.get("assessment") or ()),
        assessment_notes=tuple(known.get("assessment_notes") or ()),
        source=_source(known.get("source")), extra=extra,
    )


def qualification_from(raw: dict[str, Any]) -> Qualification:
    known, extra = _split(raw, Qualification)
    return Qualification(
        id=known["id"], title=known["title"], awarding_body=known.get("awarding_body"),
        numbers=tuple(known.get("numbers") or ()), level=int(known["level"]),
        credits=known.get("credits"), glh=known.get("glh"), tqt=known.get("tqt"),
        registration_validity_months=known.get("registration_validity_months"),
        registration_validity_text=known.get("registration_validity_text"),
        minimum_age=known.get("minimum_age"), induction_hours=known.get("induction_hours"),
        tutorial_hours=known.get("tutorial_hours"), entry_requirements=known.get("entry_requirements"),
        units=tuple(known.get("units") or ()),
        rules_of_combination=dict(known.get("rules_of_combination") or {}),
        source=_source(known.get("source")), extra=extra,
    )


def rule_from(raw: dict[str, Any]) -> Rule:
    return Rule(raw["qualification"], raw["topic"], raw["text"], _source(raw.get("source")))
