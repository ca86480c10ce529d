"""Cohort benchmark (``make bench``): a manager's cohort summary, expiring registrations, who's behind and
stuck units for a centre of 10,000 generated learners, on SQLite and on PostgreSQL (a server the benchmark
starts; left out, saying so, where none is installed). Target: at most 200 ms each.

Each answer's median is printed beside its floor — the one aggregate query over the centre's plans that
any such view needs, on the same engine in the same run — and the ratio.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from adapters.compose import make_dialogue
from bot.store import open_store
from bot.types import Message
from knowledge.kb import load_kb
from tests.bench.bench_records import NOW, populate

TARGET_MS = 200.0
QUESTIONS = ("how is the centre getting on?", "whose registration expires in the next six months?",
             "who's behind?", "which unit are people stuck on?")


FLOOR_SQL = ("SELECT r.id, count(u.unit_code) FROM registrations r JOIN people p ON p.id = r.person_id "
             "LEFT JOIN plan_units u ON u.registration_id = r.id WHERE p.centre_id = ? GROUP BY r.id")


def measure(db, kb, engine: str) -> float:
    populate(db, kb, random.Random(5))
    db["people"].insert({"id": "console:manager", "name": "Mo Manager", "role": "manager", "centre_id": 1,
                         "created_at": NOW.isoformat()})
    # Planner statistics, as autovacuum (PostgreSQL) or a long-lived store would have them.
    db.execute("ANALYZE")
    dialogue = make_dialogue(kb, db, clock=lambda: NOW)
    floors = []
    for _ in range(7):
        started = time.perf_counter()
        db.execute(FLOOR_SQL, [1])
        floors.append((time.perf_counter() - started) * 1000)
    floor = statistics.median(floors)
    print(f"{engine}: floor (one aggregate over the centre's plans) median {floor:.1f} ms")
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
        print(f"{engine}: {question!r:58} median {median:6.1f} ms  max {max(samples):6.1f} ms  "
              f"ratio {median / floor:4.1f}×")
    return worst


def main(argv: list[str]) -> int:
    kb = load_kb()
    engines = argv or ["sqlite", "postgresql"]
    ok = True
    if "sqlite" in engines:
        with tempfile.TemporaryDirectory() as tmp:
            db = open_store(Path(tmp) / "bench.db")
            worst = measure(db, kb, "sqlite")
            db.close()
        ok = report(worst, "sqlite") and ok
    if "postgresql" in engines:
        from tests.pg_server import PgServer, binaries

        if binaries() is None:
            print("postgresql: not installed here — the PostgreSQL cohort benchmark is left out")
        else:
            server = PgServer(binaries()).start()
            try:
                server.admin("CREATE DATABASE bench")
                db = open_store(server.url("bench"))
                worst = measure(db, kb, "postgresql")
                db.close()
            finally:
                server.remove()
            ok = report(worst, "postgresql") and ok
    return 0 if ok else 1


def report(worst: float, engine: str) -> bool:
    ok = worst <= TARGET_MS
    print(f"{engine}: {'meets' if ok else 'MISSES'} the target (≤ {TARGET_MS:.0f} ms each) for a centre of 10,000 "
          f"learners (worst median {worst:.1f} ms)")
    return ok


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
