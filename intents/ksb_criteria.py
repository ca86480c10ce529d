"""Which criteria cover a KSB ("which AC covers K7?", "and S3?"): the criteria that print its code, within
the unit the message names or the conversation is about when that unit prints it, else in every unit."""

from __future__ import annotations

from bot.cite import cite_criterion, unit_label
from bot.intent import Intent, Slots, Turn
from bot.types import Ref, Reply
from knowledge.ksbs import codes_in, criteria_covering

MAX_LISTED = 8


def ksb_criteria(turn: Turn, slots: Slots) -> Reply:
    kb = turn.kb
    codes = codes_in(slots.text, kb)
    units = list(slots.refs.units) or ([turn.context.unit] if turn.context.unit else [])
    reply = Reply("answer", "ksb_criteria", facet="ksbs")
    citations: list[str] = []
    for code in codes:
        found = criteria_covering(kb, code, units) or criteria_covering(kb, code)
        items = [f"{unit_label(u)} AC{c.id}: “{c.text}”" for u, c in found[:MAX_LISTED]]
        if len(found) > MAX_LISTED:
            items.append(f"… and {len(found) - MAX_LISTED} more criteria")
        reply.add_list(f"{code} is covered by", items)
        reply.refs += [Ref(u.code, c.id) for u, c in found]
        citations += [cite_criterion(kb, u, c) for u, c in found[:2]]
    reply.citation = "; ".join(dict.fromkeys(citations))
    if len(reply.refs) == 1:
        # One criterion: the conversation is now about it ("is a report enough for it?").
        slots.unit = kb.units[reply.refs[0].unit]
        slots.criterion = slots.unit.criterion(reply.refs[0].ac or "")
    return reply


INTENTS = (Intent("ksb_criteria", ksb_criteria),)
