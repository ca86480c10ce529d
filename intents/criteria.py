"""Criterion questions: what evidence an AC needs, whether something is enough, its wording, its depth.

Each answer leads with the fact asked — the criterion quoted exactly, then what the specification
says you must show — and keeps depth, advice and suggested evidence behind "more" (the suggestions come
first when examples of evidence are what is asked).
"""

from __future__ import annotations

import re

from bot.cite import cite_criterion, cite_lo, cite_rules, unit_label
from bot.intent import Intent, Slots, Turn
from bot.types import Ref, Reply
from intents.sufficiency import ASSESSOR_DECIDES, verdicts
from knowledge.model import Criterion, Rule, Unit

# A question asking for examples of evidence, not only what it must show.
_ASKS_EXAMPLES = re.compile(r"\bexamples?\b|\bgood evidence\b|\b(?:kinds?|types?|sorts?) of evidence\b|"
                            r"\bwhat (?:could|can|should|would|might) i (?:use|submit|include|put in|provide)\b|"
                            r"\bsuggest\w*\b|\bideas?\b", re.IGNORECASE)
MAX_LEAD_LINES = 12        # requirement lines shown at once; the rest are behind "more"

def _criteria(slots: Slots) -> list[Criterion]:
    return slots.criteria or ([slots.criterion] if slots.criterion else [])


def _advice_not_in(requirements: tuple[str, ...], advice: tuple[str, ...]) -> list[str]:
    """Advice sentences not already shown verbatim inside the requirement lines."""
    return [a for a in advice if not any(a in line for line in requirements)]


def _min_count_lines(criterion: Criterion) -> list[str]:
    return [f"at least {m.n} {m.what}" for m in criterion.min_counts]


def _lead(unit: Unit, c: Criterion, alone: bool) -> str:
    """The criterion quoted exactly; its number only when the answer covers several (the title has it)."""
    return f"“{c.text}”" if alone else f"AC{c.id}: “{c.text}”"


def _title(unit: Unit, criteria: list[Criterion]) -> str:
    """"8391-501 Managing School Finances — AC2.2": what the answer is about, as a card's heading."""
    return f"{unit_label(unit)} — " + ", ".join(f"AC{c.id}" for c in criteria)


def _split_requirements(c: Criterion) -> tuple[list[str], list[str]]:
    """(lines to show now, lines for "more"). The requirement block is the must/sufficiency statement of
    the criterion — the fact an evidence question asks — so it is shown whole, lists included; only a
    very long block leaves its tail behind "more"."""
    lines = [_without_wording(line, c) for line in c.requirements]
    lines = [line for line in lines if line]
    return lines[:MAX_LEAD_LINES], lines[MAX_LEAD_LINES:]


def _without_wording(line: str, c: Criterion) -> str:
    """A requirement line without the criterion's wording repeated at its start (it is quoted just above):
    "Explain relevant … diversity. Learners must include …" → "Learners must include …"."""
    wording = c.text.strip().rstrip(".")
    if line.lower().startswith(wording.lower()):
        return line[len(wording):].lstrip(" .;:").strip()
    return line


def _detail(reply: Reply, unit: Unit, c: Criterion, rest: list[str], label: str, suggested: bool = True) -> None:
    """The criterion's depth, advice, counts and suggested evidence, behind "more"."""
    more = reply.more or Reply("answer", reply.intent, refs=[Ref(unit.code, c.id)])
    prefix = f"AC{c.id} — " if label else ""
    more.add_list(f"{prefix}More of what the specification says", rest)
    more.add_list(f"{prefix}Minimum counts", _min_count_lines(c))
    more.add_list(f"{prefix}Depth (what to cover)", list(c.depth))
    more.add_list(f"{prefix}You may also", _advice_not_in(c.requirements, c.advice))
    if suggested:
        more.add_list(f"{prefix}Suggested evidence", list(c.evidence or unit.evidence))
    if c.ksbs:
        more.facts.append((f"{prefix}KSBs", ", ".join(c.ksbs)))
    if more.bullets or more.facts:
        reply.more = more
        reply.more_label = "depth and tips"


