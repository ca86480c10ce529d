"""Reminder schedules and preferences as people type them, UK day-first.

``parse_reminder("remind me every Monday at 9am to work on my portfolio", now, zone)`` gives the
schedule dict of :mod:`bot.reminders.rules` (times are the recipient's local wall clock, "HH:MM") and
the message. Dates go through the dateparser library (DMY, future dates preferred, relative to
``now`` in the person's own zone, English only); numeric dates are read strictly day-first here,
because a library that finds "03/14/2027" invalid as DMY quietly reads it as MDY.

Nothing is guessed: vague phrases ("after half-term", "sometime next week", "soon") raise
:class:`UnclearSchedule` with a question to ask; impossible or past dates raise
:class:`ScheduleError`. Assumptions the bot does make (9am when no time is given, tomorrow when a
time has already passed today) come back as ``notes`` that the reply must show.

Everything here is pure: the clock and the zone are arguments.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import dateparser

from bot.dates import add_months, uk_date
from bot.reminders.hours import DAYS, DEFAULT_QUIET, DEFAULT_TIMEZONE, Prefs, Window

DEFAULT_TIME = time(9, 0)
# When a part of the day is named but no time: the time used, said back to the person.
PART_TIMES = {"morning": time(9, 0), "afternoon": time(14, 0), "evening": time(18, 0), "tonight": time(19, 0),
              "night": time(19, 0)}
# Windows for preferences ("only evenings").
PART_WINDOWS = {"morning": (time(8, 0), time(12, 0)), "afternoon": (time(12, 0), time(17, 0)),
                "evening": (time(17, 0), time(21, 0))}
ALL_DAY = (time(0, 0), time(23, 59))
SCHOOL_DAY = Window((0, 1, 2, 3, 4), time(8, 30), time(15, 30))
WORKING_DAY = Window((0, 1, 2, 3, 4), time(9, 0), time(17, 0))
WEEKDAYS = (0, 1, 2, 3, 4)
WEEKEND = (5, 6)

_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False}


class ScheduleError(ValueError):
    """Text that cannot become a schedule: an impossible or past date (the intent replies "error")."""


class UnclearSchedule(ScheduleError):
    """Text too vague to schedule without guessing; the message is the question to ask ("clarify"), with
    the readings to choose from and the phrase they replace when there are some."""

    def __init__(self, message: str, choices: tuple[str, ...] = (), phrase: str = ""):
        super().__init__(message)
        self.choices = choices
        self.phrase = phrase


class PreferenceError(ValueError):
    """A preference the bot can't read; the message says what it can understand."""


# -- words -----------------------------------------------------------------------------------------
_DAY_NAMES: dict[str, int] = {}
for _n, _name in enumerate(DAYS):
    for _form in {_name, _name[:3], _name + "s"}:
        _DAY_NAMES[_form] = _n
_DAY_NAMES.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
_MONTH_NAMES: dict[str, int] = {}
for _n in range(1, 13):
    _MONTH_NAMES[calendar.month_name[_n].lower()] = _n
    _MONTH_NAMES[calendar.month_abbr[_n].lower()] = _n
_MONTH_NAMES["sept"] = 9

_DAY_RE = "|".join(sorted(_DAY_NAMES, key=len, reverse=True))
_MONTH_RE = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_AMOUNT = r"(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"

# Words a schedule phrase may be made of (when splitting it from the message). Vague words are
# included on purpose: "remind me to email my tutor after half-term" must reach the vagueness check
# rather than put "after half-term" into the message.
_WHEN_WORDS = frozenset(
    "every each on at by before the of next this coming tomorrow today tonight morning mornings afternoon "
    "afternoons evening evenings night nights day days daily weekly week weeks weekday weekdays in and o'clock "
    "oclock noon midday midnight am pm hour hours minute minutes min mins from now until till weekend weekends "
    "fortnight month months year soon sometime later after half-term halfterm half term christmas easter "
    "holiday holidays end around ish asap whenever due start beginning a an one two three four five six seven "
    "eight nine ten eleven twelve".split())
_TIME_TOKEN = re.compile(r"^\d{1,2}(?:[:.]\d{2})?(?:am|pm|a\.m\.|p\.m\.)?$")
# "2.2" is a criterion, not 2 February: a dotted date needs its year ("14.03.2027").
_DATE_TOKEN = re.compile(r"^(?!\d{1,2}\.\d{1,2}$)\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?$|^\d{4}-\d{2}-\d{2}$|"
                         r"^\d{1,2}(?:st|nd|rd|th)$")
