"""The reply's reasons: the sentence of the work that most ties it to a criterion ("why"), and what the
criterion asks that the work doesn't seem to show yet (its command verb)."""

from __future__ import annotations

import re

from bot.suggest.index import EvidenceIndex
from bot.suggest.rank import Suggestion
from bot.suggest.terms import terms
from bot.suggest.verbs import strongest

MAX_WHY = 110
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")

# What showing each act takes, said to the learner.
_HOW = {
    "evaluate": "judge how well it worked, against what, and what you'd change",
    "analyse": "break it down: causes, patterns, comparisons",
    "explain": "explain how and why, not only what happened",
    "justify": "give the reasons for the choices made",
    "plan": "include the plan or design itself",
    "do": "show what you did yourself (minutes, emails or a witness statement)",
    "reflect": "reflect on your own part: what you learnt and would do differently",
    "research": "show how you gathered the evidence (methods, sources)",
}
_DOES = {"evaluate": "evaluates", "analyse": "analyses", "explain": "describes", "justify": "argues a case",
         "plan": "sets out a plan", "do": "reports what was done", "reflect": "reflects",
         "research": "reports research"}


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if len(s.split()) >= 4]


def reasons(index: EvidenceIndex, text: str, found: list[Suggestion]) -> list[str]:
    """For each suggestion, the sentence of the work sharing the most (and rarest) words with the criterion,
    shortened. The work is split and stemmed once, however many suggestions there are."""
    stemmed = [(sentence, set(terms(sentence))) for sentence in sentences(text) or [text]]
    return [_why(index, stemmed, s) for s in found]


def _why(index: EvidenceIndex, stemmed: list[tuple[str, set[str]]], suggestion: Suggestion) -> str:
    doc = index.criteria.docs[index.criterion_row[(suggestion.unit, suggestion.ac)]]
    unit_doc = index.units.docs[index.unit_row[suggestion.unit]]
    best, best_score = "", 0.0
    for sentence, stems in stemmed:
        # The criterion's own words first; its unit's break ties and stand in when it shares none.
        score = sum(index.criteria.idf.get(t, 0.0) for t in stems if t in doc) \
            + 0.1 * sum(index.units.idf.get(t, 0.0) for t in stems if t in unit_doc)
        if score > best_score:
            best, best_score = sentence, score
    best = re.sub(r"\s+", " ", re.sub(r"[*_#>`|]+", " ", best)).strip().lstrip("-•· ").strip()
    if len(best) > MAX_WHY:
        best = best[:MAX_WHY].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return best


def missing(suggestion: Suggestion, acts: dict[str, int]) -> str | None:
    """"it asks you to evaluate; this mostly describes", or None when the work shows what it asks."""
    if suggestion.shown or suggestion.family is None:
        return None
    does = strongest(acts)
    return f"it asks you to {suggestion.verb}" + (f"; this mostly {_DOES[does]}" if does else "")


def how(suggestion: Suggestion) -> str | None:
    """What showing the criterion's act takes ("judge how well it worked …"), for "more"."""
    return None if suggestion.shown or suggestion.family is None else _HOW[suggestion.family]