def _lo_reply(turn: Turn, slots: Slots, intent: str) -> Reply:
    unit, lo = slots.unit, slots.lo
    assert unit is not None and lo is not None
    reply = Reply("answer", intent, paragraphs=[f"{unit_label(unit)}, LO{lo.number}: “{lo.text}”"],
                  citation=cite_lo(turn.kb, unit, lo), refs=[Ref(unit.code)])
    criteria = [c for c in unit.criteria if c.lo == lo.number]
    reply.add_list("Its assessment criteria", [f"AC{c.id} {c.text}" for c in criteria])
    reply.refs += [Ref(unit.code, c.id) for c in criteria]
    return reply


def _cite(turn: Turn, unit: Unit, criteria: list[Criterion]) -> str:
    if len(criteria) == 1:
        return cite_criterion(turn.kb, unit, criteria[0])
    lines = ", ".join(f"AC{c.id}" + (f" line {c.source.line}" if c.source else "") for c in criteria)
    return f"{cite_criterion(turn.kb, unit, criteria[0]).split(', AC')[0]}, {lines}"


def evidence(turn: Turn, slots: Slots) -> Reply:
    """The criterion quoted exactly, then what the specification says you must show."""
    criteria = _criteria(slots)
    if not criteria:
        return _lo_reply(turn, slots, "criterion_evidence")
    unit = slots.unit
    assert unit is not None
    reply = Reply("answer", "criterion_evidence", title=_title(unit, criteria), citation=_cite(turn, unit, criteria),
                  refs=[Ref(unit.code, c.id) for c in criteria])
    for c in criteria:
        reply.paragraphs.append(_lead(unit, c, len(criteria) == 1))
        shown, rest = _split_requirements(c)
        if shown:
            reply.add_list(f"AC{c.id}: you must show" if len(criteria) > 1 else "You must show", shown)
        else:
            reply.paragraphs.append(f"The specification gives no separate evidence guidance for AC{c.id}: it is "
                                    "met by evidence that does what its wording says.")
        suggested = list(c.evidence or unit.evidence)
        if suggested and _ASKS_EXAMPLES.search(slots.text):
            # Asked what would make good evidence: the specification's suggestions are the fact asked.
            reply.add_list(f"AC{c.id}: suggested evidence" if len(criteria) > 1 else "Suggested evidence", suggested)
            _detail(reply, unit, c, rest, "multi" if len(criteria) > 1 else "", suggested=False)
        else:
            _detail(reply, unit, c, rest, "multi" if len(criteria) > 1 else "")
    return reply


def wording(turn: Turn, slots: Slots) -> Reply:
    """The exact wording of a criterion (or of a learning outcome and its criteria)."""
    criteria = _criteria(slots)
    if not criteria:
        return _lo_reply(turn, slots, "criterion_wording")
    unit = slots.unit
    assert unit is not None
    reply = Reply("answer", "criterion_wording", title=_title(unit, criteria), citation=_cite(turn, unit, criteria),
                  paragraphs=[_lead(unit, c, len(criteria) == 1) for c in criteria],
                  refs=[Ref(unit.code, c.id) for c in criteria])
    more = Reply("answer", "criterion_wording", refs=list(reply.refs))
    for c in criteria:
        lo = unit.learning_outcome(c.lo)
        if lo:
            more.paragraphs.append(f"AC{c.id} sits under learning outcome {lo.number}: “{lo.text}”")
    if more.paragraphs:
        reply.more, reply.more_label = more, "the learning outcome"
    return reply


def depth(turn: Turn, slots: Slots) -> Reply:
    """The depth / indicative content printed for a criterion — or a plain decline when there is none."""
    criteria = _criteria(slots)
    if not criteria:
        return _lo_reply(turn, slots, "criterion_depth")
    unit = slots.unit
    assert unit is not None
    reply = Reply("answer", "criterion_depth", title=_title(unit, criteria), citation=_cite(turn, unit, criteria),
                  refs=[Ref(unit.code, c.id) for c in criteria])
    missing = []
    for c in criteria:
        reply.paragraphs.append(_lead(unit, c, len(criteria) == 1))
        if c.depth:
            reply.add_list(f"Depth for AC{c.id} (what to cover)", list(c.depth))
        else:
            missing.append(c)
    if len(missing) == len(criteria):
        reply.kind = "decline"
        reply.paragraphs.append(
            f"The specification prints no depth or indicative content for {', '.join('AC' + c.id for c in missing)}"
            " of this unit, so I won't make any up.")
        shown = [line for c in missing for line in _split_requirements(c)[0]]
        reply.add_list("What it does say you must show", shown)
    return reply


