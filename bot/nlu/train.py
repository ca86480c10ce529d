"""Build-time training of the intent model (scikit-learn), exported for ``bot.nlu.model``.

Only ``assessbot nlu train`` / ``nlu check`` import this module; the bot never does. scikit-learn and
NumPy are imported inside the functions so that importing the package stays free.
"""

from __future__ import annotations

import hashlib
import json
import random
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.nlu.features import analyse, delexicalise
from bot.nlu.generate import DATA_DIR, SEED, Declared, Example, generate
from bot.nlu.model import MODEL_DIR, NAME, IntentModel
from bot.nlu.refs import extract
from knowledge.kb import KnowledgeBase

C = 8.0                 # inverse regularisation: the generated set is large and clean
MIN_DF = 2              # a feature seen once is noise (and bloats the weights)
VALIDATION_SHARE = 0.15


def training_hash(examples: list[Example]) -> str:
    digest = hashlib.sha256()
    for e in examples:
        digest.update(f"{e.label}\t{e.role}\t{'|'.join(e.people)}\t{e.text}\n".encode())
    return digest.hexdigest()


def _delexicalised(kb: KnowledgeBase, examples: list[Example]) -> list[str]:
    return [delexicalise(e.text, extract(e.text, kb), e.role, e.people) for e in examples]


def fit(texts: list[str], labels: list[str], tol: float = 1e-6, analyser: Callable[[str], list[str]] = analyse,
        c: float = C, min_df: int = MIN_DF) -> tuple[Any, Any]:
    """TF-IDF (sublinear, l2) over ``analyser``'s features and a logistic regression: the shape every
    model of the bot has, so ``IntentModel`` reads any of them."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=analyser, sublinear_tf=True, min_df=min_df, norm="l2")
    matrix = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=c, max_iter=5000, tol=tol)
    model.fit(matrix, labels)
    return vectorizer, model


def export(vectorizer: Any, model: Any, digest: str, directory: Path, name: str = NAME) -> None:
    import numpy as np

    vocabulary: dict[str, int] = vectorizer.vocabulary_
    features = sorted(vocabulary, key=vocabulary.__getitem__)
    idf = np.asarray(vectorizer.idf_, dtype=np.float32)
    coef = np.asarray(model.coef_.T, dtype=np.float32)          # features × classes
    weights = array("f")
    weights.frombytes(idf.tobytes() + np.ascontiguousarray(coef).tobytes())
    header = {"classes": [str(c) for c in model.classes_], "intercept": [float(x) for x in model.intercept_],
              "temperature": 1.0, "training_hash": digest, "features": features}
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.json").write_text(json.dumps(header, ensure_ascii=False, separators=(",", ":")) + "\n",
                                           encoding="utf-8")
    (directory / f"{name}.bin").write_bytes(weights.tobytes())


@dataclass
class Report:
    examples: int
    labels: int
    features: int
    validation: dict[str, tuple[float, float, int]]      # label → (precision, recall, support)
    confusions: list[tuple[str, str, int]]

    def lines(self) -> list[str]:
        out = [f"{self.examples} training sentences, {self.labels} labels, {self.features} features",
               "validation (a held-back share of the generated sentences):"]
        for label, (p, r, n) in sorted(self.validation.items()):
            out.append(f"  {label:<14} precision {p:6.1%}  recall {r:6.1%}  ({n})")
        if self.confusions:
            out.append("most confused (expected → predicted):")
            out += [f"  {a} → {b}: {n}" for a, b, n in self.confusions[:12]]
        return out


def _validate(texts: list[str], labels: list[str]) -> tuple[dict[str, tuple[float, float, int]], list]:
    """Precision and recall per label on a seeded held-back share (the model is then fit on all)."""
    order = list(range(len(texts)))
    random.Random(SEED).shuffle(order)
    cut = int(len(order) * VALIDATION_SHARE)
    held, kept = order[:cut], order[cut:]
    vectorizer, model = fit([texts[i] for i in kept], [labels[i] for i in kept])
    predicted = model.predict(vectorizer.transform([texts[i] for i in held]))
    truth = [labels[i] for i in held]
    pairs = Counter(zip(truth, predicted, strict=True))
    out = {}
    for label in sorted(set(labels)):
        tp = pairs[(label, label)]
        said = sum(n for (_, p), n in pairs.items() if p == label)
        real = sum(n for (t, _), n in pairs.items() if t == label)
        out[label] = (tp / said if said else 0.0, tp / real if real else 0.0, real)
    confusions = sorted(((t, p, n) for (t, p), n in pairs.items() if t != p), key=lambda x: -x[2])
    return out, confusions


def fit_examples(kb: KnowledgeBase, examples: list[Example], directory: Path, tol: float = 1e-6) -> IntentModel:
    """Fit a model on ``examples`` only, export it to ``directory`` and load it back (what ``train`` does,
    without the validation: for a trial on part of the data; a looser ``tol`` converges sooner)."""
    texts = _delexicalised(kb, examples)
    vectorizer, model = fit(texts, [e.label for e in examples], tol)
    export(vectorizer, model, training_hash(examples), directory)
    return IntentModel.load(directory)


def train(kb: KnowledgeBase, intents: Iterable[Declared], directory: Path = MODEL_DIR,
          validate: bool = True) -> Report:
    """Generate the training set, report validation scores, fit on everything and export."""
    examples = generate(kb, intents)
    texts = _delexicalised(kb, examples)
    labels = [e.label for e in examples]
    validation, confusions = _validate(texts, labels) if validate else ({}, [])
    vectorizer, model = fit(texts, labels)
    export(vectorizer, model, training_hash(examples), directory)
    report = Report(len(examples), len(set(labels)), len(vectorizer.vocabulary_), validation, confusions)
    if validate:
        (directory / "validation.txt").write_text("\n".join(report.lines()) + "\n", encoding="utf-8")
    return report


def stale(kb: KnowledgeBase, intents: Iterable[Declared], directory: Path = MODEL_DIR,
          data_dir: Path = DATA_DIR) -> str | None:
    """Why the committed model no longer matches its training data, or None when it does."""
    try:
        model = IntentModel.load(directory)
    except (OSError, ValueError, KeyError) as exc:
        return f"the intent model can't be read ({exc})"
    digest = training_hash(generate(kb, intents, data_dir=data_dir))
    if model.training_hash != digest:
        return ("the intent model was trained on other sentences than the templates, intents and KB now "
                "give: run `assessbot nlu train` (make model) and commit bot/nlu/model/")
    return None
