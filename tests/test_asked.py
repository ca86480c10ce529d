"""The questions asked of the qualification rules (knowledge/asked): read and checked strictly, and searched
with the statements they were asked of (document expansion)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.compose import make_dialogue
from bot.store import open_store
from bot.types import Message
from knowledge.asked import Asked, document_number, read_asked
from knowledge.check import asked_problems
from knowledge.kb import KnowledgeBase
from knowledge.search import SearchIndex


def _write(folder: Path, rows: list[dict]) -> None:
    (folder / "x.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_questions_are_read_with_their_statements_and_near_misses(tmp_path: Path) -> None:
    # A near miss takes its file's specification, wherever it stands in the file.
    _write(tmp_path, [{"question": "q0", "rules": [], "absent": "pay"},
                      {"question": "q1", "rules": ["004:L455", "004:L456"]},
                      {"question": "q2", "rules": [], "absent": "fees"}])
    assert read_asked(tmp_path) == (Asked("q0", "004", (), "pay", "x"), Asked("q1", "004", (455, 456), file="x"),
                                    Asked("q2", "004", (), "fees", "x"))


def test_a_file_of_near_misses_alone_names_no_specification(tmp_path: Path) -> None:
    _write(tmp_path, [{"question": "q", "rules": [], "absent": "fees"}])
    with pytest.raises(ValueError, match="no specification"):
        read_asked(tmp_path)


@pytest.mark.parametrize("rules", [["L455"], ["004-455"], ["004:L455", "001:L3"]])
def test_a_malformed_or_mixed_statement_id_is_refused(tmp_path: Path, rules: list[str]) -> None:
    _write(tmp_path, [{"question": "q", "rules": rules}])
    with pytest.raises(ValueError):
        read_asked(tmp_path)


def test_kb_check_names_a_question_whose_line_holds_no_statement(kb: KnowledgeBase) -> None:
    rule = next(r for r in kb.rules if r.source)
    doc = document_number(rule.source.document)
    good = Asked("fine", doc, (rule.source.line,))
    bad = Asked("lost", doc, (999_999,))
    assert asked_problems(kb, [good]) == []
    assert asked_problems(kb, [good, bad]) == [f"asked: 'lost' names {doc}:L999999, which holds no statement"]


def test_the_committed_questions_all_name_statements(kb: KnowledgeBase) -> None:
    asked = read_asked()
    assert len(asked) > 1000 and sum(1 for a in asked if not a.lines) > 100
    assert asked_problems(kb, asked) == []


def test_a_question_finds_a_statement_through_words_only_asked_of_it(kb: KnowledgeBase) -> None:
    """A made-up learner word ("zorbified") asked of one statement leads word search to that statement, and
    the rule answer quotes it; without the asked question the same question is declined."""
    rule = next(r for r in kb.rules_for("l7-senior-leaders-diploma") if r.source and r.topic == "portfolio")
    asked = [Asked("is my portfolio allowed to be zorbified?", document_number(rule.source.document),
                   (rule.source.line,))]
    question = "level 7 senior leaders - can I hand in a zorbified one?"

    with_it = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=asked))
    reply = with_it.handle(Message("t:1", "c1", question))[0]
    assert reply.kind == "answer" and rule.text[:50] in reply.text()

    without = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=[]))
    reply = without.handle(Message("t:1", "c2", question))[0]
    assert rule.text[:50] not in reply.text()


def _l7_statement(kb: KnowledgeBase, topic: str):
    return next(r for r in kb.rules_for("l7-senior-leaders-diploma") if r.source and r.topic == topic)


def test_nearest_scores_the_answered_and_the_unanswered_questions_apart(kb: KnowledgeBase) -> None:
    rule = _l7_statement(kb, "portfolio")
    doc = document_number(rule.source.document)
    index = SearchIndex(kb, asked=[*read_asked(), Asked("is my portfolio zorbified by the tutor?", doc,
                                                        (rule.source.line,)),
                                   Asked("how many quibbles does a portfolio cost?", doc, ())])
    answered, silent = index.nearest("how many quibbles in a portfolio", "l7-senior-leaders-diploma")
    assert silent > answered > 0
    # The same words asking for no number: not the question the specification is silent on.
    assert index.nearest("are quibbles in a portfolio ok", "l7-senior-leaders-diploma")[1] == 0.0
    answered, silent = index.nearest("zorbified portfolio tutor", "l7-senior-leaders-diploma")
    assert answered > 0 and silent == 0.0
    assert index.nearest("how many quibbles", "l5-sbl-diploma") == (0.0, 0.0)     # another specification's


def test_a_rules_question_nearer_one_the_specification_is_silent_on_is_declined(kb: KnowledgeBase) -> None:
    """The question shares "portfolio" with the statements and the questions asked of them, but is nearer a
    near miss: declined. (Beside the committed questions, so that word statistics are as in use.)"""
    rule = _l7_statement(kb, "portfolio")
    doc = document_number(rule.source.document)
    answered = Asked("is my portfolio zorbified by the tutor?", doc, (rule.source.line,))
    silent = Asked("how many quibbles of paper go in the portfolio binder?", doc, ())
    question = "level 7 senior leaders - how many quibbles of paper for the portfolio binder?"

    declines = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=[*read_asked(), answered, silent]))
    reply = declines.handle(Message("t:1", "c1", question))[0]
    assert reply.kind == "decline"

    answers = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=[*read_asked(), answered]))
    reply = answers.handle(Message("t:1", "c2", "level 7 senior leaders - is my portfolio zorbified?"))[0]
    assert reply.kind == "answer" and rule.text[:50] in reply.text()


def test_a_fact_near_the_question_is_offered_in_a_decline_when_a_near_miss_is_nearer(kb: KnowledgeBase) -> None:
    """How long registration lasts is the nearest fact to whether it can be zorbified, not its answer."""
    rule = _l7_statement(kb, "registration")
    doc = document_number(rule.source.document)
    answered = Asked("how long is my registration valid for?", doc, (rule.source.line,))
    silent = Asked("is my registration zorbified by the quibble office?", doc, ())
    question = "level 7 senior leaders - is my registration zorbified by quibbles?"

    reply = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=[*read_asked(), answered, silent])).handle(
        Message("t:1", "c1", question))[0]
    assert reply.kind == "decline" and reply.facet == "registration"
    assert "doesn't answer that" in reply.text() and "three years (36 months)" in reply.text()

    reply = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=[*read_asked(), answered])).handle(
        Message("t:1", "c2", question))[0]
    assert reply.kind == "answer" and "three years (36 months)" in reply.text()


def test_the_statements_asked_nearest_come_first_with_their_score(kb: KnowledgeBase) -> None:
    one, two = [r for r in kb.rules_for("l7-senior-leaders-diploma") if r.source][:2]
    doc = document_number(one.source.document)
    index = SearchIndex(kb, asked=[*read_asked(), Asked("can the zorbified quibble be late?", doc, (one.source.line,)),
                                   Asked("is a quibble zorbified at all?", doc, (two.source.line,)),
                                   Asked("can a zorbified quibble be late?", doc, ())])       # a near miss: not here
    near = index.statements_asked("zorbified quibble late", "l7-senior-leaders-diploma")
    assert list(near)[:2] == [(doc, one.source.line), (doc, two.source.line)]
    assert near[(doc, one.source.line)] > near[(doc, two.source.line)] > 0
    assert index.statements_asked("zorbified quibble", "l5-sbl-diploma") == {}


def test_not_covered_yields_to_a_question_the_statements_answer_that_shares_its_words(kb: KnowledgeBase) -> None:
    """Read as outside the specifications, the question shares three words with one asked of a statement
    (and comes no nearer a near miss): answered from the statements. Without that asked question, declined."""
    rule = _l7_statement(kb, "portfolio")
    asked = Asked("will the weather spoil the quibbles flumph?", document_number(rule.source.document),
                  (rule.source.line,))
    question = "level 7 senior leaders - could the weather spoil our quibbles flumph?"

    reply = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=[*read_asked(), asked])).handle(
        Message("t:1", "c1", question))[0]
    assert reply.kind == "answer" and rule.text[:50] in reply.text()

    reply = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=list(read_asked()))).handle(
        Message("t:1", "c2", question))[0]
    assert reply.kind == "decline" and reply.intent == "out_of_scope"


def test_any_rules_answer_gives_way_to_a_nearer_near_miss(kb: KnowledgeBase) -> None:
    """A grading answer (statements filed under grading, not a fact) declines too when the question is nearer
    a near miss, offering what it found as the nearest."""
    rule = next(r for r in kb.rules_for("l6-sbm-diploma") if r.source and r.topic == "grading")
    silent = Asked("how is a zorbified quibble graded?", document_number(rule.source.document), ())
    question = "level 6 school business management - how is the zorbified quibble graded?"

    reply = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=[*read_asked(), silent])).handle(
        Message("t:1", "c1", question))[0]
    assert reply.kind == "decline" and reply.facet == "grading"
    assert "doesn't answer that" in reply.text() and "The nearest it gives" in reply.text()

    reply = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=list(read_asked()))).handle(
        Message("t:1", "c2", question))[0]
    assert reply.kind == "answer" and reply.facet == "grading"


@pytest.mark.engines
def test_not_covered_yields_for_the_speakers_own_qualification_too(kb: KnowledgeBase, store) -> None:
    """Bob is on the level 7: his question, naming no qualification, shares three words with one asked of a
    level 7 statement, so the statements answer it. Someone with no registration gets "not covered"."""
    from tests.conftest import NOW
    from tests.records_fixture import seed

    seed(store, kb, NOW)
    rule = _l7_statement(kb, "portfolio")
    asked = Asked("will the weather spoil the quibbles flumph?", document_number(rule.source.document),
                  (rule.source.line,))
    dialogue = make_dialogue(kb, store, clock=lambda: NOW, search=SearchIndex(kb, asked=[*read_asked(), asked]))
    reply = dialogue.handle(Message("console:bob", "c1", "could the weather spoil our quibbles flumph?"))[0]
    assert reply.kind == "answer" and rule.text[:50] in reply.text()
    reply = dialogue.handle(Message("console:nobody", "c2", "could the weather spoil our quibbles flumph?"))[0]
    assert reply.kind == "decline" and reply.intent == "out_of_scope"
