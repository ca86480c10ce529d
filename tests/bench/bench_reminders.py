"""Reminder dispatch benchmark (``make bench``): sweeps over a large centre group's automatic reminders
(expiry warnings, target nudges, check-ins, tutor digests).

* SQLite, 100,000 learners: one sweep (target ≤ 5 s).
* PostgreSQL, 1,000,000 learners (a server the benchmark starts, like the tests' one): one sweep with one
  dispatcher (target ≤ 30 s), and the same reminders delivered by one dispatcher and by two at once
  (target: two faster, median of three runs, nothing delivered twice).

Each time is printed beside its floor, measured in the same run on the same engine — a bare SELECT of the
rows the sweep handled — and the ratio, which moves far less than the times on a shared machine.
``python -m tests.bench.bench_reminders [sqlite|postgresql]`` runs one engine; no argument, both (the
PostgreSQL half is left out, saying so, where PostgreSQL isn't installed).
"""

from __future__ import annotations

import multiprocessing
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.db import Database
from bot.records.registration import expiry
from bot.reminders.dispatch import MAX_PER_SWEEP, Delivery, dispatch_due
from bot.store import open_store
from knowledge.kb import KnowledgeBase, load_kb

LEARNERS = {"sqlite": 100_000, "postgresql": 1_000_000}
TARGET_SECONDS = {"sqlite": 5.0, "postgresql": 30.0}
LEARNERS_PER_TUTOR = 20
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)     # a Monday morning: digests are due too
RUNS = 3


class NullSender:
    """Delivers instantly (the platforms are not what is measured), remembering what it was given."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.lock = threading.Lock()

    def deliver(self, person_id, reply, key) -> Delivery:
        with self.lock:
            self.keys.append(key)
        return Delivery("sent")


def rows(kb: KnowledgeBase, learners: int, rng: random.Random) -> dict[str, list[dict]]:
    quals = [q for q in kb.qualifications.values() if q.mandatory_units]
    people, regs, plans, links = [], [], [], []
    for t in range(learners // LEARNERS_PER_TUTOR):
        people.append({"id": f"console:tutor{t}", "name": f"Tutor {t}", "role": "tutor", "centre_id": 1,
                       "created_at": NOW.isoformat(), "last_active_at": NOW.isoformat()})
    people.append({"id": "console:manager", "name": "Manager", "role": "manager", "centre_id": 1,
                   "created_at": NOW.isoformat(), "last_active_at": None})
    for n in range(learners):
        pid = f"console:learner{n}"
        q = rng.choice(quals)
        registered = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 1000))
        expires = expiry(kb, q.id, registered)
        active = NOW - timedelta(days=rng.randrange(0, 40))          # some have gone quiet
        people.append({"id": pid, "name": f"Learner {n}", "role": "learner", "centre_id": 1,
                       "created_at": NOW.isoformat(), "last_active_at": active.isoformat()})
        regs.append({"id": n + 1, "person_id": pid, "qualification_id": q.id, "registered_on": registered.isoformat(),
                     "expires_on": expires.isoformat() if expires else None, "status": "active"})
        for i, unit in enumerate(q.mandatory_units):
            target = (NOW.date() + timedelta(days=rng.randrange(-30, 120))).isoformat() if i == 0 else None
            plans.append({"registration_id": n + 1, "unit_code": unit, "mandatory": 1, "target_date": target,
                          "added_at": NOW.isoformat()})
        links.append({"tutor_id": f"console:tutor{n // LEARNERS_PER_TUTOR}", "learner_id": pid})
    return {"people": people, "registrations": regs, "plan_units": plans, "tutor_learners": links}


def populate(db: Database, kb: KnowledgeBase, learners: int, rng: random.Random, url: str | None = None) -> None:
    db["centres"].insert({"id": 1, "name": "Bench"})
    data = rows(kb, learners, rng)
    if url is not None:
        _copy_in(url, data)
        return
    with db.atomic():
        for table, items in data.items():
            db[table].insert_all(items, batch_size=5000)


def _copy_in(url: str, data: dict[str, list[dict]]) -> None:
    """PostgreSQL's COPY for loading a million learners (setup, not measured)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for table, items in data.items():
            columns = list(items[0])
            with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for item in items:
                    copy.write_row([item[c] for c in columns])
        conn.execute("ANALYZE")


def floor(db: Database, created_since: str) -> float:
    """A bare SELECT of the occurrences the sweep handled, on the same engine: the least a sweep could cost."""
    started = time.perf_counter()
    found = db.execute("SELECT * FROM reminder_occurrences WHERE send_after <= ? AND key >= ?",
                       [NOW.isoformat(), created_since]).rows
    assert found
    return time.perf_counter() - started


def one_sweep(db: Database, kb: KnowledgeBase, engine: str) -> float:
    started = time.perf_counter()
    sender = NullSender()
    report = dispatch_due(db, kb, sender, NOW)
    elapsed = time.perf_counter() - started
    bare = floor(db, "")
    print(f"{engine}: first sweep over {LEARNERS[engine]:,} learners: {elapsed:.2f} s — created "
          f"{report.created:,}, sent {report.sent:,} (at most {MAX_PER_SWEEP:,} a sweep); floor (SELECT of those "
          f"rows) {bare * 1000:.0f} ms; ratio {elapsed / bare:.0f}×")
    return elapsed