_NUMBER_CONTEXT_BEFORE = frozenset("at on the in by before until till from".split())
_NUMBER_CONTEXT_AFTER = frozenset("am pm o'clock oclock day days week weeks hour hours minute minutes min mins "
                                  "st nd rd th".split())
# A schedule phrase names something about time, not just "on the".
_ANCHOR = re.compile(
    rf"\b(?:{_DAY_RE}|{_MONTH_RE}|tomorrow|today|tonight|noon|midday|midnight|daily|weekly|every|each|"
    r"mornings?|afternoons?|evenings?|weekends?|fortnight|soon|sometime|later|asap|whenever|half-?term|term|"
    r"christmas|easter|holidays?|next)\b|\bend of\b|\d", re.IGNORECASE)
_TOKEN = re.compile(r"[\w/.:'’+-]+")
_MARKER = re.compile(r"\b(?:to|that|about)\b", re.IGNORECASE)
_LEAD = re.compile(r"\b(?:remind(?:er)?s?|nudge|ping)\b", re.IGNORECASE)


def _bare(token: str) -> str:
    return token.lower().replace("’", "'").strip(".,!?;:")


def _is_when_token(tokens: list[str], i: int) -> bool:
    """Is ``tokens[i]`` part of a schedule phrase? Bare numbers only next to date or time words, so
    "read chapter 5 on Friday" keeps its 5."""
    word = _bare(tokens[i])
    if word in _WHEN_WORDS or word in _DAY_NAMES or word in _MONTH_NAMES:
        return True
    if _DATE_TOKEN.match(word) or (_TIME_TOKEN.match(word) and not word.isdigit()):
        return True
    if word.isdigit():
        before = _bare(tokens[i - 1]) if i else ""
        after = _bare(tokens[i + 1]) if i + 1 < len(tokens) else ""
        value = int(word)
        if len(word) == 4 and 2000 <= value <= 2100:
            nearby = {_bare(t) for t in tokens[max(0, i - 2):i]}
            return bool(nearby & set(_MONTH_NAMES)) or bool(_DATE_TOKEN.match(before))
        if 1 <= value <= 31:
            return (before in _NUMBER_CONTEXT_BEFORE or before in _MONTH_NAMES or before in _DAY_NAMES
                    or after in _NUMBER_CONTEXT_AFTER or after in _MONTH_NAMES)
    return False


def _when_suffix(text: str) -> tuple[str, str]:
    """``text`` split as (the rest, the schedule phrase at its end): the longest tail made only of
    schedule words that names a time ("email my tutor on Friday at 4pm" → "email my tutor", "on Friday
    at 4pm")."""
    matches = list(_TOKEN.finditer(text))
    tokens = [m.group(0) for m in matches]
    for start in range(len(tokens)):
        if all(_is_when_token(tokens, i) for i in range(start, len(tokens))):
            tail = text[matches[start].start():]
            if _ANCHOR.search(tail):
                return text[:matches[start].start()].strip(" ,"), tail.strip(" ,.!?")
    return text.strip(" ,"), ""


@dataclass(frozen=True)
class ReminderText:
    """A reminder request taken apart: who it is for (as typed), when, and what it should say."""

    audience: str
    when: str
    message: str


_DUE = re.compile(r"\b(?:due|by|before)\s+((?:the\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+[A-Za-z]{3,9}(?:\s+\d{4})?|"
                  r"\d{1,2}/\d{1,2}(?:/\d{2,4})?)", re.IGNORECASE)
_NUDGE = re.compile(r",?\s*(?:and\s+)?(?:nudge|remind|ping)\s+(?:them|me|her|him)\b[^,.;]*\bbefore\b", re.IGNORECASE)
_TOLD = re.compile(r"^\s*(?:please\s+)?tell\s+(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+(?:that\s+)?(?P<msg>[^;]+?)"
                   r"\s*[;,.]\s*(?:and\s+)?(?P<rest>remind\s+(?:her|him|them)\b.*)$")


