"""The words dates are written in: day and month names (with their usual short forms) and small numbers.

Shared by every reader in :mod:`bot.reminders` so that "weds", "sept" and "three" mean the same thing
whether they turn up in a date, a schedule, a reminder request or an hours preference.
"""

from __future__ import annotations

import calendar

from bot.reminders.hours import DAYS

DAY_NAMES: dict[str, int] = {}
for _n, _name in enumerate(DAYS):
    for _form in {_name, _name[:3], _name + "s"}:
        DAY_NAMES[_form] = _n
DAY_NAMES.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
MONTH_NAMES: dict[str, int] = {}
for _n in range(1, 13):
    MONTH_NAMES[calendar.month_name[_n].lower()] = _n
    MONTH_NAMES[calendar.month_abbr[_n].lower()] = _n
MONTH_NAMES["sept"] = 9

# Longest first: an alternation takes the first form that fits, and "thursday" must win over "thu".
DAY_RE = "|".join(sorted(DAY_NAMES, key=len, reverse=True))
MONTH_RE = "|".join(sorted(MONTH_NAMES, key=len, reverse=True))
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
AMOUNT = r"(\d{1,3}|" + "|".join(NUMBER_WORDS) + r")"


def amount(word: str) -> int:
    """The number an :data:`AMOUNT` match names: "3" → 3, "three" → 3, "a" → 1."""
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]
