"""A KSB code is a reference: "which AC covers K7?" is answered from the criteria that print it."""

from __future__ import annotations

from knowledge.ksbs import codes_in, criteria_covering
from tests.test_follow_ups import converse, refs


def test_ksb_codes_are_read_only_where_a_criterion_prints_them(kb) -> None:
    assert codes_in("which AC covers k7 and S3? not K99", kb) == ["K7", "S3"]
    assert codes_in("what is in unit 5 of the level 5?", kb) == []


def test_which_criteria_cover_a_ksb_lists_every_one_that_prints_it(dialogue, kb) -> None:
    covering = criteria_covering(kb, "K10")
    assert len(covering) >= 2
    answer = converse(dialogue, ["which criteria cover K10 of the senior leader standard?"])[0]
    assert answer["kind"] == "answer" and answer["intent"] == "ksb_criteria"
    assert refs(answer) == [(u.code, c.id) for u, c in covering]
    assert all(c.text in answer["text"] for _, c in covering[:3])


def test_one_criterion_found_becomes_the_context_wherever_the_conversation_was(dialogue, kb) -> None:
    found = criteria_covering(kb, "S3")
    assert len(found) == 1 and found[0][0].code != "8431-700" and not criteria_covering(kb, "S3", ["8431-700"])
    unit, criterion = found[0]
    answers = converse(dialogue, ["what KSBs does 8431-700 map to?", "and which AC covers S3?",
                                  "is a short report enough for it?"])
    assert refs(answers[1]) == [(unit.code, criterion.id)]       # not in the unit discussed: wherever it is
    assert answers[2]["kind"] == "answer" and (unit.code, criterion.id) in refs(answers[2])
