"""The roster: people, centres, cohorts, tutors and registrations imported from a CSV file.

Contract (ARCHITECTURE.md, ``assessbot admin import-roster``): the header
``id,name,email,role,centre,cohort,tutor,qualification,registered_on`` and one person per line.
Every row is checked before anything is written, and the whole import is one transaction, so a
bad file never leaves half a roster behind. Re-importing the same file changes nothing; a changed
file updates the people in it (people absent from the file are left alone — the roster may be one
centre's list).

The audit log outlives a person's erasure, so audit details here name fields and ids, never names
or e-mail addresses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.db import Database
from bot.records.audit import record
from bot.records.registration import enrol, expiry
from bot.records.roster_rows import (
    RosterError,
    RosterRow,
    check_email,
    check_id,
    check_role,
    cross_check,
    line_of,
    parse_rows,
    platform_prefix,
    read_source,
)
from knowledge.kb import KnowledgeBase


@dataclass
class RosterReport:
    """What an import did, counted, plus notes about values it ignored."""

    source: str
    rows: int = 0
    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    registrations_created: int = 0
    registrations_updated: int = 0
    centres_created: int = 0
    cohorts_created: int = 0
    identities_created: int = 0
    tutor_links_added: int = 0
    tutor_links_removed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any((self.people_created, self.people_updated, self.registrations_created,
                    self.registrations_updated, self.centres_created, self.cohorts_created,
                    self.identities_created, self.tutor_links_added, self.tutor_links_removed))

    def counts(self) -> dict[str, int]:
        """The counts alone (for the audit log and JSON)."""
        return {k: v for k, v in self.__dict__.items() if isinstance(v, int)}

    def summary(self) -> str:
        """A few readable lines for the person who ran the import."""
        lines = [
            f"Imported {self.source}: {self.rows} {'person' if self.rows == 1 else 'people'}"
            + ("." if self.changed else " — nothing to change, the records already match."),
            f"People: {self.people_created} created, {self.people_updated} updated, "
            f"{self.people_unchanged} unchanged.",
            f"Registrations: {self.registrations_created} created, {self.registrations_updated} updated.",
            f"Centres created: {self.centres_created}; cohorts created: {self.cohorts_created}; "
            f"identities created: {self.identities_created}.",
            f"Tutor links: {self.tutor_links_added} added, {self.tutor_links_removed} removed.",
        ]
        lines.extend(f"Note — {n}" for n in self.notes)
        return "\n".join(lines)


# -- writing --------------------------------------------------------------------------------------
def _centre_id(db: Database, name: str, report: RosterReport) -> int:
    # Matched case-insensitively so "Leeds" and "leeds" stay one centre.
    rows = list(db.query("SELECT id FROM centres WHERE lower(name) = lower(?)", [name]))
    if rows:
        return rows[0]["id"]
    report.centres_created += 1
    return int(db["centres"].insert({"name": name}).last_pk)


def _cohort_id(db: Database, centre_id: int, name: str, report: RosterReport) -> int:
    rows = list(db.query("SELECT id FROM cohorts WHERE centre_id = ? AND lower(name) = lower(?)",
                         [centre_id, name]))
    if rows:
        return rows[0]["id"]
    report.cohorts_created += 1
    return int(db["cohorts"].insert({"centre_id": centre_id, "name": name}).last_pk)


def _save_person(db: Database, values: dict[str, object], now: datetime, actor: str | None,
                 report: RosterReport) -> None:
    """Create the person or update the fields that differ; an identity for a platform id."""
    person_id = str(values["id"])
    rows = list(db.query("SELECT * FROM people WHERE id = ?", [person_id]))
    if not rows:
        db["people"].insert({**values, "created_at": now.isoformat()})
        record(db, now, actor, "roster_add", person_id, role=values.get("role"))
        report.people_created += 1
    else:
        changed = {k: v for k, v in values.items() if rows[0].get(k) != v}
        if changed:
            db["people"].update(person_id, changed)
            record(db, now, actor, "roster_update", person_id, fields=sorted(changed))
            report.people_updated += 1
        else:
            report.people_unchanged += 1
    platform = platform_prefix(person_id)
    if platform and not list(db.query("SELECT 1 FROM identities WHERE id = ?", [person_id])):
        db["identities"].insert({"id": person_id, "person_id": person_id, "platform": platform, "active": 1,
                                 "created_at": now.isoformat()})
        report.identities_created += 1


def _write(db: Database, kb: KnowledgeBase, rows: list[RosterRow], now: datetime, actor: str | None,
           report: RosterReport) -> None:
    for row in rows:
        centre_id = _centre_id(db, row.centre, report) if row.centre else None
        cohort_id = _cohort_id(db, centre_id, row.cohort, report) if row.cohort and centre_id else None
        _save_person(db, {"id": row.id, "name": row.name, "email": row.email, "role": row.role,
                          "centre_id": centre_id, "cohort_id": cohort_id}, now, actor, report)
    for row in rows:
        if row.email:
            _merge_first_contact(db, row, now, actor)
    # Links and registrations after every person exists: a tutor may come after their learners.
    for row in rows:
        _set_tutor(db, row, now, actor, report)
        if row.role == "learner":
            _register(db, kb, row, now, actor, report)


def _merge_first_contact(db: Database, row: RosterRow, now: datetime, actor: str | None) -> None:
    """Fold a person created on first contact (same e-mail, no role) into the roster entry: their
    platform identities, evidence and conversations move over, so nothing they did is lost."""
    for other in list(db.query("SELECT id FROM people WHERE lower(email) = ? AND id != ? AND role IS NULL "
                               "AND erased_at IS NULL", [row.email, row.id])):
        old = other["id"]
        db.execute("UPDATE identities SET person_id = ? WHERE person_id = ?", [row.id, old])
        db.execute("UPDATE evidence SET person_id = ? WHERE person_id = ?", [row.id, old])
        db.execute("UPDATE conversations SET person = ? WHERE person = ?", [row.id, old])
        if not list(db.query("SELECT 1 FROM registrations WHERE person_id = ?", [old])):
            db.execute("DELETE FROM tutor_learners WHERE tutor_id = ? OR learner_id = ?", [old, old])
            db.execute("DELETE FROM people WHERE id = ?", [old])
        record(db, now, actor, "roster_merge_first_contact", row.id, merged=old)


def _set_tutor(db: Database, row: RosterRow, now: datetime, actor: str | None, report: RosterReport) -> None:
    """The roster says who a learner's tutor is (nobody, for staff): add and remove links to match."""
    wanted = {row.tutor} if row.tutor else set()
    have = {r["tutor_id"] for r in db.query("SELECT tutor_id FROM tutor_learners WHERE learner_id = ?", [row.id])}
    for tutor_id in sorted(wanted - have):
        db["tutor_learners"].insert({"tutor_id": tutor_id, "learner_id": row.id})
        record(db, now, actor, "roster_tutor_link", row.id, tutor=tutor_id)
        report.tutor_links_added += 1
    for tutor_id in sorted(have - wanted):
        db.execute("DELETE FROM tutor_learners WHERE tutor_id = ? AND learner_id = ?", [tutor_id, row.id])
        record(db, now, actor, "roster_tutor_unlink", row.id, tutor=tutor_id)
        report.tutor_links_removed += 1


