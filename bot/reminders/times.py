"""Reading a time of day from reminder text: "9am", "16:30", "6.30pm", "at 8 tonight", "noon", "in the evening".

A bare hour takes its half of the day from the words around it or from how people speak; where it could
honestly be either (5 to 8) the bot asks rather than guesses. Everything here is pure.
"""

from __future__ import annotations

import re
from datetime import time

from bot.reminders.errors import ScheduleError, UnclearSchedule
from bot.reminders.words import MONTH_RE

DEFAULT_TIME = time(9, 0)
# When a part of the day is named but no time: the time used, said back to the person.
PART_TIMES = {"morning": time(9, 0), "afternoon": time(14, 0), "evening": time(18, 0), "tonight": time(19, 0),
              "night": time(19, 0)}

_HHMM = re.compile(r"(?<![\d/.:])\b(?:at\s+)?(\d{1,2})[:.](\d{2})\s*(am|pm|a\.m\.|p\.m\.)?(?![\d/:]|\.\d)",
                   re.IGNORECASE)
_H_AMPM = re.compile(r"(?<![\d/.:])\b(?:at\s+)?(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.)(?!\w)", re.IGNORECASE)
_H_BARE = re.compile(rf"\bat\s+(\d{{1,2}})(?:\s*o'?clock)?\b(?![:./]\d)(?!\s*(?:st|nd|rd|th)\b)"
                     rf"(?!\s+(?:of\s+)?(?:{MONTH_RE})\b)|\b(\d{{1,2}})\s*o'?clock\b", re.IGNORECASE)
_NOON = re.compile(r"\b(?:at\s+)?(noon|midday|midnight)\b", re.IGNORECASE)
# A part of the day ("in the evening", "mornings"); the schedule reader also strips it before reading the day.
PART_OF_DAY = re.compile(r"\b(?:in the |this )?(morning|afternoon|evening|tonight|night)s?\b", re.IGNORECASE)


def say_time(value: time) -> str:
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


def take_time(text: str) -> tuple[time | None, str | None, str]:
    """(the clock time written, the part of day named, the text without them)."""
    part_match = PART_OF_DAY.search(text)
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
