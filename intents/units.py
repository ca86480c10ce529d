"""Unit questions, one fact at a time: credits, GLH, level, reference numbers, KSBs, standards, how it is
assessed, word counts, timings, marks, whether it is optional, its outcomes and criteria, its aim.

The first sentence states the fact asked, with its citation. When the specification is silent on it
for this unit, the reply is a ``decline`` that says so plainly and offers the nearest facts it has.
"""

from __future__ import annotations

import re

from bot.cite import cite_unit, qualification_titles, unit_label
from bot.facets import number_kind_asked, reference_numbers, unit_has
from bot.intent import Intent, Slots, Turn
from bot.types import Ref, Reply
from intents.rules import answer as rules_answer
from intents.unit_parts import assessment_reply, membership, missing, optional_reply, unit_depth, unit_evidence
from intents.unit_search import search_unit
from knowledge.describe import describe_assessment
from knowledge.model import Unit


def _answer(turn: Turn, unit: Unit, facet: str, lead: str) -> Reply:
    return Reply("answer", "unit_overview", paragraphs=[lead], citation=cite_unit(turn.kb, unit),
                 refs=[Ref(unit.code)], facet=facet)


def _ksbs(turn: Turn, slots: Slots, unit: Unit) -> Reply:
    criteria = slots.criteria or ([slots.criterion] if slots.criterion else [])
    if criteria:
        mapped = [c for c in criteria if c.ksbs]
        if not mapped:
            return missing(turn, unit, "ksbs")
        lines = [f"AC{c.id} (“{c.text}”) maps to {', '.join(c.ksbs)}." for c in mapped]
        reply = _answer(turn, unit, "ksbs", f"{unit_label(unit)}: " + " ".join(lines))
        reply.refs = [Ref(unit.code, c.id) for c in criteria]
        return reply
    codes = sorted({k for c in unit.criteria for k in c.ksbs}, key=lambda k: (k[0], [int(x) for x in
                                                                                   re.findall(r"\d+", k)]))
    grouping = next((s for s in unit.standards if "KSB" in s), None)
    lead = f"{unit_label(unit)} maps to these KSBs: {', '.join(codes)}."
    reply = _answer(turn, unit, "ksbs", lead)
    if grouping:
        reply.paragraphs.append(f"The specification says: “{grouping}”")
    more = Reply("answer", "unit_overview", refs=[Ref(unit.code)])
    more.add_list("By criterion", [f"AC{c.id}: {', '.join(c.ksbs)}" for c in unit.criteria if c.ksbs])
    reply.more, reply.more_label = more, "the KSBs of each criterion"
    return reply


def _standards(turn: Turn, unit: Unit) -> Reply:
    reply = _answer(turn, unit, "standards", f"{unit_label(unit)} — what the specification says about "
                                             "standards:")
    reply.add_list("", list(unit.standards))
    return reply


def _outcomes(turn: Turn, unit: Unit) -> Reply:
    reply = _answer(turn, unit, "outcomes", f"{unit_label(unit)} has {len(unit.learning_outcomes)} learning "
                                            "outcomes:")
    reply.add_list("", [f"LO{lo.number} {lo.text}" for lo in unit.learning_outcomes])
    return reply


def _criteria(turn: Turn, slots: Slots, unit: Unit) -> Reply:
    lo = slots.lo
    criteria = [c for c in unit.criteria if lo is None or c.lo == lo.number]
    where = f"LO{lo.number} of {unit_label(unit)}" if lo else unit_label(unit)
    reply = _answer(turn, unit, "criteria", f"{where} has {len(criteria)} assessment criteria:")
    reply.add_list("", [f"AC{c.id} {c.text}" for c in criteria])
    reply.refs += [Ref(unit.code, c.id) for c in criteria]
    return reply


def _overview(turn: Turn, unit: Unit) -> Reply:
    facts = [f"Level {unit.level}"]
    if unit.credits is not None:
        facts.append(f"{unit.credits} credits")
    if unit.glh is not None:
        facts.append(f"{unit.glh} guided learning hours")
    kinds = sorted({a.kind.replace("_", " ") for a in unit.assessment})
    lead = (f"{unit_label(unit)}: {', '.join(facts)}; part of the {qualification_titles(turn.kb, unit)}. "
            f"It has {len(unit.learning_outcomes)} learning outcomes and {len(unit.criteria)} criteria"
            + (f", assessed by {', '.join(kinds)}." if kinds else "."))
    reply = _answer(turn, unit, "overview", lead)
    more = Reply("answer", "unit_overview", refs=[Ref(unit.code)])
    if unit.aim:
        more.paragraphs.append(f"Aim: {unit.aim}")
    more.add_list("Learning outcomes", [f"LO{lo.number} {lo.text}" for lo in unit.learning_outcomes])
    more.add_list("How it is assessed", [describe_assessment(a) for a in unit.assessment])
    reply.more, reply.more_label = more, "its aim, learning outcomes and assessment"
    return reply