def split_reminder(text: str) -> ReminderText:
    """"remind me every Monday at 9am to work on my portfolio" → ("me", "every Monday at 9am",
    "work on my portfolio"). The schedule may come before or after the message, or both."""
    told = _TOLD.search(text)
    if told:
        # "tell Priya her draft is due; remind her on Friday": what to tell is the message, the rest says when.
        when = " ".join(w for w in (_when_suffix(told.group("rest"))[1], _when_suffix(told.group("msg"))[1]) if w)
        message = _when_suffix(told.group("msg"))[0].strip(" ,.;!?")
        return ReminderText(told.group("who").strip(), when, message)
    lead = _LEAD.search(text)
    rest = text[lead.end():] if lead else text
    colon = re.match(r"^\s*(?:a\s+)?(?:reminder\s+)?for\s+(?P<who>(?:my|our|the|all)\b[^:\d]{2,40}?|[A-Z][^:\d]{1,30}?)"
                     r"\s*:\s*(?P<msg>.+)$", rest, re.IGNORECASE)
    if colon:
        # "set a reminder for my group: drafts due 19 March, nudge them three weeks before".
        message, when = _when_suffix(colon.group("msg"))
        due = _DUE.search(message)
        if not when and due:
            # "drafts due 19 March, nudge them three weeks before": a deadline, with the usual nudges before it.
            when = f"by {due.group(1)}"
            message = _DUE.sub("", _NUDGE.sub("", message))
        return ReminderText(colon.group("who").strip(), when, message.strip(" ,.!?"))
    marker = _MARKER.search(rest)
    before, after = (rest[:marker.start()], rest[marker.end():]) if marker else (rest, "")
    audience, when_before = _when_suffix(before)
    message, when_after = _when_suffix(after)
    audience = re.sub(r"^\s*(?:for|to)\b\s*", "", audience, flags=re.IGNORECASE).strip(" ,")
    message = re.sub(r"^\s*(?:please\s+)?", "", message, flags=re.IGNORECASE).strip(" ,.!?")
    when = " ".join(w for w in (when_before, when_after) if w)
    return ReminderText(audience, when, message)


# -- times -----------------------------------------------------------------------------------------
_HHMM = re.compile(r"(?<![\d/.:])\b(?:at\s+)?(\d{1,2})[:.](\d{2})\s*(am|pm|a\.m\.|p\.m\.)?(?![\d/:]|\.\d)",
                   re.IGNORECASE)
_H_AMPM = re.compile(r"(?<![\d/.:])\b(?:at\s+)?(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.)(?!\w)", re.IGNORECASE)
_H_BARE = re.compile(rf"\bat\s+(\d{{1,2}})(?:\s*o'?clock)?\b(?![:./]\d)(?!\s*(?:st|nd|rd|th)\b)"
                     rf"(?!\s+(?:of\s+)?(?:{_MONTH_RE})\b)|\b(\d{{1,2}})\s*o'?clock\b", re.IGNORECASE)
_NOON = re.compile(r"\b(?:at\s+)?(noon|midday|midnight)\b", re.IGNORECASE)
_PART = re.compile(r"\b(?:in the |this )?(morning|afternoon|evening|tonight|night)s?\b", re.IGNORECASE)
_NAMES_TODAY = re.compile(r"\btonight\b|\btoday\b|\bthis (?:morning|afternoon|evening)\b", re.IGNORECASE)


def _clock(value: time) -> str:
    """09:00 → "9am", 16:30 → "4:30pm", 12:00 → "noon": how the reply says an assumed time."""
    if value == time(12, 0):
        return "noon"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{f':{value.minute:02d}' if value.minute else ''}{suffix}"


def _resolve_hour(hour: int, minute: int, meridiem: str | None, part: str | None, written: str) -> time:
    """A clock time from its parts; a bare hour takes its half of the day from the words around it
    ("tonight at 8") or from how people speak (4 → 4pm, 10 → 10am); 5 to 8 could be either end of a
    long working day, so we ask."""
    if minute > 59:
        raise ScheduleError(f"“{written}” isn't a time")
    if meridiem:
        if not 1 <= hour <= 12:
            raise ScheduleError(f"“{written}” isn't a time")
        return time(hour % 12 + (12 if meridiem.startswith("p") else 0), minute)
    if hour > 23:
        raise ScheduleError(f"“{written}” isn't a time")
    if hour == 0 or hour >= 13 or re.sub(r"^at\s+", "", written).startswith("0"):
        return time(hour, minute)              # a 24-hour time ("16:30", "07:00")
    if part in ("afternoon", "evening", "tonight", "night"):
        return time(hour % 12 + 12, minute)
    if part == "morning":
        return time(hour % 12, minute)
    if hour == 12:
        return time(12, minute)
    if hour <= 4:
        return time(hour + 12, minute)         # nobody wants a reminder at 4am
    if hour <= 8:
        written = f"{hour}:{minute:02d}" if minute else str(hour)
        raise UnclearSchedule(f"Do you mean {written}am or {written}pm?")
    return time(hour, minute)


