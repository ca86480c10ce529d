"""Dialogue benchmarks (``make bench``): per-message latency and throughput over the question set,
and start-up (KB load + first answer) in a fresh process.

Targets on the 2-core machine: p99 ≤ 5 ms per message; start-up ≤ 500 ms; resident memory of that
fresh process ≤ 250 MB.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.dialogue import Dialogue
from bot.store import open_store
from bot.types import Message
from knowledge.kb import load_kb
from tests.eval.run import load_questions

P99_TARGET_MS = 5.0
STARTUP_TARGET_MS = 500.0
RSS_TARGET_MB = 250.0
ROUNDS = 5


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def startup_ms(runs: int = 5) -> tuple[float, float, float]:
    """Median and max start-up (ms), and the largest resident memory (MB) of those processes."""
    code = ("import time, resource; t=time.perf_counter()\n"
            "from knowledge.kb import load_kb\nfrom bot.dialogue import Dialogue\nfrom bot.store import open_store\n"
            "from bot.types import Message\n"
            "d=Dialogue(load_kb(), open_store(None))\n"
            "d.handle(Message('bench', 'c', 'what evidence does 8391-501 AC2.2 need?'))\n"
            "print((time.perf_counter()-t)*1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    runs_out = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
                for _ in range(runs)]
    samples = [float(ms) for ms, _ in runs_out]
    return statistics.median(samples), max(samples), max(float(mb) for _, mb in runs_out)


def run(dialogue: Dialogue, questions: list[str]) -> tuple[list[float], float]:
    samples: list[float] = []
    started = time.perf_counter()
    for r in range(ROUNDS):
        for i, text in enumerate(questions):
            t = time.perf_counter()
            dialogue.handle(Message("bench", f"b{r}-{i}", text))
            samples.append((time.perf_counter() - t) * 1000)
    return samples, time.perf_counter() - started


def main() -> int:
    kb = load_kb()
    from tests.eval.heldout import read_jsonl

    questions = [q["question"] for q in load_questions()]
    questions += [q.get("question") or q["text"] for q in read_jsonl("heldout.jsonl")]
    p99 = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for label, store in (("in-memory store", open_store(None)),
                             ("SQLite file store (WAL)", open_store(Path(tmp) / "bench.db"))):
            samples, elapsed = run(Dialogue(kb, store), questions)
            p50, p99_here = percentile(samples, 50), percentile(samples, 99)
            p99 = max(p99, p99_here)
            print(f"{label}: {len(samples)} messages ({len(questions)} questions x {ROUNDS} rounds, in process)")
            print(f"  latency per message: p50 {p50:.2f} ms, p99 {p99_here:.2f} ms, max {max(samples):.2f} ms")
            print(f"  throughput: {len(samples) / elapsed:,.0f} messages/s")
    start_median, start_max, rss = startup_ms()
    print(f"start-up (fresh process: imports + KB load + intent model + first answer): median {start_median:.0f} ms, "
          f"max {start_max:.0f} ms; resident memory {rss:.0f} MB")
    ok = p99 <= P99_TARGET_MS and start_median <= STARTUP_TARGET_MS and rss <= RSS_TARGET_MB
    print(("meets" if ok else "MISSES") + f" the targets (p99 ≤ {P99_TARGET_MS:.0f} ms, start-up ≤ "
          f"{STARTUP_TARGET_MS:.0f} ms, memory ≤ {RSS_TARGET_MB:.0f} MB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