def _register(db: Database, kb: KnowledgeBase, row: RosterRow, now: datetime, actor: str | None,
              report: RosterReport) -> None:
    assert row.qualification_id is not None and row.registered_on is not None    # checked in parse_rows
    expires = expiry(kb, row.qualification_id, row.registered_on)
    existing = list(db.query("SELECT registered_on, expires_on FROM registrations "
                             "WHERE person_id = ? AND qualification_id = ?", [row.id, row.qualification_id]))
    wanted = (row.registered_on.isoformat(), expires.isoformat() if expires else None)
    if existing and (existing[0]["registered_on"], existing[0]["expires_on"]) == wanted:
        return          # enrol would write an audit row for nothing; re-importing must change nothing
    enrol(db, kb, row.id, row.qualification_id, row.registered_on, now, actor)
    if existing:
        report.registrations_updated += 1
        return
    report.registrations_created += 1
    others = list(db.query("SELECT qualification_id FROM registrations WHERE person_id = ? "
                           "AND qualification_id != ? AND status IN ('active', 'on_break')",
                           [row.id, row.qualification_id]))
    if others:
        # Whether the old one was completed or withdrawn is for a person to say, not the importer.
        notes = ", ".join(r["qualification_id"] for r in others)
        report.notes.append(f"line {row.line}: {row.id} is also still registered on {notes}; "
                            "that registration was left as it is")


