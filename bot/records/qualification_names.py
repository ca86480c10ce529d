"""A qualification named as a person writes it in a roster or a message: its id, or its title matched
case-insensitively and forgivingly (a misspelt word, most of the title), never guessed between two."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from knowledge.kb import KnowledgeBase
from knowledge.model import Qualification
from knowledge.titles import misspelt

# Words that don't tell one qualification from another (the awarding body, filler words).
_TITLE_NOISE = frozenset("the for in of and a an qualification city guilds ilm cg".split())


_TITLE_WORD = re.compile(r"[a-z]+|\d+")


# Share of a title's words a partial title must cover to count (the Level 5's subject words with
# "diploma" name it; "Diploma" alone names nothing).
MIN_TITLE_COVERAGE = 0.6


# -- qualification titles -----------------------------------------------------------------------
def _title_words(text: str) -> list[str]:
    text = re.sub(r"\bl(?=\d)", "level ", text.lower().replace("&", " and "))    # "L7" → "level 7"
    return [w for w in _TITLE_WORD.findall(text) if w not in _TITLE_NOISE]


def closest_qualifications(kb: KnowledgeBase, text: str, limit: int = 3) -> list[Qualification]:
    """The qualifications whose titles look most like ``text`` (for "did you mean" messages)."""
    titles = {q.id: q.title for q in kb.qualifications.values()}
    found = process.extract(text, titles, scorer=fuzz.WRatio, limit=limit)
    return [kb.qualifications[key] for _, _, key in found]


def resolve_qualification(kb: KnowledgeBase, text: str) -> Qualification:
    """The qualification ``text`` names: its id, or its title matched case-insensitively and forgivingly.

    the words of a title typed in another order find that title;
    a misspelt word is forgiven, but a different level or an extra word is not, and a partial title
    must cover most of the real one. Raises :class:`LookupError` with a message naming the closest
    titles, or the candidates when ``text`` fits several.
    """
    wanted = text.strip()
    slug = re.sub(r"[\s_]+", "-", wanted.lower())
    if slug in kb.qualifications:
        return kb.qualifications[slug]
    query = _title_words(wanted)
    if query:
        exact = [q for q in kb.qualifications.values() if _title_words(q.title) == query]
        if len(exact) == 1:
            return exact[0]
        # Titles that have every word of the query (misspellings forgiven), with how much of each it covers.
        scored: list[tuple[float, Qualification]] = []
        for q in kb.qualifications.values():
            title = _title_words(q.title)
            if all(any(misspelt(w, t) for t in title) for w in query):
                scored.append((sum(any(misspelt(w, t) for w in query) for t in title) / len(title), q))
        whole = [q for covered, q in scored if covered == 1.0]
        if len(whole) == 1:
            return whole[0]         # the whole title, misspelt in one of its words
        if len(scored) == 1 and scored[0][0] >= MIN_TITLE_COVERAGE:
            return scored[0][1]     # part of one title only: "Senior Leaders diploma"
        if len(scored) > 1:
            # "Level 6 diploma" is two qualifications: ask rather than guess.
            names = "; ".join(f"{q.title} ({q.id})" for _, q in sorted(scored, key=lambda pair: -pair[0]))
            raise LookupError(f"qualification “{wanted}” fits more than one: {names} — give the id to choose")
    closest = "; ".join(f"{q.title} ({q.id})" for q in closest_qualifications(kb, wanted))
    raise LookupError(f"unknown qualification “{wanted}” — the closest are: {closest}")
