"""Question-set evaluation (``make eval``): accuracy per kind (answer / clarify / decline).

Two sets:
- ``questions*.jsonl`` — questions as people type them, each with the expected kind, unit, AC and
  short exact phrases a correct answer must contain; run through the whole dialogue core.
- ``unit_references.yaml`` — how people name units, resolved by the KB alone.

A question passes when the reply's kind is the expected one, its refs name the expected unit
and AC, and every ``must_mention`` phrase is in its text (case-insensitive). An out-of-scope
question answered as if the KB knew (expected decline, got answer) is an *invented* answer.
"""

from __future__ import annotations

import functools
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import yaml

from adapters.compose import make_dialogue
from bot.dialogue import Dialogue
from bot.store import open_store
from bot.types import Message
from knowledge.kb import KnowledgeBase, load_kb

EVAL_DIR = Path(__file__).resolve().parent
BAR = 0.9            # unit references: every kind at least this
QUESTIONS_BAR = 0.95  # questions: overall at least this
KINDS = ("answer", "clarify", "decline", "done", "denied", "error")


def load_set(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((EVAL_DIR / name).read_text(encoding="utf-8"))


def load_questions() -> list[dict[str, Any]]:
    """Every question set: ``questions.jsonl`` and the later ``questions_*.jsonl`` sets."""
    out = []
    for path in sorted(EVAL_DIR.glob("questions*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        out += [json.loads(line) for line in lines if line.strip()]
    return out


def evaluate_unit_references(kb: KnowledgeBase) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """``({kind: (correct, total)}, failures)`` over ``unit_references.yaml``."""
    totals: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    failures = []
    for case in load_set("unit_references.yaml"):
        kind, units = kb.resolve_unit(case["text"])
        got = sorted(u.code for u in units)
        totals[case["kind"]] += 1
        if kind == case["kind"] and got == sorted(case["units"]):
            correct[case["kind"]] += 1
        else:
            failures.append(f"{case['text']!r}: expected {case['kind']} {case['units']}, got {kind} {got}")
    return {k: (correct[k], totals[k]) for k in KINDS[:3]}, failures


@dataclass
class QuestionResults:
    per_kind: dict[str, tuple[int, int]]
    failures: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)

    @property
    def overall(self) -> float:
        right = sum(r for r, _ in self.per_kind.values())
        total = sum(t for _, t in self.per_kind.values())
        return right / total if total else 1.0


def _problems(expect: dict[str, Any], kind: str, refs: list[dict[str, Any]], text: str) -> list[str]:
    problems = []
    if kind != expect["kind"]:
        problems.append(f"kind {kind}")
    if expect["kind"] == "answer" and expect.get("unit"):
        units = {r["unit"] for r in refs}
        if expect["unit"] not in units:
            problems.append(f"unit {sorted(units)}")
        elif expect.get("ac") and not any(r["unit"] == expect["unit"] and r["ac"] == expect["ac"] for r in refs):
            problems.append(f"ac {[r['ac'] for r in refs]}")
    lowered = text.lower()
    problems += [f"missing {p!r}" for p in expect.get("must_mention") or [] if p.lower() not in lowered]
    return problems


def evaluate_questions(dialogue: Dialogue, questions: list[dict[str, Any]] | None = None) -> QuestionResults:
    """Run each question in a fresh conversation, as its ``user`` (default: someone not enrolled)."""
    totals: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    results = QuestionResults({})
    for q in questions or load_questions():
        expect = q["expect"]
        person = q.get("user") or "eval:learner"
        replies = dialogue.handle(Message(person, f"eval:{q['id']}", q["question"], "console"))
        kind = replies[0].kind
        refs = [r.as_json() for reply in replies for r in reply.refs]
        text = "\n".join(r.text() for r in replies)
        totals[expect["kind"]] += 1
        problems = _problems(expect, kind, refs, text)
        if problems:
            results.failures.append(f"{q['id']} {q['question']!r}: expected {expect['kind']}, "
                                    + "; ".join(problems))
            if expect["kind"] == "decline" and kind == "answer":
                results.invented.append(f"{q['id']} {q['question']!r}")
        else:
            correct[expect["kind"]] += 1
    results.per_kind = {k: (correct[k], totals[k]) for k in KINDS if totals[k]}
    return results


def eval_dialogue(kb: KnowledgeBase) -> Dialogue:
    """A dialogue on a fresh in-memory store holding the records fixture (a small centre)."""
    from tests.conftest import NOW
    from tests.records_fixture import seed

    db = open_store(None)
    seed(db, kb, NOW)
    return make_dialogue(kb, db, clock=lambda: NOW)


def _print_scores(title: str, scores: dict[str, tuple[int, int]]) -> None:
    print(title)
    for kind, (right, total) in scores.items():
        accuracy = right / total if total else 1.0
        print(f"  {kind:<8} {right:3d}/{total:<3d} {accuracy:6.1%}")


def score_older_sets(dialogue: Dialogue) -> dict[str, Any]:
    """Each older set (``questions*.jsonl``) scored per kind and per facet, with reply lengths."""
    from tests.eval.heldout import Score, question_problems

    out: dict[str, Any] = {}
    for path in sorted(EVAL_DIR.glob("questions*.jsonl")):
        score = Score()
        for q in (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()):
            expect = {"behaviour": q["expect"]["kind"], "unit": q["expect"].get("unit"),
                      "ac": q["expect"].get("ac"), "must_mention": q["expect"].get("must_mention")}
            replies = dialogue.handle(Message(q.get("user") or "eval:learner", f"eval:{q['id']}", q["question"],
                                              "console"))
            score.add(expect["behaviour"], question_problems(expect, replies), f"{q['id']} {q['question']!r}",
                      replies[0].facet or replies[0].intent)
            if expect["behaviour"] == "decline" and replies[0].kind == "answer":
                score.invented.append(q["id"])
            if replies[0].kind == "answer":
                score.answer_lengths.append(len("\n".join(r.text() for r in replies)))
        out[path.name] = score
    return out


# The question sets scored by ``_heldout``, in order (each held-out set written by a helper that saw only the
# specifications; their first runs are the measure of questions nobody has seen).
_QUESTION_SETS = (
    ("heldout.jsonl", "held-out questions"),
    # Written later, by another helper, when the first set had been looked at: the fresher measure.
    ("heldout2.jsonl", "second held-out questions"),
    # Written on 7 December after that day's first changes: its first score measured them on questions they
    # were not made for.
    ("heldout3.jsonl", "third held-out questions"),
    # Written in the second session of 7 December, after that session's changes.
    ("heldout4.jsonl", "fourth held-out questions"),
    # Written in the third session of 7 December, before its changes; first run at 0460a7c: 106/120.
    ("heldout5.jsonl", "fifth held-out questions"),
    # Written during the third session, after most of its changes; first run at 9463112: 95/120 (the session's
    # first commit scored 93 on it).
    ("heldout6.jsonl", "sixth held-out questions"),
    # Written in the fourth session of 7 December, before its changes; first run at b3ef500: 102/120.
    ("heldout7.jsonl", "seventh held-out questions"),
    # Written during the fourth session, kept unrun until its end; first run at 2330a7d: 102/120 (the session's
    # first commit, b3ef500, scores 96 on it).
    ("heldout8.jsonl", "eighth held-out questions"),
    # Written in the fifth session of 7 December, before its changes; first run at 00e4143.
    ("heldout9.jsonl", "ninth held-out questions"),
    # Written the same way, to be looked at item by item: what goes wrong there shows which mechanism to fix;
    # the held-out sets say whether the fix carries to questions nobody has looked at.
    ("dev_questions.jsonl", "development questions, looked at"),
    ("dev_questions2.jsonl", "development questions, looked at"),
    ("dev_questions3.jsonl", "development questions, looked at"),
    ("dev_questions4.jsonl", "development questions, looked at"),
    ("dev_questions5.jsonl", "development questions, looked at"),
)


_NOW = datetime.fromisoformat("2026-12-07T10:00:00+00:00")


def _question_set(kb: KnowledgeBase, show_misses: bool, name: str, label: str) -> None:
    """One held-out or development set: scored and reported, never tuned on (tests/eval/heldout.py)."""
    from tests.eval.heldout import score_questions

    for line in score_questions(lambda: make_dialogue(kb, open_store(None)), kb, _NOW, name).report(
            f"{label} (tests/eval/{name})", show_misses):
        print(line)


def _requests(kb: KnowledgeBase, show_misses: bool) -> None:
    from tests.eval.heldout import score_requests

    overall, per_role = score_requests(lambda db: make_dialogue(kb, db), kb)
    for line in overall.report("held-out requests (tests/eval/heldout_requests.jsonl)", show_misses):
        print(line)
    for role, score in sorted(per_role.items()):
        print(f"  as {role:<8} {sum(score.right.values())}/{sum(score.total.values())} {score.overall:6.1%}")


def _older(kb: KnowledgeBase, show_misses: bool) -> bool:
    """The older sets, one by one and together, and the unit references: whether they stay above the bar."""
    for name, score in score_older_sets(eval_dialogue(kb)).items():
        for line in score.report(f"older set (tests/eval/{name}, tuned on)", show_misses):
            print(line)
    results = evaluate_questions(eval_dialogue(kb))
    _print_scores("older sets together (tests/eval/questions*.jsonl)", results.per_kind)
    print(f"  overall  {results.overall:6.1%}   invented answers: {len(results.invented)}")
    scores, failures = evaluate_unit_references(kb)
    _print_scores("unit references (tests/eval/unit_references.yaml)", scores)
    for line in failures:
        print(f"  miss: {line}")
    return (results.overall >= QUESTIONS_BAR and not results.invented
            and all(r / t >= BAR for r, t in scores.values() if t))


# The sections of the report, each run in a process of its own (forked: they share the loaded KB) and printed
# in this order; ``_SECTIONS`` is set by ``main`` before the fork.
_SECTIONS: list[Callable[[], Any]] = []


def _section(n: int) -> tuple[str, Any]:
    out = io.StringIO()
    with redirect_stdout(out):
        result = _SECTIONS[n]()
    return out.getvalue(), result


def _model_report() -> None:
    """The intent model's own check, written when it was trained (precision / recall per label on a
    held-back share of the generated sentences, and the labels it confuses most)."""
    from bot.nlu.model import MODEL_DIR

    path = MODEL_DIR / "validation.txt"
    if path.exists():
        print("intent model (bot/nlu/model/validation.txt, from `assessbot nlu train`)")
        print("\n".join("  " + line for line in path.read_text(encoding="utf-8").splitlines()))


def main() -> int:
    kb = load_kb()
    show_misses = "--misses" in sys.argv
    _SECTIONS[:] = [*(functools.partial(_question_set, kb, show_misses, name, label) for name, label in _QUESTION_SETS),
                    functools.partial(_requests, kb, show_misses), functools.partial(_older, kb, show_misses)]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=get_context("fork")) as pool:
        sections = list(pool.map(_section, range(len(_SECTIONS))))
    for text, _ in sections:
        print(text, end="")
    if "--model" in sys.argv:
        _model_report()
    return 0 if sections[-1][1] else 1


if __name__ == "__main__":
    sys.exit(main())
