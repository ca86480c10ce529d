"""The composition root: config, store, KB and dialogue built from ``app.yaml`` and CLI flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Config, load_config
from bot.db import Database
from bot.dialogue import Dialogue
from bot.store import open_store
from intents import INTENTS
from knowledge.kb import KnowledgeBase, load_kb


def make_dialogue(kb: KnowledgeBase, db: Database, **options: Any) -> Dialogue:
    """The dialogue core with every intent registered (``intents.INTENTS``): the one place that joins
    them. ``options`` go to ``Dialogue`` (clock, search, model)."""
    return Dialogue(kb, db, INTENTS, **options)


@dataclass
class App:
    config: Config
    kb: KnowledgeBase
    db: Database
    dialogue: Dialogue


def parse_now(value: str | None, timezone: str) -> datetime | None:
    """``--now``: an ISO date-time, read in the configured time zone when it has none."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(timezone))


def clock_now(app: App, now: str | None) -> datetime:
    """The command's clock: ``--now`` if given, else the current time in the configured zone."""
    return parse_now(now, app.config.timezone) or datetime.now(ZoneInfo(app.config.timezone))


def build_app(config_path: str | None = None, db_path: str | None = None,
              now: str | None = None) -> App:
    config = load_config(config_path)
    kb = load_kb(config.specs_dir)
    db = open_store(db_path or config.database)
    fixed = parse_now(now, config.timezone)
    tz = ZoneInfo(config.timezone)
    clock = (lambda: fixed) if fixed else (lambda: datetime.now(tz))
    return App(config, kb, db, make_dialogue(kb, db, clock=clock))
