"""Occurrences: what is due to whom, computed from custom rules and from learners' records.

Each occurrence has an idempotency key and is inserted with ON CONFLICT DO NOTHING, so any number of
sweeps — in one process or several — create it once. Automatic reminders:
- registration expiry 180, 90, 30 and 7 days before (learner and tutors; managers at 30 and 7),
- unit target dates 14 and 3 days before, and on the day,
- a friendly check-in after three weeks without activity,
- a weekly tutor digest on Monday morning.
Only the latest threshold that has passed is created, so a learner first seen 40 days before expiry
gets the 90-day warning once — not the 180-day one as well (no bursts after downtime).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.dates import uk_date
from bot.db import Database
from bot.records.cohort import cohort_members
from bot.records.people import get_person
from bot.reminders.digest import digest_texts
from bot.reminders.hours import DEFAULT_TIMEZONE
from bot.reminders.rules import Rule, active_rules, latest_occurrence
from knowledge.kb import KnowledgeBase

EXPIRY_DAYS = (180, 90, 30, 7)
MANAGER_EXPIRY_DAYS = (30, 7)
URGENT_EXPIRY_DAYS = (30, 7)
TARGET_DAYS = (14, 3, 0)
INACTIVE_AFTER = timedelta(days=21)
MORNING = time(9, 0)
DIGEST_AT = time(8, 0)
DIGEST_BATCH = 500
AUTOMATIC_EVERY = timedelta(minutes=10)


@dataclass
class Sweep:
    """One sweep's shared lookups: people's zones and names, loaded once."""

    db: Database
    kb: KnowledgeBase
    now: datetime
    default_timezone: str = DEFAULT_TIMEZONE

    def __post_init__(self) -> None:
        self.zones: dict[str, str] = {r["person_id"]: r["timezone"] for r in self.db.query(
            "SELECT person_id, timezone FROM reminder_prefs WHERE timezone IS NOT NULL")}
        self._zone_cache: dict[str, ZoneInfo] = {}
        self._today: dict[ZoneInfo, date] = {}

    def existing(self, kind: str, since: datetime) -> set[str]:
        """Keys of this kind already created with a due time since ``since``: a sweep skips building
        them again (the insert would drop them anyway; this keeps steady-state sweeps cheap)."""
        since_text = since.astimezone(UTC).replace(microsecond=0).isoformat()
        return {r["key"] for r in self.db.query(
            "SELECT key FROM reminder_occurrences WHERE kind = ? AND due_at >= ?", [kind, since_text])}

    def zone(self, person_id: str) -> ZoneInfo:
        name = self.zones.get(person_id, self.default_timezone)
        if name not in self._zone_cache:
            self._zone_cache[name] = ZoneInfo(name)
        return self._zone_cache[name]

    def today(self, person_id: str) -> date:
        zone = self.zone(person_id)
        if zone not in self._today:          # once per zone, not once per person
            self._today[zone] = self.now.astimezone(zone).date()
        return self._today[zone]


@functools.lru_cache(maxsize=8192)
def _utc_text(moment: datetime) -> str:
    """A moment as stored (UTC, whole seconds). Cached: a sweep at scale writes a million of them, and most
    share a few thousand moments (nine o'clock on an expiry or target day). Equal instants give equal text
    whatever their zone, so the cache can't mix them up."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _row(key: str, person: str, kind: str, due: datetime, valid_until: datetime, text: str, urgent: bool,
         rule_id: int | None = None) -> dict[str, Any]:
    due_utc = _utc_text(due)
    return {"key": key, "rule_id": rule_id, "person_id": person, "kind": kind, "due_at": due_utc,
            "send_after": due_utc, "valid_until": _utc_text(valid_until),
            "text": text, "urgent": int(urgent), "status": "pending", "attempts": 0}


