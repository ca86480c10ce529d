"""Other people named in a message ("show Alice's plan", "how is bob baker getting on?", "pause Sam's
reminders", a pronoun after a name).

Names are matched as typed, in any case: a full name anywhere in the message; a first name or a surname
where the message points at a person (a possessive, "for Alice", "how is Alice …", "tell Priya …") or
written with a capital; a pronoun ("her", "him", "them") means the person named earlier in the message,
else the person the conversation was last about. A first name that fits several people is *ambiguous*:
the caller asks which, and acts on nobody until told. Lookups go through an index on the lower-cased
name, so a centre of 10,000 learners costs a few queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.db import Database
from bot.records.names import names_of
from bot.records.people import Person, get_person

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|[a-z]+:[\w.@-]+")
_POINTER = re.compile(
    r"\b([A-Za-z][\w.:@-]*)['’]s?\b(?=\s)|"
    r"\b(?:for|of|about|is|has|does|did|with|tell|remind|pause|mark|refer|give|put|ask|chase|nudge|let)\s+"
    r"([A-Za-z][\w.:@-]*)",
    re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:her|him|his|she|he|them|their|they)\b", re.IGNORECASE)
_NOT_NAMES = frozenset(
    "it that what there here let who one unit today everyone my me i you your she he they them her his their "
    "this the a an my mine our we us how where when why which plan registration evidence progress all "
    "everybody anyone someone reminders reminder target targets group cohort learners".split())


@dataclass
class Mention:
    """Who a message names: one ``person``; several that fit (``ambiguous``, with the ``name`` as typed);
    or a ``name`` that looks like one but fits nobody (``unknown``)."""

    person: Person | None = None
    ambiguous: list[Person] = field(default_factory=list)
    name: str = ""
    unknown: bool = False


def _strip_possessive(word: str) -> str:
    return re.sub(r"['’]s?$", "", word)


def _ids(db: Database, where: str, params: list) -> list[str]:
    return [r["id"] for r in db.query(f"SELECT id FROM people WHERE erased_at IS NULL AND ({where}) "
                                      "ORDER BY name LIMIT 6", params)]


def _by_full_name(db: Database, words: list[str], speaker: Person) -> Person | None:
    runs = {" ".join(words[i:i + n]).lower() for n in (2, 3) for i in range(len(words) - n + 1)}
    runs |= {w for w in words if ":" in w}
    if not runs:
        return None
    marks = ",".join("?" * len(runs))
    found = [i for i in _ids(db, f"lower(name) IN ({marks}) OR id IN ({marks})", [*runs, *runs]) if i != speaker.id]
    return get_person(db, found[0]) if found else None


def _candidates(text: str) -> list[tuple[str, bool]]:
    """Words that may be a first name or surname, in order, and whether the message points at them."""
    out: list[tuple[str, bool]] = []
    pointed = {_strip_possessive(m.group(1) or m.group(2)).lower() for m in _POINTER.finditer(text)}
    for raw in _WORD.findall(text):
        word = _strip_possessive(raw)
        if word.lower() in _NOT_NAMES or len(word) < 2 or ":" in word:
            continue
        points = word.lower() in pointed
        if points or word[0].isupper():
            out.append((word, points))
    return out


_SELF_CORRECTION = re.compile(r"\b(?:no,?\s+wait|sorry,?\s+i\s+mean[t]?|i\s+mean[t]?|no,?\s+i\s+mean[t]?|"
                              r"actually,?\s+(?:it's|make that))\b", re.IGNORECASE)


def mention(db: Database, text: str, speaker: Person, context_person: str | None = None) -> Mention | None:
    """The person other than the speaker that ``text`` names, if it names one. A message that corrects itself
    ("remind Ann Lee — actually, make that Ann Leigh — to …") means the person after the correction."""
    corrected = list(_SELF_CORRECTION.finditer(text))
    if corrected:
        found = _mention(db, text[corrected[-1].end():], speaker, None)
        if found is not None:
            return found
    return _mention(db, text, speaker, context_person)


def _mention(db: Database, text: str, speaker: Person, context_person: str | None) -> Mention | None:
    words = [_strip_possessive(w) for w in _WORD.findall(text)]
    person = _by_full_name(db, words, speaker)
    if person is not None:
        return Mention(person=person, name=person.name or person.id)
    known = names_of(db).words()
    for word, points in _candidates(text):
        name = word.lower()
        # Only a word that is part of someone's name costs a query (a centre may have 10,000 people).
        ids = [i for i in _ids(db, "lower(name) LIKE ? OR lower(name) LIKE ?", [name + " %", "% " + name])
               if i != speaker.id] if name in known else []
        if len(ids) == 1:
            found = get_person(db, ids[0])
            return Mention(person=found, name=word) if found else None
        if len(ids) > 1:
            return Mention(ambiguous=[p for i in ids if (p := get_person(db, i))], name=word)
        if points and word[0].isupper() and not _is_common(word):
            return Mention(name=word, unknown=True)       # "Zed's plan": looks like a name, nobody by it
    if _PRONOUN.search(text) and context_person and context_person != speaker.id:
        found = get_person(db, context_person)
        if found is not None:
            return Mention(person=found, name=found.name or found.id)
    return None


# Capitalised words that open sentences or name things, not people.
_COMMON = frozenset("please can could would will what when how is are do does did i ok okay yes no hi hello hey "
                    "thanks monday tuesday wednesday thursday friday saturday sunday january february march april "
                    "may june july august september october november december christmas easter level unit ac "
                    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
                    "lo diploma award remind mark refer pause set add drop log show tell give put".split())


def _is_common(word: str) -> bool:
    return word.lower() in _COMMON


def mentioned_person(db: Database, text: str, speaker: Person, context_person: str | None = None
                     ) -> Person | str | None:
    """The person ``text`` names (the name as typed when it fits nobody, None when it names nobody). A name
    that fits several people gives the first name as typed too: callers that act use :func:`mention`."""
    found = mention(db, text, speaker, context_person)
    if found is None:
        return None
    if found.person is not None:
        return found.person
    return found.name
