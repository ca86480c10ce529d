"""Whole conversations through ``assessbot ask --jsonl``: a short message after an answer or a question
inherits what it leaves out and takes what it says."""

from __future__ import annotations

import io
import json

from adapters.ask import ask_jsonl


def converse(dialogue, turns: list[str]) -> list[dict]:
    stdin = io.StringIO("\n".join(json.dumps({"text": t, "conversation": "c"}) for t in turns) + "\n")
    out = io.StringIO()
    ask_jsonl(dialogue, stdin, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def refs(answer: dict) -> list[tuple[str, str | None]]:
    return [(r["unit"], r["ac"]) for r in answer["refs"]]


def test_another_criterion_next_previous_and_last_in_an_outcome(dialogue, kb) -> None:
    unit = kb.unit("8391-502")
    last_in_lo2 = [c.id for c in unit.criteria if c.lo == 2][-1]
    answers = converse(dialogue, ["what evidence does 8391-502 AC2.2 need?", "and 2.3?", "what about the next one?",
                                  "and the previous one", "the last one in LO2"])
    assert [refs(a)[0] for a in answers] == [("8391-502", "2.2"), ("8391-502", "2.3"), ("8391-502", "2.4"),
                                             ("8391-502", "2.3"), ("8391-502", last_in_lo2)]
    assert all(a["kind"] == "answer" and a["intent"] == "criterion_evidence" for a in answers)


def test_a_sufficiency_question_about_the_criterion_in_context(dialogue, kb) -> None:
    c = kb.criterion("8431-700", "1.2")
    answers = converse(dialogue, ["8431-700 AC1.2 - what do they want?", "is one model enough for that?"])
    assert answers[1]["intent"] == "sufficiency" and refs(answers[1]) == [("8431-700", "1.2")]
    assert "falls short" in answers[1]["text"] or "meets the minimum" in answers[1]["text"] or c.min_counts == ()


def test_a_bare_facet_asks_it_of_the_unit_in_context(dialogue, kb) -> None:
    unit = kb.unit("8391-504")
    answers = converse(dialogue, ["how many credits is managing school infrastructure?", "GLH?", "level?"])
    assert [a["kind"] for a in answers] == ["answer"] * 3
    assert f"{unit.credits} credits" in answers[0]["text"]
    assert f"{unit.glh} guided learning hours" in answers[1]["text"]
    assert f"Level {unit.level}" in answers[2]["text"]


def test_a_new_explicit_reference_replaces_the_context(dialogue) -> None:
    answers = converse(dialogue, ["what evidence does 8391-501 AC2.2 need?", "ok now 8431-703 2.1"])
    assert refs(answers[1]) == [("8431-703", "2.1")] and answers[1]["intent"] == "criterion_evidence"


def test_a_clarification_is_answered_then_followed_up(dialogue) -> None:
    answers = converse(dialogue, ["what's 1.1 in unit 700", "the level 7 diploma for senior leaders one", "and 1.2?"])
    assert answers[0]["kind"] == "clarify"
    assert refs(answers[1]) == [("8431-700", "1.1")] and refs(answers[2]) == [("8431-700", "1.2")]


def test_the_same_rules_question_of_another_qualification(dialogue) -> None:
    answers = converse(dialogue, ["can I use witness testimony on the level 7?", "what about on the level 5?"])
    assert [a["kind"] for a in answers] == ["answer", "answer"]
    assert "Level 5 Diploma for School Business Leaders" in answers[1]["text"]
    assert "witness" in answers[1]["text"].lower()


def test_more_gives_the_detail_of_the_last_answer(dialogue, kb) -> None:
    c = kb.criterion("8391-501", "1.2")
    answers = converse(dialogue, ["what evidence does 8391-501 1.2 need?", "more"])
    assert c.depth[0] not in answers[0]["text"] and c.depth[0] in answers[1]["text"]


def test_a_unit_number_two_qualifications_share_means_the_one_under_discussion(dialogue, kb) -> None:
    # 603 and 605 are unit numbers of both the 8316 and the 8631 qualifications.
    # 8316-603 is in two qualifications (the Award and the Diploma), so neither alone is "in context".
    # 8316-602 is in two qualifications (the Award and the Diploma), so neither alone is "in context".
    answers = converse(dialogue, ["how many glh is unit 602", "developing the executive manager",
                                  "is 603 assessed the same way?"])
    assert answers[0]["kind"] == "clarify" and refs(answers[1])[0] == ("8316-602", None)
    assert answers[2]["kind"] == "answer" and refs(answers[2])[0] == ("8316-603", None)


def test_the_unit_under_discussion_named_again_by_its_title_words_is_that_unit(dialogue) -> None:
    # "change" is in several unit titles; the one being discussed is the one meant.
    answers = converse(dialogue, ["what evidence does 8431-702 AC1.1 need?",
                                  "how many guided learning hours is the change unit?"])
    assert answers[1]["kind"] == "answer" and refs(answers[1])[0] == ("8431-702", None)


def test_words_the_unit_under_discussion_uses_stay_with_it_but_a_title_switches(dialogue) -> None:
    answers = converse(dialogue, ["8431-705 AC2.1 wording", "does the indicative content mention performance data",
                                  "does the indicative content mention economic theory",
                                  "how many credits is managing school infrastructure?"])
    assert [refs(a)[0][0] for a in answers[1:3]] == ["8431-705", "8431-705"]
    assert "Concept of elasticity" in answers[2]["text"]          # the lead-in brings its items
    assert refs(answers[3])[0] == ("8391-504", None)


def test_a_qualification_named_in_a_declined_question_stays_for_the_next(dialogue) -> None:
    answers = converse(dialogue, ["how much do I pay for the level 7 senior leaders diploma?",
                                  "and the minimum age then?"])
    assert answers[0]["kind"] == "decline" and answers[0]["intent"] == "out_of_scope"
    assert answers[1]["kind"] == "answer" and "Senior Leaders is 18" in answers[1]["text"]


def test_a_title_word_in_passing_does_not_move_the_conversation_off_its_criterion(dialogue) -> None:
    # "manager" is a word of one unit's title ("Developing the executive manager"); here it is a person.
    answers = converse(dialogue, ["what evidence does 8431-700 AC2.2 need?",
                                  "my line manager could write a statement but she wasn't there for one of them, "
                                  "would that be ok?",
                                  "what about the executive manager unit?"])
    assert ("8431-700", "2.2") in refs(answers[1]) and answers[1]["kind"] == "answer"
    assert refs(answers[2])[0][0] == "8316-602"         # a unit named plainly still moves it


def test_the_one_about_a_subject_after_an_answer_is_that_criterion_of_the_unit_discussed(bot_say, kb) -> None:
    induction = [c.id for c in kb.unit("8391-503").criteria if "induction" in c.text.lower()]
    assert len(induction) == 1
    bot_say("what does 8391-503 AC1.1 need?")
    reply = bot_say("and what about the induction one?")
    assert reply.kind == "answer" and ("8391-503", induction[0]) in [(r.unit, r.ac) for r in reply.refs]


def test_next_one_naming_another_unit_asks_the_last_question_of_that_unit(bot_say, kb) -> None:
    bot_say("how many words is the assignment for 8631-603?")
    reply = bot_say("ok, next one - managing strategic finances?")
    assert reply.kind == "answer" and reply.facet == "word_count"
    assert [r.unit for r in reply.refs] == ["8631-604"] and "2,500 words" in reply.text()


def test_the_first_or_last_criterion_of_a_named_unit_is_that_place_in_it(bot_say, kb) -> None:
    first = kb.unit("8316-607").criteria[0].id
    last = kb.unit("8391-501").criteria[-1].id
    reply = bot_say("developing excellence in operations (8316-607), the first criterion - what do they want?")
    assert ("8316-607", first) in [(r.unit, r.ac) for r in reply.refs]
    reply = bot_say("what's the last criterion of 8391-501 about?", conversation="other")
    assert ("8391-501", last) in [(r.unit, r.ac) for r in reply.refs]


def test_the_next_one_keeps_the_unit_its_own_title_words_name(bot_say, kb) -> None:
    ids = [c.id for c in kb.unit("8391-502").criteria]
    bot_say("what does 8391-502 AC2.3 need?")
    reply = bot_say("would a copy of our school procurement policy be enough for the next one?")
    assert ("8391-502", ids[ids.index("2.3") + 1]) in [(r.unit, r.ac) for r in reply.refs]
