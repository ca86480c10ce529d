"""Comparing units on a fact every unit states (credits, guided learning hours): the units the message
names, else those the last answer listed when it points back at them, else the units of the qualification
named or being discussed. Only values the specification prints are compared; a unit without one is named
as such, never guessed."""

from __future__ import annotations

from bot.cite import cite_unit, unit_label
from bot.intent import Intent, Slots, Turn
from bot.nlu.compare import comparison
from bot.types import Ref, Reply

_NAMES = {"credits": "credits", "glh": "guided learning hours"}


def _candidates(turn: Turn, slots: Slots, back: bool) -> tuple[list[str], str]:
    """The units to compare, and how to name them."""
    refs = slots.refs
    if len(refs.units) >= 2:
        return list(refs.units), "the units you named"
    if back and turn.context.listed:
        return list(turn.context.listed), "those units"
    quals = refs.qualifications or ([turn.context.qualification] if turn.context.qualification else []) \
        or turn.own_qualifications
    if len(quals) == 1 and quals[0] in turn.kb.qualifications:
        q = turn.kb.qualifications[quals[0]]
        return list(q.units), f"the units of the {q.title}"
    return [], ""


def compare_units(turn: Turn, slots: Slots) -> Reply:
    asked = comparison(slots.text)
    assert asked is not None
    codes, which = _candidates(turn, slots, asked.back)
    if len(codes) < 2:
        return Reply("clarify", "compare_units", paragraphs=[
            f"Which units shall I compare on {_NAMES[asked.fact]}? Name a qualification (for example "
            "“level 5”) or the units themselves."])
    units = [turn.kb.units[c] for c in codes if c in turn.kb.units]
    valued = [(u, getattr(u, asked.fact)) for u in units if getattr(u, asked.fact) is not None]
    unstated = [u for u in units if getattr(u, asked.fact) is None]
    if not valued:
        return Reply("decline", "compare_units", paragraphs=[
            f"The specification gives no {_NAMES[asked.fact]} for {which}, so I can't compare them."])
    best = min(v for _, v in valued) if asked.fewest else max(v for _, v in valued)
    winners = [u for u, v in valued if v == best]
    way = "fewest" if asked.fewest else "most"
    labels = [unit_label(u) for u in winners]
    names = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
    lead = (f"Of {which}, {names} {'has' if len(winners) == 1 else 'have'} the {way} {_NAMES[asked.fact]}: "
            f"{best:g}.")
    reply = Reply("answer", "compare_units", paragraphs=[lead], citation=cite_unit(turn.kb, winners[0]),
                  refs=[Ref(u.code) for u in winners], facet=asked.fact)
    reply.add_list("", [f"{unit_label(u)}: {v:g}" for u, v in sorted(valued, key=lambda x: x[1],
                                                                        reverse=not asked.fewest)])
    if unstated:
        reply.add_list(f"No {_NAMES[asked.fact]} printed for", [unit_label(u) for u in unstated])
    return reply


INTENTS = (Intent("compare_units", compare_units),)
