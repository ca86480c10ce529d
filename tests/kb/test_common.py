"""Importer text helpers: clean-up is verbatim, counts and limits are read as printed."""

from __future__ import annotations

from knowledge.importers.common import clean, ksb_codes, may_statements, min_counts, minutes, word_count


def test_clean_removes_debris_not_words() -> None:
    raw = " [bookmark: _Toc1][bookmark: _Toc2]\tUnit 700\tBuilding a  Team "
    assert clean(raw) == "Unit 700 Building a Team"


def test_min_counts() -> None:
    assert min_counts(["supported by at least two relevant theories and models"]) == [
        {"n": 2, "what": "relevant theories and models"}]
    assert min_counts(["a minimum of 3 examples", "at least three examples"]) == [
        {"n": 3, "what": "examples"}]
    assert min_counts(["reach at least one of these conclusions"]) == [{"n": 1, "what": "conclusions"}]
    assert min_counts(["at least three pieces of legislation on how it"]) == [
        {"n": 3, "what": "pieces of legislation"}]
    assert min_counts(["Learners must explain."]) == []


def test_word_count_forms() -> None:
    assert word_count("3,000 words (+/- 10%)") == {"nominal": 3000, "min": 2700, "max": 3300}
    assert word_count("2,500–3,000 words") == {"nominal": None, "min": 2500, "max": 3000}
    assert word_count("a maximum of 1,500 words") == {"nominal": None, "min": None, "max": 1500}
    assert word_count("approximately 4000 words") == {"nominal": 4000, "min": None, "max": None}
    assert word_count("no limit") is None


def test_minutes_and_ksbs_and_may() -> None:
    assert minutes("a 10–15 minute presentation") == {"nominal": None, "min": 10, "max": 15}
    assert minutes("a 20-minute structured interview") == {"nominal": 20, "min": None, "max": None}
    assert ksb_codes("(K10, S4.2, B5)") == ["K10", "S4.2", "B5"]
    assert may_statements(["Learners must explain x. They may use a model."]) == ["They may use a model."]


def test_min_counts_phrase_edges() -> None:
    both = min_counts(["use at least two strategies to overcome at least two barriers"])
    assert both == [{"n": 2, "what": "strategies"}, {"n": 2, "what": "barriers"}]
    assert min_counts(["at least two opportunities and evaluate them"]) == [{"n": 2, "what": "opportunities"}]
    assert min_counts(["at least two statistical analysis tools suitable for"]) == [
        {"n": 2, "what": "statistical analysis tools"}]
    assert min_counts(["give at least two examples of what"]) == [{"n": 2, "what": "examples"}]
