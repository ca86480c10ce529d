"""Dates as people in the UK write and read them: "15 January 2027", "31/03/2027", "31 March"."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from dateutil import parser as date_parser

_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def uk_date(value: date) -> str:
    """``date(2027, 1, 15)`` → "15 January 2027" (no leading zero)."""
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def finish_phrase(finish: date, expires: date | None) -> str:
    """"around 6 June 2027" — or, for a pace that would take decades, "years after the registration expires":
    a date in 2061 reads as a joke, and the point is that the pace must change."""
    if expires is not None and finish.year > expires.year + 2:
        return "years after the registration expires"
    return f"around {uk_date(finish)}"


def add_months(start: date, months: int) -> date:
    """Calendar months later; the 31st of a shorter month becomes its last day (31 Jan + 1 → 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> float:
    """Months from ``start`` to ``end`` (fractional, by days / 30.44); negative when ``end`` is earlier."""
    return (end - start).days / 30.44


class DateError(ValueError):
    """A date that cannot be read or does not exist ("31 February")."""


def parse_date(text: str, today: date) -> date:
    """A date in ``text``, UK day-first; without a year, the next such date on or after ``today``.

    Raises :class:`DateError` for text with no date in it or an impossible date.
    """
    end = re.search(r"\bend of\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b(?:\s+(\d{4}))?",
                    text, re.IGNORECASE)
    if end:
        month = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(
            end.group(1).lower()) + 1
        year = int(end.group(2)) if end.group(2) else today.year
        last = date(year, month, calendar.monthrange(year, month)[1])
        if not end.group(2) and last < today:
            last = date(year + 1, month, calendar.monthrange(year + 1, month)[1])
        return last
    iso = _ISO.search(text)
    if iso:
        try:
            return date.fromisoformat(iso.group(0))
        except ValueError as exc:
            raise DateError(f"{iso.group(0)} is not a real date") from exc
    has_year = re.search(r"\b(?:19|20)\d{2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b", text)
    try:
        parsed = date_parser.parse(text, dayfirst=True, fuzzy=True,
                                   default=datetime(today.year, today.month, 1)).date()
    except (ValueError, OverflowError) as exc:
        raise DateError(f"“{text.strip()}” isn't a date I can read, or isn't a real date") from exc
    if not re.search(r"\d", text) and not re.search(
            r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", text, re.IGNORECASE):
        raise DateError(f"I couldn't read a date in “{text}”")
    if not has_year and parsed < today:
        parsed = parsed.replace(year=parsed.year + 1)
    return parsed
