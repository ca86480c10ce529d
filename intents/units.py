"""Unit questions: level, credits, GLH, learning outcomes, how it is assessed, word counts, timings."""

from __future__ import annotations

import re

from bot.cite import cite_unit, qualification_titles, unit_label
from bot.intent import Intent, Slots, Turn
from bot.types import Ref, Reply
from knowledge.describe import describe_assessment
from knowledge.model import Assessment, Unit

# The facet a question asks about, when it asks about one; the first match wins.
_FACETS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(p, re.IGNORECASE)) for name, p in (
    ("timing", r"\bminutes?\b|\bpresentation\b|\bdiscussion\b|\binterview\b|\btraining session\b"),
    # "how long is the reflective review?" asks for words once talks and interviews are ruled out.
    ("word_count", r"word count|how many words|word limit|\bwords?\b|how long\b"),
    ("marks", r"\bmarks?\b|pass mark"),
    ("credits", r"\bcredits?\b"),
    ("glh", r"\bglh\b|guided learning|\bhours\b"),
    ("outcomes", r"learning outcomes|\blos\b|\boutcomes\b"),
    ("assessment", r"\bassess(?:ed|ment)\b|\bassignment\b|\bhow (?:is|do i) (?:it|this|the unit) (?:done|"
                   r"marked|passed)|\bportfolio\b"),
    ("level", r"\bwhat level\b|\blevel is\b"),
    ("qualifications", r"which qualifications?|part of (?:which|what)"),
))


def _facet(text: str) -> str | None:
    for name, pattern in _FACETS:
        if pattern.search(text):
            return name
    return None


_WORDS_LINE = re.compile(r"\bwords?\b|word count", re.IGNORECASE)
_TIME_LINE = re.compile(r"\bminutes?\b|-minute\b", re.IGNORECASE)
_METHOD_LINE = re.compile(r"\bwords?\b|\bminutes?\b|-minute\b|presentation|interview|discussion|report|portfolio|"
                          r"per cent|assessed|assignment", re.IGNORECASE)
MAX_QUOTED = 6


def _quoted(assessments: list[Assessment], pattern: re.Pattern[str]) -> list[str]:
    """The specification's own sentences about the assessments, once each (word counts, timings)."""
    out: list[str] = []
    for a in assessments:
        for line in a.text:
            if pattern.search(line) and line not in out:
                out.append(line)
    return out[:MAX_QUOTED]


def _facts(unit: Unit) -> list[tuple[str, str]]:
    facts = [("Level", str(unit.level))]
    if unit.credits is not None:
        facts.append(("Credits", str(unit.credits)))
    if unit.glh is not None:
        facts.append(("Guided learning hours", str(unit.glh)))
    return facts


def _missing(turn: Turn, unit: Unit, what: str) -> Reply:
    """A decline that still says what the KB does know about the unit."""
    reply = Reply("decline", "unit_overview", title=unit_label(unit),
                  paragraphs=[f"The specification doesn't give {what} for unit {unit.code}, so I won't guess. "
                              "Your tutor can tell you what your centre expects."],
                  facts=_facts(unit), citation=cite_unit(turn.kb, unit), refs=[Ref(unit.code)])
    reply.add_list("How it is assessed", [describe_assessment(a) for a in unit.assessment])
    return reply


def overview(turn: Turn, slots: Slots) -> Reply:
    unit = slots.unit
    assert unit is not None
    facet = _facet(slots.text)
    reply = Reply("answer", "unit_overview", title=unit_label(unit), facts=_facts(unit),
                  citation=cite_unit(turn.kb, unit), refs=[Ref(unit.code)])
    assessments = list(unit.assessment)
    if facet == "word_count":
        with_words = [a for a in assessments if any((a.word_count or {}).values())]
        if not with_words:
            return _missing(turn, unit, "a word count")
        reply.add_list("Word counts", [describe_assessment(a) for a in with_words])
        reply.add_list("In the specification's words", _quoted(with_words, _WORDS_LINE))
    elif facet == "timing":
        timed = [a for a in assessments if a.timing_minutes]
        if not timed:
            return _missing(turn, unit, "a presentation or discussion length")
        reply.add_list("Timings", [describe_assessment(a) for a in timed])
        reply.add_list("In the specification's words", _quoted(timed, _TIME_LINE))
    elif facet == "marks":
        marked = [a for a in assessments if a.marks_available]
        if not marked:
            return _missing(turn, unit, "marks")
        reply.add_list("Marks", [describe_assessment(a) for a in marked])
        rules = sorted({a.pass_rule for a in marked if a.pass_rule})
        reply.add_list("To pass", rules)
    elif facet == "credits" and unit.credits is None:
        return _missing(turn, unit, "a credit value")
    elif facet == "glh" and unit.glh is None:
        return _missing(turn, unit, "guided learning hours")
    reply.paragraphs.append(f"Part of: {qualification_titles(turn.kb, unit)}.")
    if unit.aim and facet in (None, "outcomes", "level", "qualifications"):
        reply.paragraphs.append(f"Aim: {unit.aim}")
    reply.add_list("Learning outcomes", [f"LO{lo.number} {lo.text}" for lo in unit.learning_outcomes])
    if facet not in ("word_count", "timing", "marks"):
        reply.add_list("How it is assessed", [describe_assessment(a) for a in assessments])
        if facet == "assessment":
            reply.add_list("In the specification's words", _quoted(assessments, _METHOD_LINE))
            reply.add_list("Assessment notes", list(unit.assessment_notes))
    reply.suggestions = [f"What evidence does {unit.code} AC{unit.criteria[0].id} need?",
                         f"What's the word count for {unit.code}?"]
    return reply


INTENTS = (
    Intent(
        "unit_overview", overview, needs="unit",
        examples=(
            "tell me about unit", "what is the unit about", "how many credits is", "what's the word count for",
            "how is it assessed", "how long is the presentation", "what are the learning outcomes of",
            "how many glh", "what level is", "overview of", "what's in the unit", "how many words for",
            "what are the los for", "which qualification is the unit in", "what do i need for unit",
        ),
        cues=((r"\bcredits?\b", 0.7), (r"\bglh\b|guided learning", 0.8),
              (r"word count|how many words|\bwords\b|word limit", 0.8), (r"\bassess(?:ed|ment)\b", 0.5),
              (r"\bpresentation\b|\bminutes?\b|how long\b", 0.6), (r"learning outcomes|\blos\b", 0.7),
              (r"\babout\b", 0.4), (r"\boverview\b|\bsummary\b", 0.6), (r"\blevel\b", 0.3), (r"\bunit\b", 0.2),
              (r"\baim\b|\bpurpose\b", 0.5), (r"\bmarks?\b", 0.5), (r"\bweighting\b", 0.6),
              (r"\bwhat'?s in\b", 0.4), (r"\btell me\b", 0.3), (r"\bcover(?:s|ed)?\b", 0.2)),
        vocabulary=frozenset({"unit", "units", "module"}),
    ),
)
