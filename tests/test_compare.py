"""Comparing units on a printed fact: the units named, those the last answer listed, or a qualification's."""

from __future__ import annotations

import pytest

from bot.nlu.compare import comparison, listed_units
from tests.test_follow_ups import converse, refs

pytestmark = pytest.mark.engines


def test_what_counts_as_a_comparison() -> None:
    assert comparison("which of them carries the most credits?") == comparison("what unit has most credits, of those")
    assert comparison("what's the most credits I can get on the level 5?") is None     # a total, not a unit
    c = comparison("which level 6 unit has the least guided learning hours")
    assert c is not None and c.fact == "glh" and c.fewest and not c.back
    assert comparison("how many credits is 8391-501") is None       # no superlative
    assert comparison("which unit is the most difficult") is None    # no fact every unit states


def test_a_comparison_over_the_units_the_last_answer_listed(dialogue, kb) -> None:
    q = kb.qualifications["l5-sbl-diploma"]
    optional = q.rules_of_combination["optional"]
    answers = converse(dialogue, ["what are the optional units on the level 5 SBL diploma?",
                                  "which of them carries the most credits?"])
    assert listed_units(answers[0]["text"].splitlines(), set(kb.units)) [:len(optional)] == list(optional)
    most = max(kb.units[c].credits for c in optional)
    winners = sorted(c for c in optional if kb.units[c].credits == most)
    assert answers[1]["kind"] == "answer" and sorted(r[0] for r in refs(answers[1])) == winners
    # Every unit compared is shown with its printed value, and only those.
    assert all(f"{c} " in answers[1]["text"] for c in optional)
    assert not any(f"{c} " in answers[1]["text"] for c in q.units if c not in optional)


def test_a_comparison_across_a_qualification_and_among_units_named(bot_say, kb) -> None:
    units = kb.qualifications["l6-sbm-diploma"].units
    fewest = min(kb.units[c].glh for c in units)
    reply = bot_say("which unit of the level 6 diploma in school business management has the fewest guided "
                    "learning hours?")
    assert reply.kind == "answer" and {r.unit for r in reply.refs} == {c for c in units if kb.units[c].glh == fewest}
    reply = bot_say("which of 8391-501 and 8391-503 carries the least credits?", conversation="named")
    assert [r.unit for r in reply.refs] == ["8391-503"] and kb.units["8391-503"].credits < kb.units["8391-501"].credits


def test_nothing_to_compare_asks_and_unprinted_values_are_not_guessed(bot_say) -> None:
    assert bot_say("which unit has the most credits?").kind == "clarify"
    reply = bot_say("which unit of the level 7 senior leaders diploma has the most credits", conversation="l7")
    assert reply.kind == "decline" and "no credits" in reply.text()
