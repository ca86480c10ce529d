"""Criteria voted for by the examples of real work most like this one (k nearest neighbours by TF-IDF
cosine over stems and stem pairs; letters add noise here): a description that reads like one labelled
"2.2, 2.4" lifts those criteria, even when the criteria's own wording shares no word with it. Pure Python
over a few hundred examples."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from bot.suggest.learned import Example, word_features

K = 10                   # neighbours that vote
SECONDARY = 0.8          # an example's first-listed criterion is its strongest; the others count a little less




class Neighbours:
    def __init__(self, examples: Iterable[Example]):
        self.examples = list(examples)
        bags = [Counter(word_features(e.text)) for e in self.examples]
        df: Counter[str] = Counter()
        for bag in bags:
            df.update(bag.keys())
        n = len(bags)
        # scikit-learn's smoothed idf and sublinear tf, so the prototype's measurements carry over
        self.idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for i, bag in enumerate(bags):
            vec = self._vector(bag)
            for t, v in vec.items():
                self.postings.setdefault(t, []).append((i, v))

    def _vector(self, bag: Counter[str]) -> dict[str, float]:
        vec = {t: (1 + math.log(tf)) * self.idf[t] for t, tf in bag.items() if t in self.idf}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def votes(self, text: str, scope: Iterable[str], k: int = K) -> dict[tuple[str, str], float]:
        """(unit, ac) → its neighbours' vote, relative to the best-voted criterion (which gets 1)."""
        within = set(scope)
        sims: dict[int, float] = {}
        for t, v in self._vector(Counter(word_features(text))).items():
            for i, w in self.postings.get(t, ()):
                if self.examples[i].unit in within:
                    sims[i] = sims.get(i, 0.0) + v * w
        out: dict[tuple[str, str], float] = {}
        for i in sorted(sims, key=lambda i: (-sims[i], i))[:k]:
            e = self.examples[i]
            for rank, ac in enumerate(e.acs):
                out[(e.unit, ac)] = out.get((e.unit, ac), 0.0) + sims[i] * (1.0 if rank == 0 else SECONDARY)
        top = max(out.values(), default=0.0)
        return {key: v / top for key, v in out.items()} if top > 0 else {}
