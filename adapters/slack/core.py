"""The dialogue core as the Slack adapter uses it: in one worker thread, with its own SQLite connection.

Why a thread: Bolt acknowledges an event at once and runs its listener as an asyncio task on the same
event loop that answers every other request. SQLite objects belong to the thread that opened them,
and a write can wait on the reminder dispatcher's transaction; doing all store and dialogue work in
one dedicated thread keeps the loop free to acknowledge within milliseconds whatever the database is
doing, and, being one thread, keeps each conversation's messages in the order they arrived.

An in-memory store cannot be shared between connections, so then the work runs inline on the
loop's thread with the app's own connection (tests and ``--db :memory:`` only).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from adapters.compose import App, make_dialogue
from bot.db import Database
from bot.dialogue import Dialogue
from bot.records.people import Person, get_person, link_identity, person_for_identity
from bot.reminders.hours import load_prefs, save_prefs
from bot.types import Message, Reply
from knowledge.kb import KnowledgeBase

log = logging.getLogger(__name__)

T = TypeVar("T")

EVENT_MEMORY = timedelta(days=2)     # Slack retries within about an hour; two days is ample
PRUNE_EVERY = 500                    # claims between prunes of old event ids


@dataclass
class CoreContext:
    """What a function run in the core thread may use: that thread's connection and dialogue."""

    db: Database
    kb: KnowledgeBase
    dialogue: Dialogue
    timezone: str

    def now(self) -> datetime:
        # The dialogue's clock: the real time, or ``--now`` when the command fixed it.
        return self.dialogue.clock()

    def person(self, identity: str) -> Person:
        return person_for_identity(self.db, identity, self.now())


def in_memory(db: Database) -> bool:
    """An in-memory SQLite store: one connection, so the core runs in the caller's thread."""
    return db.engine == "sqlite" and db.path is None


class Core:
    """Runs functions ``fn(ctx, *args)`` in the core thread and awaits their results."""

    def __init__(self, app: App):
        self.app = app
        self._ctx: CoreContext | None = None
        self._claims = 0
        if in_memory(app.db):
            self._ctx = CoreContext(app.db, app.kb, app.dialogue, app.config.timezone)
            self._executor: ThreadPoolExecutor | None = None
        else:
            # The store gives each thread its own connection (SQLite) or a pooled one (PostgreSQL); the
            # core thread keeps database work off the event loop.
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slack-core",
                                                initializer=self._open)

    def _open(self) -> None:
        # The same clock and KB as the app, so ``--now`` and the configured KB hold here too.
        dialogue = make_dialogue(self.app.kb, self.app.db, clock=self.app.dialogue.clock)
        self._ctx = CoreContext(self.app.db, self.app.kb, dialogue, self.app.config.timezone)

    def _call(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        assert self._ctx is not None
        return fn(self._ctx, *args)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._executor is None:
            return self._call(fn, args)
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._call, fn, args)

    async def warm_up(self) -> None:
        """Open the connection and build the dialogue now rather than on the first message."""
        await self.run(lambda ctx: None)

    def close(self) -> None:
        if self._executor is None:
            return

        self._executor.shutdown(wait=True)

    # -- functions run in the core thread -------------------------------------------------------------
    def claim_event(self, ctx: CoreContext, event_id: str) -> bool:
        """True the first time an event id is seen (answer it); False for Slack's retries of it."""
        now = datetime.now(UTC)     # bookkeeping, not the conversation's clock: real time for pruning
        # A unique key, not process memory: another process given the same event sees the row.
        result = ctx.db.execute("INSERT INTO slack_events (event_id, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                [event_id, now.isoformat()])
        self._claims += 1
        if self._claims % PRUNE_EVERY == 0:
            ctx.db.execute("DELETE FROM slack_events WHERE received_at < ?", [(now - EVENT_MEMORY).isoformat()])
        return result.rowcount == 1


def converse(ctx: CoreContext, message: Message) -> list[Reply]:
    return ctx.dialogue.handle(message)


def link_person(ctx: CoreContext, identity: str, email: str | None, tz: str | None) -> str:
    """The person behind a Slack identity, linked to the roster by the e-mail Slack reports.

    A person who wrote to the bot before the centre imported its roster has a placeholder record with
    no role; once the roster has someone with that e-mail, the identity moves to them (the core's
    ``link_identity``, audited). The time zone from Slack becomes the person's reminder time zone
    unless they have one stored already (one they set in chat wins).
    """
    now = ctx.now()
    person = person_for_identity(ctx.db, identity, now, email=email)
    if email and person.role is None:
        rows = list(ctx.db.query("SELECT id FROM people WHERE lower(email) = lower(?) AND role IS NOT NULL "
                                 "AND erased_at IS NULL AND id != ?", [email, person.id]))
        if len(rows) == 1:
            link_identity(ctx.db, identity, rows[0]["id"], now, actor=identity)
            person = get_person(ctx.db, rows[0]["id"]) or person
    if tz and _valid_zone(tz):
        stored = list(ctx.db.query("SELECT timezone FROM reminder_prefs WHERE person_id = ?", [person.id]))
        if not stored or not stored[0]["timezone"]:
            prefs = load_prefs(ctx.db, person.id, ctx.timezone)
            prefs.timezone = tz
            save_prefs(ctx.db, person.id, prefs)
    return person.id


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def name_of(ctx: CoreContext, identity: str) -> str | None:
    """The roster name behind an identity (so "<@U2>'s plan" reads as "Bob Baker's plan")."""
    rows = list(ctx.db.query("SELECT p.name FROM identities i JOIN people p ON p.id = i.person_id "
                             "WHERE i.id = ? AND p.erased_at IS NULL", [identity]))
    return rows[0]["name"] if rows and rows[0]["name"] else None
