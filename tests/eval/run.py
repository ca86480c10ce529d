"""Question-set evaluation (``make eval``): accuracy per kind (answer / clarify / decline).

Today's set measures unit resolution — how the KB turns the way people name a unit into one
unit, a question back, or an honest "no such unit". The dialogue's question sets join it as
intents are built.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from knowledge.kb import KnowledgeBase, load_kb

EVAL_DIR = Path(__file__).resolve().parent
BAR = 0.9   # CI fails when any kind drops below this accuracy


def load_set(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((EVAL_DIR / name).read_text(encoding="utf-8"))


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
    return {k: (correct[k], totals[k]) for k in ("answer", "clarify", "decline")}, failures


def main() -> int:
    scores, failures = evaluate_unit_references(load_kb())
    print("unit references (tests/eval/unit_references.yaml)")
    ok = True
    for kind, (right, total) in scores.items():
        accuracy = right / total if total else 1.0
        ok &= accuracy >= BAR
        print(f"  {kind:<8} {right:3d}/{total:<3d} {accuracy:6.1%}")
    for line in failures:
        print(f"  miss: {line}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
