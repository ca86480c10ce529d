"""Reversing the last action ("undo that"), audited like the action itself.

Each action's reply carries what it stored (``Reply.undo``): the dialogue keeps it as the conversation's
last action, and :func:`undo` puts the records back as they were — the plan units, the target date, the
evidence item, the decision, the reminder, the pause, the break. Only the last action of a conversation,
and only by the person who did it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.dates import uk_date
from bot.db import Database
from bot.records.audit import record


class UndoError(ValueError):
    """Nothing to undo, or it can no longer be undone; the message says which."""


def _plan_add(db: Database, action: dict[str, Any]) -> str:
    for code in action["units"]:
        db.execute("DELETE FROM plan_units WHERE registration_id = ? AND unit_code = ?", [action["registration"], code])
    return f"{' and '.join(action['units'])} taken out of the plan again"


def _plan_drop(db: Database, action: dict[str, Any], now: datetime) -> str:
    db["plan_units"].insert({"registration_id": action["registration"], "unit_code": action["unit"],
                             "mandatory": action.get("mandatory", 0), "target_date": action.get("target"),
                             "added_at": now.isoformat()}, pk=("registration_id", "unit_code"), replace=True)
    return f"{action['unit']} put back in the plan"


def _plan_target(db: Database, action: dict[str, Any]) -> str:
    db.execute("UPDATE plan_units SET target_date = ? WHERE registration_id = ? AND unit_code = ?",
               [action.get("before"), action["registration"], action["unit"]])
    before = action.get("before")
    return (f"the target for {action['unit']} is back to {uk_date(datetime.fromisoformat(before).date())}"
            if before else f"the target for {action['unit']} is cleared again")


def _evidence(db: Database, action: dict[str, Any]) -> str:
    title = next(iter(db.query("SELECT title FROM evidence WHERE id = ?", [action["evidence"]])), {}).get("title")
    db.execute("DELETE FROM evidence_links WHERE evidence_id = ?", [action["evidence"]])
    db.execute("DELETE FROM evidence WHERE id = ?", [action["evidence"]])
    return f"the evidence “{title}” removed" if title else "the evidence removed"


def _decision(db: Database, action: dict[str, Any]) -> str:
    for decision_id in action["decisions"]:
        db.execute("DELETE FROM reminder_occurrences WHERE key = ? AND status = 'pending'", [f"decision:{decision_id}"])
        db.execute("DELETE FROM decisions WHERE id = ?", [decision_id])
    what = ", ".join(action.get("criteria") or [])
    return f"the decision on {what} withdrawn" if what else "the decision withdrawn"


def _reminder(db: Database, action: dict[str, Any], now: datetime) -> str:
    for rule_id in action["rules"]:
        db.execute("UPDATE reminder_rules SET cancelled_at = ? WHERE id = ?", [now.isoformat(), rule_id])
    return "the reminder cancelled"


def _pause(db: Database, action: dict[str, Any]) -> str:
    db.execute("UPDATE reminder_prefs SET paused_until = ? WHERE person_id = ?", [action.get("before"),
                                                                                  action["person"]])
    return "the pause taken off"


def _break(db: Database, action: dict[str, Any]) -> str:
    db.execute("DELETE FROM breaks WHERE id = ?", [action["break"]])
    db.execute("UPDATE registrations SET status = 'active' WHERE id = ?", [action["registration"]])
    return "the break in learning taken off"


def undo(db: Database, action: dict[str, Any] | None, actor: str, now: datetime) -> str:
    """Reverse ``action`` (a ``Reply.undo`` kept by the dialogue); what was done, in words."""
    if not action:
        raise UndoError("There's nothing for me to undo — I haven't changed anything in this conversation yet.")
    op = action["op"]
    with db.atomic():
        if op == "plan_add":
            said = _plan_add(db, action)
        elif op == "plan_drop":
            said = _plan_drop(db, action, now)
        elif op == "plan_target":
            said = _plan_target(db, action)
        elif op == "evidence_log":
            said = _evidence(db, action)
        elif op == "decision":
            said = _decision(db, action)
        elif op == "reminder_set":
            said = _reminder(db, action, now)
        elif op == "reminder_pause":
            said = _pause(db, action)
        elif op == "break_start":
            said = _break(db, action)
        else:
            raise UndoError("I can't undo that one — please change it directly, or ask your tutor.")
        record(db, now, actor, f"undo_{op}", action.get("person"), undone=action)
    return said