# -- custom rules ---------------------------------------------------------------------------------
def _audience(db: Database, rule: Rule) -> list[str]:
    if rule.audience_kind == "person":
        return [rule.audience_ref]
    if rule.audience_kind in ("tutor_learners", "cohort"):
        if rule.audience_kind == "tutor_learners":
            rows = db.query("SELECT t.learner_id AS id FROM tutor_learners t JOIN registrations r ON r.person_id = "
                            "t.learner_id AND r.status = 'active' WHERE t.tutor_id = ?", [rule.audience_ref])
            learners = [r["id"] for r in rows]
        else:
            # A cohort as it is now (joiners included); a tutor's cohort reminder reaches only their learners.
            owner = get_person(db, rule.owner_id)
            active = {r[0] for r in db.execute("SELECT r.person_id FROM registrations r JOIN people p ON "
                                               "p.id = r.person_id WHERE p.cohort_id = ? AND r.status = 'active'",
                                               [int(rule.audience_ref)])}
            learners = [p for p in cohort_members(db, int(rule.audience_ref), owner) if p in active] if owner else []
        if rule.subject:
            planned = {r["person_id"] for r in db.query(
                "SELECT r.person_id FROM plan_units p JOIN registrations r ON r.id = p.registration_id "
                "WHERE p.unit_code = ?", [rule.subject])}
            learners = [p for p in learners if p in planned]
        excluded = set(rule.schedule.get("exclude", []))
        return [p for p in learners if p not in excluded]
    return []


def custom_occurrences(sweep: Sweep) -> list[dict[str, Any]]:
    out = []
    for rule in active_rules(sweep.db):
        for person in _audience(sweep.db, rule):
            found = latest_occurrence(rule.schedule, sweep.zone(person), rule.created_at, sweep.now)
            if found is None:
                continue
            due, valid_until = found
            key = f"rule:{rule.id}:{person}:{due.strftime('%Y-%m-%dT%H:%M')}"
            kind = "recurring" if rule.schedule["type"] in ("daily", "weekly") else "custom"
            out.append(_row(key, person, kind, due, valid_until, rule.message, rule.urgent, rule.id))
    return out


# -- automatic rules ---------------------------------------------------------------------------------
def _latest_threshold(deadline: date, today: date, thresholds: tuple[int, ...]) -> int | None:
    passed = [n for n in thresholds if deadline - timedelta(days=n) <= today]
    return min(passed) if passed else None


def expiry_occurrences(sweep: Sweep) -> list[dict[str, Any]]:
    db, kb = sweep.db, sweep.kb
    horizon = (sweep.now.date() + timedelta(days=max(EXPIRY_DAYS) + 1)).isoformat()
    rows = db.query(
        "SELECT r.id, r.person_id, r.qualification_id, r.expires_on, p.name, p.centre_id FROM registrations r "
        "JOIN people p ON p.id = r.person_id WHERE r.status = 'active' AND r.expires_on IS NOT NULL "
        "AND r.expires_on >= ? AND r.expires_on <= ? AND p.erased_at IS NULL",
        [(sweep.now.date() - timedelta(days=1)).isoformat(), horizon])
    existing = sweep.existing("expiry", sweep.now - timedelta(days=max(EXPIRY_DAYS) + 2))
    due_now = []
    for reg in rows:
        expires = date.fromisoformat(reg["expires_on"])
        threshold = _latest_threshold(expires, sweep.today(reg["person_id"]), EXPIRY_DAYS)
        if threshold is None or expires < sweep.today(reg["person_id"]):
            continue
        if f"expiry:{reg['id']}:{threshold}:{reg['person_id']}" in existing:
            continue          # this threshold was handled in an earlier sweep
        due_now.append((reg, expires, threshold))
    if not due_now:
        return []
    tutors = _tutors_of(db, [reg["person_id"] for reg, _, _ in due_now])
    managers = _managers(db)
    left = _criteria_left(db, kb, [reg["id"] for reg, _, _ in due_now])
    out = []
    for reg, expires, threshold in due_now:
        learner = reg["person_id"]
        title = kb.qualifications[reg["qualification_id"]].title
        recipients = [(learner, "learner")] + [(t, "tutor") for t in tutors.get(learner, [])]
        if threshold in MANAGER_EXPIRY_DAYS:
            recipients += [(m, "manager") for m in managers.get(reg["centre_id"], [])]
        later = [n for n in EXPIRY_DAYS if n < threshold]
        for person, role in recipients:
            zone = sweep.zone(person)
            due = datetime.combine(expires - timedelta(days=threshold), MORNING, zone)
            until = datetime.combine(expires - timedelta(days=max(later)) if later else expires, MORNING, zone)
            away = (expires - sweep.today(person)).days
            text = _expiry_text(role, reg["name"] or learner, title, expires, away, left.get(reg["id"], (0, 0)))
            key = f"expiry:{reg['id']}:{threshold}:{person}"
            out.append(_row(key, person, "expiry", due, until, text, threshold in URGENT_EXPIRY_DAYS))
    return out


