"""Whether the specification answers a question at all (``intents.answerable``): a model of many signals,
fitted on the questions asked of the statements, declines what the statements are silent on."""

from __future__ import annotations

import json
from pathlib import Path

from adapters.compose import make_dialogue
from bot.store import open_store
from bot.types import Message
from intents.answerable import FEATURES, WEIGHTS
from intents.answerable_train import stale
from knowledge.asked import Asked, document_number, read_asked
from knowledge.kb import KnowledgeBase
from knowledge.search import SearchIndex, _silent_odds


def _silences(document: str) -> list[Asked]:
    """Near misses that all use the made-up word "quorbled": learners use it only of what is never covered."""
    return [Asked(f"what about a quorbled {thing}?", document, ()) for thing in
            ("fee", "deadline", "laptop", "platform", "refund", "extension", "venue", "timetable", "salary",
             "holiday", "parking", "badge")]


def test_words_asked_only_of_what_the_specifications_are_silent_on_weigh_towards_silence() -> None:
    asked = [Asked("can I flumph the fee?", "004", ()), Asked("is the fee flumphed?", "004", ()),
             Asked("what is the portfolio for?", "004", (1,)), Asked("how is the portfolio marked?", "004", (2,))]
    odds = _silent_odds(asked)
    assert odds["flump"] > 0 > odds["portf"]
    assert odds["fee"] > odds["what"]


def test_a_question_in_words_learners_use_of_silences_is_declined(kb: KnowledgeBase) -> None:
    """The same question, sharing "portfolio" and "evidence" with statements: answered as long as its made-up
    word says nothing, declined once learners have used that word only of things the specification is silent
    on. No near miss shares two of its words, so the nearest-question check alone answers both."""
    doc = document_number(next(r.source.document for r in kb.rules_for("l7-senior-leaders-diploma") if r.source))
    question = "level 7 senior leaders - can my portfolio evidence be quorbled?"
    silences = _silences(doc)

    answers = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=list(read_asked())))
    assert answers.handle(Message("t:1", "c1", question))[0].kind == "answer"

    declines = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=[*read_asked(), *silences]))
    reply = declines.handle(Message("t:1", "c2", question))[0]
    assert reply.kind == "decline" and "doesn't say" in reply.text()


def test_the_committed_weights_match_the_questions_statements_and_signals(kb: KnowledgeBase) -> None:
    assert stale(kb) is None
    weights = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert weights["features"] == list(FEATURES) and len(weights["coef"]) == len(FEATURES)
    assert 0 < weights["threshold"] < 1


def test_weights_fitted_on_other_questions_are_reported_stale(kb: KnowledgeBase, tmp_path: Path) -> None:
    weights = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    path = tmp_path / "answerable.json"
    path.write_text(json.dumps({**weights, "training_hash": "0" * 16}), encoding="utf-8")
    assert "nlu train" in (stale(kb, path) or "")
    path.write_text(json.dumps({**weights, "features": weights["features"][:-1]}), encoding="utf-8")
    assert "nlu train" in (stale(kb, path) or "")


def test_a_one_topic_fact_asked_something_its_statements_are_silent_on_is_offered_as_the_nearest(
        kb: KnowledgeBase) -> None:
    dialogue = make_dialogue(kb, open_store(None))
    reply = dialogue.handle(Message("t:1", "c1", "level 5 SBL: my registration runs out next spring and I still have "
                                                 "units to finish - can ILM give me an extra 6 months?"))[0]
    assert reply.kind == "decline" and "doesn't answer that" in reply.text()
    assert "three years (36 months)" in reply.text()          # the nearest it gives
    reply = dialogue.handle(Message("t:1", "c2", "level 5 SBL - how long does my registration last?"))[0]
    assert reply.kind == "answer" and "three years (36 months)" in reply.text()


def test_statements_filed_under_the_facets_topic_give_way_too(kb: KnowledgeBase) -> None:
    """A grading question is answered from the grading statements; asked in a word learners use only of
    silences, they are offered as the nearest in a decline."""
    doc = document_number(next(r.source.document for r in kb.rules_for("l6-sbm-diploma") if r.source))
    question = "level 6 school business management - how is a quorbled unit graded?"
    silences = _silences(doc)
    answers = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=list(read_asked())))
    reply = answers.handle(Message("t:1", "c1", question))[0]
    assert reply.kind == "answer" and reply.facet == "grading"
    declines = make_dialogue(kb, open_store(None), search=SearchIndex(kb, asked=[*read_asked(), *silences]))
    reply = declines.handle(Message("t:1", "c2", question))[0]
    assert reply.kind == "decline" and reply.facet == "grading" and "The nearest it gives" in reply.text()