def _simple(turn: Turn, unit: Unit, facet: str, kind: str | None = None) -> Reply | None:
    """Facts with one value: credits, GLH, level, reference numbers, aim, qualifications."""
    label = unit_label(unit)
    if facet == "credits":
        return _answer(turn, unit, facet, f"{label} carries {unit.credits} credits.")
    if facet == "glh":
        return _answer(turn, unit, facet, f"{label} has {unit.glh} guided learning hours (GLH).")
    if facet == "level":
        return _answer(turn, unit, facet, f"{label} is a Level {unit.level} unit.")
    if facet == "number":
        numbers = "; ".join(f"{name} {value}" for name, value in reference_numbers(unit, kind))
        return _answer(turn, unit, facet, f"{label}: {numbers}.")
    if facet == "aim":
        return _answer(turn, unit, facet, f"{label} — aim: {unit.aim}")
    if facet == "qualifications":
        # Whether it counts towards a qualification is half of "is it part of …": mandatory or optional, where.
        parts = [f"the {title}" + (f" ({', '.join(filter(None, [status, *groups]))})" if status or groups else "")
                 for title, status, groups in membership(turn, unit)]
        return _answer(turn, unit, facet, f"{label} is part of {' and '.join(parts)}.")
    return None


def _evidence(turn: Turn, slots: Slots, unit: Unit) -> Reply:
    """The unit's suggested evidence; a unit that prints none answers from its own lines that speak to the
    question's subject, before saying so."""
    found = None if unit.evidence else search_unit(turn, unit, slots.refs.remainder or slots.text)
    return found or unit_evidence(turn, unit)


def unit_fact(turn: Turn, slots: Slots) -> Reply:
    unit = slots.unit
    assert unit is not None
    facet = slots.facet or "overview"
    if facet == "rules":
        # A question about this unit that no single fact answers: its own lines, else its qualification's rules.
        found = search_unit(turn, unit, slots.refs.remainder or slots.text)
        if found is not None:
            return found
        slots.qualification = turn.kb.qualifications[unit.qualifications[0]]
        return rules_answer(turn, slots)
    if facet in ("sufficiency", "wording"):
        facet = "overview"
    if facet == "overview":
        # A question that says more than the unit's name ("<unit>: the figures I need aren't available, will I
        # fail?") is asked of something in it: its own lines that speak to that, before the unit's card.
        found = search_unit(turn, unit, slots.refs.remainder or slots.text)
        if found is not None:
            return found
    if not unit_has(unit, facet):
        # The fact isn't printed for this unit: a close second reading it does hold is what was meant
        # ("how long is the review piece?" — no talk to time, so its length in words).
        fallback = next((f for f, _ in slots.alternatives if f in UNIT_FACET_NAMES and unit_has(unit, f)
                         and f not in ("overview", "sufficiency", "wording")), None)
        if fallback is None:
            return missing(turn, unit, facet)
        facet = fallback
    kind = number_kind_asked(slots.text) if facet == "number" else None
    if kind and not reference_numbers(unit, kind):
        # A UAN asked of a unit that prints only its ILM code (or the other way round): say so, and give it.
        return missing(turn, unit, facet, what=f"a {kind}" if kind == "UAN" else f"an {kind}")
    simple = _simple(turn, unit, facet, kind)
    if simple is not None:
        return simple
    handlers = {
        "ksbs": lambda: _ksbs(turn, slots, unit), "standards": lambda: _standards(turn, unit),
        "outcomes": lambda: _outcomes(turn, unit), "criteria": lambda: _criteria(turn, slots, unit),
        "optional": lambda: optional_reply(turn, unit), "depth": lambda: unit_depth(turn, unit, slots.refs.remainder),
        "evidence": lambda: _evidence(turn, slots, unit),
    }
    if facet in handlers:
        return handlers[facet]()
    if facet in ("assessment", "word_count", "timing", "marks", "grading"):
        return assessment_reply(turn, unit, facet, slots.text)
    return _overview(turn, unit)


UNIT_FACET_NAMES = frozenset({"credits", "glh", "level", "number", "assessment", "word_count", "optional", "aim",
                              "standards", "tqt", "grading", "ksbs", "overview", "timing", "marks", "outcomes",
                              "criteria", "qualifications", "depth", "evidence", "sufficiency", "wording", "rules"})

INTENTS = (
    Intent("unit_overview", unit_fact, needs="unit", facets=UNIT_FACET_NAMES,
           examples=("tell me about unit", "what is the unit about", "how many credits is", "what's the word count for",
                     "how is it assessed", "how long is the presentation", "what are the learning outcomes of"),
           vocabulary=frozenset({"unit", "units", "module"})),
)
