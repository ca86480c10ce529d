"""Conversation context: what was discussed last, and a clarification the bot is waiting on.

Kept in the store (``conversations`` table) so a restart mid-conversation loses nothing.
A pending clarification expires, like a ConversationHandler timeout: an answer hours later
should not be read as the reply to an old question.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

PENDING_TIMEOUT = timedelta(minutes=30)
# An offer ("log it for the first two") stays open longer than a question: a learner may ask something
# else first and press the button afterwards.
OFFER_TIMEOUT = timedelta(hours=2)


@dataclass
class Pending:
    """A question the bot asked: which of ``candidates`` (unit codes or qualification ids)."""

    what: str                      # "unit" or "qualification"
    intent: str                    # the intent to finish once answered
    candidates: list[str]
    asked_at: str                  # ISO time, for expiry
    slots: dict[str, Any] = field(default_factory=dict)   # the rest of the original question

    def expired(self, now: datetime) -> bool:
        return now - datetime.fromisoformat(self.asked_at) > PENDING_TIMEOUT


@dataclass
class Context:
    qualification: str | None = None
    unit: str | None = None
    ac: str | None = None
    lo: int | None = None
    intent: str | None = None
    facet: str | None = None          # the fact asked last ("credits", "evidence" …): "and 2.3?" asks it again
    level: str | None = None          # what the last answer was about: criterion, unit or qualification
    more: dict[str, Any] | None = None   # the detail behind the last answer's "more" (``Reply.as_json``)
    question: str | None = None       # the last question's words: "what about on the L5?" asks them again
    person: str | None = None         # the person last acted on or asked about (a later "her" or "them")
    last_action: dict[str, Any] | None = None   # what the last action stored, for "undo that"
    # An action the last reply offered (``Reply.offer``), with the intent that takes it up and when it was made.
    offer: dict[str, Any] | None = None
    # The units the last answer listed (two or more), for "which of them carries the most GLH?".
    listed: list[str] | None = None
    pending: Pending | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Context:
        if not data:
            return cls()
        pending = data.get("pending")
        return cls(
            qualification=data.get("qualification"), unit=data.get("unit"), ac=data.get("ac"),
            lo=data.get("lo"), intent=data.get("intent"), facet=data.get("facet"), level=data.get("level"),
            more=data.get("more"), question=data.get("question"), person=data.get("person"),
            last_action=data.get("last_action"), offer=data.get("offer"), listed=data.get("listed"),
            pending=Pending(**pending) if pending else None,
        )