def _dispatcher(url: str, n: int, deliveries: int, delivered: Any, ready: Any, start: Any, out: Any) -> None:
    """One dispatcher process, as ``assessbot serve`` runs one: sweeps a minute apart (on its clock)
    until the dispatchers together have delivered ``deliveries``."""
    kb = load_kb()
    db = open_store(url)
    sender = NullSender()
    ready.put(n)
    start.wait()
    moment = NOW
    while delivered.value < deliveries:
        moment += timedelta(minutes=1)
        before = len(sender.keys)
        dispatch_due(db, kb, sender, moment, worker=f"d{n}")
        with delivered.get_lock():
            delivered.value += len(sender.keys) - before
    db.close()
    out.put(sender.keys)


def drain(url: str, dispatchers: int, deliveries: int) -> tuple[float, Counter[str]]:
    """Wall time for ``dispatchers`` processes, sweeping side by side, to deliver ``deliveries`` reminders.
    Processes, not threads: two serve processes are what runs at scale (and Python threads share a core)."""
    context = multiprocessing.get_context("spawn")
    delivered, ready, start, out = context.Value("i", 0), context.Queue(), context.Event(), context.Queue()
    processes = [context.Process(target=_dispatcher, args=(url, n, deliveries, delivered, ready, start, out))
                 for n in range(dispatchers)]
    for p in processes:
        p.start()
    for _ in processes:
        ready.get()                        # every process has loaded the KB and opened its store
    started = time.perf_counter()
    start.set()
    keys = [out.get() for _ in processes]
    elapsed = time.perf_counter() - started
    for p in processes:
        p.join()
    return elapsed, Counter(k for part in keys for k in part)


def bench_sqlite(kb: KnowledgeBase) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_store(Path(tmp) / "bench.db")
        started = time.perf_counter()
        populate(db, kb, LEARNERS["sqlite"], random.Random(11))
        print(f"sqlite: populated {LEARNERS['sqlite']:,} learners in {time.perf_counter() - started:.1f} s")
        worst = one_sweep(db, kb, "sqlite")
        moment, sweeps = NOW, 1
        while db.execute("SELECT count(*) FROM reminder_occurrences WHERE status = 'pending' AND send_after <= ?",
                         [NOW.isoformat()]).fetchone()[0] and sweeps < 50:
            moment += timedelta(minutes=1)
            started = time.perf_counter()
            dispatch_due(db, kb, NullSender(), moment)
            worst = max(worst, time.perf_counter() - started)
            sweeps += 1
        print(f"sqlite: everything due delivered after {sweeps} sweeps a minute apart; slowest sweep {worst:.2f} s")
        db.close()
    ok = worst <= TARGET_SECONDS["sqlite"]
    print(f"{'meets' if ok else 'MISSES'} the target: a sweep over {LEARNERS['sqlite']:,} learners on SQLite "
          f"≤ {TARGET_SECONDS['sqlite']:.0f} s (worst {worst:.2f} s)")
    return ok


def bench_postgresql(kb: KnowledgeBase) -> bool:
    from tests.pg_server import PgServer, binaries

    folder = binaries()
    if folder is None:
        print("postgresql: not installed here — the PostgreSQL benchmark is left out (install `postgresql`)")
        return True
    server = PgServer(folder).start()
    try:
        server.admin("CREATE DATABASE populated")
        db = open_store(server.url("populated"))
        started = time.perf_counter()
        populate(db, kb, LEARNERS["postgresql"], random.Random(11), url=server.url("populated"))
        print(f"postgresql: populated {LEARNERS['postgresql']:,} learners in {time.perf_counter() - started:.1f} s")
        db.close()
        firsts, ones, twos = [], [], []
        for run in range(RUNS):
            server.admin(f"CREATE DATABASE first{run} TEMPLATE populated STRATEGY FILE_COPY")
            db = open_store(server.url(f"first{run}"))
            firsts.append(one_sweep(db, kb, "postgresql"))
            db.close()
        # The same backlog — what the first sweep made due, less what it sent — delivered by one dispatcher
        # and by two (processes), each from a copy of the state after the first sweep.
        server.admin("CREATE DATABASE swept TEMPLATE first0 STRATEGY FILE_COPY")
        deliveries = 2 * MAX_PER_SWEEP
        for run in range(RUNS):
            for n, out in ((1, ones), (2, twos)):
                name = f"d{n}_{run}"
                server.admin(f"CREATE DATABASE {name} TEMPLATE swept STRATEGY FILE_COPY")
                elapsed, delivered = drain(server.url(name), n, deliveries)
                twice = [k for k, c in delivered.items() if c > 1]
                assert not twice, f"delivered twice: {twice[:5]}"
                # Sweeps come whole (each up to MAX_PER_SWEEP): compare reminders delivered per second.
                rate = sum(delivered.values()) / elapsed
                out.append(rate)
                print(f"postgresql: {n} dispatcher{'s' if n > 1 else ''}: {sum(delivered.values()):,} reminders in "
                      f"{elapsed:.2f} s ({rate:,.0f} a second), none twice")
    finally:
        server.remove()
    first, one, two = statistics.median(firsts), statistics.median(ones), statistics.median(twos)
    ok = first <= TARGET_SECONDS["postgresql"] and two > one
    print(f"{'meets' if ok else 'MISSES'} the targets: a first sweep over {LEARNERS['postgresql']:,} learners on "
          f"PostgreSQL ≤ {TARGET_SECONDS['postgresql']:.0f} s (median {first:.2f} s); two dispatchers faster than "
          f"one (medians {two:,.0f} and {one:,.0f} reminders a second)")
    return ok


def main(argv: list[str]) -> int:
    kb = load_kb()
    engines = argv or ["sqlite", "postgresql"]
    ok = True
    if "sqlite" in engines:
        ok = bench_sqlite(kb) and ok
    if "postgresql" in engines:
        ok = bench_postgresql(kb) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
