"""Time windows as people say them: "before Christmas", "in the next six weeks", "before 1 March",
"this month", "overdue". Term dates are each school's own: "before half term" is asked, never guessed."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.dates import add_months, uk_date
from bot.reminders.days import parse_day
from bot.reminders.errors import ScheduleError, UnclearSchedule

_AMOUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple of": 2, "few": 3}
_AMOUNT = r"(\d{1,3}|" + "|".join(sorted(_AMOUNTS, key=len, reverse=True)) + r")"
_SPAN = re.compile(rf"\b(?:in|within|over|during)\s+the\s+next\s+{_AMOUNT}\s+(days?|weeks?|months?|years?)\b|"
                   rf"\bnext\s+{_AMOUNT}\s+(days?|weeks?|months?|years?)\b|"
                   rf"\bwithin\s+{_AMOUNT}\s+(days?|weeks?|months?|years?)\b|"
                   rf"\bin\s+the\s+next\s+(day|week|month|year|fortnight)\b", re.IGNORECASE)
_UNTIL = re.compile(r"\b(?:between\s+now\s+and|before|by|until|till|up\s+to|ahead\s+of)\s+(.+?)(?:[?.!,]|$)",
                    re.IGNORECASE)
_OVERDUE = re.compile(r"\boverdue\b|\bmissed\b|\bpassed\b|\blate\b|\bbehind (?:on|with) (?:their |a )?targets?\b",
                      re.IGNORECASE)
_THIS = re.compile(r"\bthis\s+(week|month|year)\b|\bnext\s+(week|month)\b", re.IGNORECASE)
_TERM = re.compile(r"\bhalf[- ]?term\b|\bend of (?:the )?term\b|\bthis term\b|\bnext term\b|\beaster\b|"
                   r"\bsummer holidays?\b|\bthe holidays\b", re.IGNORECASE)
_CHRISTMAS = re.compile(r"\bchristmas\b|\bxmas\b", re.IGNORECASE)
# Seasons by the calendar (a school's own terms are asked about): said back, so the reading is never hidden.
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
_SEASON = re.compile(r"\b(?:next\s+|this\s+)?(spring|summer|autumn|winter)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Window:
    """From ``start`` to ``end`` inclusive; ``start`` None for everything before ``end`` (overdue)."""

    start: date | None
    end: date
    said: str

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and day <= self.end


class UnknownDate(ValueError):
    """A window whose end only the school knows ("before half term"): the message is the question to ask."""


def _span(amount: str, unit: str, today: date) -> date:
    n = int(amount) if amount.isdigit() else _AMOUNTS[amount.lower()]
    unit = unit.lower().rstrip("s")
    if unit == "fortnight":
        return today + timedelta(days=14)
    if unit == "day":
        return today + timedelta(days=n)
    if unit == "week":
        return today + timedelta(weeks=n)
    return add_months(today, n * (12 if unit == "year" else 1))


def read_window(text: str, today: date) -> Window | None:
    """The window ``text`` names, or None when it names none. Raises :class:`UnknownDate` for term dates
    and :class:`ScheduleError` for a date that does not exist."""
    if _TERM.search(text):
        raise UnknownDate("I don't know your school's term dates — which date do you mean? For example "
                          "“before 12 February”.")
    if _OVERDUE.search(text):
        return Window(None, today - timedelta(days=1), "overdue")
    m = _SPAN.search(text)
    if m:
        groups = [g for g in m.groups() if g]
        amount, unit = (groups[0], groups[1]) if len(groups) == 2 else ("1", groups[0])
        end = _span(amount, unit, today)
        return Window(today, end, f"between now and {uk_date(end)}")
    m = _THIS.search(text)
    if m:
        which = (m.group(1) or m.group(2)).lower()
        if which == "week":
            start = today if m.group(1) else today + timedelta(days=7 - today.weekday())
            end = start + timedelta(days=6 - start.weekday())
        elif which == "month":
            start = today if m.group(1) else add_months(today.replace(day=1), 1)
            end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        else:
            start, end = today, date(today.year, 12, 31)
        return Window(start, end, f"between {uk_date(start)} and {uk_date(end)}")
    m = _UNTIL.search(text)
    if m:
        phrase = m.group(1).strip()
        season = _SEASON.search(phrase)
        if _CHRISTMAS.search(phrase):
            end = date(today.year, 12, 25)
            end = end if end >= today else date(today.year + 1, 12, 25)
        elif season:
            month = _SEASONS[season.group(1).lower()]
            start = date(today.year, month, 1)
            start = start if start > today else date(today.year + 1, month, 1)
            end = start - timedelta(days=1)
            return Window(today, end, f"before {season.group(1).lower()} (taking it as from {uk_date(start)})")
        else:
            try:
                end = parse_day(phrase, datetime.combine(today, datetime.min.time()))
            except UnclearSchedule as exc:
                raise UnknownDate(str(exc)) from exc
            if end is None:
                return None
        return Window(today, end, f"between now and {uk_date(end)}")
    return None


__all__ = ["ScheduleError", "UnknownDate", "Window", "read_window"]
