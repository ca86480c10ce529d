"""The date reader against UK phrasings, for any day: what each phrase must mean relative to the clock,
month ends and leap years included (hypothesis draws the clock)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.dates import add_months
from bot.reminders.days import parse_day
from bot.reminders.errors import ScheduleError, UnclearSchedule

DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [calendar.month_name[m].lower() for m in range(1, 13)]
TODAY = st.dates(min_value=date(2026, 1, 1), max_value=date(2031, 12, 31))


def read(text: str, today: date) -> date | None:
    return parse_day(text, datetime.combine(today, datetime.min.time()))


@settings(max_examples=200, deadline=None)
@given(TODAY, st.integers(min_value=1, max_value=12))
def test_end_of_a_month_is_its_last_day_the_next_time_it_comes(today, month) -> None:
    found = read(f"end of {MONTHS[month - 1]}", today)
    assert found is not None and found.month == month
    assert found.day == calendar.monthrange(found.year, month)[1]          # 28, 29, 30 or 31
    assert today <= found < date(today.year + 1, today.month, 1) + timedelta(days=31)


@settings(max_examples=200, deadline=None)
@given(TODAY, st.integers(min_value=1, max_value=31), st.integers(min_value=1, max_value=12))
def test_day_first_numeric_dates_are_the_next_such_day_or_an_error(today, day, month) -> None:
    if day > calendar.monthrange(today.year, month)[1] and day > calendar.monthrange(today.year + 1, month)[1]:
        with pytest.raises(ScheduleError):
            read(f"{day}/{month}", today)
        return
    try:
        found = read(f"{day}/{month}", today)
    except ScheduleError:
        assert (month, day) == (2, 29)        # 29/2 in a year that has none is refused, never moved
        return
    assert found is not None and (found.day, found.month) == (day, month) and found >= today
    assert found.year in (today.year, today.year + 1)


@settings(max_examples=200, deadline=None)
@given(TODAY, st.integers(min_value=1, max_value=8))
def test_in_n_weeks_and_months(today, n) -> None:
    assert read(f"in {n} weeks", today) == today + timedelta(weeks=n)
    assert read(f"in {n} months", today) == add_months(today, n)


@settings(max_examples=200, deadline=None)
@given(TODAY, st.integers(min_value=0, max_value=6))
def test_a_weekday_is_the_next_one_and_next_weekday_is_asked_when_it_could_be_two(today, weekday) -> None:
    found = read(DAYS[weekday], today)
    assert found is not None and found.weekday() == weekday and 1 <= (found - today).days <= 7
    try:
        following = read(f"next {DAYS[weekday]}", today)
    except UnclearSchedule as asked:
        # Said early in a week whose named day is still to come: this one, or the one after?
        assert today.weekday() < 5 and weekday > today.weekday()
        assert len(asked.choices) == 2 and asked.phrase == f"next {DAYS[weekday]}"
        return
    assert following is not None and following.weekday() == weekday and following > today


@pytest.mark.parametrize("text, expected", [
    ("end of the month", date(2027, 2, 28)), ("end of next month", date(2027, 3, 31)),
    ("end of feb 2028", date(2028, 2, 29)), ("31/3", date(2027, 3, 31)), ("march 31st", date(2027, 3, 31)),
    ("the 14th", date(2027, 2, 14)), ("friday week", date(2027, 2, 19)), ("in a fortnight", date(2027, 2, 24)),
])
def test_a_table_of_uk_phrasings(text, expected) -> None:
    assert read(text, date(2027, 2, 10)) == expected          # a Wednesday


@pytest.mark.parametrize("text", ["30 Feb", "31/11", "31 April", "29/2"])
def test_impossible_dates_are_refused_naming_the_month(text) -> None:
    with pytest.raises(ScheduleError) as refused:
        read(text, date(2027, 1, 11))
    assert any(m in str(refused.value) for m in ("February", "November", "April"))
