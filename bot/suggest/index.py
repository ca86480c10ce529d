"""BM25 over the knowledge base for evidence suggestions, at two grains: each criterion (its wording,
outcome, depth, guidance and suggested evidence) and each whole unit (title, aim, every criterion, the
assessment brief). A description of real work rarely uses a criterion's words, but it usually shares
some with the unit's brief; the unit grain finds the right unit, the criterion grain the right ACs.

Field weights follow BM25F: a word in a criterion's own wording counts more than one in its guidance.
Built once per knowledge base, in memory, in pure Python (a few hundred documents)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from bot.suggest.learned import UnitModel, examples, unit_model
from bot.suggest.neighbours import Neighbours
from bot.suggest.terms import bag
from bot.suggest.verbs import command
from knowledge.kb import KnowledgeBase
from knowledge.model import Criterion, Unit

K1, B = 1.2, 0.75


@dataclass
class Corpus:
    """One BM25 corpus: documents as weighted term counts, with document frequencies."""

    keys: list[tuple[str, str | None]] = field(default_factory=list)      # (unit, ac or None)
    docs: list[Counter[str]] = field(default_factory=list)
    df: Counter[str] = field(default_factory=Counter)
    postings: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)

    def add(self, key: tuple[str, str | None], fields: list[tuple[float, str]]) -> None:
        doc: Counter[str] = Counter()
        for weight, text in fields:
            for term, n in bag(text).items():
                doc[term] += weight * n
        self.keys.append(key)
        self.docs.append(doc)
        self.df.update(doc.keys())

    def finish(self) -> None:
        n = len(self.docs)
        average = sum(sum(d.values()) for d in self.docs) / max(n, 1)
        self.idf = {t: math.log(1 + (n - df + 0.5) / (df + 0.5)) for t, df in self.df.items()}
        for i, doc in enumerate(self.docs):
            norm = K1 * (1 - B + B * sum(doc.values()) / average)
            for term, tf in doc.items():
                self.postings.setdefault(term, []).append((i, tf * (K1 + 1) / (tf + norm)))

    def scores(self, query: dict[str, float], scope: set[str] | None = None) -> dict[int, float]:
        """BM25 of every document of the ``scope`` units sharing a term with ``query`` (term → query
        weight). Rarity is counted over the whole KB: within one qualification's six to twelve units it is
        too noisy (measured: 64 against 73 right on the development set)."""
        out: dict[int, float] = {}
        for term, weight in query.items():
            postings = self.postings.get(term)
            if not postings:
                continue
            w = weight * self.idf[term]
            for i, saturated in postings:
                if scope is None or self.keys[i][0] in scope:
                    out[i] = out.get(i, 0.0) + w * saturated
        return out


def _criterion_fields(unit: Unit, c: Criterion) -> list[tuple[float, str]]:
    outcome = next((lo.text for lo in unit.learning_outcomes if lo.number == c.lo), "")
    return [(3.0, c.text), (1.0, outcome), (1.0, unit.title),
            (1.0, " ".join((*c.depth, *c.requirements, *c.advice))), (1.0, " ".join(c.evidence)),
            (0.5, " ".join(c.ksbs))]


def _unit_fields(unit: Unit) -> list[tuple[float, str]]:
    return [(3.0, unit.title), (1.0, unit.aim or ""), (2.0, " ".join(lo.text for lo in unit.learning_outcomes)),
            (2.0, " ".join(c.text for c in unit.criteria)),
            (1.0, " ".join(" ".join((*c.depth, *c.requirements, *c.advice, *c.evidence)) for c in unit.criteria)),
            (1.0, " ".join((*unit.evidence, *unit.assessment_notes))),
            (1.0, " ".join(t for a in unit.assessment for t in a.text))]


class EvidenceIndex:
    """The two corpora, where each unit and criterion sits in them, each criterion's command verb, and
    what was learned from examples of real work (``learned``, ``neighbours``) — all worked out once, not on
    every message."""

    def __init__(self, kb: KnowledgeBase, model: UnitModel | None = None, neighbours: Neighbours | None = None):
        self.kb = kb
        self.model = model or unit_model()
        self.neighbours = neighbours or Neighbours(examples())
        self.criteria = Corpus()
        self.units = Corpus()
        self.commands: list[tuple[str, str | None]] = []        # per criterion row: (verb as written, family)
        for unit in kb.units.values():
            self.units.add((unit.code, None), _unit_fields(unit))
            for c in unit.criteria:
                self.criteria.add((unit.code, c.id), _criterion_fields(unit, c))
                self.commands.append(command(c.text))
        self.criteria.finish()
        self.units.finish()
        self.unit_row = {key[0]: i for i, key in enumerate(self.units.keys)}
        self.criterion_row = {key: i for i, key in enumerate(self.criteria.keys)}


_BUILT: dict[int, tuple[KnowledgeBase, EvidenceIndex]] = {}


def index_for(kb: KnowledgeBase) -> EvidenceIndex:
    """The index of ``kb``, built on first use (about 0.1 s) and kept while the KB lives."""
    held = _BUILT.get(id(kb))
    if held is None or held[0] is not kb:
        held = (kb, EvidenceIndex(kb))
        _BUILT[id(kb)] = held
    return held[1]
