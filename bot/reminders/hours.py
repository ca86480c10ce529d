"""People's hours: time zone, quiet hours, allowed / blocked windows, pauses, opt-out, bank holidays.

All arithmetic is on aware datetimes in the person's zone (zoneinfo), so 09:00 stays 09:00 across
the clock changes; the store keeps UTC.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from bot.db import Database

DEFAULT_TIMEZONE = "Europe/London"
DEFAULT_QUIET = (time(21, 0), time(8, 0))
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Window:
    """Days of the week (0 = Monday) and a time range, e.g. weekdays 08:30–15:30."""

    days: tuple[int, ...]
    start: time
    end: time

    def contains(self, local: datetime) -> bool:
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def as_json(self) -> dict:
        return {"days": list(self.days), "start": self.start.strftime("%H:%M"), "end": self.end.strftime("%H:%M")}

    @classmethod
    def from_json(cls, data: dict) -> Window:
        return cls(tuple(data["days"]), time.fromisoformat(data["start"]), time.fromisoformat(data["end"]))

    def describe(self) -> str:
        days = ("every day" if len(self.days) == 7 else "weekdays" if self.days == (0, 1, 2, 3, 4)
                else "weekends" if self.days == (5, 6) else ", ".join(DAYS[d].title() + "s" for d in self.days))
        return f"{days} {self.start.strftime('%H:%M')}–{self.end.strftime('%H:%M')}"


@dataclass
class Prefs:
    timezone: str = DEFAULT_TIMEZONE
    quiet_start: time = DEFAULT_QUIET[0]
    quiet_end: time = DEFAULT_QUIET[1]
    allowed: list[Window] = field(default_factory=list)      # empty: any time outside quiet hours
    blocked: list[Window] = field(default_factory=list)
    paused_until: date | None = None
    opted_out: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def paused_on(self, day: date) -> bool:
        return self.paused_until is not None and day < self.paused_until


def load_prefs(db: Database, person_id: str, default_timezone: str = DEFAULT_TIMEZONE) -> Prefs:
    rows = list(db.query("SELECT * FROM reminder_prefs WHERE person_id = ?", [person_id]))
    return prefs_from_row(rows[0] if rows else None, default_timezone)


def prefs_from_row(row: dict | None, default_timezone: str = DEFAULT_TIMEZONE) -> Prefs:
    if not row:
        return Prefs(timezone=default_timezone)
    return Prefs(
        timezone=row.get("timezone") or default_timezone,
        quiet_start=time.fromisoformat(row["quiet_start"]) if row.get("quiet_start") else DEFAULT_QUIET[0],
        quiet_end=time.fromisoformat(row["quiet_end"]) if row.get("quiet_end") else DEFAULT_QUIET[1],
        allowed=[Window.from_json(w) for w in json.loads(row.get("allowed") or "[]")],
        blocked=[Window.from_json(w) for w in json.loads(row.get("blocked") or "[]")],
        paused_until=date.fromisoformat(row["paused_until"]) if row.get("paused_until") else None,
        opted_out=bool(row.get("opted_out")),
    )


def save_prefs(db: Database, person_id: str, prefs: Prefs) -> None:
    db["reminder_prefs"].upsert({
        "person_id": person_id, "timezone": prefs.timezone, "quiet_start": prefs.quiet_start.strftime("%H:%M"),
        "quiet_end": prefs.quiet_end.strftime("%H:%M"), "allowed": json.dumps([w.as_json() for w in prefs.allowed]),
        "blocked": json.dumps([w.as_json() for w in prefs.blocked]),
        "paused_until": prefs.paused_until.isoformat() if prefs.paused_until else None,
        "opted_out": int(prefs.opted_out)}, pk="person_id")


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    # England and Wales; centres elsewhere in the UK would set their own subdivision here. Imported on
    # first use, not at start-up (30 ms a process that never times a reminder).
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def _quiet(prefs: Prefs, local: datetime) -> bool:
    start, end, now = prefs.quiet_start, prefs.quiet_end, local.time()
    return (start <= now or now < end) if start > end else (start <= now < end)


def allowed_at(prefs: Prefs, local: datetime, urgent: bool) -> bool:
    """May a reminder be sent at this local time? Urgent ones ignore preferences, never quiet hours.
    (Bank holidays are not a time of day: the dispatcher skips non-urgent reminders on them.)"""
    if _quiet(prefs, local):
        return False
    if urgent:
        return True
    if any(w.contains(local) for w in prefs.blocked):
        return False
    return not prefs.allowed or any(w.contains(local) for w in prefs.allowed)


STEP = timedelta(minutes=15)
HORIZON = timedelta(days=15)


def next_allowed(prefs: Prefs, moment: datetime, urgent: bool = False) -> datetime | None:
    """The first moment at or after ``moment`` (aware) when sending is allowed, or None within 15 days.

    Steps of 15 minutes on the wall clock of the person's zone, so a window that opens at 08:00 opens
    at 08:00 local on both sides of a clock change.
    """
    zone = prefs.zone
    local = moment.astimezone(zone)
    if allowed_at(prefs, local, urgent):
        return moment
    # Round up to the next quarter hour, then walk.
    minute = (local.minute // 15 + 1) * 15
    probe = local.replace(minute=0, second=0, microsecond=0) + timedelta(minutes=minute)
    end = local + HORIZON
    while probe <= end:
        wall = datetime.combine(probe.date(), probe.time(), zone)       # re-resolve the offset (DST)
        if allowed_at(prefs, wall, urgent):
            return wall
        probe += STEP
    return None


def rest_until(db: Database, person_id: str, until: date) -> None:
    """Pause a person's reminders until ``until`` (a learner's break): a longer pause already set stays."""
    prefs = load_prefs(db, person_id)
    prefs.paused_until = max(until, prefs.paused_until or until)
    save_prefs(db, person_id, prefs)


def wake(db: Database, person_id: str, today: date) -> None:
    """End a pause that is still to run (back from a break early); a past one is left as it was."""
    prefs = load_prefs(db, person_id)
    if prefs.paused_until and prefs.paused_until > today:
        prefs.paused_until = None
        save_prefs(db, person_id, prefs)