def _away(days: int) -> str:
    """How far off, as a person would say it: "in 54 days", "in about six months"."""
    if days <= 0:
        return "today"
    if days < 60:
        return f"in {days} day{'s' if days != 1 else ''}"
    return f"in about {round(days / 30.44)} months"


def _expiry_text(role: str, name: str, title: str, expires: date, days: int, left: tuple[int, int]) -> str:
    when = f"{uk_date(expires)} ({_away(days)})"
    remaining, total = left
    if role == "learner":
        still = (f" {remaining} of the {total} criteria in your plan still need to be met." if remaining
                 else " Every criterion in your plan is met.")
        return (f"A friendly reminder: your registration on the {title} expires on {when}.{still} Ask me "
                "“what's left?” to see the detail, and talk to your tutor if time is tight.")
    return (f"{name}'s registration on the {title} expires on {when}, with {remaining} of {total} criteria still "
            f"to meet.")


def _criteria_left(db: Database, kb: KnowledgeBase, registration_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(criteria not yet met, criteria in the plan) per registration, in two queries."""
    if not registration_ids:
        return {}
    totals: dict[int, int] = {}
    met: dict[int, int] = {}
    for chunk in range(0, len(registration_ids), 900):        # SQLite's limit on bound parameters
        ids = registration_ids[chunk:chunk + 900]
        marks = ",".join("?" * len(ids))
        for row in db.query(f"SELECT registration_id, unit_code FROM plan_units WHERE registration_id IN ({marks})",
                            ids):
            unit = kb.units.get(row["unit_code"])
            totals[row["registration_id"]] = totals.get(row["registration_id"], 0) + (len(unit.criteria) if unit else 0)
        for row in db.query(f"SELECT registration_id, count(DISTINCT unit_code || ' ' || ac) AS n FROM decisions "
                            f"WHERE outcome = 'met' AND registration_id IN ({marks}) GROUP BY registration_id", ids):
            met[row["registration_id"]] = row["n"]
    return {r: (totals.get(r, 0) - met.get(r, 0), totals.get(r, 0)) for r in registration_ids}


def _tutors_of(db: Database, learners: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for chunk in range(0, len(learners), 900):
        part = learners[chunk:chunk + 900]
        marks = ",".join("?" * len(part))
        for row in db.query(f"SELECT tutor_id, learner_id FROM tutor_learners WHERE learner_id IN ({marks})", part):
            out.setdefault(row["learner_id"], []).append(row["tutor_id"])
    return out


def _managers(db: Database) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for row in db.query("SELECT id, centre_id FROM people WHERE role = 'manager' AND erased_at IS NULL"):
        out.setdefault(row["centre_id"], []).append(row["id"])
    return out


def target_occurrences(sweep: Sweep) -> list[dict[str, Any]]:
    db, kb = sweep.db, sweep.kb
    rows = db.query(
        "SELECT p.registration_id, p.unit_code, p.target_date, r.person_id FROM plan_units p JOIN registrations r "
        "ON r.id = p.registration_id WHERE r.status = 'active' AND p.target_date >= ? AND p.target_date <= ?",
        [(sweep.now.date() - timedelta(days=1)).isoformat(),
         (sweep.now.date() + timedelta(days=max(TARGET_DAYS) + 1)).isoformat()])
    out = []
    for row in rows:
        person, target = row["person_id"], date.fromisoformat(row["target_date"])
        today = sweep.today(person)
        days = _latest_threshold(target, today, TARGET_DAYS)
        if days is None or target < today:
            continue
        zone = sweep.zone(person)
        unit = kb.units.get(row["unit_code"])
        title = f"{row['unit_code']} {unit.title}" if unit else row["unit_code"]
        when = "today" if days == 0 else f"in {days} days ({uk_date(target)})"
        text = (f"Your target for {title} is {when}. Ask me “what's left for {row['unit_code']}?” to see what still "
                "needs evidence — and if the date no longer works, set a new one.")
        key = f"target:{row['registration_id']}:{row['unit_code']}:{row['target_date']}:{days}"
        out.append(_row(key, person, "target", datetime.combine(target - timedelta(days=days), MORNING, zone),
                        datetime.combine(target, time(23, 59), zone), text, days == 0))
    return out


def inactivity_occurrences(sweep: Sweep) -> list[dict[str, Any]]:
    cutoff = (sweep.now - INACTIVE_AFTER).isoformat()
    rows = sweep.db.query(
        "SELECT p.id, coalesce(p.last_active_at, p.created_at) AS active FROM people p JOIN registrations r "
        "ON r.person_id = p.id AND r.status = 'active' WHERE p.role = 'learner' AND p.erased_at IS NULL "
        "AND coalesce(p.last_active_at, p.created_at) < ?", [cutoff])
    out = []
    for row in rows:
        person = row["id"]
        zone = sweep.zone(person)
        due = max(datetime.fromisoformat(row["active"]) + INACTIVE_AFTER, sweep.now)
        text = ("Hello — just checking in. It's been a few weeks since we last spoke. How is your portfolio going? "
                "Ask me “what's left?” or “show my plan” whenever you're ready.")
        # One check-in per quiet spell: the key carries the day activity stopped.
        key = f"inactive:{person}:{row['active'][:10]}"
        out.append(_row(key, person, "checkin", due.astimezone(zone), due + timedelta(days=7), text, False))
    return out


def digest_occurrences(sweep: Sweep) -> list[dict[str, Any]]:
    """Monday-morning digests for tutors not yet sent one this week, ``DIGEST_BATCH`` tutors per sweep.

    Batches keep a sweep short when thousands of tutors share a Monday morning; the rest follow a minute
    later (a digest is good for two days). A tutor with nothing to report gets a skipped row, so their
    key exists and the next batch moves on to other tutors.
    """
    db = sweep.db
    existing = sweep.existing("digest", sweep.now - timedelta(days=8))
    due: dict[str, tuple[datetime, str]] = {}
    for row in db.query("SELECT id FROM people WHERE role = 'tutor' AND erased_at IS NULL ORDER BY id"):
        tutor = row["id"]
        zone = sweep.zone(tutor)
        local = sweep.now.astimezone(zone)
        monday = local.date() - timedelta(days=local.weekday())
        at = datetime.combine(monday, DIGEST_AT, zone)
        year, week, _ = monday.isocalendar()
        key = f"digest:{tutor}:{year}-W{week:02d}"
        if at <= sweep.now and key not in existing:
            due[tutor] = (at, key)
            if len(due) == DIGEST_BATCH:
                break
    texts = digest_texts(db, sweep.kb, list(due), sweep.now)
    out = []
    for tutor, (at, key) in due.items():
        row = _row(key, tutor, "digest", at, at + timedelta(days=2), texts.get(tutor, ""), False)
        if tutor not in texts:
            row.update(status="skipped")
        out.append(row)
    return out


def materialise(sweep: Sweep) -> int:
    """Insert every occurrence due by now; returns how many were new.

    People's own rules and the Monday digests (a batch of tutors each sweep) are read every sweep. The
    automatic ones — expiry warnings, target nudges, check-ins — go by the day and read every learner:
    they are built at most once every ``AUTOMATIC_EVERY`` by whichever dispatcher claims that turn, so a
    second dispatcher adds delivery, not the same million-learner scan again."""
    rows = custom_occurrences(sweep) + digest_occurrences(sweep)
    if _claim_turn(sweep.db, "automatic", sweep.now, AUTOMATIC_EVERY):
        rows += expiry_occurrences(sweep) + target_occurrences(sweep) + inactivity_occurrences(sweep)
    if not rows:
        return 0
    with sweep.db.atomic():
        return sweep.db["reminder_occurrences"].insert_all(rows, ignore=True)


def _claim_turn(db: Database, name: str, now: datetime, every: timedelta) -> bool:
    """True for the one caller that takes this turn of ``name`` (none again until ``every`` has passed on
    the callers' clock): a single upsert, so concurrent dispatchers can't both win. A clock set back
    (tests, ``--now``) takes a turn too."""
    at = now.astimezone(UTC).isoformat()
    won = db.execute("INSERT INTO sweep_turns (name, taken_at) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
                     "taken_at = excluded.taken_at WHERE sweep_turns.taken_at <= ? OR sweep_turns.taken_at > ? "
                     "RETURNING name", [name, at, (now - every).astimezone(UTC).isoformat(), at]).rows
    return bool(won)