def _take_time(text: str) -> tuple[time | None, str | None, str]:
    """(the clock time written, the part of day named, the text without them)."""
    part_match = _PART.search(text)
    part = part_match.group(1).lower() if part_match else None
    for pattern in (_HHMM, _H_AMPM):
        m = pattern.search(text)
        if m:
            minute = int(m.group(2)) if pattern is _HHMM else 0
            meridiem = (m.group(3) if pattern is _HHMM else m.group(2)) or None
            at = _resolve_hour(int(m.group(1)), minute, meridiem.lower().replace(".", "") if meridiem else None,
                               part, m.group(0).strip())
            return at, part, text[:m.start()] + " " + text[m.end():]
    m = _NOON.search(text)
    if m:
        at = time(0, 0) if m.group(1).lower() == "midnight" else time(12, 0)
        return at, part, text[:m.start()] + " " + text[m.end():]
    m = _H_BARE.search(text)
    if m:
        hour = int(m.group(1) or m.group(2))
        return _resolve_hour(hour, 0, None, part, m.group(0).strip()), part, text[:m.start()] + " " + text[m.end():]
    return None, part, text


# -- dates -----------------------------------------------------------------------------------------
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
_RELATIVE = re.compile(rf"\bin\s+{_AMOUNT}\s+(minutes?|mins?|hours?|hrs?)\b|\bin\s+half\s+an\s+hour\b",
                       re.IGNORECASE)
_IN_DAYS = re.compile(rf"\bin\s+{_AMOUNT}\s+(days?|weeks?)\b|\bin\s+a\s+fortnight\b", re.IGNORECASE)
_NUMERIC = re.compile(r"(?<![\d/.-])(?!\d{1,2}\.\d{1,2}(?![.\d]))(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?"
                      r"(?![\d/.-]*\d)")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ORDINAL_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)")
_FILLER = re.compile(r"\b(?:on|at|the|of|this|coming|for|from|starting|due|by|before|until|till|and|o'?clock)\b|[,]",
                     re.IGNORECASE)


