"""The store: SQLite (the embedded default) or PostgreSQL (shared by several processes), versioned by
migrations that run on both (``bot.db``).

Everything the bot must remember across restarts lives here. Migrations are append-only:
a fresh database and an older one both reach the latest schema through ``open_store``.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.db import Database, Migrations, open_database

migrations = Migrations("assessbot")


@migrations()
def m001_conversations(db: Database) -> None:
    # Conversation context: what was discussed last and any question the bot is waiting on.
    db["conversations"].create(
        {"id": str, "person": str, "context": str, "updated_at": str},
        pk="id", not_null={"context", "updated_at"},
    )


@migrations()
def m002_records(db: Database) -> None:
    """Learner records: people and their identities, registrations, plans, evidence, decisions, audit."""
    db["centres"].create({"id": int, "name": str}, pk="id", not_null={"name"})
    db["centres"].create_index(["name"], unique=True)
    db["cohorts"].create({"id": int, "centre_id": int, "name": str}, pk="id", not_null={"name", "centre_id"},
                         foreign_keys=[("centre_id", "centres", "id")])
    db["cohorts"].create_index(["centre_id", "name"], unique=True)
    # A person exists from first contact (role NULL until enrolled); erased_at marks a removed person
    # whose name and e-mail are gone but whose assessment decisions stay in the audit trail.
    db["people"].create(
        {"id": str, "name": str, "email": str, "role": str, "centre_id": int, "cohort_id": int,
         "timezone": str, "created_at": str, "erased_at": str},
        pk="id", not_null={"created_at"},
        foreign_keys=[("centre_id", "centres", "id"), ("cohort_id", "cohorts", "id")])
    db["people"].create_index(["email"])
    db["people"].create_index(["centre_id"])
    db["identities"].create({"id": str, "person_id": str, "platform": str, "active": int, "created_at": str},
                            pk="id", not_null={"person_id", "created_at"}, defaults={"active": 1},
                            foreign_keys=[("person_id", "people", "id")])
    db["identities"].create_index(["person_id"])
    db["tutor_learners"].create({"tutor_id": str, "learner_id": str}, pk=("tutor_id", "learner_id"),
                                foreign_keys=[("tutor_id", "people", "id"), ("learner_id", "people", "id")])
    db["tutor_learners"].create_index(["learner_id"])
    db["registrations"].create(
        {"id": int, "person_id": str, "qualification_id": str, "registered_on": str, "expires_on": str,
         "status": str},
        pk="id", not_null={"person_id", "qualification_id", "registered_on", "status"},
        defaults={"status": "active"}, foreign_keys=[("person_id", "people", "id")])
    db["registrations"].create_index(["person_id", "qualification_id"], unique=True)
    db["plan_units"].create(
        {"registration_id": int, "unit_code": str, "mandatory": int, "target_date": str, "added_at": str},
        pk=("registration_id", "unit_code"), not_null={"added_at"}, defaults={"mandatory": 0},
        foreign_keys=[("registration_id", "registrations", "id")])
    # Criteria the learner has declared ready for assessment ("I've submitted 501").
    db["criterion_progress"].create(
        {"registration_id": int, "unit_code": str, "ac": str, "status": str, "updated_at": str},
        pk=("registration_id", "unit_code", "ac"), not_null={"status", "updated_at"},
        foreign_keys=[("registration_id", "registrations", "id")])
    db["evidence"].create(
        {"id": int, "person_id": str, "title": str, "kind": str, "dated": str, "location": str,
         "created_at": str},
        pk="id", not_null={"person_id", "title", "created_at"}, foreign_keys=[("person_id", "people", "id")])
    db["evidence"].create_index(["person_id"])
    db["evidence_links"].create({"evidence_id": int, "unit_code": str, "ac": str},
                                pk=("evidence_id", "unit_code", "ac"),
                                foreign_keys=[("evidence_id", "evidence", "id")])
    db["decisions"].create(
        {"id": int, "registration_id": int, "unit_code": str, "ac": str, "outcome": str, "assessor_id": str,
         "feedback": str, "decided_at": str},
        pk="id", not_null={"registration_id", "unit_code", "ac", "outcome", "decided_at"},
        foreign_keys=[("registration_id", "registrations", "id")])
    db["decisions"].create_index(["registration_id", "unit_code", "ac"])
    db["audit"].create({"id": int, "at": str, "actor": str, "action": str, "subject": str, "detail": str},
                       pk="id", not_null={"at", "action"})
    db["audit"].create_index(["subject"])


@migrations()
def m003_people_by_name(db: Database) -> None:
    # Messages name people as typed ("bob baker's plan"): look them up by lower-cased name.
    db.execute("CREATE INDEX IF NOT EXISTS idx_people_lower_name ON people(lower(name))")


@migrations()
def m004_reminders(db: Database) -> None:
    """Reminder rules, their occurrences (each delivered once), and people's reminder preferences."""
    db["people"].add_column("last_active_at", str)
    db["reminder_rules"].create(
        {"id": int, "owner_id": str, "audience_kind": str, "audience_ref": str, "schedule": str, "message": str,
         "subject": str, "urgent": int, "created_at": str, "cancelled_at": str},
        pk="id", not_null={"owner_id", "audience_kind", "audience_ref", "schedule", "message", "created_at"},
        defaults={"urgent": 0}, foreign_keys=[("owner_id", "people", "id")])
    db["reminder_rules"].create_index(["owner_id"])
    # ``key`` is the idempotency key: an occurrence is inserted once however many sweeps see it, and
    # claimed by one dispatcher only (an UPDATE … RETURNING on status).
    db["reminder_occurrences"].create(
        {"key": str, "rule_id": int, "person_id": str, "kind": str, "due_at": str, "send_after": str,
         "valid_until": str, "text": str, "urgent": int, "status": str, "attempts": int, "claimed_by": str,
         "claimed_at": str, "sent_at": str, "next_attempt_at": str, "last_error": str},
        pk="key", not_null={"person_id", "kind", "due_at", "send_after", "text", "status"},
        defaults={"status": "pending", "attempts": 0, "urgent": 0})
    db["reminder_occurrences"].create_index(["status", "send_after"])
    db["reminder_occurrences"].create_index(["person_id"])
    db["reminder_prefs"].create(
        {"person_id": str, "timezone": str, "quiet_start": str, "quiet_end": str, "allowed": str, "blocked": str,
         "paused_until": str, "opted_out": int},
        pk="person_id", defaults={"opted_out": 0})


