"""The dispatcher: one sweep materialises what is due, claims it atomically and delivers it once.

Exactly once across restarts and parallel dispatchers (threads, processes, machines): an occurrence is
claimed with one ``UPDATE … RETURNING`` (status pending → sending) so two dispatchers never get the same
row — on PostgreSQL its inner SELECT takes the rows ``FOR UPDATE SKIP LOCKED``, so concurrent claims
split the due rows between them instead of queueing; a claim whose dispatcher died is released after
``LEASE`` and claimed again.

Killed mid-sweep (``kill -9``), a dispatcher leaves three kinds of rows: claimed but not yet tried
(``sending``: released after the lease and delivered by another dispatcher), delivered (recorded ``sent``
every ``RECORD_EVERY`` deliveries, and stamped ``attempted_at`` just before each one — one small write,
which leaves the status index alone), and at most the one it was sending when it died. A stamped row past
its lease may or may not have reached the person: it becomes ``interrupted`` and is never sent again — a
reminder sent twice is the promise broken; one that may not have arrived is logged. A live dispatcher
renews its lease as it goes, and sends nothing whose claim it no longer holds. Nothing is ever sent
while the person is paused or opted out; quiet hours and preferences move an occurrence later,
within the time it is still worth sending.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot.db import Database
from bot.reminders.hours import DEFAULT_TIMEZONE, Prefs, is_bank_holiday, next_allowed, prefs_from_row
from bot.reminders.occurrences import Sweep, materialise
from bot.types import Reply
from knowledge.kb import KnowledgeBase

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH = 2000
RECORD_EVERY = 50           # deliveries between writing their outcomes (and renewing the lease)
# At most this many occurrences are handled by one sweep of one dispatcher; the rest wait for the next tick
# (or another dispatcher). Slack and Teams accept a few messages a second per conversation, so a burst of
# tens of thousands goes out over minutes anyway, and a bounded sweep keeps its lease meaningful.
MAX_PER_SWEEP = 20_000
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Delivery:
    """What a sender reports: ``sent``, ``retry`` (try again later) or ``permanent`` (give up).

    ``identity`` names the platform identity it used; a permanent failure there (the person left the
    workspace) marks that identity inactive, so senders stop choosing it.
    """

    status: str
    detail: str = ""
    identity: str | None = None


class Sender(Protocol):
    """Delivers a reminder to a person on their platform (console, Slack, Teams)."""

    def deliver(self, person_id: str, reply: Reply, key: str) -> Delivery:
        """Send ``reply``; ``key`` is the occurrence's idempotency key (adapters may pass it on)."""
        ...


class ConsoleSender:
    """Prints reminders (``assessbot reminders run`` without platforms, and tests)."""

    def __init__(self, out: Any = None):
        self.sent: list[tuple[str, str, str]] = []
        self.out = out

    def deliver(self, person_id: str, reply: Reply, key: str) -> Delivery:
        self.sent.append((person_id, reply.text(), key))
        if self.out is not None:
            print(f"[to {person_id}] {reply.text()}", file=self.out)
        return Delivery("sent")