def import_roster(db: Database, kb: KnowledgeBase, source: TextIO | str | Path, now: datetime,
                  actor: str | None) -> RosterReport:
    """Import a roster CSV (a path or an open text file): all of it, or — if any row is bad — none of it.

    Raises :class:`RosterError` listing every problem as "line N: …" (the header is line 1), having
    written nothing.
    """
    name, text = read_source(source)
    rows, lines_of, problems, notes = parse_rows(text, kb, now.date())
    report = RosterReport(source=name, rows=len(rows), notes=notes)
    # One transaction: the records checked are the records written to, and anything failing part-way
    # (a bug, a full disk) rolls the whole import back.
    with db.atomic():
        cross_check(db, rows, lines_of, problems)
        if problems:
            raise RosterError(sorted(problems, key=line_of))
        _write(db, kb, rows, now, actor, report)
        record(db, now, actor, "import_roster", None, source=name, **report.counts())
    return report


# -- one person at a time (``assessbot admin add-person``) ----------------------------------------
def add_person(db: Database, person_id: str, name: str, now: datetime, actor: str | None,
               email: str | None = None, role: str | None = None, centre: str | None = None) -> bool:
    """Add a person, or update the fields given for one who exists; True when the person is new.

    The same checks as the roster, without line numbers; raises :class:`RosterError` listing them.
    """
    person_id, name = person_id.strip(), name.strip()
    email = email.strip().lower() if email and email.strip() else None
    role = role.strip().lower() if role and role.strip() else None
    centre = centre.strip() if centre and centre.strip() else None
    problems = [p for p in (check_id(person_id), None if name else "name is missing",
                            check_email(email) if email else None, check_role(role) if role else None) if p]
    existing = list(db.query("SELECT * FROM people WHERE id = ?", [person_id])) if person_id else []
    if existing and existing[0]["erased_at"]:
        problems.append(f"{person_id} was removed (their personal data erased) and can't be re-used — "
                        "give them a new id")
    if email:
        for other in db.query("SELECT id FROM people WHERE lower(email) = ? AND id != ? AND erased_at IS NULL",
                              [email, person_id]):
            problems.append(f"e-mail {email} already belongs to {other['id']}")
    if problems:
        raise RosterError(problems)
    report = RosterReport(source="add-person")
    with db.atomic():
        values: dict[str, object] = {"id": person_id, "name": name}
        # On an update only what was given changes: leaving --role out keeps the person's role.
        for key, value in (("email", email), ("role", role)):
            if value is not None or not existing:
                values[key] = value
        if centre is not None:
            values["centre_id"] = _centre_id(db, centre, report)
            cohort_id = existing[0]["cohort_id"] if existing else None
            if cohort_id is not None and db["cohorts"].get(cohort_id)["centre_id"] != values["centre_id"]:
                values["cohort_id"] = None      # a cohort belongs to one centre; it doesn't move with the person
        _save_person(db, values, now, actor, report)
    return report.people_created == 1
