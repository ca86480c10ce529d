"""Proactive delivery to Teams: the ``Sender`` the reminder dispatcher calls for ``teams:`` identities.

``deliver`` is synchronous (the dispatcher runs in ``assessbot reminders run`` or in ``serve``'s worker
thread) and botbuilder is async, so each delivery runs its own short event loop. The connector calls
themselves go through ``requests`` in a thread pool (msrest), so nothing is tied to one loop.

Where it sends: the person's personal chat with the bot (a reminder is private); when only a group or
channel reference is known, it opens a personal chat with ``create_conversation`` and remembers it.
What it reports: ``sent``; ``permanent`` with the identity when Teams says 403 / 404 everywhere it
tried (each of those references is marked inactive on the spot); ``retry`` when throttling or a gateway
outlasts five attempts, or on any other error — the dispatcher then tries again minutes later.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import ChannelAccount, ConversationParameters, ConversationReference

from adapters.teams.bot import reply_activity
from adapters.teams.references import (
    PERSONAL,
    StoredReference,
    deactivate_reference,
    references_for_person,
    save_reference,
)
from adapters.teams.retry import GONE, PROACTIVE, Backoff, Sleep, status_of, with_retries
from bot.db import Database
from bot.reminders.dispatch import Delivery
from bot.types import Reply

log = logging.getLogger(__name__)

T = TypeVar("T")


class StoreByThread:
    """The app's store for the sender, from whichever thread it runs in (the store hands each thread its
    own SQLite connection, or a pooled PostgreSQL one)."""

    def __init__(self, db: Database):
        self._db = db

    def get(self) -> Database:
        return self._db


def _run(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to the end from synchronous code, even when this thread already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1) as pool:      # asyncio.run refuses a thread with a running loop
        return pool.submit(lambda: asyncio.run(make())).result()


class TeamsSender:
    """``bot.reminders.dispatch.Sender`` for Teams identities, through stored conversation references."""

    def __init__(self, adapter: BotAdapter, app_id: str, store: StoreByThread, *, backoff: Backoff = PROACTIVE,
                 sleep: Sleep = asyncio.sleep, rng: random.Random | None = None,
                 clock: Callable[[], datetime] | None = None):
        self.adapter = adapter        # its own adapter, without on_turn_error, so failures reach us
        self.app_id = app_id
        self.store = store
        self.backoff = backoff
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.clock = clock or (lambda: datetime.now(UTC))

    def deliver(self, person_id: str, reply: Reply, key: str) -> Delivery:
        """Send ``reply`` to the person's personal chat. Teams has no idempotency key: ``key`` is only logged."""
        db = self.store.get()
        references = references_for_person(db, person_id)
        if not references:
            identity = self._teams_identity(db, person_id)
            return Delivery("permanent", "no Teams conversation with this person yet: they need to message "
                            "AssessBot or install it", identity=identity)
        gone: Delivery | None = None
        for ref in [r for r in references if r.personal]:
            outcome = self._attempt(lambda ref=ref: self._continue(ref, reply))
            if outcome is None:
                return Delivery("sent", identity=ref.identity)
            if outcome.status != "permanent":
                return outcome
            log.warning("Teams reference %s / %s is gone (%s) for %s; marked inactive", ref.identity,
                        ref.conversation_id, outcome.detail, key)
            deactivate_reference(db, ref.identity, ref.conversation_id, outcome.detail)
            gone = Delivery("permanent", outcome.detail, identity=ref.identity)
        for ref in self._one_per_identity([r for r in references if not r.personal]):
            opened: dict[str, Any] = {}
            outcome = self._attempt(lambda ref=ref, opened=opened: self._open_personal(ref, reply, opened))
            if outcome is None:
                save_reference(db, ref.identity, opened, self.clock(), conversation_type=PERSONAL, team_id=None,
                               tenant_id=ref.tenant_id)
                return Delivery("sent", identity=ref.identity)
            if outcome.status != "permanent":
                return outcome
            # The bot is not installed for the person: the shared conversation itself is still fine.
            gone = Delivery("permanent", f"cannot open a personal chat: {outcome.detail}", identity=ref.identity)
        assert gone is not None
        return gone

    # -- one attempt, classified -------------------------------------------------------------------
    def _attempt(self, make: Callable[[], Coroutine[Any, Any, None]]) -> Delivery | None:
        """None when sent; otherwise how it failed (``permanent`` here means 403 / 404: that conversation)."""
        try:
            _run(lambda: with_retries(make, self.backoff, sleep=self.sleep, rng=self.rng))
            return None
        except Exception as error:
            status = status_of(error)
            if status in GONE:
                return Delivery("permanent", f"Teams answered {status}")
            if status == 401:
                log.error("Teams refused AssessBot's credentials (401): check teams.app_id and teams.app_password")
            detail = f"Teams answered {status}" if status else f"{type(error).__name__}: {error}"
            return Delivery("retry", detail)

    async def _continue(self, ref: StoredReference, reply: Reply) -> None:
        reference = ConversationReference().deserialize(ref.reference)

        async def send(turn_context: TurnContext) -> None:
            await turn_context.send_activity(reply_activity(reply))

        # Positional app id: CloudAdapter calls it bot_app_id, TestAdapter bot_id.
        await self.adapter.continue_conversation(reference, send, self.app_id)

    async def _open_personal(self, ref: StoredReference, reply: Reply, opened: dict[str, Any]) -> None:
        """Create the person's 1:1 chat with the bot from what a shared conversation told us, and send there."""
        user, bot = ref.reference.get("user") or {}, ref.reference.get("bot") or {}
        parameters = ConversationParameters(
            is_group=False, bot=ChannelAccount(id=bot.get("id")), members=[ChannelAccount(id=user.get("id"))],
            tenant_id=ref.tenant_id, channel_data={"tenant": {"id": ref.tenant_id}} if ref.tenant_id else None)

        async def send(turn_context: TurnContext) -> None:
            await turn_context.send_activity(reply_activity(reply))
            opened.update({"conversation": {"id": turn_context.activity.conversation.id,
                                            "conversationType": PERSONAL},
                           "user": user, "bot": bot, "channelId": ref.reference.get("channelId", "msteams"),
                           "serviceUrl": ref.service_url})

        await self.adapter.create_conversation(self.app_id, send, parameters, ref.reference.get("channelId",
                                                                                                "msteams"),
                                               ref.service_url)

    @staticmethod
    def _one_per_identity(references: list[StoredReference]) -> list[StoredReference]:
        seen: set[str] = set()
        out = []
        for ref in references:
            if ref.identity not in seen:
                seen.add(ref.identity)
                out.append(ref)
        return out

    @staticmethod
    def _teams_identity(db: Database, person_id: str) -> str | None:
        rows = list(db.query("SELECT id FROM identities WHERE person_id = ? AND platform = 'teams' AND active = 1 "
                             "ORDER BY created_at DESC LIMIT 1", [person_id]))
        return rows[0]["id"] if rows else None
