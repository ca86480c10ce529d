"""One-off notes to a person ("your tutor has paused your reminders"), delivered like reminders: once, on
their platform, in their hours, by the dispatcher (an occurrence with its own idempotency key)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.db import Database


def tell(db: Database, person_id: str, key: str, now: datetime, text: str, kind: str = "notice") -> None:
    """Queue ``text`` for ``person_id`` now; the same ``key`` is queued once however often it is asked."""
    at = now.astimezone(UTC).replace(microsecond=0).isoformat()
    db.execute("INSERT INTO reminder_occurrences (key, person_id, kind, due_at, send_after, valid_until, "
               "text, urgent, status, attempts) VALUES (?, ?, ?, ?, ?, NULL, ?, 0, 'pending', 0) "
               "ON CONFLICT DO NOTHING",
               [key, person_id, kind, at, at, text])
