"""Resolution: turn a message's references into one unit, criterion or qualification — or say why not.

Order of evidence for a unit: what the message names (code, short code, title), narrowed by a
qualification hint, then the conversation (the qualification or unit discussed last). Only when
these leave several candidates does the bot ask; when they leave none, it says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.context import Context
from bot.intent import Slots, Turn
from bot.nlu.topics import detect_fact
from knowledge.kb import KnowledgeBase

TITLE_MARGIN = 8.0        # a title match must lead the next by this much to decide alone
STRONG_TITLE = 0.5        # a message that mentions half a title (by word weight) names that unit
# Topics whose answer differs between qualifications printed in one specification.
PER_QUALIFICATION = frozenset({"structure", "registration", "age", "induction", "tutorial_support",
                               "credits", "glh", "tqt", "number"})


def _one_specification(kb: KnowledgeBase, qualification_ids: list[str]) -> bool:
    documents = {kb.qualifications[q].source.document for q in qualification_ids if kb.qualifications[q].source}
    return len(documents) == 1


@dataclass
class Resolution:
    """``status``: ``ok`` (slots filled), ``ask`` (candidates to choose from), ``none`` (nothing fits),
    or ``unit_only`` (a criterion intent that named a unit but no criterion)."""

    status: str
    what: str = "unit"
    candidates: list[str] = field(default_factory=list)
    message: str = ""


def _narrow(kb: KnowledgeBase, codes: list[str], qualifications: list[str]) -> list[str]:
    """Keep the units of ``qualifications`` when that leaves any (a hint that fits none is ignored)."""
    if not qualifications:
        return codes
    kept = [c for c in codes if set(kb.units[c].qualifications) & set(qualifications)]
    return kept or codes


def _prefer(kb: KnowledgeBase, codes: list[str], turn: Turn) -> list[str]:
    """Several candidates: the person's own qualifications, then their own plan, decide if they can."""
    if len(codes) > 1 and turn.own_qualifications:
        codes = _narrow(kb, codes, turn.own_qualifications)
    if len(codes) > 1 and turn.own_units:
        codes = [c for c in codes if c in turn.own_units] or codes
    return codes


def named_units(kb: KnowledgeBase, slots: Slots, context: Context) -> list[str]:
    """The units the message itself names, narrowed by hints and the conversation's qualification."""
    refs = slots.refs
    if refs.units:
        codes = list(refs.units)
    elif refs.title_units:
        best = refs.title_units[0][1]
        codes = [code for code, score in refs.title_units if best - score < TITLE_MARGIN]
    else:
        return []
    codes = _narrow(kb, codes, refs.qualifications)
    if len(codes) > 1 and context.qualification:
        codes = _narrow(kb, codes, [context.qualification])
    return codes


def _unknown_unit_message(kb: KnowledgeBase, named: str) -> str:
    return (f"I can't find a unit {named} in the qualifications I know. Units are numbered like "
            f"8391-501; you can ask me “what units are in the level 5?” or give me the title.")


def resolve_criterion(turn: Turn, slots: Slots) -> Resolution:
    kb, context = turn.kb, turn.context
    refs = slots.refs
    ac, lo = refs.ac, refs.lo
    candidates = named_units(kb, slots, context)
    if not candidates and refs.unknown_units:
        return Resolution("none", message=_unknown_unit_message(kb, refs.unknown_units[0]))
    if not candidates and context.unit and not refs.names_a_unit:
        # A follow-up ("and 2.3?", "the next one") stays in the unit being discussed.
        unit = kb.unit(context.unit)
        if unit and refs.relative and not ac and context.ac:
            ac = _step(unit, context.ac, refs.relative)
            if ac is None:
                edge = "last" if refs.relative == "next" else "first"
                return Resolution("none", message=f"AC{context.ac} is the {edge} criterion of unit {unit.code}.")
        if unit and ((ac and unit.criterion(ac)) or (lo and unit.learning_outcome(lo))):
            candidates = [unit.code]
    if ac is None and lo is None:
        return Resolution("unit_only", candidates=candidates)
    if candidates and not refs.units and not any(_has(kb, c, ac, lo) for c in candidates) and \
            max(kb.title_coverage(refs.remainder, c) for c in candidates) < STRONG_TITLE:
        # A word or two shared with titles, none of them with the criterion: the words were probably
        # not naming a unit ("AC 6.1 - can I use our H&S policy?"), so look the criterion up instead.
        candidates = []
    if candidates:
        fitting = [c for c in candidates if _has(kb, c, ac, lo)]
        if not fitting:
            unit = kb.units[candidates[0]]
            what = f"criterion {ac}" if ac else f"learning outcome {lo}"
            listing = (", ".join(c.id for c in unit.criteria) if ac
                       else ", ".join(f"LO{x.number}" for x in unit.learning_outcomes))
            if len(candidates) == 1:
                return Resolution("none", message=f"Unit {unit.code} ({unit.title}) has no {what}. "
                                                  f"Its {'criteria' if ac else 'learning outcomes'} are {listing}.")
            return Resolution("none", message=f"None of {', '.join(candidates)} has {what}.")
        candidates = _prefer(kb, fitting, turn) if not refs.units or len(refs.units) > 1 else fitting
    else:
        hint = refs.qualifications or ([context.qualification] if context.qualification else [])
        candidates = _narrow(kb, [u.code for u in kb.units.values() if _has(kb, u.code, ac, lo)], hint)
        if not refs.qualifications:
            candidates = _prefer(kb, candidates, turn)
        if not candidates:
            what = f"a criterion {ac}" if ac else f"a learning outcome {lo}"
            return Resolution("none", message=f"No unit I know has {what}.")
    if len(candidates) > 1:
        return Resolution("ask", candidates=candidates)
    unit = kb.units[candidates[0]]
    slots.unit = unit
    slots.criterion = unit.criterion(ac) if ac else None
    slots.lo = unit.learning_outcome(slots.criterion.lo if slots.criterion else lo)  # type: ignore[arg-type]
    return Resolution("ok")


