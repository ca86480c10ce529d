"""Setting a reminder: "remind me every Thursday at 6pm to write up my reflective log".

Anyone the bot knows — enrolled or not — may set reminders for themselves; a request for someone else
(a learner, "my learners", a cohort) goes to :mod:`intents.reminder_learners` once the audience is
known and the speaker may reach it (``bot.records.authz.can_access``'s call). Schedules are read by
:mod:`bot.reminders.schedule`; nothing vague is guessed — the person is asked.
"""

from __future__ import annotations

import re

from bot.intent import Slots, Turn
from bot.records.authz import can_access
from bot.records.cohort import cohort_in_text
from bot.records.mentions import mention
from bot.records.people import Person
from bot.reminders.hours import load_prefs
from bot.reminders.request import split_reminder
from bot.reminders.rules import create_rule, describe_schedule
from bot.types import Choice, Reply
from intents.reminder_learners import STAFF, cohort_denied, set_for, set_group
from intents.reminder_timing import PERSON_DAYS_BEFORE, hours_note, read_schedule, status_note
from intents.reminder_wording import OWN_WORDS, PREFIX, compose_message, no_message

_OWN_AUDIENCE = re.compile(r"^(?:me|us|myself|ourselves)?$", re.IGNORECASE)
_GROUP_AUDIENCE = re.compile(r"^(?:all\s+(?:of\s+)?)?(?:my|our)\s+(?:learners|students|group|groups|cohort|class|"
                             r"apprentices|candidates)$|^everyone$|^all$", re.IGNORECASE)
_COHORT_AUDIENCE = re.compile(r"^(?:the\s+)?(?:(?P<before>.+?)\s+(?:cohort|group|class)|(?:cohort|group|class)\s+"
                              r"(?P<after>.+))$", re.IGNORECASE)
_PRONOUN_AUDIENCE = re.compile(r"^(?:her|him|them)$", re.IGNORECASE)


def set_reminder(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    parts = split_reminder(slots.text)
    audience = parts.audience.strip()
    if _OWN_AUDIENCE.match(audience):
        return _set_own(turn, parts.when, parts.message)
    if _GROUP_AUDIENCE.match(audience):
        return set_group(turn, slots, parts.when, parts.message)
    found = mention(turn.db, f"for {audience}", turn.person, turn.context.person)
    if found is None and _PRONOUN_AUDIENCE.match(audience):
        # A pronoun as the audience ("tell <name> …; remind them …"): the person named earlier in the message.
        found = mention(turn.db, slots.text, turn.person, turn.context.person)
    if found is not None and found.ambiguous:
        names = [p.name or p.id for p in found.ambiguous]
        return Reply("clarify", "reminder_set", paragraphs=[f"Which {found.name} — {' or '.join(names)}?"],
                     choices=[Choice(n, n) for n in names], asks={"phrase": found.name})
    named = found.person if found is not None else None
    if not isinstance(named, Person):
        cohort = cohort_in_text(turn.db, turn.person, audience)
        if cohort is not None:
            return set_group(turn, slots, parts.when, parts.message, cohort)
        said = _COHORT_AUDIENCE.match(audience)
        if said and turn.person.role not in STAFF:
            return cohort_denied()        # whether or not it exists: a learner learns nothing of other cohorts
        if said:
            name = (said.group("before") or said.group("after")).strip()
            return Reply("decline", "reminder_set", paragraphs=[
                f"I don't know a cohort called “{name}”{'' if turn.person.role == 'admin' else ' at your centre'}, "
                "so I haven't set anything. Check its name with your centre, or say “remind my learners …”."])
        return Reply("decline", "reminder_set", paragraphs=[
            f"I don't know anyone called {audience} on the roster. I can set reminders for you, and tutors can set "
            "them for their own learners."])
    if not (turn.person.role in STAFF and can_access(turn.db, turn.person, named.id)):
        return Reply("denied", "reminder_set", paragraphs=[
            "Sorry — you can set reminders for yourself, and tutors for their own learners, but not for other "
            "people."])
    return set_for(turn, named, parts.when, parts.message)


def _set_own(turn: Turn, when: str, what: str) -> Reply:
    assert turn.person is not None and turn.db is not None
    if not what:
        return no_message("you")
    prefs = load_prefs(turn.db, turn.person.id)
    read = read_schedule(turn, when, prefs.zone, PERSON_DAYS_BEFORE)
    if isinstance(read, Reply):
        return read
    schedule, notes = read
    message = compose_message(what, schedule, None, OWN_WORDS)
    rule = create_rule(turn.db, turn.person.id, "person", turn.person.id, schedule, message, turn.now)
    reply = Reply("done", "reminder_set", paragraphs=[
        f"Done — I'll remind you {describe_schedule(schedule)}: “{PREFIX.sub('', message).rstrip('.')}”.", *notes],
        suggestions=["What reminders do I have?"],
        undo={"op": "reminder_set", "rules": [rule.id], "person": turn.person.id})
    for note in (hours_note(prefs, schedule, turn.now), status_note(prefs, turn.now.astimezone(prefs.zone).date())):
        if note:
            reply.paragraphs.append(note)
    return reply
