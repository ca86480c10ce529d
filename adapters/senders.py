"""Reminder delivery across platforms: the person's active identity decides Slack, Teams or console.

Platform senders (``adapters/slack``, ``adapters/teams``) implement ``bot.reminders.dispatch.Sender``
for their own identities; this router picks one per person and falls back to the console, so a
person with no platform identity still sees their reminders in ``assessbot reminders run``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.db import Database
from bot.reminders.dispatch import ConsoleSender, Delivery, Sender
from bot.types import Reply


class RoutingSender:
    """Delivers through the sender of the person's most recent active platform identity."""

    def __init__(self, db: Database, senders: Mapping[str, Sender], fallback: Sender | None = None):
        self.db = db              # the dispatching thread's own connection
        self.senders = dict(senders)
        self.fallback = fallback or ConsoleSender()

    def platform_for(self, person_id: str) -> str | None:
        rows = self.db.query(
            "SELECT platform FROM identities WHERE person_id = ? AND active = 1 ORDER BY created_at DESC",
            [person_id])
        for row in rows:
            if row["platform"] in self.senders:
                return row["platform"]
        return None

    def deliver(self, person_id: str, reply: Reply, key: str) -> Delivery:
        platform = self.platform_for(person_id)
        sender = self.senders[platform] if platform else self.fallback
        return sender.deliver(person_id, reply, key)


def platform_senders(app: Any) -> dict[str, Sender]:
    """The senders of every platform that is enabled and configured in ``app.yaml`` (none yet when the
    adapters are not installed)."""
    senders: dict[str, Sender] = {}
    for platform, module in (("slack", "adapters.slack"), ("teams", "adapters.teams")):
        try:
            package = __import__(module, fromlist=["make_sender"])
        except ImportError:
            continue
        make = getattr(package, "make_sender", None)
        if make is not None:
            sender = make(app)
            if sender is not None:
                senders[platform] = sender
    return senders
