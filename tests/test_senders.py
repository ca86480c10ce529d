"""Reminders go to the platform of the person's active identity; the console when there is none."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.senders import RoutingSender
from bot.reminders.dispatch import ConsoleSender, Delivery
from bot.types import Reply

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC).isoformat()


class Recorder:
    def __init__(self) -> None:
        self.got: list[str] = []

    def deliver(self, person_id, reply, key) -> Delivery:
        self.got.append(person_id)
        return Delivery("sent")


def test_routing_by_active_identity(store) -> None:
    db = store
    for pid in ("console:a", "console:b", "console:c"):
        db["people"].insert({"id": pid, "created_at": NOW})
    db["identities"].insert_all([
        {"id": "slack:UA", "person_id": "console:a", "platform": "slack", "active": 1, "created_at": NOW},
        {"id": "teams:b", "person_id": "console:b", "platform": "teams", "active": 1, "created_at": NOW},
        {"id": "slack:UC", "person_id": "console:c", "platform": "slack", "active": 0, "created_at": NOW},
    ])
    slack, teams, console = Recorder(), Recorder(), ConsoleSender()
    router = RoutingSender(db, {"slack": slack, "teams": teams}, fallback=console)
    for pid in ("console:a", "console:b", "console:c"):
        router.deliver(pid, Reply("answer", "reminder", paragraphs=["hi"]), f"k-{pid}")
    assert slack.got == ["console:a"] and teams.got == ["console:b"]
    assert [p for p, _, _ in console.sent] == ["console:c"]          # its only identity is inactive