def open_store(target: Path | str | None, migrate: bool = True) -> Database:
    """Open (creating and migrating) the store at ``target``: a SQLite path (None or ":memory:" is in
    memory) or a ``postgresql://`` URL."""
    db = open_database(target)
    if migrate:
        migrations.apply(db)
    return db


def schema_version(db: Database) -> str:
    """The latest migration applied (``/healthz``, ``assessbot db migrate``)."""
    applied = migrations.applied(db)
    return applied[-1] if applied else "none"


def load_context(db: Database, conversation: str) -> dict[str, Any] | None:
    """The stored context of a conversation, or None for a new one."""
    rows = list(db.query("SELECT context FROM conversations WHERE id = ?", [conversation]))
    return json.loads(rows[0]["context"]) if rows else None


def save_context(db: Database, conversation: str, person: str, context: dict[str, Any],
                 now: datetime) -> None:
    db["conversations"].upsert(
        {"id": conversation, "person": person, "context": json.dumps(context),
         "updated_at": now.isoformat()},
        pk="id",
    )


@migrations()
def m006_teams_references(db: Database) -> None:
    """Microsoft Teams conversation references: where a proactive reminder to a Teams identity goes.

    One row per identity and conversation, refreshed on every message (Teams may move a tenant to another
    ``serviceUrl``). ``active`` drops to 0 when the bot is removed or Teams answers 403 / 404. Raw SQL for
    ``ON DELETE CASCADE``: erasing a person deletes their identities, and with them these rows.
    """
    db.execute("""
        CREATE TABLE teams_references (
            identity TEXT NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
            conversation_id TEXT NOT NULL,
            conversation_type TEXT,
            team_id TEXT,
            tenant_id TEXT,
            service_url TEXT NOT NULL,
            reference TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            inactive_reason TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (identity, conversation_id)
        )""")
    db.execute("CREATE INDEX idx_teams_references_conversation ON teams_references(conversation_id)")
    db.execute("CREATE INDEX idx_teams_references_team ON teams_references(team_id)")


