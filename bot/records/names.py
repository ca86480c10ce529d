"""The names of the people on the roster, as words a message may contain — for the intent model, which
reads a person named in a request as "zperson" (bot.nlu.features), whoever they are.

The words are read once, and again when people are added or removed (the table's row count changes) or
after ``MAX_AGE`` seconds (a renamed person, or one removed as another was added): a message costs one
cheap count and a set lookup per word, not a scan of 10,000 names. Activity updates (``last_active_at``)
don't touch names, so they don't refresh it.
"""

from __future__ import annotations

import re
import time
import weakref

from bot.db import Database

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
MAX_AGE = 300.0
# Names that are everyday words too: read as a name only when written with a capital ("Mark", "Rose").
_EVERYDAY = frozenset("will may mark grace rose amber ruby joy hope faith bill pat sue frank summer june april "
                      "august max dean reed green brown white black young long hall wood hill page best bell king "
                      "park lee dawn sky chase penny bob".split())


class RosterNames:
    def __init__(self, db: Database):
        self.db = db
        self._version: tuple[int, ...] | None = None
        self._read_at = 0.0
        self._words: frozenset[str] = frozenset()

    def _fresh(self) -> frozenset[str]:
        version = tuple(self.db.execute("SELECT count(*) FROM people").fetchone())
        if version != self._version or time.monotonic() - self._read_at > MAX_AGE:
            words: set[str] = set()
            for (name,) in self.db.execute("SELECT name FROM people WHERE name IS NOT NULL AND erased_at IS NULL"):
                words.update(w.lower() for w in _WORD.findall(name) if len(w) > 1)
            self._words, self._version, self._read_at = frozenset(words), version, time.monotonic()
        return self._words

    def words(self) -> frozenset[str]:
        """Every word of every name on the roster, lower case."""
        return self._fresh()

    def in_text(self, text: str) -> list[str]:
        """The roster's name words in ``text``, as written (each once)."""
        words = self._fresh()
        found: list[str] = []
        for raw in _WORD.findall(text):
            word = re.sub(r"['’]s?$", "", raw)
            lower = word.lower()
            if lower in words and lower not in found and (lower not in _EVERYDAY or word[0].isupper()):
                found.append(lower)
        return found


_BY_DB: weakref.WeakKeyDictionary[Database, RosterNames] = weakref.WeakKeyDictionary()


def names_of(db: Database) -> RosterNames:
    """The roster names of ``db`` (one cache per database connection)."""
    found = _BY_DB.get(db)
    if found is None:
        found = _BY_DB[db] = RosterNames(db)
    return found
