"""Build-time training of the unit model of ``bot.suggest.learned`` (scikit-learn, like the intent model),
exported next to it. Only ``assessbot nlu train`` / ``nlu check`` import this module; the bot never does.

The training texts are the examples of real work plus every criterion's own wording, depth and suggested
evidence (so every unit has words the model knows, whatever the examples cover)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.nlu.model import IntentModel
from bot.nlu.train import export, fit
from bot.suggest.learned import DATA_DIR, MODEL_DIR, NAME, Example, features, read_examples
from knowledge.kb import KnowledgeBase

C = 10.0                 # chosen by five-fold cross-validation on the examples (3 and 30 did no better)
MIN_DF = 2               # a feature seen once is mostly a typo or a one-off pair, and bloats the weights
FOLDS = 5
SEED = 20261207


def training_set(kb: KnowledgeBase, examples: list[Example]) -> tuple[list[str], list[str]]:
    """The examples' texts, then each criterion's wording, depth and suggested evidence, labelled with units."""
    texts, labels = [e.text for e in examples], [e.unit for e in examples]
    for unit in kb.units.values():
        for c in unit.criteria:
            texts.append(" ".join((c.text, *c.depth, *c.evidence)))
            labels.append(unit.code)
    return texts, labels


def fit_units(kb: KnowledgeBase, examples: list[Example]) -> tuple[Any, Any]:
    """The unit model's vectorizer and classifier, fitted on ``examples`` and the KB's criteria."""
    return fit(*training_set(kb, examples), analyser=features, c=C, min_df=MIN_DF)


def folds(examples: list[Example]) -> Iterator[tuple[list[Example], list[Example]]]:
    """(kept, held) for each of the ``FOLDS`` seeded cross-validation folds."""
    order = list(range(len(examples)))
    random.Random(SEED).shuffle(order)
    for fold in range(FOLDS):
        held = set(order[fold::FOLDS])
        yield [e for i, e in enumerate(examples) if i not in held], [examples[i] for i in sorted(held)]


def units_beside(kb: KnowledgeBase, unit: str) -> list[str]:
    """The units of the qualification(s) ``unit`` belongs to: what a learner on it is ranked among."""
    return list(dict.fromkeys(u for q in kb.qualifications.values() if unit in q.units for u in q.units))


def training_hash(texts: list[str], labels: list[str]) -> str:
    digest = hashlib.sha256()
    for text, label in zip(texts, labels, strict=True):
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()


@dataclass
class Report:
    examples: int
    texts: int
    units: int
    features: int
    cross_validated: tuple[int, int]        # examples whose unit the model alone put first, of all

    def lines(self) -> list[str]:
        right, total = self.cross_validated
        return [f"unit model: {self.examples} examples of work + {self.texts - self.examples} criteria, "
                f"{self.units} units, {self.features} features",
                f"  {FOLDS}-fold cross-validation on the examples, model alone, within the qualification: "
                f"first unit right {right}/{total} ({right / max(total, 1):.0%})"]


def _cross_validate(kb: KnowledgeBase, examples: list[Example]) -> tuple[int, int]:
    right = 0
    for kept, tested in folds(examples):
        vectorizer, model = fit_units(kb, kept)
        for e, p in zip(tested, model.predict_proba(vectorizer.transform([e.text for e in tested])), strict=True):
            scope = set(units_beside(kb, e.unit))          # as the bot asks it: within the qualification
            best = max((i for i, c in enumerate(model.classes_) if c in scope), key=lambda i: p[i])
            right += model.classes_[best] == e.unit
    return right, len(examples)


def train(kb: KnowledgeBase, directory: Path = MODEL_DIR, data_dir: Path = DATA_DIR, validate: bool = True) -> Report:
    examples = read_examples(data_dir)
    texts, labels = training_set(kb, examples)
    vectorizer, model = fit(texts, labels, analyser=features, c=C, min_df=MIN_DF)
    export(vectorizer, model, training_hash(texts, labels), directory, NAME)
    return Report(len(examples), len(texts), len(set(labels)), len(vectorizer.vocabulary_),
                  _cross_validate(kb, examples) if validate else (0, 0))


def stale(kb: KnowledgeBase, directory: Path = MODEL_DIR, data_dir: Path = DATA_DIR) -> str | None:
    """Why the committed unit model no longer matches its training data, or None when it does."""
    try:
        model = IntentModel.load(directory, NAME, features)
    except (OSError, ValueError, KeyError) as exc:
        return f"the unit model can't be read ({exc})"
    if model.training_hash != training_hash(*training_set(kb, read_examples(data_dir))):
        return ("the unit model was trained on other examples or criteria than the data and KB now give: "
                "run `assessbot nlu train` (make model) and commit bot/suggest/model/")
    return None
