"""Other people named in a message ("show Alice's plan", "how is bob baker getting on?").

Names are matched as typed, in any case: a full name anywhere in the message, or a first name
where the message points at a person (a possessive, "for Alice", "how is Alice …"). Lookups go
through an index on the lower-cased name, so a centre of 10,000 learners costs a few queries.
"""

from __future__ import annotations

import re

from sqlite_utils import Database

from bot.records.people import Person, get_person

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|[a-z]+:[\w.@-]+")
_POINTER = re.compile(
    r"\b([A-Za-z][\w.:@-]*)['’]s?\b(?=\s)|\b(?:for|of|about|is|has|does|did|with)\s+([A-Za-z][\w.:@-]*)",
    re.IGNORECASE)
_NOT_NAMES = frozenset(
    "it that what there here let who one unit today everyone my me i you your she he they them her his their "
    "this the a an my mine our we us how where when why which plan registration evidence progress".split())


def _strip_possessive(word: str) -> str:
    return re.sub(r"['’]s?$", "", word)


def mentioned_person(db: Database, text: str, speaker: Person) -> Person | str | None:
    """The person other than the speaker that ``text`` names.

    Returns the Person; the name as typed when it looks like a name but matches nobody (so the bot
    can say it knows no one of that name); or None when the message names nobody.
    """
    words = [_strip_possessive(w) for w in _WORD.findall(text)]
    # Full names first: every run of two or three words, in one indexed query.
    runs = {" ".join(words[i:i + n]).lower() for n in (2, 3) for i in range(len(words) - n + 1)}
    runs |= {w for w in words if ":" in w}
    if runs:
        marks = ",".join("?" * len(runs))
        rows = list(db.query(f"SELECT id FROM people WHERE erased_at IS NULL AND (lower(name) IN ({marks}) "
                             f"OR id IN ({marks}))", [*runs, *runs]))
        found = [r["id"] for r in rows if r["id"] != speaker.id]
        if found:
            return get_person(db, found[0])
    for match in _POINTER.finditer(text):
        name = _strip_possessive(match.group(1) or match.group(2))
        if name.lower() in _NOT_NAMES or len(name) < 2:
            continue
        rows = list(db.query("SELECT id FROM people WHERE erased_at IS NULL AND lower(name) LIKE ? LIMIT 3",
                             [name.lower() + " %"]))
        ids = [r["id"] for r in rows]
        if len(ids) == 1 and ids[0] != speaker.id:
            return get_person(db, ids[0])
        if ids:
            continue        # the speaker's own first name, or several people of that name
        if match.group(1) and name[0].isupper():
            return name     # "Zed's plan": looks like a name, nobody by it
    return None
