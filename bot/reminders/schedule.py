"""Reading a reminder's schedule: a one-off, a daily or weekly recurrence, or a deadline with nudges before it.

``parse_when("every Thursday at 6pm", now, zone)`` gives the schedule dict of :mod:`bot.reminders.rules`
(times are the recipient's local wall clock, "HH:MM"); ``parse_reminder`` reads a whole request. The day
is read by :mod:`bot.reminders.days` and the time by :mod:`bot.reminders.times`.

Nothing is guessed: vague phrases ("after half-term", "sometime next week", "soon") raise
:class:`UnclearSchedule` with a question to ask; impossible or past dates raise
:class:`ScheduleError`. Assumptions the bot does make (9am when no time is given, tomorrow when a
time has already passed today) come back as ``notes`` that the reply must show.

Everything here is pure: the clock and the zone are arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.dates import uk_date
from bot.reminders.days import check_vague, parse_day
from bot.reminders.errors import ScheduleError, UnclearSchedule
from bot.reminders.request import split_reminder
from bot.reminders.rules import stored_time
from bot.reminders.times import DEFAULT_TIME, PART_OF_DAY, PART_TIMES, say_time, take_time
from bot.reminders.words import AMOUNT, DAY_NAMES, DAY_RE, amount

_RELATIVE = re.compile(rf"\bin\s+{AMOUNT}\s+(minutes?|mins?|hours?|hrs?)\b|\bin\s+half\s+an\s+hour\b",
                       re.IGNORECASE)
# "Tonight" and "this evening" mean today even when the hour has gone: never moved to tomorrow.
_NAMES_TODAY = re.compile(r"\btonight\b|\btoday\b|\bthis (?:morning|afternoon|evening)\b", re.IGNORECASE)
_DAILY = re.compile(r"\b(?:every|each)\s+(?:single\s+)?day\b|\bdaily\b|\b(?:every|each)\s+(?:morning|afternoon|"
                    r"evening|night)\b", re.IGNORECASE)
_EVERY = re.compile(r"\b(?:every|each|weekly|fortnightly|monthly)\b|\bon\s+(?:" + DAY_RE + r")s\b", re.IGNORECASE)
_DEADLINE = re.compile(r"\b(?:by|before|due)\b", re.IGNORECASE)


@dataclass(frozen=True)
class When:
    """A parsed schedule (a rules.py schedule dict) and the assumptions the reply must state."""

    schedule: dict[str, Any]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedReminder:
    """A whole reminder request: for whom (as typed), the schedule, the message, the assumptions."""

    audience: str
    schedule: dict[str, Any]
    message: str
    notes: tuple[str, ...] = ()


def _no_time_note(at: time) -> str:
    return f"You didn't give a time, so it's at {say_time(at)} — tell me a time if you'd prefer another."


def _wall(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The aware local moment; a time the clocks skip (spring forward) is an error, not a silent shift."""
    moment = datetime.combine(day, at, zone)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise ScheduleError(f"The clocks go forward on {uk_date(day)}, so {at.strftime('%H:%M')} doesn't exist "
                            "that day — could you pick another time?")
    return moment


