"""Reading reminder hours and pauses from what people type: "not during the school day", "only Sunday
mornings", "quiet hours 10pm to 7am", "my time zone is Europe/Paris", "pause … until 5 January".

``parse_preferences`` gives a :class:`PreferenceChange` to apply to the stored :class:`Prefs`
(:mod:`bot.reminders.hours` keeps them and decides when sending is allowed); ``parse_until`` gives the
day a pause ends. Everything here is pure: the clock and the zone are arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from bot.dates import uk_date
from bot.reminders.days import check_vague, parse_day
from bot.reminders.errors import PreferenceError, ScheduleError, UnclearSchedule
from bot.reminders.hours import DAYS, DEFAULT_QUIET, DEFAULT_TIMEZONE, Prefs, Window
from bot.reminders.words import AMOUNT, DAY_NAMES, DAY_RE, amount

# Windows for preferences ("only evenings").
PART_WINDOWS = {"morning": (time(8, 0), time(12, 0)), "afternoon": (time(12, 0), time(17, 0)),
                "evening": (time(17, 0), time(21, 0))}
ALL_DAY = (time(0, 0), time(23, 59))
SCHOOL_DAY = Window((0, 1, 2, 3, 4), time(8, 30), time(15, 30))
WORKING_DAY = Window((0, 1, 2, 3, 4), time(9, 0), time(17, 0))
WEEKDAYS = (0, 1, 2, 3, 4)
WEEKEND = (5, 6)

# -- pauses ----------------------------------------------------------------------------------------
_UNTIL = re.compile(r"\b(?:until|till|til|through)\b\s+(.+)$", re.IGNORECASE)
_FOR_SPAN = re.compile(rf"\bfor\s+(?:the\s+next\s+)?(?:{AMOUNT}\s+(days?|weeks?)|(a\s+)?fortnight)\b", re.IGNORECASE)
_FOR_VAGUE = re.compile(r"\bfor\s+(?:a|the)\s+(?:month|while|bit|term|few|couple)\b|\bfor\s+now\b", re.IGNORECASE)


def parse_until(text: str, now: datetime, zone: ZoneInfo) -> date | None:
    """The day a pause ends, from "until 5 January" or "for two weeks"; None when none is given.

    Reminders start again on that day. Vague ends ("until things calm down", "for a while") raise
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
        days = amount(m.group(1)) * (7 if m.group(2).lower().startswith("week") else 1)
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
    found = sorted({DAY_NAMES[d] for d in re.findall(rf"\b({DAY_RE})\b", text)})
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
    m = re.search(rf"{_NEGATIVE}[^.]*?\b(?:on|at|during)\s+((?:(?:{DAY_RE}|weekends?|weekdays?)"
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
