"""What the evidence suggestions learned from examples of real work: the unit model (trained at build time,
read from exported weights) and the neighbours' votes, and how the ranking uses both."""

from __future__ import annotations

import json
import shutil

import pytest

from bot.nlu.model import IntentModel
from bot.nlu.train import export, fit
from bot.suggest.index import EvidenceIndex
from bot.suggest.learned import DATA_DIR, MODEL_DIR, NAME, Example, UnitModel, features, read_examples
from bot.suggest.neighbours import Neighbours
from bot.suggest.rank import Weights, rank
from bot.suggest.train import stale, train


def test_every_example_names_a_unit_and_criteria_that_exist(kb) -> None:
    examples = read_examples()
    assert len(examples) >= 300
    for e in examples:
        assert 2 <= len(e.acs) <= 4 and e.text.strip()
        assert all(kb.criterion(e.unit, ac) is not None for ac in e.acs), (e.unit, e.acs)
    # every unit the bot knows has examples to learn from
    assert {e.unit for e in examples} == set(kb.units)


def test_the_committed_unit_model_matches_its_training_data(kb) -> None:
    assert stale(kb) is None


def test_a_new_example_makes_the_unit_model_stale(kb, tmp_path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    row = {"id": "x", "qualification": "Level 5 Diploma for School Business Leaders",
           "description": "I rewrote the lettings agreement for the sports hall.",
           "expect": {"unit": "8391-504", "acs": ["1.1", "1.2"]}}
    with (data / "l5-sbl-diploma.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps(row) + "\n")
    assert "nlu train" in (stale(kb, data_dir=data) or "")


def test_the_exported_model_reads_text_as_scikit_learn_does(tmp_path) -> None:
    # The run time re-implements the prediction in plain Python: it must agree with the trainer.
    texts = ["the budget forecast for next year", "a deficit in the three-year budget plan",
             "interviews for a new teaching assistant", "the staffing structure and job descriptions",
             "our school prospectus and the open evening", "marketing to parents on social media"]
    labels = ["finance", "finance", "people", "people", "marketing", "marketing"]
    vectorizer, model = fit(texts, labels, analyser=features, c=10.0, min_df=1)
    export(vectorizer, model, "test", tmp_path, NAME)
    read = IntentModel.load(tmp_path, NAME, features)
    for text in ["a budget plan with a deficit", "job descriptions for staffing", "an open evening for parents"]:
        expected = dict(zip(model.classes_, model.predict_proba(vectorizer.transform([text]))[0], strict=True))
        got = {p.label: p.probability for p in read.predict(text)}
        assert got.keys() == expected.keys()
        assert all(abs(got[k] - expected[k]) < 1e-5 for k in got)
    prior = UnitModel(read).prior("a budget plan with a deficit", ["finance", "people"])
    assert prior["finance"] == 1.0 and 0 < prior["people"] < 1 and "marketing" not in prior


def test_neighbours_vote_for_the_criteria_of_the_most_similar_examples() -> None:
    examples = [Example("reconciled the lettings income against the bookings spreadsheet", "U1", ("2.1", "2.2")),
                Example("reconciled the catering income against the till reports", "U1", ("2.1", "3.1")),
                Example("ran the staff wellbeing survey and fed back to the head", "U2", ("1.1", "1.2"))]
    neighbours = Neighbours(examples)
    votes = neighbours.votes("I reconciled the lettings income", ["U1", "U2"], k=2)
    assert max(votes, key=votes.get) == ("U1", "2.1")                 # both neighbours name it, first
    assert votes[("U1", "2.1")] == 1.0 and votes[("U1", "2.2")] < 1.0
    assert all(unit == "U1" for unit, _ in votes)                     # the survey shares nothing
    assert neighbours.votes("I reconciled the lettings income", ["U2"]) == {}   # out of scope: no votes


class _Prior:
    """A unit model that is sure of one unit, whatever the text."""

    def __init__(self, unit: str):
        self.unit = unit

    def prior(self, text: str, scope) -> dict[str, float]:
        return {code: 1.0 if code == self.unit else 0.0 for code in scope}


def test_the_unit_model_decides_the_unit_the_words_alone_leave_open(kb) -> None:
    units = list(kb.qualifications["l5-sbl-diploma"].units)
    work = "I reviewed how we manage the school's budget and the premises."
    plain = EvidenceIndex(kb, model=_Prior("8391-505"), neighbours=Neighbours([]))
    by_words = rank(plain, work, units, weights=Weights(learned=0.0, neighbours=0.0))
    assert by_words and by_words[0].unit != "8391-505"
    learned = rank(plain, work, units, weights=Weights(learned=5.0, neighbours=0.0))
    assert learned[0].unit == "8391-505"


def test_the_neighbours_lift_the_criteria_their_examples_evidence(kb) -> None:
    units = ["8391-501"]
    work = "I reviewed how we manage the school's budget."
    index = EvidenceIndex(kb, model=_Prior("8391-501"),
                          neighbours=Neighbours([Example(work, "8391-501", ("4.2", "4.1"))]))
    before = rank(index, work, units, weights=Weights(neighbours=0.0))
    after = rank(index, work, units, weights=Weights(neighbours=5.0))
    assert before[0].ac != "4.2" and after[0].ac == "4.2"


@pytest.mark.slow
def test_retraining_reproduces_the_committed_unit_model(kb, tmp_path) -> None:
    train(kb, directory=tmp_path, validate=False)
    fresh, committed = UnitModel.load(tmp_path), UnitModel.load(MODEL_DIR)
    assert fresh.model.training_hash == committed.model.training_hash
    units = list(kb.units)
    for text in ["our SFVS return and the three-year budget forecast", "a tender for the catering contract"]:
        a, b = fresh.prior(text, units), committed.prior(text, units)
        assert max(a, key=a.get) == max(b, key=b.get)
        assert all(abs(a[k] - b[k]) < 1e-4 for k in a)