@migrations()
def m005_slack_events(db: Database) -> None:
    # Slack re-sends an event (same event_id) when it thinks the first delivery failed; the adapter
    # answers each event_id once, also across restarts. Old rows are pruned by received_at.
    db["slack_events"].create({"event_id": str, "received_at": str}, pk="event_id", not_null={"received_at"})
    db["slack_events"].create_index(["received_at"])


@migrations()
def m007_question_log(db: Database) -> None:
    # What people ask about, by intent, unit and rule topic — never the message text.
    db["question_log"].create({"id": int, "person_id": str, "asked_at": str, "intent": str, "unit_code": str,
                               "topic": str}, pk="id", not_null={"person_id", "asked_at", "intent"})
    db["question_log"].create_index(["asked_at"])
    db["question_log"].create_index(["person_id"])


@migrations()
def m008_breaks(db: Database) -> None:
    # Breaks in learning: expected progress stands still while a learner is on one.
    db["breaks"].create({"id": int, "registration_id": int, "started_on": str, "ended_on": str, "set_by": str},
                        pk="id", not_null={"registration_id", "started_on"},
                        foreign_keys=[("registration_id", "registrations", "id")])
    db["breaks"].create_index(["registration_id"])


@migrations()
def m009_people_by_centre(db: Database) -> None:
    # Cohort views start from "the learners of this centre": with the id in the index SQLite walks the
    # index alone instead of looking up each person's row (10,000 lookups for a large centre).
    db["people"].create_index(["centre_id", "id"], index_name="idx_people_centre_id_id")


@migrations()
def m010_break_return(db: Database) -> None:
    # The planned return date of a learner's break ("on a break until 31 January"), said back and shown.
    db["breaks"].add_column("planned_until", str)


@migrations()
def m011_unit_sizes(db: Database) -> None:
    # Criteria per unit, from the KB, so cohort views sum totals and expected progress in SQL on either
    # engine (kept in step with the KB by ``bot.records.cohort``).
    db["unit_sizes"].create({"code": str, "n": int}, pk="code", not_null={"n"})


@migrations()
def m012_teams_activities(db: Database) -> None:
    # Teams redelivers an activity (same id) when it thinks the first delivery failed: answered once,
    # also by another process sharing the store. Old rows are pruned by received_at, like Slack's.
    db["teams_activities"].create({"activity_id": str, "received_at": str}, pk="activity_id",
                                  not_null={"received_at"})
    db["teams_activities"].create_index(["received_at"])


@migrations()
def m013_attempted_at(db: Database) -> None:
    # Stamped just before a claimed reminder is delivered: after a crash, told apart from the untried.
    db["reminder_occurrences"].add_column("attempted_at", str)


@migrations()
def m014_sweep_turns(db: Database) -> None:
    # Work one dispatcher does for all in a period (building the automatic reminders): who took it, when.
    db["sweep_turns"].create({"name": str, "taken_at": str}, pk="name", not_null={"taken_at"})


@migrations()
def m015_evidence_description(db: Database) -> None:
    # What the learner said the work is (logged from a suggestion); the document itself is never kept.
    db["evidence"].add_column("description", str)