@dataclass
class SweepReport:
    created: int = 0
    sent: int = 0
    deferred: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    retried: int = 0
    failed: int = 0

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def _utc(moment: datetime) -> str:
    """Fixed-width UTC ISO text, so the store can compare times as strings."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def release_stale_claims(db: Database, now: datetime, lease: timedelta = LEASE) -> None:
    """Claims older than the lease belong to a dispatcher that stopped mid-sweep: the ones it had begun
    become ``interrupted`` (never sent twice); untried ones become pending again."""
    stale = _utc(now.astimezone(UTC) - lease)         # UTC first: see dispatch_due
    for (key,) in db.execute("UPDATE reminder_occurrences SET status = 'interrupted', last_error = 'the dispatcher "
                             "stopped while delivering it: it may not have arrived, and is not sent again' "
                             "WHERE status = 'sending' AND claimed_at < ? AND attempted_at IS NOT NULL RETURNING key",
                             [stale]):
        log.warning("reminder %s was being delivered when its dispatcher stopped; not sent again", key)
    db.execute("UPDATE reminder_occurrences SET status = 'pending', claimed_by = NULL WHERE status = 'sending' "
               "AND claimed_at < ?", [stale])


def claim(db: Database, now: datetime, worker: str, limit: int = BATCH) -> list[dict[str, Any]]:
    """Atomically take up to ``limit`` due occurrences for this worker."""
    at = _utc(now)
    # ``status = 'pending'`` outside as well: a row whose lock was waited for is re-checked against it.
    rows = list(db.query(
        "UPDATE reminder_occurrences SET status = 'sending', claimed_by = ?, claimed_at = ? "
        "WHERE status = 'pending' AND key IN (SELECT key FROM reminder_occurrences WHERE status = 'pending' "
        "AND send_after <= ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY send_after "
        f"LIMIT ?{db.dialect.skip_locked}) RETURNING *", [worker, at, at, at, limit]))
    # RETURNING follows no order on either engine; deliver oldest first, ties by key, so one sweep is repeatable.
    rows.sort(key=lambda row: (str(row["send_after"]), row["key"]))
    return rows


def _prefs(db: Database, people: Iterable[str], default_timezone: str) -> dict[str, Prefs]:
    ids = list(set(people))
    rows: dict[str, dict] = {}
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        marks = ",".join("?" * len(part))
        for row in db.query(f"SELECT * FROM reminder_prefs WHERE person_id IN ({marks})", part):
            rows[row["person_id"]] = row
    return {p: prefs_from_row(rows.get(p), default_timezone) for p in ids}


def _decide(occurrence: dict[str, Any], prefs: Prefs, now: datetime) -> tuple[str, datetime | None]:
    """("send"|"defer"|skip reason, defer-until) for one claimed occurrence."""
    valid_until = datetime.fromisoformat(occurrence["valid_until"]) if occurrence.get("valid_until") else None
    if prefs.opted_out:
        return "opted out", None
    if valid_until is not None and now > valid_until:
        return "no longer relevant", None
    local_today = now.astimezone(prefs.zone).date()
    if prefs.paused_on(local_today) and occurrence["kind"] != "notice":   # a notice tells of the pause itself
        # A daily or weekly reminder missed during a pause is simply not sent (the next one comes);
        # one-off and automatic ones wait for the pause to end while they still matter.
        resume = datetime.combine(prefs.paused_until, datetime.min.time(), prefs.zone)  # type: ignore[arg-type]
        if occurrence["kind"] == "recurring" or (valid_until is not None and resume > valid_until):
            return "paused", None
        return "defer", resume
    allowed = next_allowed(prefs, now, bool(occurrence["urgent"]))
    if allowed is None or (valid_until is not None and allowed > valid_until):
        return "outside the person's hours", None
    if not occurrence["urgent"] and is_bank_holiday(allowed.astimezone(prefs.zone).date()):
        return "bank holiday", None
    if allowed > now:
        return "defer", allowed
    return "send", None


def dispatch_due(db: Database, kb: KnowledgeBase, sender: Sender, now: datetime, worker: str = "w1",
                 default_timezone: str = DEFAULT_TIMEZONE, lease: timedelta = LEASE) -> SweepReport:
    """One sweep: materialise, claim in batches, decide, deliver, record. Safe to run concurrently."""
    # In UTC from here: arithmetic on an aware local time is wall-clock arithmetic, so on the night the clocks go
    # back "the lease ago" would land an hour early and a dead dispatcher's claims would never look stale.
    now = now.astimezone(UTC)
    with db.session():          # one connection for the sweep's thousands of statements
        return _sweep(db, kb, sender, now, worker, default_timezone, lease)


def _sweep(db: Database, kb: KnowledgeBase, sender: Sender, now: datetime, worker: str, default_timezone: str,
           lease: timedelta) -> SweepReport:
    report = SweepReport()
    report.created = materialise(Sweep(db, kb, now, default_timezone))
    release_stale_claims(db, now, lease)
    started = renewed = time.monotonic()
    handled = 0

    def clock() -> str:
        # The sweep's clock moved on by the time it has taken: claims are renewed in its terms.
        return _utc(now + timedelta(seconds=time.monotonic() - started))
    while handled < MAX_PER_SWEEP:
        batch = claim(db, now, worker, min(BATCH, MAX_PER_SWEEP - handled))
        if not batch:
            break
        handled += len(batch)
        prefs = _prefs(db, (o["person_id"] for o in batch), default_timezone)
        updates: list[tuple[str, dict[str, Any]]] = []
        delivered = 0
        for occurrence in batch:
            verdict, until = _decide(occurrence, prefs[occurrence["person_id"]], now)
            if verdict == "defer":
                report.deferred += 1
                updates.append((occurrence["key"], {"status": "pending", "claimed_by": None,
                                                    "send_after": _utc(until)}))  # type: ignore[arg-type]
                continue
            if verdict != "send":
                report.skip(verdict)
                updates.append((occurrence["key"], {"status": "skipped", "last_error": verdict}))
                continue
            # Write-ahead: marked as being delivered, while the claim is still this dispatcher's.
            if db.execute("UPDATE reminder_occurrences SET attempted_at = ? WHERE key = ? AND claimed_by = ? "
                          "AND status = 'sending'", [clock(), occurrence["key"], worker]).rowcount != 1:
                report.skip("claim lost")
                continue
            values, gone = _deliver(sender, occurrence, now, report)
            updates.append((occurrence["key"], values))
            if gone:
                log.warning("identity %s can no longer be reached; marked inactive", gone)
                db.execute("UPDATE identities SET active = 0 WHERE id = ?", [gone])
            delivered += 1
            if delivered % RECORD_EVERY == 0:
                # The lease is renewed a few times within its length, not with every record.
                renew = time.monotonic() - renewed > lease.total_seconds() / 4
                _record(db, updates, worker, clock() if renew else None)
                renewed = time.monotonic() if renew else renewed
                updates = []
        _record(db, updates, worker, None)
    return report


def _record(db: Database, updates: list[tuple[str, dict[str, Any]]], worker: str, renew_at: str | None) -> None:
    """Write the outcomes, one executemany per shape of update (most are "sent"), and (``renew_at``)
    renew this dispatcher's lease on the rest of its claim."""
    shapes: dict[tuple[str, ...], list[list[Any]]] = {}
    for key, values in updates:
        shapes.setdefault(tuple(values), []).append([*values.values(), key])
    with db.atomic():
        # Plain UPDATEs: a write first keeps a concurrent dispatcher waiting, not failing.
        for columns, rows in shapes.items():
            assignments = ", ".join(f"{column} = ?" for column in columns)
            db.executemany(f"UPDATE reminder_occurrences SET {assignments} WHERE key = ?", rows)
        if renew_at:
            db.execute("UPDATE reminder_occurrences SET claimed_at = ? WHERE claimed_by = ? AND status = 'sending'",
                       [renew_at, worker])


