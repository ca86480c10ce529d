"""A tutor's reminders for their learners: one learner ("remind Alice to send her draft by Friday": the day
before and on the day), all their learners, or a cohort ("remind my learners to submit unit 501 by 14
March 2027": nudges three weeks and a day before, to the learners whose plan has the unit, with the
sender told who was left out and why). Tutors reach their own learners; centre managers and admins a
cohort of their centre.
"""

from __future__ import annotations

import re
from datetime import date

from bot.dates import uk_date
from bot.intent import Slots, Turn
from bot.records.cohort import cohort_members
from bot.records.people import Person, get_person, learners_of
from bot.records.plan import plan_of
from bot.records.registration import current_registration
from bot.reminders.hours import load_prefs
from bot.reminders.rules import create_rule, describe_schedule
from bot.types import Choice, Ref, Reply
from intents.reminder_timing import PERSON_DAYS_BEFORE, first_due, hours_note, read_schedule, status_note, zone_of
from intents.reminder_wording import OTHER_WORDS, PREFIX, compose_message, name_of, no_message

GROUP_DAYS_BEFORE = (21, 1)       # a tutor's deadline for the group: three weeks before, and the day before
STAFF = ("tutor", "manager", "admin")
_UNIT_WORD = re.compile(r"\bunits?\b|\bmodules?\b", re.IGNORECASE)


def set_for(turn: Turn, learner: Person, when: str, what: str) -> Reply:
    """A tutor's reminder for one learner: a deadline gets the day before and the day itself."""
    assert turn.person is not None and turn.db is not None
    name = name_of(learner)
    if not what:
        return no_message(name)
    prefs = load_prefs(turn.db, learner.id)
    read = read_schedule(turn, when, prefs.zone, PERSON_DAYS_BEFORE)
    if isinstance(read, Reply):
        return read
    schedule, notes = read
    message = compose_message(what, schedule, name_of(turn.person), OTHER_WORDS)
    rule = create_rule(turn.db, turn.person.id, "person", learner.id, schedule, message, turn.now)
    reply = Reply("done", "reminder_set", paragraphs=[
        f"Done — I'll remind {name} {describe_schedule(schedule)} (their local time): "
        f"“{PREFIX.sub('', message).rstrip('.')}”.", *notes], about=learner.id,
        undo={"op": "reminder_set", "rules": [rule.id], "person": learner.id})
    today = turn.now.astimezone(prefs.zone).date()
    for note in (hours_note(prefs, schedule, turn.now, "their"), status_note(prefs, today, name)):
        if note:
            reply.paragraphs.append(note)
    return reply


def _group_unit(turn: Turn, slots: Slots, learners: list[str]) -> str | None | Reply:
    """The unit a group reminder is about (its learners must have it in their plan), if it names one."""
    assert turn.db is not None
    refs = slots.refs
    if refs.unknown_units and not refs.units:
        return Reply("error", "reminder_set", paragraphs=[f"There's no unit {refs.unknown_units[0]}, so I haven't "
                                                          "set anything."])
    codes = list(refs.units)
    if not codes and _UNIT_WORD.search(slots.text):
        codes = [code for code, _ in refs.title_units]
    if len(codes) <= 1:
        return codes[0] if codes else None
    planned = set()
    for learner in learners:
        reg = current_registration(turn.db, learner)
        planned |= {u.code for u in plan_of(turn.db, reg.id)} if reg else set()
    narrowed = [c for c in codes if c in planned]
    if len(narrowed) == 1:
        return narrowed[0]
    options = narrowed or codes
    short = re.search(r"\b(\d{3})\b", slots.text)
    return Reply("clarify", "reminder_set", paragraphs=["Which unit do you mean?"], choices=[
        Choice(f"{c} {turn.kb.units[c].title}",
               slots.text.replace(short.group(1), c, 1) if short and c.endswith(short.group(1)) else c)
        for c in options])


def cohort_denied() -> Reply:
    return Reply("denied", "reminder_set", paragraphs=[
        "Only tutors and centre managers can set reminders for a cohort. I can set one for you, though — "
        "for example “remind me on Friday to email my tutor”."])


