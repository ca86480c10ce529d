"""The question sets must stay above the bar for every kind (run in CI with the other tests)."""

from __future__ import annotations

from tests.eval.run import BAR, evaluate_unit_references


def test_unit_reference_accuracy_per_kind(kb) -> None:
    scores, failures = evaluate_unit_references(kb)
    for kind, (right, total) in scores.items():
        assert total > 0, kind
        assert right / total >= BAR, (kind, failures)
