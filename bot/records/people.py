"""People and their platform identities.

A person is created on first contact from any platform (no role until enrolled). One person may
have several identities (``console:``, ``slack:``, ``teams:``); an identity is linked to a person
from the roster by e-mail when a platform reports one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db import Database
from bot.records.audit import record

ROLES = ("learner", "tutor", "manager", "admin")


@dataclass(frozen=True)
class Person:
    id: str
    name: str | None
    email: str | None
    role: str | None
    centre_id: int | None
    cohort_id: int | None
    timezone: str | None = None

    @property
    def display_name(self) -> str:
        return (self.name or "").split(" ")[0] or "there"

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Person:
        return cls(row["id"], row.get("name"), row.get("email"), row.get("role"), row.get("centre_id"),
                   row.get("cohort_id"), row.get("timezone"))


def platform_of(identity: str) -> str:
    return identity.split(":", 1)[0] if ":" in identity else "roster"


def get_person(db: Database, person_id: str) -> Person | None:
    rows = list(db.query("SELECT * FROM people WHERE id = ? AND erased_at IS NULL", [person_id]))
    return Person.from_row(rows[0]) if rows else None


def _by_identity(db: Database, identity: str) -> Person | None:
    rows = list(db.query("SELECT person_id FROM identities WHERE id = ?", [identity]))
    return get_person(db, rows[0]["person_id"]) if rows else None


def find_person(db: Database, ref: str) -> Person | None:
    """The person a platform identity (``slack:U1``) or a person id names, without creating anyone."""
    return _by_identity(db, ref) or get_person(db, ref)


def person_for_identity(db: Database, identity: str, now: datetime, email: str | None = None) -> Person:
    """The person behind a platform identity, created on first contact and linked by e-mail if known."""
    person = _by_identity(db, identity)
    if person is not None:
        return person
    with db.atomic():
        person = None
        if email:
            match = list(db.query("SELECT id FROM people WHERE lower(email) = lower(?) AND erased_at IS NULL",
                                  [email]))
            person = get_person(db, match[0]["id"]) if match else None
        if person is None:
            person = get_person(db, identity)
        if person is None:
            db["people"].insert({"id": identity, "email": email, "created_at": now.isoformat()})
            record(db, now, identity, "first_contact", identity)
            person = get_person(db, identity)
        db["identities"].upsert({"id": identity, "person_id": person.id, "platform": platform_of(identity),
                                 "active": 1, "created_at": now.isoformat()}, pk="id")
    assert person is not None
    return person


def link_identity(db: Database, identity: str, person_id: str, now: datetime, actor: str | None) -> None:
    if get_person(db, person_id) is None:
        raise LookupError(f"no person {person_id}")
    with db.atomic():
        db["identities"].upsert({"id": identity, "person_id": person_id, "platform": platform_of(identity),
                                 "active": 1, "created_at": now.isoformat()}, pk="id")
        record(db, now, actor, "link_identity", person_id, identity=identity)


def remove_person(db: Database, person_id: str, now: datetime, actor: str | None) -> None:
    """Erase a person's personal data; keep registrations' assessment decisions and the audit trail."""
    if get_person(db, person_id) is None:
        raise LookupError(f"no person {person_id}")
    with db.atomic():
        evidence_ids = [r["id"] for r in db.query("SELECT id FROM evidence WHERE person_id = ?", [person_id])]
        for evidence_id in evidence_ids:
            db.execute("DELETE FROM evidence_links WHERE evidence_id = ?", [evidence_id])
        db.execute("DELETE FROM evidence WHERE person_id = ?", [person_id])
        db.execute("DELETE FROM identities WHERE person_id = ?", [person_id])
        db.execute("DELETE FROM tutor_learners WHERE tutor_id = ? OR learner_id = ?", [person_id, person_id])
        db.execute("DELETE FROM conversations WHERE person = ?", [person_id])
        db["people"].update(person_id, {"name": None, "email": None, "timezone": None,
                                        "erased_at": now.isoformat()})
        record(db, now, actor, "remove_person", person_id)


def tutors_of(db: Database, learner_id: str) -> list[Person]:
    """The tutors the roster links a learner to, by id."""
    rows = db.query("SELECT tutor_id FROM tutor_learners WHERE learner_id = ? ORDER BY tutor_id", [learner_id])
    return [p for r in rows if (p := get_person(db, r["tutor_id"])) is not None]


def learners_of(db: Database, tutor_id: str) -> list[str]:
    return [r["learner_id"] for r in db.query("SELECT learner_id FROM tutor_learners WHERE tutor_id = ?",
                                               [tutor_id])]
