"""Changing a plan: add units, drop units (or swap one for another), set target dates — for the learner,
or a learner's target by their tutor. Every reply says exactly what was stored (whose, which units, which
date); an unclear date or a person who could be two people is asked about first and nothing is stored
until it is answered. Each change can be undone right after ("undo that")."""

from __future__ import annotations

import re
from datetime import date, datetime

from bot.cite import unit_label
from bot.dates import uk_date
from bot.intent import Intent, Slots, Turn
from bot.nlu.refs import fits_hints
from bot.records.decisions import may_decide
from bot.records.people import Person
from bot.records.plan import PlanCheck, PlanError, add_unit, check_plan, drop_unit, plan_of, set_target
from bot.records.registration import Registration
from bot.reminders.days import parse_day
from bot.reminders.errors import ScheduleError, UnclearSchedule
from bot.resolve import best
from bot.types import Choice, Ref, Reply
from intents.records import named_person, registration_of

# Where a date may start: after "by", "for", "target", …; the whole text is tried last.
_DATE_WORD = re.compile(r"\b(?:by|before|on|for|until|till|to|of|target|in|due)\s+(?:the\s+)?", re.IGNORECASE)
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
_HAS_DATE = re.compile(r"\d(?:st|nd|rd|th)?\b|\b(?:" + _MONTHS + r")\b|"
                       r"\bend of\b|\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b|"
                       r"\btomorrow\b|\bin (?:a|an|one|two|three|four|five|six|\d+) (?:days?|weeks?|months?)\b|"
                       r"\bfortnight\b|\bhalf[- ]?term\b|\bchristmas\b|\beaster\b|\bterm\b", re.IGNORECASE)
_SWAP = re.compile(r"\binstead\b|\bswap\b|\breplace\b|\brather than\b", re.IGNORECASE)
_TARGET_QUERY = re.compile(r"^\s*(?:when(?:'s| is| are)?|what(?:'s| is))\b", re.IGNORECASE)


def foreign_units(turn: Turn, slots: Slots, among: list[str]) -> list[str]:
    """Units the request names by code that are not among ``among`` (another qualification's)."""
    return [c for c in slots.refs.units if c not in among and not any(
        u.code in among for u in turn.kb.units_by_short_code(turn.kb.units[c].short_code))]


def units_named(turn: Turn, slots: Slots, among: list[str]) -> list[str]:
    """The units a request names, in order, among ``among`` (a qualification's units): codes, short codes,
    titles and title words ("the HR unit")."""
    refs = slots.refs
    found = [c for c in refs.units if c in among]
    scored = {c: s for c, s in refs.title_units if c in among and fits_hints(turn.kb, c, refs)}
    found += [c for c in best(scored) if c not in found] if scored else []
    return found


class _DateProblem(Exception):
    def __init__(self, reply: Reply):
        self.reply = reply


def date_in(turn: Turn, slots: Slots, intent: str) -> date | None:
    """The date a request gives ("by end of March", "in two weeks", "next Friday"), or None when it gives
    none. Raises :class:`_DateProblem` with the reply when the date is unclear (a question) or impossible."""
    text = slots.text
    for span in sorted(slots.refs.spans, key=lambda s: -s.start):
        if span.kind in ("unit", "ac"):
            text = text[:span.start] + " " + text[span.end:]
    # The phrase after the last "by"/"for"/… first (the most specific), the whole text last.
    starts = sorted({m.end() for m in _DATE_WORD.finditer(text)}, reverse=True)
    candidates = [text[s:] for s in starts] + [text]
    now = datetime.combine(turn.now.date(), datetime.min.time())
    first_problem: Reply | None = None
    for candidate in candidates:
        if not _HAS_DATE.search(candidate):
            continue
        try:
            found = parse_day(candidate, now)
        except UnclearSchedule as exc:
            if exc.choices:
                raise _DateProblem(Reply("clarify", intent, paragraphs=[str(exc)],
                                         choices=[Choice(c, c) for c in exc.choices],
                                         asks={"phrase": exc.phrase})) from exc
            first_problem = first_problem or Reply("clarify", intent, paragraphs=[str(exc)], asks={"phrase": ""})
            continue
        except ScheduleError as exc:
            first_problem = first_problem or Reply("error", intent, paragraphs=[
                f"{exc}. Please give a real date, like “31 March 2027” or “31/03/2027”."])
            continue
        if found is not None:
            return found
    if first_problem is not None:
        raise _DateProblem(first_problem)
    return None


def _rules_note(reply: Reply, check: PlanCheck, whose: str) -> None:
    if check.complete:
        reply.paragraphs.append(f"{whose} plan now meets the rules of combination.")
    else:
        reply.add_list("To meet the rules of combination you still need", check.missing)


