"""Assessment decisions: an assessor records a criterion as met or referred, with feedback.

Only the learner's tutor (or an admin) may record a decision; the learner is told through a
reminder-style notification, so they hear about it on their own platform and in their own hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.dates import uk_date
from bot.db import Database
from bot.records.audit import record
from bot.records.authz import tutors
from bot.records.people import Person, get_person
from bot.records.registration import current_registration
from knowledge.kb import KnowledgeBase

OUTCOMES = ("met", "referred")


class DecisionError(ValueError):
    """A decision that can't be recorded (unknown criterion, not in the plan …); says why."""


class NotPermitted(PermissionError):
    """The actor may not record decisions for this learner."""


@dataclass(frozen=True)
class Decision:
    id: int
    learner_id: str
    unit_code: str
    ac: str
    outcome: str
    feedback: str | None


def may_decide(db: Database, actor: Person, learner_id: str) -> bool:
    if actor.role == "admin":
        return True
    return actor.role == "tutor" and tutors(db, actor.id, learner_id)


def record_decision(db: Database, kb: KnowledgeBase, actor: Person, learner_id: str, unit_code: str, ac: str,
                    outcome: str, feedback: str | None, now: datetime) -> Decision:
    """Record met / referred for one criterion, audit it, and queue a note to the learner."""
    if outcome not in OUTCOMES:
        raise DecisionError(f"A decision is “met” or “referred”, not “{outcome}”.")
    if not may_decide(db, actor, learner_id):
        raise NotPermitted("Only the learner's tutor (or an admin) can record assessment decisions.")
    learner = get_person(db, learner_id)
    reg = current_registration(db, learner_id)
    if learner is None or reg is None:
        raise DecisionError(f"{learner_id} has no registration to record a decision against.")
    criterion = kb.criterion(unit_code, ac)
    if criterion is None:
        raise DecisionError(f"{unit_code} has no criterion {ac}.")
    planned = {r["unit_code"] for r in db.query("SELECT unit_code FROM plan_units WHERE registration_id = ?",
                                                [reg.id])}
    if unit_code not in planned:
        raise DecisionError(f"{unit_code} isn't in {learner.name or learner_id}'s plan.")
    if outcome == "referred" and not (feedback or "").strip():
        raise DecisionError("A referral needs feedback: say what is missing, e.g. “needs two purchasing strategies”.")
    with db.atomic():
        decision_id = db["decisions"].insert({
            "registration_id": reg.id, "unit_code": unit_code, "ac": ac, "outcome": outcome,
            "assessor_id": actor.id, "feedback": (feedback or "").strip() or None,
            "decided_at": now.isoformat()}).last_pk
        record(db, now, actor.id, f"decision_{outcome}", learner_id, unit=unit_code, ac=ac, decision=decision_id)
        verdict = "met" if outcome == "met" else "referred"
        text = (f"{actor.name or actor.id} has recorded {unit_code} AC{ac} as {verdict} on {uk_date(now.date())}."
                + (f" Feedback: {feedback.strip()}" if feedback and feedback.strip() else ""))
        # Delivered by the reminder dispatcher: once, on the learner's platform, in their hours.
        db.execute("INSERT INTO reminder_occurrences (key, person_id, kind, due_at, send_after, "
                   "valid_until, text, urgent, status, attempts) VALUES (?, ?, 'decision', ?, ?, NULL, ?, 0, "
                   "'pending', 0) "
                   "ON CONFLICT DO NOTHING", [f"decision:{decision_id}", learner_id, _utc(now), _utc(now), text])
    return Decision(decision_id, learner_id, unit_code, ac, outcome, (feedback or "").strip() or None)


def _utc(moment: datetime) -> str:
    from datetime import UTC

    return moment.astimezone(UTC).replace(microsecond=0).isoformat()
