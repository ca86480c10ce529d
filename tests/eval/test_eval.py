"""The question sets must stay above the bar (run in CI with the other tests)."""

from __future__ import annotations

from tests.eval.run import (
    BAR,
    QUESTIONS_BAR,
    eval_dialogue,
    evaluate_questions,
    evaluate_unit_references,
    load_questions,
)


def test_unit_reference_accuracy_per_kind(kb) -> None:
    scores, failures = evaluate_unit_references(kb)
    for kind, (right, total) in scores.items():
        assert total > 0, kind
        assert right / total >= BAR, (kind, failures)


def test_question_set_is_large_and_covers_every_kind() -> None:
    questions = load_questions()
    assert len(questions) >= 200
    assert len({q["id"] for q in questions}) == len(questions)
    assert {q["expect"]["kind"] for q in questions} >= {"answer", "clarify", "decline"}


def test_question_accuracy_and_nothing_invented(kb) -> None:
    results = evaluate_questions(eval_dialogue(kb))
    assert not results.invented, results.invented
    assert results.overall >= QUESTIONS_BAR, results.failures
