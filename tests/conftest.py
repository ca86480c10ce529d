"""Shared fixtures: the bundled KB (loaded once), a dialogue on an in-memory store, and ``bot_say``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bot.dialogue import Dialogue
from bot.store import open_store
from bot.types import Message, Reply
from knowledge.kb import KnowledgeBase, load_kb
from knowledge.search import SearchIndex

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.fixture(scope="session")
def search_index(kb: KnowledgeBase) -> SearchIndex:
    return SearchIndex(kb)


@pytest.fixture
def dialogue(kb: KnowledgeBase, search_index: SearchIndex) -> Dialogue:
    return Dialogue(kb, open_store(None), clock=lambda: NOW, search=search_index)


@pytest.fixture
def bot_say(dialogue: Dialogue) -> Callable[..., Reply]:
    """``bot_say("…")`` → the first reply, in one conversation per test (context carries)."""

    def say(text: str, person: str = "console:learner", conversation: str = "test",
            now: datetime | None = None) -> Reply:
        return dialogue.handle(Message(person, conversation, text, "console"), now=now)[0]

    return say