def _target_all(turn: Turn, reg: Registration, codes: list[str], target: date, actor: str) -> None:
    assert turn.db is not None
    for code in codes:
        set_target(turn.db, reg, code, target, turn.now, actor)


def plan_add(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    reg = registration_of(turn, turn.person, "plan_add")
    if isinstance(reg, Reply):
        return reg
    q = turn.kb.qualifications[reg.qualification_id]
    planned = [u.code for u in plan_of(turn.db, reg.id)]
    codes = units_named(turn, slots, list(q.units))
    foreign = foreign_units(turn, slots, list(q.units))
    if foreign and not codes:
        return Reply("error", "plan_add", paragraphs=[f"{unit_label(turn.kb.units[foreign[0]])} isn't a unit of the "
                                                      f"{q.title}, so it can't go in your plan."],
                     refs=[Ref(foreign[0])])
    if not codes:
        offer = [c for c in q.units if c not in planned]
        return Reply("clarify", "plan_add", paragraphs=["Which unit would you like to add?"],
                     choices=[Choice(unit_label(turn.kb.units[c]), c) for c in offer], asks={"phrase": ""})
    try:
        target = date_in(turn, slots, "plan_add")
    except _DateProblem as problem:
        return problem.reply
    added: list[str] = []
    try:
        with turn.db.atomic():
            check = None
            for code in codes:
                if code in planned:
                    continue
                check = add_unit(turn.db, turn.kb, reg, code, turn.now, turn.person.id)
                added.append(code)
            if target is not None:
                _target_all(turn, reg, codes, target, turn.person.id)
    except PlanError as exc:
        return Reply("error", "plan_add", paragraphs=[str(exc)], refs=[Ref(c) for c in codes])
    labels = " and ".join(unit_label(turn.kb.units[c]) for c in added)
    if not added:
        already = " and ".join(unit_label(turn.kb.units[c]) for c in codes)
        if target is None:
            return Reply("error", "plan_add", paragraphs=[f"{already} is already in your plan."],
                         refs=[Ref(c) for c in codes])
        reply = Reply("done", "plan_add", paragraphs=[f"{already} was already in your plan; target set to "
                                                      f"{uk_date(target)}."], refs=[Ref(c) for c in codes])
        return reply
    said = f"Added {labels} to your plan" + (f", with a target of {uk_date(target)}." if target else ".")
    reply = Reply("done", "plan_add", paragraphs=[said], refs=[Ref(c) for c in added],
                  undo={"op": "plan_add", "registration": reg.id, "units": added, "person": turn.person.id})
    _rules_note(reply, check or check_plan(turn.kb, q, planned + added), "Your")
    return reply


def plan_drop(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    reg = registration_of(turn, turn.person, "plan_drop")
    if isinstance(reg, Reply):
        return reg
    q = turn.kb.qualifications[reg.qualification_id]
    plan = {u.code: u for u in plan_of(turn.db, reg.id)}
    codes = units_named(turn, slots, list(q.units))
    dropping = [c for c in codes if c in plan]
    if not dropping:
        if codes:
            return Reply("error", "plan_drop", paragraphs=[f"{unit_label(turn.kb.units[codes[0]])} isn't in your "
                                                           "plan, so there's nothing to drop."])
        return Reply("clarify", "plan_drop", paragraphs=["Which unit would you like to drop?"],
                     choices=[Choice(unit_label(turn.kb.units[c]), c) for c in plan], asks={"phrase": ""})
    drop = dropping[0]
    swap_in = [c for c in codes if c not in plan] if _SWAP.search(slots.text) else []
    try:
        target = date_in(turn, slots, "plan_drop") if swap_in else None
    except _DateProblem as problem:
        return problem.reply
    try:
        with turn.db.atomic():
            check = drop_unit(turn.db, turn.kb, reg, drop, turn.now, turn.person.id)
            for code in swap_in:
                check = add_unit(turn.db, turn.kb, reg, code, turn.now, turn.person.id)
            if target is not None:
                _target_all(turn, reg, swap_in, target, turn.person.id)
    except PlanError as exc:
        return Reply("error", "plan_drop", paragraphs=[str(exc)], refs=[Ref(c) for c in codes])
    said = f"Removed {unit_label(turn.kb.units[drop])} from your plan"
    if swap_in:
        said += " and added " + " and ".join(unit_label(turn.kb.units[c]) for c in swap_in)
        said += f", with a target of {uk_date(target)}." if target else "."
    else:
        said += "."
    reply = Reply("done", "plan_drop", paragraphs=[said], refs=[Ref(drop), *(Ref(c) for c in swap_in)])
    if not swap_in:
        before = plan[drop]
        reply.undo = {"op": "plan_drop", "registration": reg.id, "unit": drop, "person": turn.person.id,
                      "target": before.target_date.isoformat() if before.target_date else None,
                      "mandatory": int(before.mandatory)}
    _rules_note(reply, check, "Your")
    return reply


def _target_answer(turn: Turn, person: Person, reg: Registration, codes: list[str]) -> Reply:
    """"When's my target for 701?" — the date set, for the person or someone they may see."""
    assert turn.db is not None
    planned = {u.code: u for u in plan_of(turn.db, reg.id)}
    lines = [f"The target for {unit_label(turn.kb.units[c])} is {uk_date(planned[c].target_date)}."
             for c in codes if c in planned and planned[c].target_date]
    if not lines:
        return Reply("decline", "plan_target", paragraphs=["No target date is set for "
                                                           f"{' or '.join(codes) or 'that unit'}."],
                     refs=[Ref(c) for c in codes])
    return Reply("answer", "plan_target", paragraphs=lines, refs=[Ref(c) for c in codes])


def plan_target(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    named = named_person(turn, slots, "plan_target")
    if isinstance(named, Reply):
        return named
    person = named or turn.person
    own = person.id == turn.person.id
    reg = registration_of(turn, person, "plan_target")
    if isinstance(reg, Reply):
        return reg
    q = turn.kb.qualifications[reg.qualification_id]
    planned = [u.code for u in plan_of(turn.db, reg.id)]
    codes = units_named(turn, slots, list(q.units)) or ([turn.context.unit] if turn.context.unit in planned else [])
    try:
        target = date_in(turn, slots, "plan_target")
    except _DateProblem as problem:
        return problem.reply
    if target is None and _TARGET_QUERY.search(slots.text):
        return _target_answer(turn, person, reg, codes)
    if not own and not may_decide(turn.db, turn.person, person.id):
        return Reply("denied", "plan_target", paragraphs=[
            "A learner's target dates are set by the learner or their tutor — ask them, or set a reminder "
            "for them."])
    if target is None:
        what = unit_label(turn.kb.units[codes[0]]) if codes else "it"
        return Reply("clarify", "plan_target", paragraphs=[f"By when would you like to finish {what}? For "
                                                           "example “by 31 March 2027”."], asks={"phrase": ""})
    if not codes:
        return Reply("clarify", "plan_target", paragraphs=[f"Which unit is the target of {uk_date(target)} for?"],
                     choices=[Choice(unit_label(turn.kb.units[c]), c) for c in planned], asks={"phrase": ""})
    missing = [c for c in codes if c not in planned]
    if missing:
        whose = "your" if own else f"{person.name}'s"
        return Reply("error", "plan_target", paragraphs=[
            f"{unit_label(turn.kb.units[missing[0]])} isn't in {whose} plan yet — add it first, then set a "
            "target date."], refs=[Ref(missing[0])])
    before = {u.code: u.target_date for u in plan_of(turn.db, reg.id)}
    try:
        with turn.db.atomic():
            _target_all(turn, reg, codes, target, turn.person.id)
    except PlanError as exc:
        return Reply("error", "plan_target", paragraphs=[str(exc)], refs=[Ref(c) for c in codes])
    whose = "" if own else f"{person.name}'s "
    said = f"Target for {whose}{' and '.join(unit_label(turn.kb.units[c]) for c in codes)} set to {uk_date(target)}."
    reply = Reply("done", "plan_target", paragraphs=[said], refs=[Ref(c) for c in codes],
                  about=None if own else person.id)
    if reg.expires_on and target > reg.expires_on:
        # Stored as asked — it is their plan — but a target after expiry would be too late to count.
        reply.paragraphs.append(f"Careful: that is after {'your' if own else person.name + chr(8217) + 's'} "
                                f"registration expires on {uk_date(reg.expires_on)}, so work finished then "
                                "would be too late to count. It's worth agreeing an earlier date with the tutor.")
    first = codes[0]
    reply.undo = {"op": "plan_target", "registration": reg.id, "unit": first, "person": person.id,
                  "before": before[first].isoformat() if before.get(first) else None}
    return reply


INTENTS = (
    Intent("plan_add", plan_add, personal=True, acts=True,
           examples=("add unit 503", "i'd like to take 504", "add 505 to my plan")),
    Intent("plan_drop", plan_drop, personal=True, acts=True,
           examples=("drop 504", "remove unit 503 from my plan", "take 504 out of my plan")),
    Intent("plan_target", plan_target, personal=True, acts=True,
           examples=("aim to finish 501 by 31 march", "target date for 502 is 14/03/2027")),
)