def _amount(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


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


_MONTHS_FULL = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
_END_OF = re.compile(rf"\bend of\s+(?:the\s+)?(?:(this|next)\s+month|month|({_MONTHS_FULL}))\b(?:\s+(\d{{4}}))?",
                     re.IGNORECASE)
_IN_MONTHS = re.compile(rf"\bin\s+{_AMOUNT}\s+months?\b", re.IGNORECASE)
_NEXT_WEEKDAY = re.compile(rf"\bnext\s+({_DAY_RE})\b", re.IGNORECASE)
_WEEKDAY_WEEK = re.compile(rf"\b({_DAY_RE})\s+week\b", re.IGNORECASE)


def _end_of(m: re.Match[str], today: date) -> date:
    """"End of March" is 31 March (the next one, unless a year is given); "end of the month" this month's
    last day; "end of next month" next month's."""
    if m.group(2):
        month = _MONTH_NAMES[m.group(2).lower()]
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
        return add_months(today, _amount(m.group(1)))
    m = _NEXT_WEEKDAY.search(text)
    if m:
        return _next_named_weekday(today, _DAY_NAMES[m.group(1)])
    m = _WEEKDAY_WEEK.search(text)
    if m:
        return _next_weekday(today, _DAY_NAMES[m.group(1)]) + timedelta(days=7)
    m = _IN_DAYS.search(text)
    if m:
        if m.group(0).endswith("fortnight"):
            return today + timedelta(days=14)
        n = _amount(m.group(1))
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
    month = re.search(rf"\b({_MONTH_RE})\b", words)
    if month:
        name = calendar.month_name[_MONTH_NAMES[month.group(1)]]
        if not re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", words):
            raise UnclearSchedule(f"Which day in {name}? For example “14 {name}”.")
        day_said = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", words)
        year_said = re.search(r"\b(20\d{2})\b", words)
        if day_said and not year_said:
            number = _MONTH_NAMES[month.group(1)]
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
            number = _MONTH_NAMES[month.group(1)]
            raise ScheduleError(_not_real(int(day_said.group(1)), number, today.year + (number < today.month),
                                          f"“{words}”") if day_said else f"“{words}” isn't a real date")
        return _check_weekday(words, found)
    weekday = re.search(rf"\b({_DAY_RE})\b", words)
    left = re.sub(rf"\b(?:next|{_DAY_RE})\b", " ", words).strip() if weekday else words
    if weekday and not left:
        return _next_weekday(today, _DAY_NAMES[weekday.group(1)])
    ordinal = _ORDINAL_DAY.fullmatch(left)
    if ordinal:
        return _check_weekday(words, _next_day_of_month(today, int(ordinal.group(1))))
    if re.fullmatch(r"\d{4}|(?:next|this)\s+year|next", words):
        raise UnclearSchedule("Which day? For example “on 14 March 2027”.")
    raise UnclearSchedule(f"I couldn't tell which day “{text.strip()}” means. Could you give a date, like "
                          "“on 5 January” or “next Friday”?")


def _check_weekday(text: str, found: date) -> date:
    """A weekday written beside a date must agree with it: "Thursday 4 December 2026" is a question."""
    named = re.search(rf"\b({_DAY_RE})\b", text.lower())
    if named and _DAY_NAMES[named.group(1)] != found.weekday():
        raise UnclearSchedule(f"{uk_date(found)} is a {DAYS[found.weekday()].title()}, not a "
                              f"{DAYS[_DAY_NAMES[named.group(1)]].title()} — which did you mean?")
    return found


# -- schedules -------------------------------------------------------------------------------------
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


_DAILY = re.compile(r"\b(?:every|each)\s+(?:single\s+)?day\b|\bdaily\b|\b(?:every|each)\s+(?:morning|afternoon|"
                    r"evening|night)\b", re.IGNORECASE)
_EVERY = re.compile(r"\b(?:every|each|weekly|fortnightly|monthly)\b|\bon\s+(?:" + _DAY_RE + r")s\b", re.IGNORECASE)
_DEADLINE = re.compile(r"\b(?:by|before|due)\b", re.IGNORECASE)


def _no_time_note(at: time) -> str:
    return f"You didn't give a time, so it's at {_clock(at)} — tell me a time if you'd prefer another."


def _wall(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The aware local moment; a time the clocks skip (spring forward) is an error, not a silent shift."""
    moment = datetime.combine(day, at, zone)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise ScheduleError(f"The clocks go forward on {uk_date(day)}, so {at.strftime('%H:%M')} doesn't exist "
                            "that day — could you pick another time?")
    return moment


def parse_when(text: str, now: datetime, zone: ZoneInfo, days_before: tuple[int, ...] = (1, 0)) -> When:
    """The schedule in ``text`` ("every Monday at 9am", "by 14 March 2027", "tomorrow at 7pm").

    ``now`` is aware; dates are read in ``zone`` (the recipient's). A deadline ("by …") gets nudges
    ``days_before`` it at 9am. Raises :class:`UnclearSchedule` / :class:`ScheduleError`.
    """
    low = " ".join(text.lower().replace("’", "'").split())
    if not low:
        raise UnclearSchedule("When should the reminder be? For example “every Monday at 9am”, “on Friday” or "
                              "“tomorrow at 7pm”.")
    local_now = now.astimezone(zone)
    today = local_now.date()
    relative = _RELATIVE.search(low)
    if relative:
        if relative.group(0).startswith("in half"):
            delta = timedelta(minutes=30)
        else:
            n = _amount(relative.group(1))
            delta = timedelta(hours=n) if relative.group(2).startswith("h") else timedelta(minutes=n)
        moment = (now + delta).astimezone(zone)
        moment = (moment + timedelta(minutes=1 if moment.second or moment.microsecond else 0)).replace(
            second=0, microsecond=0)
        return When({"type": "once", "at": moment.strftime("%Y-%m-%dT%H:%M")})
    check_vague(low)
    at, part, rest = _take_time(low)
    notes: list[str] = []
    if at is None and part:
        at = PART_TIMES[part]
        notes.append(f"You said “{part}”, so I've made it {_clock(at)} — tell me a time if you'd prefer another.")
    rest = _PART.sub(" ", rest)

    if _DAILY.search(low):
        if re.search(rf"\b(?:{_DAY_RE})\b", _DAILY.sub(" ", rest)):
            raise UnclearSchedule("Every day, or one day a week? For example “every day at 7pm” or “every Monday "
                                  "at 9am”.")
        if at is None:
            at = DEFAULT_TIME
            notes.append(_no_time_note(at))
        return When({"type": "daily", "time": at.strftime("%H:%M")}, tuple(notes))
    if _EVERY.search(rest):
        days = {_DAY_NAMES[d] for d in re.findall(rf"\b({_DAY_RE})\b", rest)}
        if re.search(r"\bweekdays?\b|\bworking day", rest):
            raise UnclearSchedule("I can remind you every day, or on one day of the week — which would you like? "
                                  "For example “every day at 7pm” or “every Monday at 9am”.")
        if re.search(r"\bmonth|\bfortnight|\bother\b|\byear", rest):
            raise UnclearSchedule("I can repeat reminders every day or every week. Would one of those do — for "
                                  "example “every Monday at 9am”? Or give me a date for a one-off.")
        if len(days) > 1:
            raise UnclearSchedule("One day a week per reminder, please — for example “every Monday at 9am”, "
                                  "then a second one for the other day.")
        if not days:
            raise UnclearSchedule("Which day of the week? For example “every Monday at 9am”.")
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
            raise UnclearSchedule("When should the reminder be? For example “every Monday at 9am”, “on Friday” or "
                                  "“tomorrow at 7pm”.")
        day = today
        # "tonight" / "this evening" mean today: if that has passed, say so rather than move it.
        if _wall(day, at, zone) <= now and not _NAMES_TODAY.search(low):
            day = today + timedelta(days=1)
            notes.append(f"{_clock(at)} has already passed today, so I've made it tomorrow, {uk_date(day)}.")
    elif at is None:
        at = DEFAULT_TIME
        notes.append(_no_time_note(at))
    if day < today:
        raise ScheduleError(f"{uk_date(day)} has already passed")
    if _wall(day, at, zone) <= now:
        raise ScheduleError(f"{_clock(at)} on {uk_date(day)} has already passed")
    return When({"type": "once", "at": f"{day.isoformat()}T{at.strftime('%H:%M')}"}, tuple(notes))


def parse_reminder(text: str, now: datetime, zone: ZoneInfo, days_before: tuple[int, ...] = (1, 0)) -> ParsedReminder:
    """A whole request ("remind me on Friday to email my tutor"): audience as typed, schedule, message."""
    parts = split_reminder(text)
    when = parse_when(parts.when, now, zone, days_before)
    return ParsedReminder(parts.audience, when.schedule, parts.message, when.notes)


_UNTIL = re.compile(r"\b(?:until|till|til|through)\b\s+(.+)$", re.IGNORECASE)
_FOR_SPAN = re.compile(rf"\bfor\s+(?:the\s+next\s+)?(?:{_AMOUNT}\s+(days?|weeks?)|(a\s+)?fortnight)\b", re.IGNORECASE)
_FOR_VAGUE = re.compile(r"\bfor\s+(?:a|the)\s+(?:month|while|bit|term|few|couple)\b|\bfor\s+now\b", re.IGNORECASE)


def parse_until(text: str, now: datetime, zone: ZoneInfo) -> date | None:
    """The day a pause ends, from "until 5 January" or "for two weeks"; None when none is given.

    Reminders start again on that day. Vague ends ("until after half-term", "for a while") raise
    :class:`UnclearSchedule`; a day that is not in the future raises :class:`ScheduleError`.
    """
    local_now = now.astimezone(zone)
    m = _UNTIL.search(text)
    if m:
        # "until 5 January, he's on paternity leave": the date ends where the explanation starts.
        until = re.split(r"[,;(]|\s+(?:as|because|since|while|cos|coz)\s+|\s+-\s+", m.group(1))[0]
        day = parse_day(until, local_now)
        if day is None:
            raise UnclearSchedule("Until which date? For example “until 5 January”.")
        if day <= local_now.date():
            raise ScheduleError(f"{uk_date(day)} isn't in the future")
        return day
    m = _FOR_SPAN.search(text)
    if m:
        if m.group(0).lower().endswith("fortnight"):
            return local_now.date() + timedelta(days=14)
        days = _amount(m.group(1)) * (7 if m.group(2).lower().startswith("week") else 1)
        return local_now.date() + timedelta(days=days)
    if _FOR_VAGUE.search(text):
        raise UnclearSchedule("Until which date? For example “until 5 January” or “for two weeks”.")
    check_vague(text)
    return None


# -- preferences -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PreferenceChange:
    """What a message changes in a person's reminder hours; ``apply`` gives the new :class:`Prefs`."""

    allowed: tuple[Window, ...] | None = None     # None: unchanged; a tuple replaces the allowed windows
    blocked: tuple[Window, ...] = ()              # added to the blocked windows
    quiet_start: time | None = None
    quiet_end: time | None = None
    timezone: str | None = None
    reset: bool = False
    said: tuple[str, ...] = field(default=())     # one sentence per change, for the reply

    def apply(self, prefs: Prefs) -> Prefs:
        out = replace(prefs, allowed=list(prefs.allowed), blocked=list(prefs.blocked))
        if self.reset:
            out = replace(out, allowed=[], blocked=[], quiet_start=DEFAULT_QUIET[0], quiet_end=DEFAULT_QUIET[1])
        if self.allowed is not None:
            out.allowed = list(self.allowed)
        out.blocked += [w for w in self.blocked if w not in out.blocked]
        if self.quiet_start is not None:
            out.quiet_start = self.quiet_start
        if self.quiet_end is not None:
            out.quiet_end = self.quiet_end
        if self.timezone is not None:
            out.timezone = self.timezone
        return out


def describe_window(window: Window) -> str:
    """"on Sundays, 08:00–12:00", "at weekends", "every day, 17:00–21:00"."""
    days = window.days
    if len(days) == 7:
        when = "every day"
    elif days == WEEKDAYS:
        when = "on weekdays"
    elif days == WEEKEND:
        when = "at weekends"
    else:
        names = [DAYS[d].title() + "s" for d in days]
        when = "on " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
    if (window.start, window.end) == ALL_DAY:
        return when
    return f"{when}, {window.start.strftime('%H:%M')}–{window.end.strftime('%H:%M')}"


_TIME_WORD = r"(\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?|noon|midday|midnight)"


def _pref_time(text: str) -> time:
    text = text.strip().lower()
    if text in ("noon", "midday"):
        return time(12, 0)
    if text == "midnight":
        return time(0, 0)
    m = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?", text)
    if not m:
        raise PreferenceError(f"“{text}” isn't a time I can read")
    hour, minute, meridiem = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if meridiem:
        if not 1 <= hour <= 12 or minute > 59:
            raise PreferenceError(f"“{text}” isn't a time")
        return time(hour % 12 + (12 if meridiem == "pm" else 0), minute)
    if hour > 23 or minute > 59:
        raise PreferenceError(f"“{text}” isn't a time")
    return time(hour, minute)


def _days_in(text: str) -> tuple[int, ...] | None:
    """The days a phrase names: "Sunday mornings" → (6,), "weekends" → (5, 6); None when none."""
    if re.search(r"\bweekends?\b", text):
        return WEEKEND
    if re.search(r"\bweekdays?\b|\bworking days?\b|\bschool days\b", text):
        return WEEKDAYS
    found = sorted({_DAY_NAMES[d] for d in re.findall(rf"\b({_DAY_RE})\b", text)})
    return tuple(found) or None


def _hours_in(text: str) -> tuple[time, time] | None:
    m = re.search(rf"\b(?:between|from)\s+{_TIME_WORD}\s+(?:and|to|until|till|-|–)\s+{_TIME_WORD}", text)
    if m:
        return _pref_time(m.group(1)), _pref_time(m.group(2))
    part = re.search(r"\b(morning|afternoon|evening)s?\b", text)
    return PART_WINDOWS[part.group(1)] if part else None


def _timezone(name: str) -> str:
    """A zoneinfo key from what the person typed ("Europe/Paris", "paris", "new york", "UK")."""
    cleaned = name.strip().strip(".!?,“”\"'")
    if cleaned.lower() in ("uk", "gb", "britain", "uk time", "british time", "gmt", "bst", "london"):
        return DEFAULT_TIMEZONE
    zones = available_timezones()
    if cleaned in zones:
        return cleaned
    by_lower = {z.lower(): z for z in zones}
    key = cleaned.lower().replace(" ", "_")
    if key in by_lower:
        return by_lower[key]
    cities = [z for z in zones if z.lower().rsplit("/", 1)[-1] == key and "/" in z]
    if len(cities) == 1:
        return cities[0]
    raise PreferenceError(f"I don't know the time zone “{cleaned}” — please give its name, like Europe/Paris or "
                          "America/New_York")


_NEGATIVE = r"\b(?:not|no|nothing|never|don't|do not|dont)\b"


def parse_preferences(text: str) -> PreferenceChange:
    """The reminder-hours preferences in ``text``.

    Understands "not during the school day" (weekdays 08:30–15:30 blocked), "only Sunday mornings",
    "only weekends", "only evenings", "not on Saturdays", "quiet hours 10pm to 7am", "no reminders
    after 8pm", "my time zone is Europe/Paris" and "reset my reminder preferences". Raises
    :class:`PreferenceError` when it finds none of them.
    """
    low = " ".join(text.lower().replace("’", "'").replace("–", "-").split())
    allowed: tuple[Window, ...] | None = None
    blocked: list[Window] = []
    quiet_start = quiet_end = None
    zone = None
    reset = False
    said: list[str] = []

    m = re.search(r"\btime ?zone\b(?:\s+(?:is|to|as|=|:))?\s*(?:now\s+)?([a-z][\w+/-]*(?:\s+[a-z][\w+/-]*)?)",
                  text, re.IGNORECASE) or re.search(r"\bi(?:'m| am) (?:in|on) ([A-Za-z_]+/[\w+/-]+)", text)
    if m:
        zone = _timezone(m.group(1))
        said.append(f"Your time zone is {zone}: reminders follow your local clock, clock changes included.")
    if re.search(r"\b(?:reset|clear)\b.*\b(?:preferences|settings|hours)\b|\bany ?time is (?:fine|ok|okay)\b", low):
        reset = True
        said.append("Preferences cleared: reminders can come at any time outside the usual quiet hours "
                    f"({DEFAULT_QUIET[0].strftime('%H:%M')}–{DEFAULT_QUIET[1].strftime('%H:%M')}).")
    if re.search(r"\b(?:not|no reminders|nothing|never)\b.*\b(?:during|in)\s+(?:the\s+)?school\s+(?:day|hours)\b|"
                 r"\boutside (?:of )?school hours\b|\bnot (?:while|when) i'm (?:at|in) school\b", low):
        blocked.append(SCHOOL_DAY)
        said.append(f"Nothing during the school day ({describe_window(SCHOOL_DAY)}).")
    if re.search(r"\b(?:not|no reminders|nothing|never)\b.*\b(?:during|in)\s+(?:working|work|office)\s+hours\b|"
                 r"\boutside (?:of )?(?:working|work|office) hours\b", low):
        blocked.append(WORKING_DAY)
        said.append(f"Nothing during working hours ({describe_window(WORKING_DAY)}).")
    m = re.search(rf"\bquiet hours\b[^.]*?{_TIME_WORD}\s*(?:to|until|till|-|and)\s*{_TIME_WORD}", low)
    if m:
        quiet_start, quiet_end = _pref_time(m.group(1)), _pref_time(m.group(2))
        said.append(f"Quiet hours {quiet_start.strftime('%H:%M')}–{quiet_end.strftime('%H:%M')}: nothing is sent "
                    "then, not even urgent reminders.")
    else:
        m = re.search(rf"{_NEGATIVE}[^.]*?\bafter\s+{_TIME_WORD}", low)
        if m:
            quiet_start = _pref_time(m.group(1))
            said.append(f"Nothing after {quiet_start.strftime('%H:%M')} (your quiet hours now start then).")
        m = re.search(rf"{_NEGATIVE}[^.]*?\bbefore\s+{_TIME_WORD}", low)
        if m:
            quiet_end = _pref_time(m.group(1))
            said.append(f"Nothing before {quiet_end.strftime('%H:%M')} (your quiet hours now end then).")
    m = re.search(r"\bonly\b(.*)", low)
    if m:
        phrase = m.group(1)
        days, hours = _days_in(phrase), _hours_in(phrase)
        if days is None and hours is None:
            raise PreferenceError("Only when? For example “only Sunday mornings”, “only weekends” or “only "
                                  "evenings”")
        window = Window(days or tuple(range(7)), *(hours or ALL_DAY))
        allowed = (window,)
        said.append(f"Reminders only {describe_window(window)} (outside quiet hours).")
    m = re.search(rf"{_NEGATIVE}[^.]*?\b(?:on|at|during)\s+((?:(?:{_DAY_RE}|weekends?|weekdays?)"
                  rf"(?:\s+(?:mornings?|afternoons?|evenings?))?(?:\s*(?:,|and|or)\s*)?)+)", low)
    if m and not re.search(r"\bschool day|\bworking hours", low):
        days = _days_in(m.group(1))
        if days:
            window = Window(days, *(_hours_in(m.group(1)) or ALL_DAY))
            blocked.append(window)
            said.append(f"Nothing {describe_window(window)}.")
    m = re.search(rf"{_NEGATIVE}[^.]*?\bin the\s+(morning|afternoon|evening)s?\b", low)
    if m and not blocked:
        window = Window(tuple(range(7)), *PART_WINDOWS[m.group(1)])
        blocked.append(window)
        said.append(f"Nothing {describe_window(window)}.")
    if not said:
        raise PreferenceError("I didn't catch a preference there. I understand things like “not during the school "
                              "day”, “only Sunday mornings”, “only weekends”, “only evenings”, “not on Saturdays”, "
                              "“quiet hours 10pm to 7am”, “no reminders after 8pm” and “my time zone is "
                              "Europe/Paris”")
    return PreferenceChange(allowed, tuple(blocked), quiet_start, quiet_end, zone, reset, tuple(said))


def describe_prefs(prefs: Prefs) -> list[tuple[str, str]]:
    """A person's reminder hours as (label, value) facts, for replies."""
    out = [("Time zone", prefs.timezone),
           ("Quiet hours", f"{prefs.quiet_start.strftime('%H:%M')}–{prefs.quiet_end.strftime('%H:%M')}")]
    if prefs.allowed:
        out.append(("Only", "; ".join(describe_window(w) for w in prefs.allowed)))
    if prefs.blocked:
        out.append(("Never", "; ".join(describe_window(w) for w in prefs.blocked)))
    return out
