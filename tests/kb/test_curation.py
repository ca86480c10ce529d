"""Curation files: every correction has a reason, and corrections apply exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.build import CURATION_DIR
from knowledge.curation import CurationError, apply_corrections, load_corrections


def _spec() -> dict:
    return {"qualifications": [{"id": "q", "title": "Q"}], "rules": [],
            "units": [{"code": "1-1", "title": "U", "criteria": [{"id": "1.1", "lo": 2, "text": "x"},
                                                                {"id": "1.2", "lo": 1, "text": "y"}]}]}


def test_set_append_remove() -> None:
    spec = apply_corrections(_spec(), [
        {"target": {"unit": "1-1", "criterion": "1.1"}, "field": "lo", "set": 1, "reason": "r"},
        {"target": {"unit": "1-1"}, "field": "evidence", "append": "minutes", "reason": "r"},
        {"target": {"unit": "1-1", "criterion": "1.2"}, "remove": True, "reason": "r"},
    ])
    unit = spec["units"][0]
    assert unit["criteria"] == [{"id": "1.1", "lo": 1, "text": "x"}]
    assert unit["evidence"] == ["minutes"]


def test_unknown_target_is_an_error() -> None:
    with pytest.raises(CurationError):
        apply_corrections(_spec(), [{"target": {"unit": "9-9"}, "field": "x", "set": 1, "reason": "r"}])


def test_correction_without_reason_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("corrections:\n  - target: {unit: '1-1'}\n    field: title\n    set: T\n")
    with pytest.raises(CurationError):
        load_corrections(path)


def test_committed_curation_files_load() -> None:
    for path in CURATION_DIR.glob("*.yaml"):
        for correction in load_corrections(path):
            assert correction["reason"].strip()
