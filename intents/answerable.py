"""Whether the specification answers a question at all: a probability from a model trained on the questions
asked of the statements (``knowledge.asked``: 2,702 the statements answer, 588 near misses they are silent on).

A single signal decides badly. A statement sharing a rare word, a near miss asked nearby, the question's
subject left unsaid by the best statements, a number asked for and none printed: each says something, none is
enough. The model weighs them together (logistic regression; ``intents.answerable_train`` fits it at build
time on each question's signals from an index that never held that question, so the signals look as they
will for a new one), and the bot reads the exported weights: a dot product, no scikit-learn at run time.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

from bot.intent import Turn
from bot.nlu.topics import detect_topic
from intents.rule_search import asked_text, relevant_rules, rule_idf, says, subject_words
from knowledge.model import Qualification
from knowledge.search import asks_for, stem

WEIGHTS = Path(__file__).resolve().parent / "answerable.json"
FEATURES = ("best", "answered", "silent", "silent_any", "margin", "nearer_silent", "unsaid_statements",
            "unsaid_asked", "rarest_unsaid", "unsaid_count", "subject_count", "asks_number", "asks_time",
            "asks_person", "statement_number", "statements", "silent_words_max", "silent_words_sum",
            "on_topic")
_SHOWN = 3      # the best statements, as an answer leads with them


def signals(turn: Turn, q: Qualification, words: str, question: str) -> list[float]:
    """The question's signals, in ``FEATURES`` order. ``words``: what to search (``search_words``);
    ``question``: the whole question (what it asks for, its subject)."""
    search = turn.search
    # The ranking's own search (``relevant_rules``: 40 hits), so that it runs once.
    hits = search.search(words, limit=40, kind="rule", qualification=q.id)
    best = hits[0].score if hits else 0.0
    answered, silent = search.nearest(words, q.id, question)
    silent_any = search.nearest_silent(words, q.id)
    topic = detect_topic(question)
    rules = relevant_rules(turn, q, topic, words)[:_SHOWN]
    idf = rule_idf(turn.kb.rule_texts(q.id))
    rarest = max(idf.values(), default=1.0)
    subject = [stem(w) for w in subject_words(question, q)]
    statements = " ".join(r.text for r in rules).lower()
    with_asked = " ".join(asked_text(turn, r) for r in rules).lower()

    spelt = search.spelt

    def unsaid(text: str) -> list[str]:
        return [w for w in subject if not says(text, w, spelt)]
    weight = sum(idf.get(w, rarest) for w in subject) or 1.0
    left = unsaid(with_asked)
    kinds = asks_for(question)
    odds = [search.silent_odds.get(w, 0.0) for w in subject]
    return [math.log1p(best), math.log1p(answered), math.log1p(silent), math.log1p(silent_any),
            (answered - silent) / (best + 1), float(silent > 0 and silent >= best and silent >= answered),
            sum(idf.get(w, rarest) for w in unsaid(statements)) / weight,
            sum(idf.get(w, rarest) for w in left) / weight,
            max((idf.get(w, rarest) for w in left), default=0.0) / rarest,
            float(len(left)), float(len(subject)),
            float("number" in kinds), float("time" in kinds), float("person" in kinds),
            float(any(ch.isdigit() for ch in statements)), float(bool(rules)),
            max(odds, default=0.0), sum(o for o in odds if o > 0),
            float(bool(topic) and any(r.topic == topic for r in rules))]


@functools.cache
def _weights(path: Path = WEIGHTS) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def probability(turn: Turn, q: Qualification, words: str, question: str) -> float:
    """How likely the specification answers the question (the model's estimate, 0–1)."""
    w = _weights()
    x = signals(turn, q, words, question)
    z = w["intercept"] + sum(c * (v - m) / s for c, v, m, s in zip(w["coef"], x, w["mean"], w["scale"], strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def unanswered(turn: Turn, q: Qualification, words: str, question: str) -> bool:
    """Whether the specification is more likely silent on the question than answering it."""
    return probability(turn, q, words, question) < _weights()["threshold"]
