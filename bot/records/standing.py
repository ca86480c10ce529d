"""Where a learner stands: criteria met, evidence, expected progress by today, pace, projected finish,
and a RAG status with its rule in plain words.

Expected progress is linear from registration to each unit's target date, or to the registration's
expiry for units without one, and stands still during breaks in learning. RAG: Green — on or ahead of
expected; Amber — up to 10 points behind; Red — more than 10 points behind, or projected to finish after
the registration expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.dates import finish_phrase
from bot.records.registration import Registration

RAG_RULE = ("Green: on or ahead of expected progress; Amber: up to 10 points behind; Red: more than 10 points "
            "behind, or projected to finish after the registration expires.")
AMBER_POINTS = 10.0


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, and a
# centre's cohort view builds 10,000 of these per question (measured: 12 ms against 2 ms).
@dataclass(slots=True)
class Standing:
    person_id: str
    name: str | None
    registration: Registration
    total: int
    met: int
    with_evidence: int
    expected_percent: float | None        # None: no target dates and no expiry to pace against
    last_active: datetime | None
    projected_finish: date | None
    rag: str                              # "green", "amber", "red", "on a break", "no pace set"

    @property
    def percent(self) -> float:
        return 100.0 * self.met / self.total if self.total else 100.0

    @property
    def behind_points(self) -> float | None:
        return None if self.expected_percent is None else self.expected_percent - self.percent

    def summary(self) -> str:
        """One line a tutor or manager reads: "38% met (expected 52%), 14 points behind — Red"."""
        line = f"{self.met} of {self.total} criteria met ({self.percent:.0f}%)"
        if self.expected_percent is not None:
            line += f", expected {self.expected_percent:.0f}% by now"
        if self.projected_finish:
            line += f", on course to finish {finish_phrase(self.projected_finish, self.registration.expires_on)}"
        return f"{line} — {self.rag.title() if self.rag in ('green', 'amber', 'red') else self.rag}"


def fraction_elapsed(start: date, end: date, today: date) -> float:
    if end <= start:
        return 1.0
    return min(max((today - start).days / (end - start).days, 0.0), 1.0)


def rag(status: str, expected_percent: float | None, met: int, total: int, projected: date | None,
        expires_on: date | None) -> str:
    """The RAG status by the rule in ``RAG_RULE`` (or why there is none)."""
    if status == "on_break":
        return "on a break"
    if expected_percent is None:
        return "no pace set"
    behind = expected_percent - (100.0 * met / total if total else 100.0)
    late = projected is not None and expires_on is not None and projected > expires_on
    return "red" if behind > AMBER_POINTS or late else "amber" if behind > 0 else "green"


def projection(start: date, today: date, met: int, total: int, paused_days: int = 0) -> date | None:
    """The finish date at the pace so far, days on a break not counted (None before any criterion is met)."""
    elapsed = (today - start).days - paused_days
    if met == 0 or elapsed <= 0:
        return None
    if met >= total:
        return today
    return today + timedelta(days=round((total - met) * elapsed / met))
