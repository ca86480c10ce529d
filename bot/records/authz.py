"""Who may see or change whose records — decided here, once, for every adapter.

Learners see and change their own; tutors their learners; managers everyone in their centre;
admins everyone.
"""

from __future__ import annotations

from bot.db import Database
from bot.records.people import Person, get_person


def can_access(db: Database, actor: Person, subject_id: str) -> bool:
    """May ``actor`` see (and, for their own learners, act on) ``subject_id``'s records?"""
    if actor.id == subject_id:
        return True
    if actor.role == "admin":
        return True
    if actor.role == "tutor":
        return bool(list(db.query("SELECT 1 FROM tutor_learners WHERE tutor_id = ? AND learner_id = ?",
                                  [actor.id, subject_id])))
    if actor.role == "manager":
        subject = get_person(db, subject_id)
        return subject is not None and actor.centre_id is not None and subject.centre_id == actor.centre_id
    return False
