"""Reading a day from reminder text, UK day-first: "Friday", "14 March", "14/03/2027", "tomorrow", "the 5th".

Numeric dates are read strictly day-first here, because a library that finds "03/14/2027" invalid as
DMY quietly reads it as MDY; other written dates go through the dateparser library (DMY, future dates
preferred, relative to the person's own wall clock, English only).

Nothing is guessed: a phrase that names no one day ("after half-term", "next week", "March") raises
:class:`UnclearSchedule` with the question to ask, and a date that does not exist raises
:class:`ScheduleError`. Everything here is pure: the clock is an argument.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from bot.dates import add_months, uk_date
from bot.reminders.errors import ScheduleError, UnclearSchedule
from bot.reminders.hours import DAYS
from bot.reminders.words import AMOUNT, DAY_NAMES, DAY_RE, MONTH_NAMES, MONTH_RE, amount

_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False}

_VAGUE: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), q) for p, q in (
    (r"\bhalf[- ]?term\b|\bterm\b|\bholidays?\b|\bchristmas\b|\beaster\b|\bbreak\b",
     "I don't know your school's term or holiday dates — which date do you mean? For example “on 5 January” "
     "or “on 14/03/2027”."),
    (r"\bsoon\b|\bsome ?time\b|\blater\b|\basap\b|\bwhenever\b|\bat some point\b|\bsomeday\b",
     "When exactly? Give me a day or date, and a time if you like — for example “tomorrow at 7pm” or "
     "“on Friday”."),
    (r"\b(?:next|this|coming|following)\s+(?:week|month|year)\b|\bend of\b|\bstart of\b|\bbeginning of\b|"
     r"\bin (?:a|the) (?:few|couple)\b|\bmid[- ]",
     "Which day? “Next week” could be any of seven — for example “on Monday” or “on 30 November”."),
    (r"\b(?:this|the|next)\s+weekend\b|\bat the weekend\b|\bweekend\b",
     "Saturday or Sunday? For example “on Saturday at 10am”."),
    (r"\bafter\b(?! tomorrow\b)|\baround\b|\b-?ish\b|\bor so\b|\bearly\b|\blate\b",
     "Which day exactly? I'd rather not guess — for example “on 5 January” or “next Friday at 4pm”."),
))
_IN_DAYS = re.compile(rf"\bin\s+{AMOUNT}\s+(days?|weeks?)\b|\bin\s+a\s+fortnight\b", re.IGNORECASE)
_NUMERIC = re.compile(r"(?<![\d/.-])(?!\d{1,2}\.\d{1,2}(?![.\d]))(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?"
                      r"(?![\d/.-]*\d)")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ORDINAL_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)")
_FILLER = re.compile(r"\b(?:on|at|the|of|this|coming|for|from|starting|due|by|before|until|till|and|o'?clock)\b|[,]",
                     re.IGNORECASE)


def check_vague(text: str) -> None:
    """Raise :class:`UnclearSchedule` for phrases that name no particular day."""
    for pattern, question in _VAGUE:
        if pattern.search(text):
            raise UnclearSchedule(question)


def _next_weekday(today: date, weekday: int) -> date:
    """The next such day after today ("on Friday" said on a Friday means next week's)."""
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _not_real(day: int, month: int, year: int, said: str) -> str:
    """"30 February isn't a real date — February has 28 days in 2027": the reason, in the month's name."""
    if not 1 <= month <= 12:
        return f"{said} isn't a real date — there are only 12 months"
    name = calendar.month_name[month]
    length = calendar.monthrange(year, month)[1]
    in_year = f" in {year}" if month == 2 else ""
    return f"{day} {name} isn't a real date — {name} has {length} days{in_year}"


def _next_named_weekday(today: date, weekday: int) -> date:
    """"Next Friday": unambiguous when this week's Friday has gone (or is today), or at the weekend; said
    earlier in the week it may mean this coming Friday or the one after, so the bot asks."""
    coming = _next_weekday(today, weekday)
    if today.weekday() >= 5 or coming - today > timedelta(days=6 - today.weekday()):
        return coming
    name = DAYS[weekday].title()
    raise UnclearSchedule(f"Do you mean this {name}, {uk_date(coming)}, or {name} week, "
                          f"{uk_date(coming + timedelta(days=7))}?",
                          choices=(uk_date(coming), uk_date(coming + timedelta(days=7))),
                          phrase=f"next {DAYS[weekday]}")


_END_OF = re.compile(rf"\bend of\s+(?:the\s+)?(?:(this|next)\s+month|month|({MONTH_RE}))\b(?:\s+(\d{{4}}))?",
                     re.IGNORECASE)
_IN_MONTHS = re.compile(rf"\bin\s+{AMOUNT}\s+months?\b", re.IGNORECASE)
_NEXT_WEEKDAY = re.compile(rf"\bnext\s+({DAY_RE})\b", re.IGNORECASE)
_WEEKDAY_WEEK = re.compile(rf"\b({DAY_RE})\s+week\b", re.IGNORECASE)


def _end_of(m: re.Match[str], today: date) -> date:
    """"End of March" is 31 March (the next one, unless a year is given); "end of the month" this month's
    last day; "end of next month" next month's."""
    if m.group(2):
        month = MONTH_NAMES[m.group(2).lower()]
        year = int(m.group(3)) if m.group(3) else today.year
        last = date(year, month, calendar.monthrange(year, month)[1])
        if not m.group(3) and last < today:
            last = date(year + 1, month, calendar.monthrange(year + 1, month)[1])
        return last
    start = add_months(today.replace(day=1), 1) if (m.group(1) or "").lower() == "next" else today
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def _next_day_of_month(today: date, day: int) -> date:
    """"the 5th": the next 5th on or after today, skipping months too short for it."""
    year, month = today.year, today.month
    for _ in range(13):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if candidate >= today:
                return candidate
        month = month % 12 + 1
        year += month == 1
    raise ScheduleError(f"There's no day {day} in any month")


def _dateparser(text: str, local_now: datetime) -> date | None:
    # Imported on the first written date, not at start-up: a process that never reads one saves 30 ms.
    import dateparser

    settings = {**_SETTINGS, "RELATIVE_BASE": local_now.replace(tzinfo=None)}
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def parse_day(text: str, local_now: datetime) -> date | None:
    """The day ``text`` names, or None when it names no day at all.

    ``local_now`` is the person's wall clock. Only phrases that pin down one day are accepted: a
    weekday, a day and month, a numeric date (day first), today / tomorrow, "in 3 days", "the 5th".
    Raises :class:`UnclearSchedule` for anything vaguer (a month, "next week", "after half-term") and
    :class:`ScheduleError` for a date that does not exist.
    """
    today = local_now.date()
    text = text.lower().replace("’", "'")
    end = _END_OF.search(text)
    if end:
        return _end_of(end, today)
    check_vague(text)
    m = _IN_MONTHS.search(text)
    if m:
        return add_months(today, amount(m.group(1)))
    m = _NEXT_WEEKDAY.search(text)
    if m:
        return _next_named_weekday(today, DAY_NAMES[m.group(1)])
    m = _WEEKDAY_WEEK.search(text)
    if m:
        return _next_weekday(today, DAY_NAMES[m.group(1)]) + timedelta(days=7)
    m = _IN_DAYS.search(text)
    if m:
        if m.group(0).endswith("fortnight"):
            return today + timedelta(days=14)
        n = amount(m.group(1))
        return today + timedelta(days=n * (7 if m.group(2).startswith("week") else 1))
    m = _ISO_DATE.search(text)
    if m:
        try:
            return _check_weekday(text, date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError as exc:
            raise ScheduleError(f"{m.group(0)} isn't a real date") from exc
    m = _NUMERIC.search(text)
    if m:
        # Strictly day-first: "03/14/2027" is an error, never silently 14 March.
        day, month = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else today.year
        year += 2000 if year < 100 else 0
        try:
            found = date(year, month, day)
        except ValueError as exc:
            raise ScheduleError(_not_real(day, month, year, m.group(0)) + " — I read dates day first, like "
                                "14/03/2027") from exc
        if not m.group(3) and found < today:
            try:
                found = found.replace(year=year + 1)
            except ValueError as exc:     # 29/2 already passed this leap year; next year has none
                raise ScheduleError(_not_real(day, month, year + 1, m.group(0))) from exc
        return _check_weekday(text, found)
    words = " ".join(_FILLER.sub(" ", text).split())
    if not words:
        return None
    if re.fullmatch(r"(?:the\s+)?day after tomorrow", words):
        return today + timedelta(days=2)
    if re.fullmatch(r"today|tonight", words):
        return today
    if words == "tomorrow":
        return today + timedelta(days=1)
    month = re.search(rf"\b({MONTH_RE})\b", words)
    if month:
        name = calendar.month_name[MONTH_NAMES[month.group(1)]]
        if not re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", words):
            raise UnclearSchedule(f"Which day in {name}? For example “14 {name}”.")
        day_said = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", words)
        year_said = re.search(r"\b(20\d{2})\b", words)
        if day_said and not year_said:
            number = MONTH_NAMES[month.group(1)]
            day = int(day_said.group(1))
            try:
                found = date(today.year, number, day)
            except ValueError:
                found = None
            if found is not None:
                found = found if found >= today else date(today.year + 1, number, day)
                return _check_weekday(words, found)
        found = _dateparser(words, local_now)
        if found is None:
            day_said = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", words)
            number = MONTH_NAMES[month.group(1)]
            raise ScheduleError(_not_real(int(day_said.group(1)), number, today.year + (number < today.month),
                                          f"“{words}”") if day_said else f"“{words}” isn't a real date")
        return _check_weekday(words, found)
    weekday = re.search(rf"\b({DAY_RE})\b", words)
    left = re.sub(rf"\b(?:next|{DAY_RE})\b", " ", words).strip() if weekday else words
    if weekday and not left:
        return _next_weekday(today, DAY_NAMES[weekday.group(1)])
    ordinal = _ORDINAL_DAY.fullmatch(left)
    if ordinal:
        return _check_weekday(words, _next_day_of_month(today, int(ordinal.group(1))))
    if re.fullmatch(r"\d{4}|(?:next|this)\s+year|next", words):
        raise UnclearSchedule("Which day? For example “on 14 March 2027”.")
    raise UnclearSchedule(f"I couldn't tell which day “{text.strip()}” means. Could you give a date, like "
                          "“on 5 January” or “next Friday”?")


def _check_weekday(text: str, found: date) -> date:
    """A weekday written beside a date must agree with it: "Thursday 4 December 2026" is a question."""
    named = re.search(rf"\b({DAY_RE})\b", text.lower())
    if named and DAY_NAMES[named.group(1)] != found.weekday():
        raise UnclearSchedule(f"{uk_date(found)} is a {DAYS[found.weekday()].title()}, not a "
                              f"{DAYS[DAY_NAMES[named.group(1)]].title()} — which did you mean?")
    return found
