"""Breaks in learning: a tutor (or admin) puts a learner on a break and back; expected progress stands
still meanwhile (an inspection, an academy conversion, illness). Their reminders rest too: the intent that
starts the break also pauses them (``bot.reminders.hours.rest_until``), records knowing nothing of reminders."""

from __future__ import annotations

from datetime import date, datetime

from bot.db import Database
from bot.records.audit import record
from bot.records.people import Person
from bot.records.registration import Registration, current_registration


class BreakError(ValueError):
    """A break that can't be started or ended; says why."""


def may_manage(db: Database, actor: Person, learner_id: str) -> bool:
    if actor.role == "admin":
        return True
    return actor.role == "tutor" and bool(list(db.query(
        "SELECT 1 FROM tutor_learners WHERE tutor_id = ? AND learner_id = ?", [actor.id, learner_id])))


def start_break(db: Database, actor: Person, learner_id: str, until: date | None, now: datetime) -> Registration:
    reg = current_registration(db, learner_id)
    if reg is None:
        raise BreakError("They have no registration in progress.")
    if reg.status == "on_break":
        raise BreakError("Their learning is already paused for a break.")
    with db.atomic():
        db["breaks"].insert({"registration_id": reg.id, "started_on": now.date().isoformat(), "set_by": actor.id,
                             "planned_until": until.isoformat() if until else None})
        db["registrations"].update(reg.id, {"status": "on_break"})
        record(db, now, actor.id, "break_start", learner_id, until=until.isoformat() if until else None)
    return current_registration(db, learner_id)  # type: ignore[return-value]


def end_break(db: Database, actor: Person, learner_id: str, now: datetime) -> Registration:
    reg = current_registration(db, learner_id)
    if reg is None or reg.status != "on_break":
        raise BreakError("Their learning isn't paused for a break.")
    with db.atomic():
        db.execute("UPDATE breaks SET ended_on = ? WHERE registration_id = ? AND ended_on IS NULL",
                   [now.date().isoformat(), reg.id])
        db["registrations"].update(reg.id, {"status": "active"})
        record(db, now, actor.id, "break_end", learner_id)
    return current_registration(db, learner_id)  # type: ignore[return-value]