def _has(kb: KnowledgeBase, code: str, ac: str | None, lo: int | None) -> bool:
    unit = kb.units[code]
    return bool(unit.criterion(ac)) if ac else bool(lo is not None and unit.learning_outcome(lo))


def _step(unit, ac: str, direction: str) -> str | None:
    ids = [c.id for c in unit.criteria]
    if ac not in ids:
        return None
    i = ids.index(ac) + (1 if direction == "next" else -1)
    return ids[i] if 0 <= i < len(ids) else None


def resolve_unit(turn: Turn, slots: Slots, choose_from: str | None = None) -> Resolution:
    kb, context = turn.kb, turn.context
    refs = slots.refs
    candidates = _prefer(kb, named_units(kb, slots, context), turn)
    if not candidates and refs.unknown_units:
        return Resolution("none", message=_unknown_unit_message(kb, refs.unknown_units[0]))
    if not candidates and choose_from and turn.own_qualifications:
        # "I need to add an optional unit": offer the person's own choices, not every unit there is.
        if choose_from == "planned":
            offer = list(turn.own_units)
        else:
            offer = [c for q in turn.own_qualifications for c in kb.qualifications[q].units if c not in turn.own_units]
        if len(offer) == 1:
            slots.unit = kb.units[offer[0]]
            return Resolution("ok")
        if offer:
            return Resolution("ask", candidates=offer)
    if not candidates and context.unit:
        candidates = [context.unit]
    if not candidates:
        hint = refs.qualifications or ([context.qualification] if context.qualification else [])
        if len(hint) == 1:
            return Resolution("ask", candidates=list(kb.qualifications[hint[0]].units))
        return Resolution("ask", candidates=[])
    if len(candidates) > 1:
        return Resolution("ask", candidates=candidates)
    slots.unit = kb.units[candidates[0]]
    return Resolution("ok")


def resolve_qualification(turn: Turn, slots: Slots, covers: list[str]) -> Resolution:
    """``covers``: the qualifications whose specification speaks to the question's topic."""
    kb, context = turn.kb, turn.context
    refs = slots.refs
    if refs.qualifications:
        candidates = list(refs.qualifications)
    else:
        units = named_units(kb, slots, context)
        from_units = sorted({q for code in units for q in kb.units[code].qualifications})
        if from_units:
            candidates = from_units
        elif context.qualification:
            candidates = [context.qualification]
        elif turn.own_qualifications:
            candidates = list(turn.own_qualifications)
        else:
            candidates = covers
    if not candidates:
        return Resolution("none", what="qualification",
                          message="None of the qualification specifications I know says anything about that, "
                                  "so I can't answer it. Your tutor or centre can tell you.")
    asked = slots.topic or detect_fact(slots.text)
    if len(candidates) > 1 and _one_specification(kb, candidates) and asked not in PER_QUALIFICATION:
        # The Award and Diploma in Management share one specification and its rules: no need to ask.
        candidates = candidates[:1]
    if len(candidates) > 1:
        return Resolution("ask", what="qualification", candidates=candidates)
    slots.qualification = kb.qualifications[candidates[0]]
    return Resolution("ok", what="qualification")
