"""The names of the people on the roster, as words a message may contain — for the intent model, which
reads a person named in a request as "zperson" (bot.nlu.features), whoever they are.

The words are read once and read again only when the people table has changed (SQLite's data_version and
this connection's own changes), so a message costs a set lookup per word, not a query.
"""

from __future__ import annotations

import re

from sqlite_utils import Database

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Names that are everyday words too: read as a name only when written with a capital ("Mark", "Rose").
_EVERYDAY = frozenset("will may mark grace rose amber ruby joy hope faith bill pat sue frank summer june april "
                      "august max dean reed green brown white black young long hall wood hill page best bell king "
                      "park lee dawn sky chase penny bob".split())


class RosterNames:
    def __init__(self, db: Database):
        self.db = db
        self._version: tuple[int, int] | None = None
        self._words: frozenset[str] = frozenset()

    def _fresh(self) -> frozenset[str]:
        version = (self.db.execute("PRAGMA data_version").fetchone()[0], self.db.conn.total_changes)
        if version != self._version:
            words: set[str] = set()
            for (name,) in self.db.execute("SELECT name FROM people WHERE name IS NOT NULL AND erased_at IS NULL"):
                words.update(w.lower() for w in _WORD.findall(name) if len(w) > 1)
            self._words, self._version = frozenset(words), version
        return self._words

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
