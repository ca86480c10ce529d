"""The dialogue core, one behaviour per test: exact quotes, citations, asking, follow-ups, declining."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.compose import make_dialogue
from bot.types import Message
from tests.conftest import NOW

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL


def test_criterion_quoted_exactly_with_citation_and_requirements(bot_say, kb) -> None:
    reply = bot_say("what evidence does 8391-501 AC2.2 need?")
    c = kb.criterion("8391-501", "2.2")
    assert reply.kind == "answer" and reply.intent == "criterion_evidence"
    assert f"“{c.text}”" in reply.text()
    # Every requirement line verbatim; a line that opens by restating the wording quoted above keeps the rest.
    wording = c.text.rstrip(".")
    assert all(line.removeprefix(wording).lstrip(" .") in reply.text() for line in c.requirements)
    assert "8391-501" in reply.citation and "AC2.2" in reply.citation
    assert f"line {c.source.line}" in reply.citation
    assert [r.as_json() for r in reply.refs] == [{"unit": "8391-501", "ac": "2.2"}]


def test_every_form_of_criterion_reference(bot_say) -> None:
    for text in ["AC2.2 of 8391-501", "ac 2.2 in 8391-501", "8391-501 AC 2.2", "criterion 2.2 of 8391-501",
                 "8391-501 2.2"]:
        reply = bot_say(text, conversation=text)
        assert [r.as_json() for r in reply.refs] == [{"unit": "8391-501", "ac": "2.2"}], text


def test_learning_outcome_reference(bot_say, kb) -> None:
    reply = bot_say("what is learning outcome 3 of 8431-702")
    lo = kb.unit("8431-702").learning_outcome(3)
    assert reply.kind == "answer" and lo.text in reply.text()
    assert "LO3" in reply.text() or "learning outcome 3" in reply.text().lower()


def test_ambiguous_unit_is_asked_then_answered_by_number(bot_say, kb) -> None:
    reply = bot_say("what are the learning outcomes of unit 700?")
    assert reply.kind == "clarify"
    assert [c.value for c in reply.choices] == ["8316-700", "8431-700"]
    answer = bot_say("2")
    assert answer.kind == "answer" and answer.refs[0].unit == "8431-700"
    assert all(lo.text in answer.text() for lo in kb.unit("8431-700").learning_outcomes)


def test_the_fact_asked_settles_a_short_code_only_one_candidate_has(bot_say) -> None:
    # 8316-700 prints no word count; 8431-700 does: no need to ask which 700.
    answer = bot_say("what's the word count for unit 700?")
    assert answer.kind == "answer" and answer.refs[0].unit == "8431-700"
    assert "4,500" in answer.text()


def test_ambiguous_criterion_answered_by_title(bot_say, kb) -> None:
    assert bot_say("2.1 in the finance unit — what do they want?").kind == "clarify"
    reply = bot_say("the school one")
    assert reply.kind == "answer" and reply.refs[0].unit == "8391-501"
    assert kb.criterion("8391-501", "2.1").text in reply.text()


def test_clarification_answered_by_code(bot_say) -> None:
    reply = bot_say("what does AC5.2 need?")
    assert reply.kind == "clarify" and [c.value for c in reply.choices] == ["8391-500", "8391-501", "8391-504"]
    reply = bot_say("8391-504")
    assert reply.kind == "answer" and reply.refs[0].as_json() == {"unit": "8391-504", "ac": "5.2"}


def test_follow_ups_carry_the_unit(bot_say, kb) -> None:
    bot_say("what evidence does 8391-501 AC2.2 need?")
    reply = bot_say("and 2.3?")
    assert reply.refs[0].as_json() == {"unit": "8391-501", "ac": "2.3"}
    assert kb.criterion("8391-501", "2.3").text in reply.text()
    nxt = bot_say("what about the next one?")
    assert nxt.refs[0].as_json() == {"unit": "8391-501", "ac": "3.1"}


def test_cancel_drops_the_question(bot_say) -> None:
    assert bot_say("unit 700").kind == "clarify"
    assert bot_say("cancel").kind == "done"
    # "2" is no longer an answer to anything.
    assert bot_say("2").kind != "answer"


def test_a_new_question_replaces_a_pending_one(bot_say) -> None:
    assert bot_say("unit 700").kind == "clarify"
    reply = bot_say("can I use witness testimony on the level 5?")
    assert reply.kind == "answer" and reply.intent == "qualification_rules"


def test_pending_question_expires(bot_say) -> None:
    assert bot_say("unit 700").kind == "clarify"
    later = NOW + timedelta(hours=2)
    assert bot_say("1", now=later).kind != "answer"


def test_context_survives_a_restart(new_store, kb, search_index) -> None:
    first = make_dialogue(kb, new_store("bot"), clock=lambda: NOW, search=search_index)
    assert first.handle(Message("console:a", "c1", "unit 700"))[0].kind == "clarify"
    second = make_dialogue(kb, new_store("bot"), clock=lambda: NOW, search=search_index)
    reply = second.handle(Message("console:a", "c1", "1"))[0]
    assert reply.kind == "answer" and reply.refs[0].unit == "8316-700"


def test_no_such_unit_or_criterion_is_declined_honestly(bot_say, kb) -> None:
    reply = bot_say("what evidence does unit 999 need?")
    assert reply.kind == "decline" and "999" in reply.text() and "tutor" in reply.text()
    reply = bot_say("8391-501 AC9.4 please", conversation="c2")
    assert reply.kind == "decline"
    assert "no criterion 9.4" in reply.text()
    assert ", ".join(c.id for c in kb.unit("8391-501").criteria) in reply.text()


def test_out_of_scope_is_declined(bot_say) -> None:
    for text in ["what's the weather like in Leeds", "can you write my assignment for me",
                 "what grade did I get for my 8391-500 portfolio"]:
        reply = bot_say(text, conversation=text)
        assert reply.kind == "decline", text
        assert "tutor" in reply.text().lower() or "centre" in reply.text().lower()


def test_sufficiency_compares_counts_and_is_advice(bot_say) -> None:
    reply = bot_say("is one model enough for 1.3 in 8431-700?")
    assert reply.kind == "answer" and reply.intent == "sufficiency"
    assert "at least 2 models" in reply.text() and "fall short" in reply.text()
    assert "assessor" in reply.text() and "not an assessment decision" in reply.text()
    enough = bot_say("will two models do for 8431-700 1.3?", conversation="c2")
    assert "meets the minimum of 2 models" in enough.text()


def test_description_is_judged_against_the_command_verb(bot_say) -> None:
    reply = bot_say("is a description enough for 1.2 in 501?")
    assert "asks you to analyse" in reply.text()
    assert "A description alone will not suffice" in reply.text()


def test_unit_overview_facets(bot_say, kb) -> None:
    reply = bot_say("tell me about unit 503")
    unit = kb.unit("8391-503")
    # Short first; the outcomes are behind "more".
    assert reply.kind == "answer" and "10 credits" in reply.text() and reply.more is not None
    more = bot_say("more").text()
    assert all(lo.text in more for lo in unit.learning_outcomes)
    assert "4,500" in bot_say("word count for 8431-700?", conversation="w").text()
    missing = bot_say("what's the word count for 8391-501?", conversation="m")
    assert missing.kind == "decline" and "word count" in missing.text()


def test_rule_questions_need_the_qualification(bot_say) -> None:
    reply = bot_say("how long is registration valid?")
    assert reply.kind == "clarify" and reply.choices
    answer = bot_say("the level 7")
    assert answer.kind == "answer" and "three years" in answer.text()


def test_unstated_validity_is_declined_never_invented(bot_say) -> None:
    reply = bot_say("how long is registration valid on the level 6 diploma in management?")
    assert reply.kind == "decline"
    assert "year" not in reply.text().lower().replace("doesn't say", "")


def test_help_and_greeting(bot_say) -> None:
    assert bot_say("hi").intent == "greeting"
    reply = bot_say("what can you do?", conversation="h")
    assert reply.intent == "help" and reply.kind == "answer"


def test_the_topic_named_first_decides(bot_say) -> None:
    reply = bot_say("is there an age limit for the level 5 diploma? asking for my 18 yr old apprentice")
    assert reply.kind == "answer" and "19" in reply.text()
