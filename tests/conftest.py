"""Shared fixtures: the bundled KB, loaded once per session."""

from __future__ import annotations

import pytest

from knowledge.kb import KnowledgeBase, load_kb
from knowledge.search import SearchIndex


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.fixture(scope="session")
def search_index(kb: KnowledgeBase) -> SearchIndex:
    return SearchIndex(kb)
