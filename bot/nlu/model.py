"""The intent model at run time: exported TF-IDF + logistic-regression weights, read in plain Python.
(The evidence suggestions' unit model, ``bot.suggest.learned``, is the same kind of model over other
features, so the class takes the function that makes features.)

Trained at build time by scikit-learn (``bot.nlu.train``); answering a message needs only the
feature list, the idf values, the coefficients and the intercepts, so scikit-learn isn't imported here
(with SciPy it would cost more than the rest of start-up). NumPy is: one message's product of its ~80
features by the ~80 classes' weights took a millisecond in Python loops, most of a message's time
(``make bench``), against 60 ms of start-up once.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.nlu.features import analyse

MODEL_DIR = Path(__file__).resolve().parent / "model"
NAME = "intent_model"            # NAME.json (classes, features, intercepts) and NAME.bin (idf, coefficients)


@dataclass(frozen=True)
class Prediction:
    label: str
    probability: float


class IntentModel:
    """Probabilities over labels for a delexicalised message (``bot.nlu.features.delexicalise``), or for any
    text when built with another ``analyser`` (the one it was trained with)."""

    def __init__(self, header: dict, weights: bytes, analyser: Callable[[str], list[str]] = analyse):
        self._analyse = analyser
        self.classes: list[str] = header["classes"]
        self.temperature: float = header.get("temperature", 1.0)
        self.training_hash: str = header.get("training_hash", "")
        features: list[str] = header["features"]
        self._index = {f: i for i, f in enumerate(features)}
        values = np.frombuffer(weights, dtype="<f4")
        n, c = len(features), len(self.classes)
        if len(values) != n * (c + 1):
            raise ValueError(f"intent model weights hold {len(values)} values, expected {n * (c + 1)}")
        self._idf = values[:n].astype(np.float64)
        self._coef = values[n:].reshape(n, c).astype(np.float64)    # one row of weights per feature
        self._intercept = np.asarray(header["intercept"], dtype=np.float64)

    @classmethod
    def load(cls, directory: Path = MODEL_DIR, name: str = "intent_model",
             analyser: Callable[[str], list[str]] = analyse) -> IntentModel:
        header = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        return cls(header, (directory / f"{name}.bin").read_bytes(), analyser)

    def predict(self, delexicalised: str) -> list[Prediction]:
        """Every label with its probability, most probable first."""
        counts = Counter(i for i in map(self._index.get, self._analyse(delexicalised)) if i is not None)
        scores = self._intercept
        if counts:
            rows = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            # Sublinear tf × idf, L2-normalised: scikit-learn's TfidfVectorizer(sublinear_tf=True).
            tfidf = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self._idf[rows]
            scores = scores + (tfidf / math.sqrt(float(tfidf @ tfidf))) @ self._coef[rows]
        exps = np.exp((scores - scores.max()) / self.temperature)
        probabilities = (exps / exps.sum()).tolist()
        ranked = sorted(zip(self.classes, probabilities, strict=True), key=lambda p: -p[1])
        return [Prediction(label, p) for label, p in ranked]


@functools.cache
def load_model(directory: Path = MODEL_DIR) -> IntentModel:
    """The committed model, read once per process."""
    return IntentModel.load(directory)
