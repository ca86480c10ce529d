"""A small centre for record tests: a manager, a tutor, learners on different qualifications."""

from __future__ import annotations

from datetime import date, datetime

from sqlite_utils import Database

from bot.records.registration import enrol
from knowledge.kb import KnowledgeBase

PEOPLE = [
    # id, name, role, centre, registrations (qualification, registered on)
    ("console:mo", "Mo Manager", "manager", "Reading cluster", []),
    ("console:tess", "Tess Tutor", "tutor", "Reading cluster", []),
    ("console:alice", "Alice Able", "learner", "Reading cluster", [("l5-sbl-diploma", date(2024, 1, 15))]),
    ("console:bob", "Bob Baker", "learner", "Reading cluster", [("l7-senior-leaders-diploma", date(2025, 9, 1))]),
    ("console:carol", "Carol Cole", "learner", "Reading cluster", [("l6-management-diploma", date(2025, 2, 3))]),
    ("console:eve", "Eve Evans", "learner", "Leeds", [("l5-sbl-diploma", date(2025, 5, 20))]),
    ("console:admin", "Ada Admin", "admin", "Leeds", []),
]
TUTORED = [("console:tess", "console:alice"), ("console:tess", "console:bob")]


def seed(db: Database, kb: KnowledgeBase, now: datetime) -> None:
    centres: dict[str, int] = {}
    for pid, name, role, centre, regs in PEOPLE:
        if centre not in centres:
            centres[centre] = db["centres"].insert({"name": centre}).last_pk
        db["people"].insert({"id": pid, "name": name, "email": f"{pid.split(':')[1]}@example.org", "role": role,
                             "centre_id": centres[centre], "created_at": now.isoformat()})
        db["identities"].insert({"id": pid, "person_id": pid, "platform": "console", "active": 1,
                                 "created_at": now.isoformat()})
        for qualification, registered_on in regs:
            enrol(db, kb, pid, qualification, registered_on, now, "test")
    db["tutor_learners"].insert_all([{"tutor_id": t, "learner_id": learner} for t, learner in TUTORED])
