"""Who may see or change whose records — decided here, once, for every adapter.

Learners see and change their own; tutors their learners; managers everyone in their centre;
admins everyone.
"""

from __future__ import annotations

from bot.db import Database
from bot.records.people import Person, get_person


def tutors(db: Database, tutor_id: str, learner_id: str) -> bool:
    return bool(list(db.query("SELECT 1 FROM tutor_learners WHERE tutor_id = ? AND learner_id = ?",
                              [tutor_id, learner_id])))


def can_act_for(db: Database, actor: Person, subject_id: str) -> bool:
    """May ``actor`` change ``subject_id``'s portfolio (log evidence for them)? Themselves, their tutor or an
    admin: a manager sees a centre's records but doesn't keep its learners' portfolios."""
    return actor.id == subject_id or actor.role == "admin" or (actor.role == "tutor" and
                                                               tutors(db, actor.id, subject_id))


def can_access(db: Database, actor: Person, subject_id: str) -> bool:
    """May ``actor`` see (and, for their own learners, act on) ``subject_id``'s records?"""
    if actor.id == subject_id:
        return True
    if actor.role == "admin":
        return True
    if actor.role == "tutor":
        return tutors(db, actor.id, subject_id)
    if actor.role == "manager":
        subject = get_person(db, subject_id)
        return subject is not None and actor.centre_id is not None and subject.centre_id == actor.centre_id
    return False
