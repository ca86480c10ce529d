"""What was learned from examples of real work: descriptions in learners' own words, each labelled with
the unit and the criteria it evidences (``data/*.jsonl``, written from the specifications by people who
never saw the ranking or its test sets).

Learners describe work in their job's words ("the SFVS return", "TA timetables"), which the criteria
rarely use, so word matching alone finds the right unit about two times in three. Two things bridge it:

- a **unit model**: TF-IDF + logistic regression over the examples and every criterion's own text,
  trained at build time (``bot.suggest.train``, ``make model``) and read here from exported weights;
- **neighbours**: the examples most like the work vote for the criteria they were labelled with.

The features are shared by training and the run time, so the two can never drift apart.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.nlu.model import IntentModel
from bot.suggest.terms import stem, words

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"
MODEL_DIR = HERE / "model"
NAME = "unit_model"
CHAR = 4                 # letters per character n-gram: "staffing" and "staff" meet where stems don't


@dataclass(frozen=True)
class Example:
    text: str
    unit: str
    acs: tuple[str, ...]        # the strongest first


def word_features(text: str, content: list[str] | None = None) -> list[str]:
    """Stems and stem pairs of the content words (``content``, when the caller has split them already)."""
    stems = [stem(w) for w in (words(text) if content is None else content)]
    return [f"w {s}" for s in stems] + [f"b {a} {b}" for a, b in zip(stems, stems[1:], strict=False)]


def features(text: str) -> list[str]:
    """Stems, stem pairs and character n-grams of the content words (the unit model's)."""
    content = words(text)
    out = word_features(text, content)
    for w in content:
        padded = f" {w} "
        out += [f"c {padded[i:i + CHAR]}" for i in range(len(padded) - CHAR + 1)]
    return out


def read_examples(data_dir: Path = DATA_DIR) -> list[Example]:
    out = []
    for path in sorted(data_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.append(Example(row["description"], row["expect"]["unit"], tuple(row["expect"]["acs"])))
    return out


@functools.cache
def examples() -> tuple[Example, ...]:
    return tuple(read_examples())


class UnitModel:
    """How likely each unit is, from the work's words alone."""

    def __init__(self, model: IntentModel):
        self.model = model

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> UnitModel:
        return cls(IntentModel.load(directory, NAME, features))

    def prior(self, text: str, scope: Iterable[str]) -> dict[str, float]:
        """The probability of each ``scope`` unit, over the scope, relative to the likeliest (which gets 1)."""
        within = set(scope)
        p = {x.label: x.probability for x in self.model.predict(text) if x.label in within}
        top = max(p.values(), default=0.0)
        return {code: v / top for code, v in p.items()} if top > 0 else {}


@functools.cache
def unit_model() -> UnitModel:
    """The committed model, read once per process."""
    return UnitModel.load()