def _deliver(sender: Sender, occurrence: dict[str, Any], now: datetime,
             report: SweepReport) -> tuple[dict[str, Any], str | None]:
    """Deliver one occurrence: (values to record, an identity that turned out to be gone)."""
    reply = Reply("answer", "reminder", paragraphs=[occurrence["text"]])
    try:
        delivery = sender.deliver(occurrence["person_id"], reply, occurrence["key"])
    except Exception as exc:          # a sender bug must not stop the sweep
        log.exception("sender failed for %s", occurrence["key"])
        delivery = Delivery("retry", repr(exc))
    attempts = occurrence["attempts"] + 1
    if delivery.status == "sent":
        report.sent += 1
        return {"status": "sent", "sent_at": _utc(now), "attempts": attempts}, None
    if delivery.status == "retry" and attempts < MAX_ATTEMPTS:
        report.retried += 1
        # Exponential backoff: 1, 2, 4 … minutes, at most six hours.
        wait = min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=6))
        return {"status": "pending", "claimed_by": None, "attempted_at": None, "attempts": attempts,
                "next_attempt_at": _utc(now + wait), "last_error": delivery.detail}, None
    report.failed += 1
    log.warning("giving up on %s: %s", occurrence["key"], delivery.detail)
    gone = delivery.identity if delivery.status == "permanent" else None
    return {"status": "failed", "attempts": attempts, "last_error": delivery.detail or delivery.status}, gone


def due(db: Database, kb: KnowledgeBase, now: datetime, default_timezone: str = DEFAULT_TIMEZONE) -> list[dict]:
    """Occurrences due at or before ``now`` and not yet sent (after materialising), oldest first."""
    materialise(Sweep(db, kb, now, default_timezone))
    # Past their useful life, they will be skipped rather than sent: not "due".
    return list(db.query("SELECT * FROM reminder_occurrences WHERE status IN ('pending', 'sending') "
                         "AND send_after <= ? AND (valid_until IS NULL OR valid_until >= ?) ORDER BY send_after, key",
                         [_utc(now), _utc(now)]))


def upcoming(db: Database, person_id: str, now: datetime, limit: int) -> list[tuple[datetime, str]]:
    """The next occurrences queued for a person (send time in UTC, text), soonest first."""
    return [(datetime.fromisoformat(at), text) for at, text in db.execute(
        "SELECT send_after, text FROM reminder_occurrences WHERE person_id = ? AND status = 'pending' "
        "AND send_after >= ? ORDER BY send_after LIMIT ?", [person_id, _utc(now), limit])]
