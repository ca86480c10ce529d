"""Qualification title words mistyped are read as spelt right, and found where they were typed."""

from __future__ import annotations

from bot.nlu.refs import extract
from bot.nlu.spelling import corrected


def test_mistyped_title_words_are_corrected_and_ordinary_words_left_alone(kb) -> None:
    text, where = corrected("credits for the L5 school buisness leaders diplmoa?", kb)
    assert text == "credits for the L5 school business leaders diploma?"
    assert len(where) == len(text) + 1
    for typed in ("managing a strategic project", "is the marketing unit optional", "leadership"):
        assert corrected(typed, kb)[0] == typed


def test_a_mistyped_qualification_name_names_it_where_it_was_typed(kb) -> None:
    typed = "is the diploma in managment group a or group b heavy?"
    refs = extract(typed, kb)
    assert refs.qualifications == ["l6-management-diploma"]
    span = next(s for s in refs.spans if s.kind == "qualification")
    assert typed[span.start:span.end] == "diploma in managment"
    assert "managment" not in refs.without_hints


def test_a_word_one_letter_from_a_title_word_is_not_read_as_it_mistyped(kb) -> None:
    # "chance" is not "change" mistyped: one letter in six is too far for a slip to be assumed; a letter
    # dropped or doubled in a long word still is.
    assert not extract("any chance of a merit on the level 7?", kb).title_units
    assert [c for c, _ in extract("the procurment unit on the level 5", kb).title_units] == ["8391-502"]
