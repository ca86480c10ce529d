"""The intent model is reproducible: trained from generated sentences, committed, and checked in CI."""

from __future__ import annotations

import shutil

import pytest

from bot.nlu.generate import DATA_DIR, generate
from bot.nlu.model import MODEL_DIR, IntentModel
from bot.nlu.train import stale, train
from intents import INTENTS


def test_the_generated_training_set_is_deterministic_and_covers_every_label(kb) -> None:
    first, second = generate(kb, INTENTS), generate(kb, INTENTS)
    assert first == second
    labels = {e.label for e in first}
    assert labels == set(IntentModel.load().classes)
    assert min(sum(1 for e in first if e.label == label) for label in labels) >= 100


def test_the_committed_model_matches_its_training_data(kb) -> None:
    assert stale(kb, INTENTS) is None


def test_a_change_to_the_templates_makes_the_model_stale(kb, tmp_path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    questions = data / "questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace(
        "credits:\n", "credits:\n  - what's the credit tally for {unit}\n", 1), encoding="utf-8")
    assert "nlu train" in (stale(kb, INTENTS, data_dir=data) or "")


@pytest.mark.slow
def test_retraining_reproduces_the_committed_model(kb, tmp_path) -> None:
    train(kb, INTENTS, directory=tmp_path, validate=False)
    fresh, committed = IntentModel.load(tmp_path), IntentModel.load(MODEL_DIR)
    assert fresh.classes == committed.classes and fresh.training_hash == committed.training_hash
    for text in ["how many credits is zunit", "what evidence does zac of zunit need", "remind me on friday"]:
        a, b = fresh.predict(text), committed.predict(text)
        assert [p.label for p in a[:3]] == [p.label for p in b[:3]]
        assert abs(a[0].probability - b[0].probability) < 1e-4
