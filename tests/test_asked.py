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
    assert read_asked(tmp_path) == (Asked("q0", "004", (), "pay"), Asked("q1", "004", (455, 456)),
                                    Asked("q2", "004", (), "fees"))


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
