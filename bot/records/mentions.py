"""Other people named in a message ("show Alice's plan", "what's left for Bob Smith?")."""

from __future__ import annotations

import re

from sqlite_utils import Database

from bot.records.people import Person, get_person

_POSSESSIVE = re.compile(r"\b((?:[A-Z][a-z]+\s+)?[A-Za-z][\w.:@-]*)['’]s\b")
_FOR = re.compile(r"\b(?:for|of|about)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|[a-z]+:[\w.@-]+)")
_NOT_NAMES = {"it", "that", "what", "there", "here", "let", "who", "one", "unit", "today", "everyone", "my"}


def mentioned_person(db: Database, text: str, speaker: Person) -> Person | str | None:
    """The person another than the speaker that ``text`` names (by id, full or first name).

    Returns the Person, the name as typed when nobody matches (so the bot can say it knows no one
    of that name), or None when the text names nobody.
    """
    for pattern in (_POSSESSIVE, _FOR):
        for match in pattern.finditer(text):
            name = match.group(1).strip()
            if name.lower() in _NOT_NAMES or name.lower().startswith("unit"):
                continue
            person = _find(db, name)
            if person is None and " " in name:
                person = _find(db, name.split()[0])
            if person is not None:
                if person.id == speaker.id:
                    return None
                return person
            if name[0].isupper() or ":" in name:
                return name
    return None


def _find(db: Database, name: str) -> Person | None:
    if ":" in name:
        return get_person(db, name)
    rows = list(db.query(
        "SELECT id FROM people WHERE erased_at IS NULL AND (lower(name) = lower(?) OR lower(name) LIKE lower(?) "
        "OR id = ?) LIMIT 2", [name, f"{name} %", name]))
    return get_person(db, rows[0]["id"]) if len(rows) == 1 else None
