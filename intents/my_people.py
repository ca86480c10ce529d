"""Who a learner's people are: the tutor the roster links them to. Assessors, verifiers and the like are
the centre's to name: the bot holds none, and says so rather than guessing from a specification."""

from __future__ import annotations

from bot.intent import Intent, Slots, Turn
from bot.nlu.personal import role_asked
from bot.records.people import tutors_of
from bot.records.registration import registrations_of
from bot.types import Reply

NOT_HELD = ("I don't hold who your {what} is — your centre assigns them, so your tutor or centre can tell you. "
            "I can tell you what the specification says an assessor must do, if that helps.")


def my_people(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    role = role_asked(slots.text) or "contact"
    if role != "tutor":
        return Reply("decline", "my_people", paragraphs=[NOT_HELD.format(what=role)])
    tutors = tutors_of(turn.db, turn.person.id)
    if not tutors:
        registered = bool(registrations_of(turn.db, turn.person.id))
        return Reply("decline", "my_people", paragraphs=[
            "I don't have a tutor on record for you" + ("" if registered else ", or a registration")
            + " — centres add them from their roster. Your centre can tell you who your tutor is."])
    names = " and ".join(t.name or t.id for t in tutors)
    reply = Reply("answer", "my_people", paragraphs=[
        f"Your tutor is {names}." if len(tutors) == 1 else f"Your tutors are {names}."])
    if slots.refs.names_a_unit:
        reply.paragraphs.append("The roster links tutors to learners, not to units, so that is for every unit.")
    return reply


INTENTS = (Intent("my_people", my_people, personal=True),)
