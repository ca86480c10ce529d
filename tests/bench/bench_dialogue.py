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

from adapters.compose import make_dialogue
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
            "from knowledge.kb import load_kb\nfrom adapters.compose import make_dialogue\n"
            "from bot.store import open_store\n"
            "from bot.types import Message\n"
            "d=make_dialogue(load_kb(), open_store(None))\n"
            "d.handle(Message('bench', 'c', 'what evidence does 8391-501 AC2.2 need?'))\n"
            "print((time.perf_counter()-t)*1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    runs_out = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
                for _ in range(runs)]
    samples = [float(ms) for ms, _ in runs_out]
    return statistics.median(samples), max(samples), max(float(mb) for _, mb in runs_out)


def process_ms(code: str, runs: int = 5) -> float:
    """Median wall time of a whole ``python -c code`` process (interpreter start included)."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def search_floor_ms(kb, questions: list[str]) -> float:
    """Median of one FTS5/BM25 query over the KB per question: the least a message could cost."""
    from knowledge.search import SearchIndex

    index = SearchIndex(kb)
    samples = []
    for text in questions:
        started = time.perf_counter()
        index.search(text, limit=5)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def run(dialogue: Dialogue, questions: list[str]) -> tuple[list[float], float]:
    samples: list[float] = []
    started = time.perf_counter()
    for r in range(ROUNDS):
        for i, text in enumerate(questions):
            t = time.perf_counter()
            dialogue.handle(Message("bench", f"b{r}-{i}", text))
            samples.append((time.perf_counter() - t) * 1000)
    return samples, time.perf_counter() - started


def postgresql(kb, questions: list[str], floor: float) -> None:
    """The same messages on a PostgreSQL store (a server started here): for information, each statement
    being a round trip to a server rather than a call into the process. Left out without PostgreSQL."""
    from tests.pg_server import PgServer, binaries

    if binaries() is None:
        print("PostgreSQL store: not installed here — left out")
        return
    server = PgServer(binaries()).start()
    try:
        server.admin("CREATE DATABASE bench")
        store = open_store(server.url("bench"))
        samples, elapsed = run(make_dialogue(kb, store), questions)
        print(f"PostgreSQL store (loopback server): p50 {percentile(samples, 50):.2f} ms (ratio to the floor "
              f"{percentile(samples, 50) / floor:.0f}×), p99 {percentile(samples, 99):.2f} ms; "
              f"{len(samples) / elapsed:,.0f} messages/s")
        store.close()
    finally:
        server.remove()


def main() -> int:
    kb = load_kb()
    from tests.eval.heldout import read_jsonl

    questions = [q["question"] for q in load_questions()]
    questions += [q.get("question") or q["text"] for q in read_jsonl("heldout.jsonl")]
    p99 = 0.0
    floor = search_floor_ms(kb, questions)
    print(f"floor: one FTS5/BM25 query over the KB, median {floor:.3f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        for label, store in (("in-memory store", open_store(None)),
                             ("SQLite file store (WAL)", open_store(Path(tmp) / "bench.db"))):
            samples, elapsed = run(make_dialogue(kb, store), questions)
            p50, p99_here = percentile(samples, 50), percentile(samples, 99)
            p99 = max(p99, p99_here)
            print(f"{label}: {len(samples)} messages ({len(questions)} questions x {ROUNDS} rounds, in process)")
            print(f"  latency per message: p50 {p50:.2f} ms (ratio to the floor {p50 / floor:.0f}×), "
                  f"p99 {p99_here:.2f} ms, max {max(samples):.2f} ms")
            print(f"  throughput: {len(samples) / elapsed:,.0f} messages/s")
    postgresql(kb, questions, floor)
    start_median, start_max, rss = startup_ms()
    bare = process_ms("import sqlite3")
    whole = process_ms("from knowledge.kb import load_kb\nfrom adapters.compose import make_dialogue\n"
                       "from bot.store import open_store\nfrom bot.types import Message\n"
                       "make_dialogue(load_kb(), open_store(None)).handle(\n"
                       "    Message('b', 'c', 'what does 8391-501 AC2.2 need?'))")
    print(f"start-up (fresh process: imports + KB load + intent model + first answer): median {start_median:.0f} ms, "
          f"max {start_max:.0f} ms; resident memory {rss:.0f} MB")
    print(f"  whole process {whole:.0f} ms beside `python -c \"import sqlite3\"` {bare:.0f} ms: "
          f"ratio {whole / bare:.1f}×")
    ok = p99 <= P99_TARGET_MS and start_median <= STARTUP_TARGET_MS and rss <= RSS_TARGET_MB
    print(("meets" if ok else "MISSES") + f" the targets (p99 ≤ {P99_TARGET_MS:.0f} ms, start-up ≤ "
          f"{STARTUP_TARGET_MS:.0f} ms, memory ≤ {RSS_TARGET_MB:.0f} MB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