def set_group(turn: Turn, slots: Slots, when: str, what: str, cohort: dict | None = None) -> Reply:
    """"Remind my learners to submit unit 501 by 14 March 2027" (or "the Spring 2026 cohort"): nudges three
    weeks and a day before, to the learners whose plan has the unit; the sender hears who was left out and
    why. Tutors reach their own learners (in the cohort, when one is named); managers a cohort of their
    centre."""
    assert turn.person is not None and turn.db is not None
    tutor = turn.person
    if cohort is not None:
        if tutor.role not in STAFF:
            return cohort_denied()
        learners = cohort_members(turn.db, cohort["id"], tutor)
        group = f"the {cohort['name']} cohort" if tutor.role != "tutor" else f"your learners in {cohort['name']}"
        if not learners:
            return Reply("error", "reminder_set", paragraphs=[
                f"There's nobody to remind: {group} has no learners on the roster."
                if tutor.role != "tutor" else f"None of your learners is in the {cohort['name']} cohort."])
    else:
        if tutor.role != "tutor":
            return Reply("denied", "reminder_set", paragraphs=[
                "Only tutors can set reminders for their learners. I can set one for you, though — for example "
                "“remind me on Friday to email my tutor”."])
        learners = learners_of(turn.db, tutor.id)
        group = "your learners"
        if not learners:
            return Reply("error", "reminder_set", paragraphs=["You have no learners on the roster yet, so there's "
                                                              "nobody to remind. Your centre adds them."])
    if not what:
        return no_message(group)
    unit = _group_unit(turn, slots, learners)
    if isinstance(unit, Reply):
        return unit
    zone = zone_of(turn, tutor.id)
    read = read_schedule(turn, when, zone, GROUP_DAYS_BEFORE)
    if isinstance(read, Reply):
        return read
    schedule, notes = read
    deadline = date.fromisoformat(schedule["date"]) if schedule["type"] == "deadline" else None
    first = first_due(schedule, zone, turn.now)
    getting: list[str] = []
    left_out: list[str] = []
    exclude: list[str] = []
    for learner_id in learners:
        learner = get_person(turn.db, learner_id)
        if learner is None:
            continue                 # erased: nothing to send and nothing to say
        name = name_of(learner)
        reg = current_registration(turn.db, learner_id)
        if reg is None:
            left_out.append(f"{name} — no current registration")
            continue
        if reg.status != "active":
            left_out.append(f"{name} — on a break from learning")
            continue
        if unit and unit not in {u.code for u in plan_of(turn.db, reg.id)}:
            left_out.append(f"{name} — {unit} isn't in their plan")
            continue
        if deadline and reg.expires_on and reg.expires_on < deadline:
            exclude.append(learner_id)
            left_out.append(f"{name} — their registration expires on {uk_date(reg.expires_on)}, before the deadline")
            continue
        prefs = load_prefs(turn.db, learner_id)
        if prefs.opted_out:
            left_out.append(f"{name} — has turned reminders off")
            continue
        if prefs.paused_until and first and prefs.paused_until > first.astimezone(prefs.zone).date():
            if deadline and prefs.paused_until > deadline:
                left_out.append(f"{name} — reminders paused until {uk_date(prefs.paused_until)}, after the deadline")
                continue
            getting.append(f"{name} (reminders paused until {uk_date(prefs.paused_until)}, so from then)")
            continue
        getting.append(name)
    who = group + (f" with {unit} in their plan" if unit else "")
    if not getting:
        reply = Reply("error", "reminder_set", paragraphs=[f"I haven't set it — none of {who} would get it."],
                      refs=[Ref(unit)] if unit else [])
        reply.add_list("Left out", left_out)
        return reply
    if exclude:
        schedule = {**schedule, "exclude": exclude}
    message = compose_message(what, schedule, name_of(tutor), OTHER_WORDS)
    if cohort is not None:
        create_rule(turn.db, tutor.id, "cohort", str(cohort["id"]), schedule, message, turn.now, subject=unit)
    else:
        create_rule(turn.db, tutor.id, "tutor_learners", tutor.id, schedule, message, turn.now, subject=unit)
    reply = Reply("done", "reminder_set", paragraphs=[
        f"Done — I'll remind {who} {describe_schedule(schedule)} (each in their local time): "
        f"“{PREFIX.sub('', message).rstrip('.')}”.", *notes], refs=[Ref(unit)] if unit else [])
    reply.add_list("Will get it", getting)
    reply.add_list("Left out", left_out)
    return reply
