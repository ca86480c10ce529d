"""Fitting the answerability model (``intents.answerable``) at build time: ``assessbot nlu train``.

Each asked question's signals are computed by a bot whose word search holds only the other folds' questions
(five folds, as ``tests.eval.asked_cv``), so a question never finds itself; a logistic regression on the
standardised signals is then fitted on all of them and exported. The threshold is the probability below which
the bot declines. Only this module imports scikit-learn.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from intents.answerable import FEATURES, WEIGHTS, signals
from intents.rule_search import search_words
from knowledge.asked import FOLDS, Asked, fold, read_asked
from knowledge.kb import KnowledgeBase
from knowledge.search import SearchIndex

# Below this probability the bot declines: chosen on the folds, where 0.5 declined 46 more near misses for
# 14 more answerable questions declined than the nearest-question check alone (0.6: 87 for 58).
THRESHOLD = 0.35
C = 1.0
def training_hash(kb: KnowledgeBase, asked: tuple[Asked, ...]) -> str:
    """What the model was fitted on: the questions and the statements they were asked of."""
    digest = hashlib.sha256()
    for a in asked:
        digest.update(f"{a.question}\0{a.document}\0{a.lines}\n".encode())
    for r in kb.rules:
        digest.update(f"{r.qualification}\0{r.text}\n".encode())
    return digest.hexdigest()[:16]


def out_of_fold(kb: KnowledgeBase, asked: tuple[Asked, ...]) -> tuple[list[list[float]], list[int], list[int]]:
    """Every question's signals from an index without its fold, its label (answered 1, near miss 0), fold."""
    xs: list[list[float]] = []
    ys: list[int] = []
    folds: list[int] = []
    for n in range(FOLDS):
        given, held = fold(asked, n)
        search = SearchIndex(kb, asked=given)
        turn: Any = SimpleNamespace(kb=kb, search=search)
        for a in held:
            q = kb.qualifications[kb.asked_of(a)]
            xs.append(signals(turn, q, search_words(search.expand(a.question), q), a.question))
            ys.append(int(bool(a.lines)))
            folds.append(n)
    return xs, ys, folds


@dataclass
class Report:
    answered_kept: int
    answered: int
    near_declined: int
    near: int

    def lines(self) -> list[str]:
        return [f"answerability model ({FOLDS}-fold, threshold {THRESHOLD}): answerable questions kept "
                f"{self.answered_kept}/{self.answered}, near misses declined {self.near_declined}/{self.near}"]


def train(kb: KnowledgeBase, path: Path = WEIGHTS) -> Report:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    asked = read_asked()
    xs, ys, folds = out_of_fold(kb, asked)
    x, y, f = np.array(xs), np.array(ys), np.array(folds)
    predicted = np.zeros(len(y))
    for n in range(FOLDS):
        scaler = StandardScaler().fit(x[f != n])
        model = LogisticRegression(C=C, max_iter=5000).fit(scaler.transform(x[f != n]), y[f != n])
        predicted[f == n] = model.predict_proba(scaler.transform(x[f == n]))[:, 1]
    declined = predicted < THRESHOLD
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=C, max_iter=5000).fit(scaler.transform(x), y)
    weights = {"features": list(FEATURES), "mean": [round(v, 6) for v in scaler.mean_],
               "scale": [round(v, 6) if v else 1.0 for v in scaler.scale_],
               "coef": [round(v, 6) for v in model.coef_[0]], "intercept": round(float(model.intercept_[0]), 6),
               "threshold": THRESHOLD, "training_hash": training_hash(kb, asked)}
    path.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    return Report(int((~declined & (y == 1)).sum()), int((y == 1).sum()), int((declined & (y == 0)).sum()),
                  int((y == 0).sum()))


def stale(kb: KnowledgeBase, path: Path = WEIGHTS) -> str | None:
    """Why the committed weights no longer match the questions and statements, or None when they do."""
    try:
        weights = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"the answerability model can't be read ({exc})"
    if weights.get("training_hash") != training_hash(kb, read_asked()) or weights.get("features") != list(FEATURES):
        return ("the answerability model was fitted on other questions, statements or signals: run "
                "`assessbot nlu train` (make model) and commit intents/answerable.json")
    return None