def sufficiency(turn: Turn, slots: Slots) -> Reply:
    """Advice, never a decision: what the learner proposes against the criterion's requirements."""
    criteria = _criteria(slots)
    if not criteria:
        return _lo_reply(turn, slots, "sufficiency")
    unit, c = slots.unit, criteria[0]
    assert unit is not None
    reply = Reply("answer", "sufficiency", title=f"Is it enough for {unit.code} AC{c.id}?",
                  paragraphs=[_lead(unit, c, True)],
                  citation=cite_criterion(turn.kb, unit, c), refs=[Ref(unit.code, c.id)])
    said = verdicts(c, unit, slots.text)
    reply.paragraphs += said
    # The requirement block is the criterion's sufficiency statement: all of it is the fact asked.
    shown, rest = _split_requirements(c)
    reply.add_list("What the specification says", shown)
    if not c.requirements:
        reply.paragraphs.append("The specification sets no extra sufficiency guidance for this criterion; "
                                "the evidence must do what its wording says.")
    # The kind of evidence proposed ("a witness statement", "a recording") has rules of its own in the
    # qualification: they answer half of "is that enough?".
    said_of_kind = evidence_kind_rules(turn, unit, slots.topic)
    if said_of_kind:
        reply.add_list("On that kind of evidence the specification says", [r.text for r in said_of_kind])
        reply.citation += "; " + cite_rules(turn.kb.qualifications[said_of_kind[0].qualification], said_of_kind)
    reply.paragraphs.append(ASSESSOR_DECIDES)
    _detail(reply, unit, c, rest, "")
    return reply


_EVIDENCE_KINDS = frozenset({"witness_testimony", "reflective_account", "recordings", "simulation",
                             "professional_discussion", "evidence_types"})
MAX_KIND_RULES = 1


def evidence_kind_rules(turn: Turn, unit: Unit, topic: str | None) -> list[Rule]:
    """The statements of the unit's qualification about the kind of evidence a question proposes."""
    if topic not in _EVIDENCE_KINDS:
        return []
    for q in unit.qualifications:
        rules = turn.kb.rules_for(q, topic)
        if rules:
            return rules[:MAX_KIND_RULES]
    return []


# Command verbs phrase criteria, not unit titles: "analysing" in "procurement 1.1 - will analysing two
# bits of legislation do?" must not match the Strategic Data Analysis unit.
_CRITERION_WORDS = frozenset(
    "ac criterion criteria lo outcome learning analyse analyze analysing analyzing evaluate evaluating "
    "evaluation explain explaining describe describing description justify justifying assess assessing "
    "reflect reflecting identify identifying discuss discussing compare comparing demonstrate apply "
    "applying produce producing create creating wording worded manage lead plan critically critical effectively "
    "fully clearly briefly".split())

INTENTS = (
    Intent("criterion_evidence", evidence, needs="criterion", facets=frozenset({"evidence"}),
           examples=("what evidence does ac need", "what do i need to do for", "what do they want for",
                     "how do i meet criterion", "what are the requirements for", "guidance for ac"),
           vocabulary=_CRITERION_WORDS),
    Intent("sufficiency", sufficiency, needs="criterion", facets=frozenset({"sufficiency"}),
           examples=("is one model enough for", "is a description enough", "will two examples do",
                     "would my report count for", "is it enough to describe", "is one theory sufficient"),
           vocabulary=_CRITERION_WORDS),
    Intent("criterion_wording", wording, needs="criterion", facets=frozenset({"wording"}),
           examples=("what does ac say", "what is the wording of", "read me criterion", "what is lo"),
           vocabulary=_CRITERION_WORDS),
    Intent("criterion_depth", depth, needs="criterion", facets=frozenset({"depth"}),
           examples=("what is the indicative content for", "what depth for ac", "what should i cover for"),
           vocabulary=_CRITERION_WORDS),
)
