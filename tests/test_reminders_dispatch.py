"""The dispatcher with an injected clock: exactly once, in people's hours, across restarts and in parallel."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.records.registration import enrol
from bot.reminders.dispatch import LEASE, ConsoleSender, Delivery, claim, dispatch_due
from bot.reminders.hours import Prefs, Window, load_prefs, next_allowed, save_prefs
from bot.reminders.rules import create_rule
from bot.store import open_store

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

LONDON = ZoneInfo("Europe/London")
START = datetime(2024, 1, 15, 10, 0, tzinfo=UTC)


def _people(db, now: datetime) -> None:
    centre = db["centres"].insert({"name": "Reading cluster"}).last_pk
    for pid, role in (("console:lee", "learner"), ("console:tess", "tutor"), ("console:mo", "manager")):
        db["people"].insert({"id": pid, "name": pid.split(":")[1].title(), "role": role, "centre_id": centre,
                             "created_at": now.isoformat(), "last_active_at": now.isoformat()})
    db["tutor_learners"].insert({"tutor_id": "console:tess", "learner_id": "console:lee"})


@pytest.fixture
def db(store):
    return store


def _keys(sender: ConsoleSender) -> list[str]:
    return [key for _, _, key in sender.sent]


def test_three_years_every_expiry_warning_exactly_once(db, kb) -> None:
    _people(db, START)
    enrol(db, kb, "console:lee", "l5-sbl-diploma", START.date(), START, "test")
    sender = ConsoleSender()
    moment = START
    while moment < START + timedelta(days=3 * 366):
        # Keep the learner active so only expiry warnings (and digests) are in play.
        db.execute("UPDATE people SET last_active_at = ?", [moment.isoformat()])
        for hour in (7, 13):                         # one sweep in quiet hours, one in the day
            dispatch_due(db, kb, sender, moment.replace(hour=hour))
        moment += timedelta(days=1)
    expiry = Counter(k for k in _keys(sender) if k.startswith("expiry:"))
    assert all(n == 1 for n in expiry.values()), expiry
    assert sorted(expiry) == sorted(
        [f"expiry:1:{d}:console:lee" for d in (180, 90, 30, 7)]
        + [f"expiry:1:{d}:console:tess" for d in (180, 90, 30, 7)]
        + [f"expiry:1:{d}:console:mo" for d in (30, 7)])
    learner_texts = [t for p, t, k in sender.sent if p == "console:lee" and k.startswith("expiry:")]
    assert all("15 January 2027" in t for t in learner_texts)
    assert all("51 of the 51 criteria" in t for t in learner_texts)       # what is left
    digests = [k for k in _keys(sender) if k.startswith("digest:")]
    assert len(digests) == len(set(digests)) > 0


def test_warnings_missed_while_down_are_sent_once_and_late_only_while_meaningful(db, kb) -> None:
    _people(db, START)
    enrol(db, kb, "console:lee", "l5-sbl-diploma", START.date(), START, "test")
    sender = ConsoleSender()
    # Down from before the 180-day warning until after the 90-day one: only the 90-day one is sent.
    dispatch_due(db, kb, sender, datetime(2026, 11, 1, 10, 0, tzinfo=UTC))
    assert _keys(sender).count("expiry:1:90:console:lee") == 1
    assert "expiry:1:180:console:lee" not in _keys(sender)


def test_weekly_reminder_keeps_local_time_across_the_clock_change(db, kb) -> None:
    _people(db, START)
    created = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    create_rule(db, "console:lee", "person", "console:lee", {"type": "weekly", "weekday": 0, "time": "09:00"},
                "work on my portfolio", created)
    sender = ConsoleSender()
    sent_at = []
    moment = created
    while moment < datetime(2027, 4, 10, tzinfo=UTC):
        before = len(sender.sent)
        dispatch_due(db, kb, sender, moment)
        if len(sender.sent) > before:
            sent_at.append(moment)
        moment += timedelta(minutes=30)
    local_times = {m.astimezone(LONDON).strftime("%a %H:%M") for m in sent_at}
    assert local_times == {"Mon 09:00"}                     # GMT and BST alike
    assert {m.strftime("%H:%M") for m in sent_at} == {"09:00", "08:00"}   # UTC shifts by the hour


def test_quiet_hours_defer_to_the_morning(db, kb) -> None:
    _people(db, START)
    created = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    create_rule(db, "console:lee", "person", "console:lee", {"type": "once", "at": "2026-11-20T22:30"},
                "email my tutor", created)
    sender = ConsoleSender()
    report = dispatch_due(db, kb, sender, datetime(2026, 11, 20, 22, 31, tzinfo=UTC))
    assert report.deferred == 1 and not sender.sent
    dispatch_due(db, kb, sender, datetime(2026, 11, 21, 7, 59, tzinfo=UTC))
    assert not sender.sent
    dispatch_due(db, kb, sender, datetime(2026, 11, 21, 8, 0, tzinfo=UTC))
    assert [t for _, t, _ in sender.sent] == ["email my tutor"]


def test_preferences_school_day_and_sunday_mornings() -> None:
    school_day = Prefs(blocked=[Window((0, 1, 2, 3, 4), datetime.min.time().replace(hour=8, minute=30),
                                       datetime.min.time().replace(hour=15, minute=30))])
    tuesday_ten = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
    assert next_allowed(school_day, tuesday_ten) == datetime(2026, 11, 24, 15, 30, tzinfo=LONDON)
    sundays = Prefs(allowed=[Window((6,), datetime.min.time().replace(hour=8), datetime.min.time().replace(hour=12))])
    assert next_allowed(sundays, tuesday_ten) == datetime(2026, 11, 29, 8, 0, tzinfo=LONDON)


def test_bank_holidays_skip_non_urgent_reminders(db, kb) -> None:
    _people(db, START)
    created = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)
    create_rule(db, "console:lee", "person", "console:lee", {"type": "weekly", "weekday": 0, "time": "09:00"},
                "portfolio", created)
    sender = ConsoleSender()
    for day in range(0, 30):
        for hour in range(0, 24, 2):
            dispatch_due(db, kb, sender, created + timedelta(days=day, hours=hour))
    import re

    sent_days = sorted(re.search(r"(\d{4}-\d{2}-\d{2})T", k).group(1) for k in _keys(sender))
    # Easter Monday (29 March 2027) is skipped; the Mondays around it are not.
    assert sent_days == ["2027-03-22", "2027-04-05", "2027-04-12", "2027-04-19"]


def test_nothing_is_sent_while_paused_or_opted_out(db, kb) -> None:
    _people(db, START)
    created = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    create_rule(db, "console:lee", "person", "console:lee", {"type": "daily", "time": "09:00"}, "daily", created)
    prefs = load_prefs(db, "console:lee")
    prefs.paused_until = date(2026, 12, 5)
    save_prefs(db, "console:lee", prefs)
    sender = ConsoleSender()
    for day in range(1, 8):
        dispatch_due(db, kb, sender, datetime(2026, 12, day, 9, 5, tzinfo=UTC))
    assert [k[-16:-6] for k in _keys(sender)] == ["2026-12-05", "2026-12-06", "2026-12-07"]
    prefs.opted_out = True
    save_prefs(db, "console:lee", prefs)
    before = len(sender.sent)
    for day in range(8, 12):
        dispatch_due(db, kb, sender, datetime(2026, 12, day, 9, 5, tzinfo=UTC))
    assert len(sender.sent) == before


def test_a_restart_mid_dispatch_neither_duplicates_nor_loses(new_store, kb) -> None:
    db = new_store("r")
    _people(db, START)
    now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    for n in range(5):
        create_rule(db, "console:lee", "person", "console:lee", {"type": "once", "at": "2026-11-20T09:30"},
                    f"note {n}", now - timedelta(days=1))
    dispatch_due(db, kb, ConsoleSender(), now - timedelta(days=1))    # nothing due yet
    from bot.reminders.occurrences import Sweep, materialise

    materialise(Sweep(db, kb, now))
    claimed = claim(db, now, "crashing-worker")                     # then the process dies
    assert len(claimed) == 5
    db.close()
    db = new_store("r")                                             # restart
    sender = ConsoleSender()
    dispatch_due(db, kb, sender, now + timedelta(minutes=1))        # claim still leased: not resent
    assert sender.sent == []
    dispatch_due(db, kb, sender, now + LEASE + timedelta(minutes=1))
    assert sorted(t for _, t, _ in sender.sent) == [f"note {n}" for n in range(5)]
    dispatch_due(db, kb, sender, now + LEASE + timedelta(minutes=2))
    assert len(sender.sent) == 5


def test_two_dispatchers_in_parallel_send_each_reminder_once(store_target, kb) -> None:
    path = store_target("p")
    db = open_store(path)
    _people(db, START)
    created = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    for n in range(60):
        create_rule(db, "console:lee", "person", "console:lee", {"type": "once", "at": "2026-11-20T10:00"},
                    f"note {n}", created)
    db.close()
    now = datetime(2026, 11, 20, 10, 5, tzinfo=UTC)
    senders = [ConsoleSender(), ConsoleSender()]
    errors: list[BaseException] = []

    def run(sender: ConsoleSender, worker: str) -> None:
        try:
            own = open_store(path)
            dispatch_due(own, kb, sender, now, worker=worker)
            own.close()
        except BaseException as exc:   # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s, f"w{i}")) for i, s in enumerate(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    texts = [t for s in senders for _, t, _ in s.sent]
    assert sorted(texts) == sorted(f"note {n}" for n in range(60))          # all, and none twice


class Flaky:
    """Fails the first ``fails`` deliveries temporarily, then succeeds; or fails permanently."""

    def __init__(self, fails: int = 0, permanent: bool = False):
        self.fails, self.permanent, self.calls = fails, permanent, 0

    def deliver(self, person_id, reply, key) -> Delivery:
        self.calls += 1
        if self.permanent:
            return Delivery("permanent", "account_inactive", identity="slack:ULEE")
        if self.calls <= self.fails:
            return Delivery("retry", "timeout")
        return Delivery("sent")


def test_retry_with_backoff_and_give_up_on_permanent_failure(db, kb) -> None:
    _people(db, START)
    created = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    create_rule(db, "console:lee", "person", "console:lee", {"type": "once", "at": "2026-11-20T10:00"}, "hi",
                created)
    flaky = Flaky(fails=2)
    now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert dispatch_due(db, kb, flaky, now).retried == 1
    assert dispatch_due(db, kb, flaky, now + timedelta(seconds=30)).retried == 0     # backing off
    assert dispatch_due(db, kb, flaky, now + timedelta(minutes=1)).retried == 1
    assert dispatch_due(db, kb, flaky, now + timedelta(minutes=4)).sent == 1
    create_rule(db, "console:lee", "person", "console:lee", {"type": "once", "at": "2026-11-20T11:00"}, "gone",
                created)
    db["identities"].insert({"id": "slack:ULEE", "person_id": "console:lee", "platform": "slack", "active": 1,
                             "created_at": created.isoformat()})
    gone = Flaky(permanent=True)
    assert dispatch_due(db, kb, gone, datetime(2026, 11, 20, 11, 0, tzinfo=UTC)).failed == 1
    assert db["identities"].get("slack:ULEE")["active"] == 0
    assert dispatch_due(db, kb, gone, datetime(2026, 11, 20, 12, 0, tzinfo=UTC)).failed == 0
    assert gone.calls == 1                                                      # not retried for ever


class _Killed(BaseException):
    """The process dying: nothing after it runs, nothing is rolled back that was already committed."""


class DiesAfter:
    """Delivers ``n`` reminders, the last of which reaches the person just before the process is killed."""

    def __init__(self, n: int):
        self.n, self.sent = n, []

    def deliver(self, person_id, reply, key) -> Delivery:
        self.sent.append(key)
        if len(self.sent) == self.n:
            raise _Killed
        return Delivery("sent")


def test_a_dispatcher_killed_mid_sweep_leaves_nothing_to_send_twice(store, kb) -> None:
    from bot.reminders.dispatch import RECORD_EVERY

    _people(store, START)
    created = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    for n in range(200):
        create_rule(store, "console:lee", "person", "console:lee", {"type": "once", "at": "2026-11-20T10:00"},
                    f"note {n}", created)
    now = datetime(2026, 11, 20, 10, 5, tzinfo=UTC)
    dying = DiesAfter(RECORD_EVERY * 2 + 20)
    with pytest.raises(_Killed):
        dispatch_due(store, kb, dying, now, worker="a")
    # Within the lease the other dispatcher leaves the dead one's claim alone …
    other = ConsoleSender()
    dispatch_due(store, kb, other, now + timedelta(minutes=1), worker="b")
    assert other.sent == []
    # … after it, delivers what was never tried, and nothing the dead one had begun.
    dispatch_due(store, kb, other, now + LEASE + timedelta(minutes=1), worker="b")
    again = {key for _, _, key in other.sent}
    assert not again & set(dying.sent)
    assert len(again) + len(dying.sent) == 200
    statuses = Counter(r["status"] for r in store.query("SELECT status FROM reminder_occurrences "
                                                          "WHERE kind = 'custom'"))
    # Recorded as it went (every RECORD_EVERY), the rest of what it delivered can't be told from the one
    # in flight: "interrupted", never resent.
    assert statuses == {"sent": RECORD_EVERY * 2 + (200 - len(dying.sent)), "interrupted": 20}


def test_the_night_the_clocks_go_back_a_dead_dispatchers_claim_is_taken_over_after_the_lease(store, kb) -> None:
    # `serve` gives the dispatcher London time. At 01:30 GMT on 31 October 2027 (the second 01:30 of the night)
    # "the lease ago", worked out on the wall clock, would be an hour early: the claim would never go stale.
    _people(store, START)
    save_prefs(store, "console:lee", Prefs(quiet_start=time(12, 0), quiet_end=time(13, 0)))   # awake at night
    created = datetime(2027, 10, 30, 22, 0, tzinfo=UTC)
    for n in range(40):
        create_rule(store, "console:lee", "person", "console:lee", {"type": "once", "at": "2027-10-31T00:30"},
                    f"note {n}", created, urgent=True)
    moment = datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    assert moment.astimezone(LONDON).fold == 1                  # the clocks have gone back
    dying = DiesAfter(5)
    with pytest.raises(_Killed):
        dispatch_due(store, kb, dying, moment.astimezone(LONDON), worker="a")
    other = ConsoleSender()
    dispatch_due(store, kb, other, (moment + LEASE + timedelta(minutes=1)).astimezone(LONDON), worker="b")
    assert len(other.sent) + len(dying.sent) == 40                # each delivered once, by one of the two
    assert not {key for _, _, key in other.sent} & set(dying.sent)
