"""Why reminder text could not be read: the errors every reader in :mod:`bot.reminders` raises.

They live apart from the readers so that a caller can catch them without caring which reader (a day, a
time, a schedule, a pause or an hours preference) gave up.
"""

from __future__ import annotations


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
