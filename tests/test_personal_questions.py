"""Questions about the asker's own tutor, results and deadlines go to the records, never to the
specification's text: answered from what the records hold, declined when they hold nothing."""

from __future__ import annotations

import pytest

from adapters.compose import make_dialogue
from bot.nlu.personal import personal_fact
from bot.types import Message
from tests.conftest import NOW
from tests.records_fixture import seed

pytestmark = pytest.mark.engines
ALICE, CAROL = "console:alice", "console:carol"


@pytest.fixture
def say(kb, search_index, store):
    seed(store, kb, NOW)
    dialogue = make_dialogue(kb, store, clock=lambda: NOW, search=search_index)
    return lambda person, text: dialogue.handle(Message(person, f"c-{person}", text))[0]


def test_which_questions_are_about_the_asker() -> None:
    assert personal_fact("who's our IQA this year") == "people"
    assert personal_fact("what grade did I get for 8391-501") == "results"
    assert personal_fact("when's my 8391-502 assignment due") == "due"
    assert personal_fact("has my 605 business case been marked?") == "results"
    assert personal_fact("is my 8391-503 portfolio assessed yet") == "results"
    assert personal_fact("what mark did Jo Bloggs get on 604?") == "results"
    assert personal_fact("has our 502 portfolio been internally verified?") == "verification"
    assert personal_fact("when is 8391-501 AC2.2 due in?") == "due"
    assert personal_fact("who's the internal verifier at our centre?") == "people"
    assert personal_fact("can I have my assessor's phone number?") == "people"
    # A story told around a question about the rules: the question is what is asked.
    assert personal_fact("I was in hospital when my 502 was due in. Can I get extra time on the level 5?") is None
    for spec in ("what marks do I need to pass 605", "who can be an assessor on the level 5",
                 "when is my registration due to expire", "how are marks awarded for 605",
                 "what should my marks be for each section", "how is my work marked?",
                 "is my portfolio assessed by the centre or by ILM?", "has the unit been verified by ILM?"):
        assert personal_fact(spec) is None, spec


def test_a_learner_is_told_the_tutor_the_roster_links_them_to(say) -> None:
    reply = say(ALICE, "who's my tutor on the school finances unit")
    assert reply.kind == "answer" and reply.intent == "my_people"
    assert "Tess Tutor" in reply.text() and "Managing School Finances" not in reply.text()


def test_no_tutor_or_an_assessor_is_declined_not_answered_from_a_specification(say) -> None:
    assert say(CAROL, "who is my tutor?").kind == "decline"          # Carol has no tutor link
    reply = say(ALICE, "who's my assessor for the level 5?")
    assert reply.kind == "decline" and "centre" in reply.text()


def test_results_and_deadlines_come_from_the_records(say) -> None:
    reply = say(ALICE, "what marks did I get for 8391-501")
    assert reply.intent == "progress_unit" and [r.unit for r in reply.refs][:1] == ["8391-501"]
    assert say("console:stranger", "what grade did I get for 8391-501").kind == "decline"
    assert say(ALICE, "when is my 8391-502 portfolio due?").intent == "progress_unit"


def test_the_role_asked_is_named_as_replies_name_it() -> None:
    from bot.nlu.personal import role_asked
    assert [role_asked(t) for t in ("who is my tutor for 501", "whos our IQA", "who are my coaches", "hello")] == \
        ["tutor", "IQA", "coach", None]


def test_whether_work_has_been_verified_is_declined_not_answered_from_records_or_specification(say) -> None:
    reply = say(ALICE, "has my 8391-501 portfolio been externally verified yet?")
    assert reply.kind == "decline" and "tutor or centre" in reply.text()


def test_a_result_asked_of_a_unit_with_no_decision_recorded_says_so_first(say) -> None:
    # Alice has 8391-501 in her plan and no assessment decision on it.
    reply = say(ALICE, "did I pass 8391-501? what grade did I get for it")
    assert reply.kind == "decline" and "No assessment decision is recorded" in reply.text()
    assert reply.more is not None and "what's left" in reply.more.title
    # Progress asked without a result is still answered.
    assert say(ALICE, "what's left for unit 8391-501?").kind == "answer"


def test_a_deadline_is_never_answered_from_a_specification(say) -> None:
    reply = say("console:stranger", "when is 8391-501 AC2.2 due in?")
    assert reply.kind == "decline" and "part of the" not in reply.text()
