"""Benchmarks for the knowledge base (``make bench``): load time, look-ups, search.

Numbers are wall-clock on this machine; each is the median (and worst) of repeated runs.
Target from the issue: KB load under 300 ms.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from knowledge.kb import KnowledgeBase, read_documents
from knowledge.search import SearchIndex

LOAD_TARGET_MS = 300.0


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median, max) milliseconds of ``fn`` over ``runs`` runs."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def cold_process_ms(runs: int) -> tuple[float, float]:
    """A fresh interpreter that imports the KB and loads it, timed inside that process."""
    code = ("import time; t=time.perf_counter(); from knowledge.kb import load_kb; load_kb(); "
            "print((time.perf_counter()-t)*1000)")
    samples = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                    check=True).stdout) for _ in range(runs)]
    return statistics.median(samples), max(samples)


def main() -> int:
    rows = []
    rows.append(("KB load, cold process (import + read + build)", *cold_process_ms(7)))
    rows.append(("KB load, warm process (read YAML + build model)",
                 *timed(lambda: KnowledgeBase(read_documents()), 15)))
    kb = KnowledgeBase(read_documents())
    rows.append(("search index build (FTS5, in memory)", *timed(lambda: SearchIndex(kb), 7)))
    index = SearchIndex(kb)
    rows.append(("unit look-up by full code", *timed(lambda: kb.find_units("8391-501"), 200)))
    rows.append(("unit look-up by fuzzy title", *timed(lambda: kb.find_units("stratgic finanse"), 200)))
    rows.append(("criterion look-up", *timed(lambda: kb.criterion("8431-700", "1.4"), 200)))
    rows.append(("rule search (FTS5, bm25)",
                 *timed(lambda: index.search("can I use witness testimony"), 200)))
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  median ms   max ms")
    for name, median, worst in rows:
        print(f"{name:<{width}}  {median:9.3f} {worst:8.3f}")
    cold = rows[0][1]
    verdict = "meets" if cold < LOAD_TARGET_MS else "MISSES"
    print(f"\nKB load (cold process) {cold:.1f} ms {verdict} the {LOAD_TARGET_MS:.0f} ms target.")
    return 0 if cold < LOAD_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
