"""Cohort benchmark (``make bench``): a manager's cohort summary and expiring-registrations answers for a
centre of 10,000 generated learners. Target: at most 200 ms each.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.dialogue import Dialogue
from bot.store import open_store
from bot.types import Message
from knowledge.kb import load_kb
from tests.bench.bench_records import NOW, populate

TARGET_MS = 200.0
QUESTIONS = ("how is the centre getting on?", "whose registration expires in the next six months?",
             "who's behind?", "which unit are people stuck on?")


def main() -> int:
    kb = load_kb()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_store(Path(tmp) / "bench.db")
        populate(db, kb, random.Random(5))
        db["people"].insert({"id": "console:manager", "name": "Mo Manager", "role": "manager", "centre_id": 1,
                             "created_at": NOW.isoformat()})
        dialogue = Dialogue(kb, db, clock=lambda: NOW)
        worst = 0.0
        for question in QUESTIONS:
            samples = []
            for i in range(7):
                started = time.perf_counter()
                reply = dialogue.handle(Message("console:manager", f"c{i}{question}", question))[0]
                samples.append((time.perf_counter() - started) * 1000)
                assert reply.kind == "answer", (question, reply.kind, reply.text()[:200])
            median = statistics.median(samples)
            worst = max(worst, median)
            print(f"{question!r:58} median {median:6.1f} ms  max {max(samples):6.1f} ms")
    ok = worst <= TARGET_MS
    print(f"{'meets' if ok else 'MISSES'} the target (≤ {TARGET_MS:.0f} ms each) for a centre of 10,000 learners")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
