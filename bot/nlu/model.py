"""The intent model at run time: exported TF-IDF + logistic-regression weights, read in plain Python.
(The evidence suggestions' unit model, ``bot.suggest.learned``, is the same kind of model over other
features, so the class takes the function that makes features.)

Trained at build time by scikit-learn (``bot.nlu.train``); answering a message needs only the
feature list, the idf values, the coefficients and the intercepts, so neither scikit-learn nor NumPy
is imported here (they would cost more start-up time than the whole KB load).
"""

from __future__ import annotations

import functools
import json
import math
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
        values = array("f")
        values.frombytes(weights)
        n, c = len(features), len(self.classes)
        if len(values) != n * (c + 1):
            raise ValueError(f"intent model weights hold {len(values)} values, expected {n * (c + 1)}")
        self._idf = values[:n]
        self._coef = values[n:]          # row-major: one row of len(classes) per feature
        self._intercept: list[float] = header["intercept"]

    @classmethod
    def load(cls, directory: Path = MODEL_DIR, name: str = "intent_model",
             analyser: Callable[[str], list[str]] = analyse) -> IntentModel:
        header = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        return cls(header, (directory / f"{name}.bin").read_bytes(), analyser)

    def predict(self, delexicalised: str) -> list[Prediction]:
        """Every label with its probability, most probable first."""
        counts = Counter(i for i in map(self._index.get, self._analyse(delexicalised)) if i is not None)
        c = len(self.classes)
        scores = list(self._intercept)
        if counts:
            weighted = {i: (1.0 + math.log(n)) * self._idf[i] for i, n in counts.items()}
            norm = math.sqrt(sum(v * v for v in weighted.values()))
            coef = self._coef
            for i, v in weighted.items():
                row = coef[i * c:(i + 1) * c]
                x = v / norm
                scores = [s + x * w for s, w in zip(scores, row, strict=True)]
        top = max(scores)
        exps = [math.exp((s - top) / self.temperature) for s in scores]
        total = sum(exps)
        ranked = sorted(zip(self.classes, exps, strict=True), key=lambda p: -p[1])
        return [Prediction(label, e / total) for label, e in ranked]


@functools.cache
def load_model(directory: Path = MODEL_DIR) -> IntentModel:
    """The committed model, read once per process."""
    return IntentModel.load(directory)
