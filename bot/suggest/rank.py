"""Ranking the criteria a piece of work could evidence.

1. The work's words (stemmed, saturated so a long document isn't dominated by one repeated word) are
   scored against every unit of the qualification and every criterion (``index``).
2. Pseudo-relevance feedback bridges vocabulary: the words of the criteria and units that matched best
   are added to the query at a lower weight, so work written in the job's words ("TA timetable") reaches
   criteria written in the specification's ("resources for learning") through the ones it did match.
3. What was learned from examples of real work in learners' words (``learned``) bridges the rest: the
   unit model's probability is added to each unit's score, and the criteria that the most similar examples
   evidence get their votes (``neighbours``). Measured on the held-out descriptions: the first unit right
   40 → 56 of 60 (README, "Evidence suggestions").
4. A unit's score blends its own match with its best criteria; a criterion's blends its match with its
   unit's, plus a small lift when the work shows the criterion's command verb (``verbs``) and when the
   unit is in the learner's plan.
5. The best unit's best criteria come first, then the next unit's, grouped by unit, 3–6 in all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from bot.suggest.index import Corpus, EvidenceIndex
from bot.suggest.terms import bag
from bot.suggest.verbs import shown, shows

LEAD = 2                  # criteria of the best unit shown first
FLOOR = 3                 # the fewest suggestions shown when there are candidates at all
CLOSE = 0.85              # other units' criteria shown when they score this close to the best
K3 = 1.2                  # query-side saturation: a word said ten times counts about twice a word said once


@dataclass(frozen=True)
class Weights:
    unit_own: float = 0.3          # unit score: its own match vs its best criteria
    unit_in_criterion: float = 0.3  # criterion score: how much its unit's score adds
    verb: float = 0.08
    plan: float = 0.05
    feedback_docs: int = 3
    feedback_terms: int = 30
    feedback_weight: float = 0.1
    learned: float = 1.0            # unit score: what the unit model's probability adds (``learned``)
    neighbours: float = 0.8         # criterion score: what the votes of similar examples add (``neighbours``)


@dataclass(frozen=True)
class Suggestion:
    unit: str
    ac: str
    score: float
    verb: str = ""
    family: str | None = None
    shown: bool = True
    matched: tuple[str, ...] = field(default=(), compare=False)   # stems the work shares with it or its unit


def _query(text: str) -> dict[str, float]:
    return {t: tf * (K3 + 1) / (tf + K3) for t, tf in bag(text).items()}


def _normalised(scores: dict[int, float]) -> dict[int, float]:
    top = max(scores.values(), default=0.0)
    return {i: s / top for i, s in scores.items()} if top > 0 else {}


def _feedback(corpus: Corpus, scores: dict[int, float], docs: int, n_terms: int) -> dict[str, float]:
    """The most distinctive terms of the best-matching documents (Rocchio/RM3-style expansion)."""
    best = sorted(scores, key=scores.get, reverse=True)[:docs]
    weights: dict[str, float] = {}
    for i in best:
        doc = corpus.docs[i]
        total = sum(doc.values())
        for term, tf in doc.items():
            weights[term] = weights.get(term, 0.0) + (tf / total) * corpus.idf[term] * scores[i]
    top = sorted(weights, key=weights.get, reverse=True)[:n_terms]
    peak = weights[top[0]] if top else 1.0
    return {t: weights[t] / peak for t in top}


def rank(index: EvidenceIndex, text: str, units: Iterable[str], plan: Iterable[str] = (),
         weights: Weights = Weights(), limit: int = 6, acts: dict[str, int] | None = None) -> list[Suggestion]:
    """The criteria of ``units`` that ``text`` most plausibly evidences, best unit first, grouped by unit.
    ``acts`` is ``verbs.shown(text)`` when the caller has it already."""
    scope = set(units)
    planned = set(plan) & scope
    query = _query(text)
    if not query or not scope:
        return []
    unit_scores = index.units.scores(query, scope)
    crit_scores = index.criteria.scores(query, scope)
    if weights.feedback_weight > 0 and crit_scores:
        expansion = _feedback(index.criteria, crit_scores, weights.feedback_docs, weights.feedback_terms)
        for term, w in _feedback(index.units, unit_scores, 1, weights.feedback_terms).items():
            expansion[term] = max(expansion.get(term, 0.0), w)
        expanded = dict(query)
        for term, w in expansion.items():
            expanded[term] = expanded.get(term, 0.0) + weights.feedback_weight * w
        unit_scores = index.units.scores(expanded, scope)
        crit_scores = index.criteria.scores(expanded, scope)
    if not crit_scores:
        return []
    u_norm, c_norm = _normalised(unit_scores), _normalised(crit_scores)
    by_unit: dict[str, list[float]] = {}
    for i, s in c_norm.items():
        by_unit.setdefault(index.criteria.keys[i][0], []).append(s)
    prior = index.model.prior(text, scope) if weights.learned else {}
    unit_total: dict[str, float] = {}
    for code in scope:
        best = sorted(by_unit.get(code, []), reverse=True)[:2]
        own = u_norm.get(index.unit_row[code], 0.0)
        unit_total[code] = (weights.unit_own * own + (1 - weights.unit_own) * (sum(best) / 2 if best else 0.0)
                            + (weights.plan if code in planned else 0.0) + weights.learned * prior.get(code, 0.0))
    acts = shown(text) if acts is None else acts
    votes = index.neighbours.votes(text, scope) if weights.neighbours else {}
    scored: list[Suggestion] = []
    for i, s in c_norm.items():
        code, ac = index.criteria.keys[i]
        verb, family = index.commands[i]
        is_shown = shows(acts, family)
        total = (s + weights.unit_in_criterion * unit_total[code] + (weights.verb if is_shown else 0.0)
                 + weights.neighbours * votes.get((code, ac or ""), 0.0))
        scored.append(Suggestion(code, ac or "", total, verb, family, is_shown))
    scored.sort(key=lambda x: -x.score)
    return [replace(s, matched=_matched(index, query, s)) for s in _grouped(scored, unit_total, limit)]


def _matched(index: EvidenceIndex, query: dict[str, float], s: Suggestion) -> tuple[str, ...]:
    criterion = index.criteria.docs[index.criterion_row[(s.unit, s.ac)]]
    unit = index.units.docs[index.unit_row[s.unit]]
    return tuple(t for t in query if t in criterion or t in unit)


def _grouped(scored: list[Suggestion], unit_total: dict[str, float], limit: int) -> list[Suggestion]:
    """The best unit's best criteria (up to ``LEAD``), then any other criterion scoring nearly as well as
    the best, grouped by unit in the units' order; at least ``FLOOR`` when there are that many."""
    top_unit = max(unit_total, key=unit_total.get)
    chosen = [s for s in scored if s.unit == top_unit][:LEAD]
    best = max((s.score for s in scored), default=0.0)
    for s in scored:
        if len(chosen) >= limit:
            break
        if s not in chosen and (s.score >= CLOSE * best or len(chosen) < FLOOR):
            chosen.append(s)
    order = sorted({s.unit for s in chosen}, key=lambda code: (code != top_unit, -unit_total[code]))
    return sorted(chosen, key=lambda s: (order.index(s.unit), -s.score))
