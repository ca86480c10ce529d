"""Breaks in learning: a tutor (or admin) puts a learner on a break and back; expected progress and
reminders stand still meanwhile (an inspection, an academy conversion, illness)."""

from __future__ import annotations

from datetime import date, datetime

from bot.db import Database
from bot.records.audit import record
from bot.records.people import Person
from bot.records.registration import Registration, current_registration
from bot.reminders.hours import load_prefs, save_prefs


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
        raise BreakError("They're already on a break in learning.")
    with db.atomic():
        db["breaks"].insert({"registration_id": reg.id, "started_on": now.date().isoformat(), "set_by": actor.id,
                             "planned_until": until.isoformat() if until else None})
        db["registrations"].update(reg.id, {"status": "on_break"})
        if until is not None:
            # Reminders rest too, until the planned return.
            prefs = load_prefs(db, learner_id)
            prefs.paused_until = max(until, prefs.paused_until or until)
            save_prefs(db, learner_id, prefs)
        record(db, now, actor.id, "break_start", learner_id, until=until.isoformat() if until else None)
    return current_registration(db, learner_id)  # type: ignore[return-value]


def end_break(db: Database, actor: Person, learner_id: str, now: datetime) -> Registration:
    reg = current_registration(db, learner_id)
    if reg is None or reg.status != "on_break":
        raise BreakError("They aren't on a break in learning.")
    with db.atomic():
        db.execute("UPDATE breaks SET ended_on = ? WHERE registration_id = ? AND ended_on IS NULL",
                   [now.date().isoformat(), reg.id])
        db["registrations"].update(reg.id, {"status": "active"})
        prefs = load_prefs(db, learner_id)
        if prefs.paused_until and prefs.paused_until > now.date():
            prefs.paused_until = None
            save_prefs(db, learner_id, prefs)
        record(db, now, actor.id, "break_end", learner_id)
    return current_registration(db, learner_id)  # type: ignore[return-value]