def parse_when(text: str, now: datetime, zone: ZoneInfo, days_before: tuple[int, ...] = (1, 0)) -> When:
    """The schedule in ``text`` ("every Thursday at 6pm", "by 14 March 2027", "tomorrow at 7pm").

    ``now`` is aware; dates are read in ``zone`` (the recipient's). A deadline ("by …") gets nudges
    ``days_before`` it at 9am. Raises :class:`UnclearSchedule` / :class:`ScheduleError`.
    """
    low = " ".join(text.lower().replace("’", "'").split())
    if not low:
        raise UnclearSchedule("When should the reminder be? For example “every Thursday at 6pm”, “on Friday” or "
                              "“tomorrow at 7pm”.")
    local_now = now.astimezone(zone)
    today = local_now.date()
    relative = _RELATIVE.search(low)
    if relative:
        if relative.group(0).startswith("in half"):
            delta = timedelta(minutes=30)
        else:
            n = amount(relative.group(1))
            delta = timedelta(hours=n) if relative.group(2).startswith("h") else timedelta(minutes=n)
        # Elapsed time, so added and rounded up to the minute in UTC: sums on a local time are wall-clock sums
        # (and lose which of the two 01:30s is meant on the night the clocks go back).
        moment = now.astimezone(UTC) + delta
        moment = (moment + timedelta(minutes=1 if moment.second or moment.microsecond else 0)).replace(
            second=0, microsecond=0).astimezone(zone)
        return When({"type": "once", "at": stored_time(moment)})
    check_vague(low)
    at, part, rest = take_time(low)
    notes: list[str] = []
    if at is None and part:
        at = PART_TIMES[part]
        notes.append(f"You said “{part}”, so I've made it {say_time(at)} — tell me a time if you'd prefer another.")
    rest = PART_OF_DAY.sub(" ", rest)

    if _DAILY.search(low):
        if re.search(rf"\b(?:{DAY_RE})\b", _DAILY.sub(" ", rest)):
            raise UnclearSchedule("Every day, or one day a week? For example “every day at 7pm” or “every Tuesday "
                                  "at 8am”.")
        if at is None:
            at = DEFAULT_TIME
            notes.append(_no_time_note(at))
        return When({"type": "daily", "time": at.strftime("%H:%M")}, tuple(notes))
    if _EVERY.search(rest):
        days = {DAY_NAMES[d] for d in re.findall(rf"\b({DAY_RE})\b", rest)}
        if re.search(r"\bweekdays?\b|\bworking day", rest):
            raise UnclearSchedule("I can remind you every day, or on one day of the week — which would you like? "
                                  "For example “every day at 7pm” or “every Thursday at 6pm”.")
        if re.search(r"\bmonth|\bfortnight|\bother\b|\byear", rest):
            raise UnclearSchedule("I can repeat reminders every day or every week. Would one of those do — for "
                                  "example “every Thursday at 6pm”? Or give me a date for a one-off.")
        if len(days) > 1:
            raise UnclearSchedule("One day a week per reminder, please — for example “every Thursday at 6pm”, "
                                  "then a second one for the other day.")
        if not days:
            raise UnclearSchedule("Which day of the week? For example “every Thursday at 6pm”.")
        if at is None:
            at = DEFAULT_TIME
            notes.append(_no_time_note(at))
        return When({"type": "weekly", "weekday": days.pop(), "time": at.strftime("%H:%M")}, tuple(notes))

    deadline = bool(_DEADLINE.search(rest))
    day = parse_day(rest, local_now)
    if deadline:
        if day is None:
            raise UnclearSchedule("By when? For example “by 14 March 2027” or “by Friday”.")
        if day < today:
            raise ScheduleError(f"{uk_date(day)} has already passed")
        return When({"type": "deadline", "date": day.isoformat(), "days_before": sorted(days_before, reverse=True),
                     "time": DEFAULT_TIME.strftime("%H:%M")})
    if day is None:
        if at is None:
            raise UnclearSchedule("When should the reminder be? For example “every Thursday at 6pm”, “on Friday” or "
                                  "“tomorrow at 7pm”.")
        day = today
        # "tonight" / "this evening" mean today: if that has passed, say so rather than move it.
        if _wall(day, at, zone) <= now and not _NAMES_TODAY.search(low):
            day = today + timedelta(days=1)
            notes.append(f"{say_time(at)} has already passed today, so I've made it tomorrow, {uk_date(day)}.")
    elif at is None:
        at = DEFAULT_TIME
        notes.append(_no_time_note(at))
    if day < today:
        raise ScheduleError(f"{uk_date(day)} has already passed")
    if _wall(day, at, zone) <= now:
        raise ScheduleError(f"{say_time(at)} on {uk_date(day)} has already passed")
    return When({"type": "once", "at": f"{day.isoformat()}T{at.strftime('%H:%M')}"}, tuple(notes))


def parse_reminder(text: str, now: datetime, zone: ZoneInfo, days_before: tuple[int, ...] = (1, 0)) -> ParsedReminder:
    """A whole request ("remind me on Friday to email my tutor"): audience as typed, schedule, message."""
    parts = split_reminder(text)
    when = parse_when(parts.when, now, zone, days_before)
    return ParsedReminder(parts.audience, when.schedule, parts.message, when.notes)

