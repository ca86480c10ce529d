"""The console (today a KB look-up): units, criteria, ambiguity and honest "not found"."""

from __future__ import annotations

import io

from adapters.console import answer, run_console


def test_unit_and_criterion(kb, search_index) -> None:
    out = answer(kb, search_index, "501 2.2")
    assert kb.criterion("8391-501", "2.2").text in out and "AC2.2" in out
    assert "Unit 8391-501 — Managing School Finances" in answer(kb, search_index, "501")


def test_ambiguous_reference_lists_candidates(kb, search_index) -> None:
    out = answer(kb, search_index, "700")
    assert "8316-700" in out and "8431-700" in out
    out = answer(kb, search_index, "AC 6.3")
    assert out.startswith("Which unit?") and "8391-500" in out


def test_missing_things_are_said_plainly(kb, search_index) -> None:
    assert "has no criterion 9.9" in answer(kb, search_index, "8391-501 9.9")
    assert "No unit has a criterion 42.7" in answer(kb, search_index, "42.7")
    assert "tutor" in answer(kb, search_index, "xylophone zeppelin")


def test_rule_search_cites_the_qualification(kb, search_index) -> None:
    out = answer(kb, search_index, "witness testimony")
    assert "Witness testimony" in out or "witness testimony" in out
    assert "Level 7 Diploma for Senior Leaders" in out or "Level 5 Diploma" in out


def test_console_loop_ends_kindly(kb) -> None:
    stdout = io.StringIO()
    assert run_console(kb, io.StringIO("501\nquit\n"), stdout) == 0
    assert "Managing School Finances" in stdout.getvalue() and "Goodbye" in stdout.getvalue()
