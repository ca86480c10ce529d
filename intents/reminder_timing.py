"""When a reminder will fire, checked against the recipient's reminder hours.

The schedule is read in the recipient's own time zone; deadline nudges already past are dropped (and
the reply says so), and a first reminder that quiet hours, a preference, a pause or an opt-out would
hold back is pointed out before the person relies on it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.dates import uk_date
from bot.intent import Turn
from bot.reminders.errors import ScheduleError, UnclearSchedule
from bot.reminders.hours import Prefs, allowed_at, load_prefs, next_allowed
from bot.reminders.rules import once_moment
from bot.reminders.schedule import parse_when
from bot.types import Choice, Reply
from intents.reminder_wording import EXAMPLE

PERSON_DAYS_BEFORE = (1, 0)       # one person's deadline: the day before, and on the day


def zone_of(turn: Turn, person_id: str) -> ZoneInfo:
    assert turn.db is not None
    return load_prefs(turn.db, person_id).zone


def read_schedule(turn: Turn, when: str, zone: ZoneInfo,
                  days_before: tuple[int, ...]) -> tuple[dict, list[str]] | Reply:
    """(the schedule, the notes the reply must show), or the reply asking or explaining why nothing was set."""
    try:
        parsed = parse_when(when, turn.now, zone, days_before)
        schedule, dropped = _fit_deadline(parsed.schedule, zone, turn.now)
    except UnclearSchedule as exc:
        # Nothing is set until the day is settled; the answer replaces the unclear phrase ("next Friday").
        return Reply("clarify", "reminder_set", paragraphs=[str(exc)], choices=[Choice(c, c) for c in exc.choices],
                     asks={"phrase": exc.phrase} if exc.phrase else None)
    except ScheduleError as exc:
        return Reply("error", "reminder_set", paragraphs=[f"I haven't set anything — {_lower(str(exc))}. {EXAMPLE}"])
    return schedule, list(parsed.notes) + ([dropped] if dropped else [])


def _lower(text: str) -> str:
    return text[0].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _future_days_before(schedule: dict[str, Any], zone: ZoneInfo, now: datetime) -> tuple[list[int], list[int]]:
    """(nudges still to come, nudges already past) for a deadline schedule."""
    deadline = date.fromisoformat(schedule["date"])
    at = time.fromisoformat(schedule.get("time", "09:00"))
    ahead = [n for n in schedule["days_before"] if datetime.combine(deadline - timedelta(days=n), at, zone) > now]
    return ahead, [n for n in schedule["days_before"] if n not in ahead]


def _fit_deadline(schedule: dict[str, Any], zone: ZoneInfo, now: datetime) -> tuple[dict[str, Any], str | None]:
    """Drop nudges that are already in the past (saying so); a deadline too close for any gets one on the day."""
    if schedule["type"] != "deadline":
        return schedule, None
    ahead, past = _future_days_before(schedule, zone, now)
    if not past:
        return schedule, None
    if not ahead:
        on_day = {**schedule, "days_before": [0]}
        if _future_days_before(on_day, zone, now)[0]:
            return on_day, "The deadline is too close for the usual nudges, so there's one on the day."
        raise ScheduleError("That deadline is too close to send a reminder before it")
    return {**schedule, "days_before": ahead}, ("The " + " and ".join(_nudge(n) for n in past) + " nudge "
                                                 "would already have passed, so I've left it out.")


def _nudge(days: int) -> str:
    return {0: "on-the-day", 1: "day-before"}.get(days, f"{days // 7}-week" if days % 7 == 0 else f"{days}-day")


def first_due(schedule: dict[str, Any], zone: ZoneInfo, now: datetime) -> datetime | None:
    """When the schedule first fires after ``now`` (aware), to check it against the person's hours."""
    local = now.astimezone(zone)
    kind = schedule["type"]
    if kind == "once":
        return once_moment(schedule, zone, now)
    at = time.fromisoformat(schedule.get("time", "09:00"))
    if kind == "daily":
        first = datetime.combine(local.date(), at, zone)
        return first if first > now else datetime.combine(local.date() + timedelta(days=1), at, zone)
    if kind == "weekly":
        ahead = (schedule["weekday"] - local.weekday()) % 7
        first = datetime.combine(local.date() + timedelta(days=ahead), at, zone)
        return first if first > now else datetime.combine(first.date() + timedelta(days=7), at, zone)
    deadline = date.fromisoformat(schedule["date"])
    moments = [datetime.combine(deadline - timedelta(days=n), at, zone) for n in sorted(schedule["days_before"],
                                                                                     reverse=True)]
    return next((m for m in moments if m > now), None)


def _worth_until(schedule: dict[str, Any], first: datetime) -> datetime:
    """How long a reminder is still worth sending (as the dispatcher judges it): a one-off 12 hours, a
    recurrence until the next one, deadline nudges until the end of the deadline day."""
    kind = schedule["type"]
    if kind == "once":
        return first + timedelta(hours=12)
    if kind == "daily":
        return first + timedelta(days=1)
    if kind == "weekly":
        return first + timedelta(days=7)
    return datetime.combine(date.fromisoformat(schedule["date"]), time(23, 59), first.tzinfo)


def hours_note(prefs: Prefs, schedule: dict[str, Any], now: datetime, whose: str = "your") -> str | None:
    """A warning when the person's own hours would hold the first reminder back (quiet hours, "only evenings")."""
    first = first_due(schedule, prefs.zone, now)
    if first is None or allowed_at(prefs, first, urgent=False):
        return None
    later = next_allowed(prefs, first)
    lead = f"That time is outside {whose} reminder hours (quiet hours, preferences or a bank holiday), so "
    if later is None or later > _worth_until(schedule, first):
        return lead + "the first one would be skipped — you may want a different time."
    return lead + f"the first one will wait until {uk_date(later.date())} at {later.strftime('%H:%M')}."


def status_note(prefs: Prefs, today: date, who: str = "You") -> str | None:
    """Paused or opted out: nothing will be sent meanwhile, and the person should know."""
    if prefs.opted_out:
        return (f"{who} turned reminders off, so nothing will be sent until they're turned back on (“start reminders "
                "again”)." if who == "You" else f"{who} has turned reminders off, so won't get it.")
    if prefs.paused_until and prefs.paused_until > today:
        return (f"{who} {'have' if who == 'You' else 'has'} reminders paused until {uk_date(prefs.paused_until)}; "
                "nothing is sent before then.")
    return None
