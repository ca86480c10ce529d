"""A person's reminder hours and whether reminders come at all: "quiet hours 10pm to 7am", "only Sunday
mornings", "pause my reminders until 5 January", "start reminders again", "stop reminders".

A learner's tutor, centre manager or an admin may pause or restart a learner's reminders (the same rule
as for their records), and the learner is told; turning reminders off is each person's own choice.
"""

from __future__ import annotations

from typing import Any

from bot.dates import uk_date
from bot.intent import Slots, Turn
from bot.records.audit import record
from bot.records.mentions import mentioned_person
from bot.records.people import Person
from bot.reminders.errors import PreferenceError, ScheduleError, UnclearSchedule
from bot.reminders.hours import load_prefs, save_prefs
from bot.reminders.notices import tell
from bot.reminders.preferences import describe_prefs, parse_preferences, parse_until
from bot.types import Choice, Reply
from intents.records import subject
from intents.reminder_wording import name_of


def _audit(turn: Turn, action: str, subject: str, **detail: Any) -> None:
    assert turn.db is not None and turn.person is not None
    record(turn.db, turn.now, turn.person.id, action, subject, **detail)


def set_preferences(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    try:
        change = parse_preferences(slots.text)
    except PreferenceError as exc:
        return Reply("clarify", "reminder_prefs", paragraphs=[f"{exc}."])
    prefs = change.apply(load_prefs(turn.db, turn.person.id))
    save_prefs(turn.db, turn.person.id, prefs)
    _audit(turn, "reminder_prefs", turn.person.id, said=list(change.said))
    reply = Reply("done", "reminder_prefs", paragraphs=["Saved. " + " ".join(change.said)])
    reply.facts = describe_prefs(prefs)
    return reply


def _whose(turn: Turn, slots: Slots, intent: str, verb: str) -> Person | Reply:
    """Whose reminders: the speaker's, or a named learner's when the speaker may act for them (their tutor,
    centre manager, an admin) — the same rule as for their records."""
    return subject(turn, slots, intent, denied=f"Sorry — you can only {verb} your own reminders. A learner's "
                                                f"tutor can {verb} theirs.")


def pause_reminders(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    person = _whose(turn, slots, "reminder_pause", "pause")
    if isinstance(person, Reply):
        return person
    own = person.id == turn.person.id
    prefs = load_prefs(turn.db, person.id)
    try:
        until = parse_until(slots.text, turn.now, prefs.zone)
    except UnclearSchedule as exc:
        return Reply("clarify", "reminder_pause", paragraphs=[f"Until when? {exc}"],
                     choices=[Choice(c, c) for c in exc.choices], asks={"phrase": exc.phrase})
    except ScheduleError as exc:
        return Reply("error", "reminder_pause", paragraphs=[f"{exc}. Please give the date to start again, like "
                                                            "“until 5 January”."])
    if until is None:
        return Reply("clarify", "reminder_pause", paragraphs=[
            "Until when? Tell me the date to start again — for example “pause my reminders until 5 January”. (To "
            "turn them off altogether, say “stop reminders”.)"])
    before = prefs.paused_until
    prefs.paused_until = until
    save_prefs(turn.db, person.id, prefs)
    _audit(turn, "reminder_pause", person.id, until=until.isoformat())
    if not own:
        tell(turn.db, person.id, f"pause:{person.id}:{turn.now.isoformat()}", turn.now,
             f"{name_of(turn.person)} has paused your reminders until {uk_date(until)} — nothing will be sent before "
             "then. Reply “start my reminders again” any time to have them back sooner.")
    whose = "your" if own else f"{name_of(person)}'s"
    reply = Reply("done", "reminder_pause", paragraphs=[
        f"Paused {whose} reminders until {uk_date(until)} — nothing is sent before then, and they start again "
        f"on {uk_date(until)}." + ("" if own else f" {name_of(person)} has been told.")],
        about=None if own else person.id,
        undo={"op": "reminder_pause", "person": person.id, "before": before.isoformat() if before else None})
    if prefs.opted_out:
        reply.paragraphs.append(("You've" if own else f"{name_of(person)} has") + " also turned reminders off, so "
                                "nothing will come after the pause either until they're turned back on.")
    return reply


def resume_reminders(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    person = _whose(turn, slots, "reminder_resume", "restart")
    if isinstance(person, Reply):
        return person
    own = person.id == turn.person.id
    prefs = load_prefs(turn.db, person.id)
    if not own and prefs.opted_out:
        return Reply("denied", "reminder_resume", paragraphs=[
            f"{name_of(person)} turned reminders off themselves, so only they can turn them back on."])
    today = turn.now.astimezone(prefs.zone).date()
    was = [what for what, on in (("paused", prefs.paused_on(today)), ("turned off", prefs.opted_out)) if on]
    prefs.paused_until = None
    prefs.opted_out = False
    save_prefs(turn.db, person.id, prefs)
    _audit(turn, "reminder_resume", person.id)
    whose = "Your" if own else f"{name_of(person)}'s"
    if not was:
        return Reply("done", "reminder_resume", paragraphs=[f"{whose} reminders are already on — nothing to change."])
    return Reply("done", "reminder_resume", paragraphs=[
        f"{whose} reminders are back on (they were {' and '.join(was)})."])


def opt_out(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    named = mentioned_person(turn.db, slots.text, turn.person)
    if named is not None:
        return Reply("denied", "reminder_opt_out", paragraphs=[
            "Only each person can turn their own reminders off. A tutor can pause a learner's reminders instead — "
            "for example “pause Alice's reminders until 5 January”."])
    prefs = load_prefs(turn.db, turn.person.id)
    prefs.opted_out = True
    save_prefs(turn.db, turn.person.id, prefs)
    _audit(turn, "reminder_opt_out", turn.person.id)
    return Reply("done", "reminder_opt_out", paragraphs=[
        "Done — no more reminders: nothing will be sent to you, including registration and target-date warnings "
        "and reminders your tutor sets. Your reminders are kept, so saying “start reminders again” picks up where "
        "you left off."])
