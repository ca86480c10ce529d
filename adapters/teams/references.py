"""Stored Teams conversation references (table ``teams_references``, migration m006).

A reference is what ``continue_conversation`` needs to speak first: the conversation, the bot and
user accounts, and the ``serviceUrl`` of the tenant's Teams region. It is refreshed on every message.
The tenant comes from ``channelData.tenant.id`` because botbuilder's schema drops ``conversation.tenantId``.
Only what sending needs is kept: display names are dropped (the person's name lives in ``people``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db import Database

PERSONAL = "personal"


@dataclass(frozen=True)
class StoredReference:
    """One row of ``teams_references``; ``reference`` is the serialised ConversationReference."""

    identity: str
    conversation_id: str
    conversation_type: str | None
    team_id: str | None
    tenant_id: str | None
    service_url: str
    reference: dict[str, Any]

    @property
    def personal(self) -> bool:
        return self.conversation_type == PERSONAL

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StoredReference:
        return cls(row["identity"], row["conversation_id"], row.get("conversation_type"), row.get("team_id"),
                   row.get("tenant_id"), row["service_url"], json.loads(row["reference"]))


def minimal(reference: dict[str, Any]) -> dict[str, Any]:
    """The serialised reference without display names: ids and URLs are all a proactive send needs."""
    out = dict(reference)
    for account in ("user", "bot"):
        if isinstance(out.get(account), dict):
            out[account] = {k: v for k, v in out[account].items() if k != "name"}
    return out


def save_reference(db: Database, identity: str, reference: dict[str, Any], now: datetime, *,
                   conversation_type: str | None, team_id: str | None, tenant_id: str | None) -> None:
    """Insert or refresh the reference of ``identity`` in its conversation, and mark it active again.

    The identity is reachable again too: a person who was unreachable (403) and writes to the bot
    has evidently reinstalled it, so reminders may go to Teams once more.
    """
    # A channel thread's id is the channel's plus ";messageid=…": one row per channel, not per thread.
    conversation_id = reference["conversation"]["id"].split(";messageid=")[0]
    stamp = now.isoformat()
    with db.atomic():
        db.execute(
            "INSERT INTO teams_references (identity, conversation_id, conversation_type, team_id, tenant_id, "
            "service_url, reference, active, inactive_reason, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?) "
            "ON CONFLICT (identity, conversation_id) DO UPDATE SET conversation_type = excluded.conversation_type, "
            "team_id = excluded.team_id, tenant_id = excluded.tenant_id, service_url = excluded.service_url, "
            "reference = excluded.reference, active = 1, inactive_reason = NULL, updated_at = excluded.updated_at",
            [identity, conversation_id, conversation_type, team_id, tenant_id, reference["serviceUrl"],
             json.dumps(minimal(reference)), stamp, stamp])
        db.execute("UPDATE identities SET active = 1 WHERE id = ? AND active = 0", [identity])


def deactivate_conversation(db: Database, conversation_id: str, reason: str, team_id: str | None = None) -> int:
    """Mark every reference into a conversation (its channel threads, and the whole team if given) inactive."""
    with db.atomic():
        team = " OR team_id = ?" if team_id is not None else ""
        cursor = db.execute(
            "UPDATE teams_references SET active = 0, inactive_reason = ? WHERE active = 1 AND "
            f"(conversation_id = ? OR conversation_id LIKE ?{team})",
            [reason, conversation_id, conversation_id + ";%", *([team_id] if team_id is not None else [])])
        return cursor.rowcount


def deactivate_reference(db: Database, identity: str, conversation_id: str, reason: str) -> None:
    with db.atomic():
        db.execute("UPDATE teams_references SET active = 0, inactive_reason = ? WHERE identity = ? "
                   "AND conversation_id = ?", [reason, identity, conversation_id])


def references_for_person(db: Database, person_id: str) -> list[StoredReference]:
    """The person's active references through active Teams identities: personal chats first, newest first."""
    rows = db.query(
        "SELECT r.* FROM teams_references r JOIN identities i ON i.id = r.identity "
        "WHERE i.person_id = ? AND i.active = 1 AND i.platform = 'teams' AND r.active = 1 "
        "ORDER BY r.conversation_type = 'personal' DESC, r.updated_at DESC", [person_id])
    return [StoredReference.from_row(row) for row in rows]


def personal_references(db: Database, identity: str) -> list[StoredReference]:
    """The identity's active personal chats with the bot, newest first (usually just one)."""
    rows = db.query("SELECT * FROM teams_references WHERE identity = ? AND active = 1 AND conversation_type = ? "
                    "ORDER BY updated_at DESC", [identity, PERSONAL])
    return [StoredReference.from_row(row) for row in rows]
