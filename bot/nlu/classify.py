"""Intent choice: a confidence score per intent from examples, cues and the references present.

score = 0.4 × best example similarity (rapidfuzz) + 0.6 × cue strength (weighted regexes, capped)
        + a prior from the slots (a criterion question names a criterion, a rule question a topic).

The router acts on the top score only when it clears ``CONFIDENT`` and leads the runner-up by
``MARGIN``; otherwise it falls back (follow-up of the last intent, word search, or an honest "I
don't know").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, utils

from bot.intent import Intent
from bot.nlu.refs import References

CONFIDENT = 0.42
LEADING_REQUEST = 0.5
MARGIN = 0.04
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class IntentScore:
    name: str
    score: float


def _process(text: str) -> str:
    return utils.default_process(_DIGITS.sub(" ", text))


@cache
def _compiled(cues: tuple[tuple[str, float], ...]) -> tuple[tuple[re.Pattern[str], float], ...]:
    return tuple((re.compile(pattern, re.IGNORECASE), weight) for pattern, weight in cues)


def _example_similarity(text: str, examples: tuple[str, ...]) -> float:
    if not examples or not text:
        return 0.0
    # token_sort forgives word order; ratio on the whole keeps one shared word from scoring 100
    # (token_set's subset trap, LIBRARIES.md §6.2).
    return max((fuzz.token_sort_ratio(text, _process(e)) + fuzz.ratio(text, _process(e))) / 2
               for e in examples) / 100


_UNIT_WORD = re.compile(r"\bunits?\b|\bmodules?\b", re.IGNORECASE)


def _prior(intent: Intent, refs: References, topic: str | None, text: str = "") -> float:
    names_criterion = refs.ac is not None or refs.lo is not None or refs.relative is not None
    if intent.needs == "criterion":
        return 0.2 if names_criterion else -0.3
    if intent.needs == "unit":
        if intent.acts and not refs.names_a_unit and not _UNIT_WORD.search(text):
            return -0.3       # "take me seriously" must not add a unit to anyone's plan
        if refs.names_a_unit and not names_criterion:
            return 0.15
        if names_criterion:
            return -0.1
        # "how many credits for the level 5?" asks about the qualification, not a unit; so does a
        # question with a rule topic and no unit ("what are the end-point assessment methods?").
        if refs.qualifications:
            return -0.4
        return -0.2 if topic else -0.05
    if intent.needs == "qualification":
        bonus = 0.25 if topic else 0.0
        # A qualification named with no unit or criterion: the question is about the qualification.
        hinted = 0.15 if refs.qualifications and not refs.names_a_unit else 0.0
        return bonus + hinted - (0.15 if names_criterion else 0.0)
    return 0.0


def score_intents(text: str, intents: Iterable[Intent], refs: References,
                  topic: str | None) -> list[IntentScore]:
    """Every intent's score for ``text``, best first."""
    processed = _process(text)
    scores = []
    for intent in intents:
        cue = sum(weight for pattern, weight in _compiled(intent.cues) if pattern.search(text))
        score = 0.4 * _example_similarity(processed, intent.examples) + 0.6 * min(cue, 1.0)
        if intent.leads and _compiled(((intent.leads, 1.0),))[0][0].search(text):
            score += LEADING_REQUEST
        scores.append(IntentScore(intent.name, round(score + _prior(intent, refs, topic, text), 4)))
    return sorted(scores, key=lambda s: -s.score)
