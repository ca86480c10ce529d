"""Reminder schedules and preferences as people type them: UK day-first, local wall-clock times across
clock changes, and a question (never a guess) for anything vague."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.reminders.errors import PreferenceError, ScheduleError, UnclearSchedule
from bot.reminders.hours import Prefs, Window
from bot.reminders.preferences import SCHOOL_DAY, parse_preferences, parse_until
from bot.reminders.request import split_reminder
from bot.reminders.rules import describe_schedule, latest_occurrence, once_moment
from bot.reminders.schedule import parse_reminder, parse_when

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)          # Sunday 22 November 2026, 10:00 in London
NO_TIME = "at 9am — tell me a time if you'd prefer another"


def when(text: str, now: datetime = NOW, zone: ZoneInfo = LONDON, days_before: tuple[int, ...] = (1, 0)):
    return parse_when(text, now, zone, days_before)


# -- recurring ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "schedule"), [
    ("every Monday at 9am", {"type": "weekly", "weekday": 0, "time": "09:00"}),
    ("every monday at 9", {"type": "weekly", "weekday": 0, "time": "09:00"}),
    ("each Tuesday at 16:30", {"type": "weekly", "weekday": 1, "time": "16:30"}),
    ("on Wednesdays at 4pm", {"type": "weekly", "weekday": 2, "time": "16:00"}),
    ("every Sunday at 6.30pm", {"type": "weekly", "weekday": 6, "time": "18:30"}),
    ("every Thursday at noon", {"type": "weekly", "weekday": 3, "time": "12:00"}),
    ("every day at 7pm", {"type": "daily", "time": "19:00"}),
    ("daily at 07:45", {"type": "daily", "time": "07:45"}),
    ("every day at 20:15", {"type": "daily", "time": "20:15"}),
])
def test_recurring_schedules(text: str, schedule: dict) -> None:
    parsed = when(text)
    assert parsed.schedule == schedule
    assert parsed.notes == ()


def test_recurring_without_a_time_is_9am_and_says_so() -> None:
    parsed = when("every Friday")
    assert parsed.schedule == {"type": "weekly", "weekday": 4, "time": "09:00"}
    assert NO_TIME in parsed.notes[0]


def test_a_part_of_the_day_becomes_a_time_that_is_said_back() -> None:
    parsed = when("every evening")
    assert parsed.schedule == {"type": "daily", "time": "18:00"}
    assert "6pm" in parsed.notes[0] and "tell me a time" in parsed.notes[0]


# -- one-offs -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "at"), [
    ("next Friday at 4", "2026-11-27T16:00"),        # a bare 4 is the afternoon, not 4 November
    ("next Friday 4pm", "2026-11-27T16:00"),
    ("tomorrow at 7pm", "2026-11-23T19:00"),
    ("on 14/03/2027 at 10:00", "2027-03-14T10:00"),
    ("14.03.2027 at 10am", "2027-03-14T10:00"),
    ("on 2027-03-14 at 10:00", "2027-03-14T10:00"),
    ("on 03/04/2027 at 10am", "2027-04-03T10:00"),    # day first: 3 April, never 4 March
    ("on 5/1 at 11am", "2027-01-05T11:00"),           # no year: the next 5 January
    ("at 4pm on Friday", "2026-11-27T16:00"),
    ("on Thursday 3 December at 2pm", "2026-12-03T14:00"),
    ("tonight at 8", "2026-11-22T20:00"),
    ("at 7pm", "2026-11-22T19:00"),                   # later today
    ("in 2 hours", "2026-11-22T12:00"),
    ("in half an hour", "2026-11-22T10:30"),
])
def test_one_off_with_a_time(text: str, at: str) -> None:
    parsed = when(text)
    assert parsed.schedule == {"type": "once", "at": at}
    assert parsed.notes == ()


@pytest.mark.parametrize(("text", "day"), [
    ("on Friday", "2026-11-27"),
    ("Friday", "2026-11-27"),
    ("14 March 2027", "2027-03-14"),
    ("on 14th March 2027", "2027-03-14"),
    ("on 5 January", "2027-01-05"),
    ("on the 5th", "2026-12-05"),                     # the next 5th, not the one that has passed
    ("in 3 days", "2026-11-25"),
    ("in a fortnight", "2026-12-06"),
    ("the day after tomorrow", "2026-11-24"),
    ("on Sunday", "2026-11-29"),                      # said on a Sunday: next week's
])
def test_one_off_without_a_time_is_9am_and_says_so(text: str, day: str) -> None:
    parsed = when(text)
    assert parsed.schedule == {"type": "once", "at": f"{day}T09:00"}
    assert any(NO_TIME in note for note in parsed.notes)


def test_a_time_that_has_passed_today_is_tomorrow_and_says_so() -> None:
    parsed = when("at 9am")                           # it is 10:00
    assert parsed.schedule == {"type": "once", "at": "2026-11-23T09:00"}
    assert "already passed today" in parsed.notes[0] and "23 November 2026" in parsed.notes[0]


def test_morning_without_a_time() -> None:
    parsed = when("tomorrow morning")
    assert parsed.schedule == {"type": "once", "at": "2026-11-23T09:00"}
    assert "9am" in parsed.notes[0]


# -- deadlines ----------------------------------------------------------------------------------------
def test_deadline_with_nudges_before_it() -> None:
    parsed = when("by 14 March 2027", days_before=(21, 1))
    assert parsed.schedule == {"type": "deadline", "date": "2027-03-14", "days_before": [21, 1], "time": "09:00"}


def test_deadline_by_a_weekday() -> None:
    parsed = when("by Friday")
    assert parsed.schedule == {"type": "deadline", "date": "2026-11-27", "days_before": [1, 0], "time": "09:00"}


def test_deadline_before_a_numeric_date() -> None:
    assert when("before 01/02/2027").schedule["date"] == "2027-02-01"


# -- splitting the message ----------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "audience", "when_text", "message"), [
    ("remind me every Monday at 9am to work on my portfolio", "me", "every Monday at 9am", "work on my portfolio"),
    ("remind me on Friday to email my tutor", "me", "on Friday", "email my tutor"),
    ("Remind me to email my tutor on Friday at 4pm", "me", "on Friday at 4pm", "email my tutor"),
    ("remind me to read chapter 5 on Friday", "me", "on Friday", "read chapter 5"),
    ("remind my learners to submit unit 501 by 14 March 2027", "my learners", "by 14 March 2027",
     "submit unit 501"),
    ("remind Alice Able to send her draft by Friday", "Alice Able", "by Friday", "send her draft"),
    ("set a reminder for Friday to email Bob", "", "Friday", "email Bob"),
    ("can you remind me about my portfolio every Monday?", "me", "every Monday", "my portfolio"),
    ("remind me on Friday", "me", "on Friday", ""),
])
def test_split_reminder(text: str, audience: str, when_text: str, message: str) -> None:
    parts = split_reminder(text)
    assert (parts.audience, parts.when, parts.message) == (audience, when_text, message)


def test_parse_reminder_whole_request() -> None:
    parsed = parse_reminder("remind me every Monday at 9am to work on my portfolio", NOW, LONDON)
    assert parsed.schedule == {"type": "weekly", "weekday": 0, "time": "09:00"}
    assert parsed.message == "work on my portfolio" and parsed.audience == "me"


def test_a_vague_when_after_the_message_is_still_caught() -> None:
    with pytest.raises(UnclearSchedule, match="term"):
        parse_reminder("remind me to email my tutor after half-term", NOW, LONDON)


# -- unclear: a question, never a guess ---------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "after half-term", "sometime next week", "soon", "next week", "later", "at the weekend", "in March",
    "next month", "by the end of the week", "at 7", "every weekday at 8", "every Monday and Thursday", "every month",
    "every week", "", "this time next week", "around Friday", "Thursday 4 December",
])
def test_unclear_schedules_ask(text: str) -> None:
    with pytest.raises(UnclearSchedule) as caught:
        when(text)
    assert str(caught.value).endswith(("?", ".", "”."))
    assert len(str(caught.value)) > 10


def test_seven_oclock_asks_am_or_pm() -> None:
    with pytest.raises(UnclearSchedule, match="7am or 7pm"):
        when("tomorrow at 7")


def test_weekday_and_date_that_disagree_ask() -> None:
    with pytest.raises(UnclearSchedule, match="4 December 2026 is a Friday"):
        when("on Thursday 4 December")


# -- impossible ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "says"), [
    ("on 31/02/2027", "isn't a real date"),
    ("on 03/14/2027", "day first"),                   # not silently read month-first
    ("on 31 February 2027", "isn't a real date"),
    ("on 14/03/2020", "already passed"),
    ("today at 9am", "already passed"),
    ("at 25:00", "isn't a time"),
    ("at 13pm", "isn't a time"),
    ("by 1 January 2020", "already passed"),
])
def test_impossible_schedules_are_errors(text: str, says: str) -> None:
    with pytest.raises(ScheduleError, match=says) as caught:
        when(text)
    assert not isinstance(caught.value, UnclearSchedule)


# -- time zones and clock changes ---------------------------------------------------------------------
def test_tomorrow_is_the_persons_own_tomorrow() -> None:
    # 23:30 UTC on Saturday 24 October 2026 is already 00:30 on Sunday 25th in London (BST).
    late = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
    assert when("tomorrow at 9am", now=late).schedule["at"] == "2026-10-26T09:00"
    paris = ZoneInfo("Europe/Paris")
    assert when("tomorrow at 9am", now=datetime(2026, 11, 22, 23, 30, tzinfo=UTC), zone=paris).schedule["at"] == \
        "2026-11-24T09:00"


def test_weekly_time_stays_on_the_wall_clock_across_the_clock_change() -> None:
    schedule = when("every Monday at 9am").schedule
    created = datetime(2027, 3, 1, tzinfo=UTC)
    winter = latest_occurrence(schedule, LONDON, created, datetime(2027, 3, 22, 12, 0, tzinfo=UTC))
    summer = latest_occurrence(schedule, LONDON, created, datetime(2027, 3, 29, 12, 0, tzinfo=UTC))
    assert winter is not None and summer is not None
    assert winter[0].astimezone(UTC).hour == 9          # GMT
    assert summer[0].astimezone(UTC).hour == 8          # BST: still 09:00 in London
    assert winter[0].astimezone(LONDON).time() == summer[0].astimezone(LONDON).time() == time(9, 0)


def test_one_off_after_the_clock_change_is_local_time() -> None:
    schedule = when("on 29/03/2027 at 9am").schedule
    found = latest_occurrence(schedule, LONDON, NOW, datetime(2027, 3, 29, 8, 0, tzinfo=UTC))
    assert found is not None and found[0].astimezone(UTC) == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)


def test_a_time_the_clocks_skip_is_an_error() -> None:
    with pytest.raises(ScheduleError, match="clocks go forward"):
        when("on 28/03/2027 at 1:30am")


def test_in_two_hours_across_the_autumn_change() -> None:
    # 00:30 UTC on 25 October 2026 = 01:30 BST; two hours later it is 02:30 GMT.
    assert when("in 2 hours", now=datetime(2026, 10, 25, 0, 30, tzinfo=UTC)).schedule["at"] == "2026-10-25T02:30"


# -- pauses -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "until"), [
    ("pause my reminders until 5 January", date(2027, 1, 5)),
    ("pause my reminders till 05/01/2027", date(2027, 1, 5)),
    ("pause reminders for Alice until 5 January", date(2027, 1, 5)),
    ("pause my reminders for two weeks", date(2026, 12, 6)),
    ("pause my reminders for 10 days", date(2026, 12, 2)),
])
def test_pause_until(text: str, until: date) -> None:
    assert parse_until(text, NOW, LONDON) == until


def test_pause_without_an_end_is_none() -> None:
    assert parse_until("pause my reminders", NOW, LONDON) is None


@pytest.mark.parametrize("text", ["pause my reminders until after half-term", "pause my reminders for a while",
                                  "pause my reminders until next week", "pause reminders until the holidays"])
def test_pause_with_a_vague_end_asks(text: str) -> None:
    with pytest.raises(UnclearSchedule):
        parse_until(text, NOW, LONDON)


def test_pause_until_a_past_day_is_an_error() -> None:
    with pytest.raises(ScheduleError, match="isn't in the future"):
        parse_until("pause until 1/11/2026", NOW, LONDON)


# -- preferences --------------------------------------------------------------------------------------
def test_not_during_the_school_day() -> None:
    change = parse_preferences("not during the school day")
    assert change.blocked == (SCHOOL_DAY,)
    assert change.blocked[0] == Window((0, 1, 2, 3, 4), time(8, 30), time(15, 30))
    prefs = change.apply(Prefs())
    assert prefs.blocked == [SCHOOL_DAY] and prefs.allowed == []
    assert "08:30–15:30" in change.said[0]


@pytest.mark.parametrize(("text", "window"), [
    ("only Sunday mornings", Window((6,), time(8, 0), time(12, 0))),
    ("only weekends", Window((5, 6), time(0, 0), time(23, 59))),
    ("only evenings", Window(tuple(range(7)), time(17, 0), time(21, 0))),
    ("only on weekday evenings", Window((0, 1, 2, 3, 4), time(17, 0), time(21, 0))),
    ("only remind me between 6pm and 8pm", Window(tuple(range(7)), time(18, 0), time(20, 0))),
])
def test_only(text: str, window: Window) -> None:
    change = parse_preferences(text)
    assert change.allowed == (window,)
    # "Only" replaces what was allowed before.
    assert change.apply(Prefs(allowed=[Window((2,), time(9, 0), time(10, 0))])).allowed == [window]


@pytest.mark.parametrize(("text", "window"), [
    ("not on Saturdays", Window((5,), time(0, 0), time(23, 59))),
    ("never at weekends", Window((5, 6), time(0, 0), time(23, 59))),
    ("no reminders on Saturday mornings", Window((5,), time(8, 0), time(12, 0))),
])
def test_blocked_days(text: str, window: Window) -> None:
    change = parse_preferences(text)
    assert change.blocked == (window,)
    # Blocks add up, once each.
    prefs = change.apply(change.apply(Prefs(blocked=[SCHOOL_DAY])))
    assert prefs.blocked == [SCHOOL_DAY, window]


def test_quiet_hours() -> None:
    prefs = parse_preferences("quiet hours 10pm to 7am").apply(Prefs())
    assert (prefs.quiet_start, prefs.quiet_end) == (time(22, 0), time(7, 0))
    prefs = parse_preferences("quiet hours from 22:30 until 06:45").apply(Prefs())
    assert (prefs.quiet_start, prefs.quiet_end) == (time(22, 30), time(6, 45))


def test_no_reminders_after_and_before() -> None:
    prefs = parse_preferences("no reminders after 8pm").apply(Prefs())
    assert (prefs.quiet_start, prefs.quiet_end) == (time(20, 0), time(8, 0))
    prefs = parse_preferences("don't message me before 9am").apply(Prefs())
    assert (prefs.quiet_start, prefs.quiet_end) == (time(21, 0), time(9, 0))


@pytest.mark.parametrize(("text", "zone"), [
    ("my time zone is Europe/Paris", "Europe/Paris"),
    ("set my timezone to America/New_York", "America/New_York"),
    ("my time zone is new york please", "America/New_York"),
    ("my timezone is paris", "Europe/Paris"),
    ("my time zone is UK time", "Europe/London"),
])
def test_time_zone(text: str, zone: str) -> None:
    change = parse_preferences(text)
    assert change.timezone == zone
    assert change.apply(Prefs()).zone == ZoneInfo(zone)


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(PreferenceError, match="Europe/Paris"):
        parse_preferences("my time zone is Mars/Olympus_Mons")


def test_several_preferences_at_once_and_reset() -> None:
    prefs = parse_preferences("only weekends, and nothing after 8pm").apply(Prefs(opted_out=True))
    assert prefs.allowed == [Window((5, 6), time(0, 0), time(23, 59))] and prefs.quiet_start == time(20, 0)
    assert prefs.opted_out                              # preferences never touch the opt-out
    reset = parse_preferences("reset my reminder preferences").apply(prefs)
    assert reset.allowed == [] and reset.blocked == [] and reset.quiet_start == time(21, 0)


def test_nothing_recognised_is_an_error_with_examples() -> None:
    with pytest.raises(PreferenceError, match="school day"):
        parse_preferences("whenever suits the moon")


def test_pure_functions_use_the_clock_given() -> None:
    later = NOW + timedelta(days=400)
    assert when("on 5 January", now=later).schedule["at"] == "2028-01-05T09:00"   # now is 27 December 2027


@pytest.mark.parametrize("text", ["tomorrow at 6", "on Friday at 5", "tomorrow at 8"])
def test_an_hour_that_could_be_morning_or_evening_is_asked(text: str) -> None:
    with pytest.raises(UnclearSchedule):
        when(text)


def test_a_pause_date_stops_where_the_explanation_starts() -> None:
    assert parse_until("until 5 january, hes on paternity leave", NOW, LONDON) == date(2027, 1, 5)
    assert parse_until("until 5 January because of the inspection", NOW, LONDON) == date(2027, 1, 5)


def test_a_one_off_set_for_the_hour_that_comes_twice_means_the_one_coming_up() -> None:
    # 31 October 2027: 01:00–02:00 happens twice in London (BST, then GMT).
    schedule = {"type": "once", "at": "2027-10-31T01:29"}
    before_both = datetime(2027, 10, 31, 0, 10, tzinfo=UTC)            # 01:10 BST: the first 01:29 is ahead
    between = datetime(2027, 10, 31, 1, 25, tzinfo=UTC)                # 01:25 GMT: only the second is ahead
    assert once_moment(schedule, LONDON, before_both).astimezone(UTC) == datetime(2027, 10, 31, 0, 29, tzinfo=UTC)
    assert once_moment(schedule, LONDON, between).astimezone(UTC) == datetime(2027, 10, 31, 1, 29, tzinfo=UTC)
    # … so it is due, and not lost as "before it was made"
    due, _ = latest_occurrence(schedule, LONDON, between, datetime(2027, 10, 31, 1, 30, tzinfo=UTC))
    assert due.astimezone(UTC) == datetime(2027, 10, 31, 1, 29, tzinfo=UTC)
    # an ordinary night: one reading
    plain = {"type": "once", "at": "2027-11-07T01:29"}
    assert once_moment(plain, LONDON, datetime(2027, 11, 7, 1, 25, tzinfo=UTC)).astimezone(UTC) == \
        datetime(2027, 11, 7, 1, 29, tzinfo=UTC)


def test_in_two_hours_is_two_hours_of_real_time_across_the_clock_change() -> None:
    # 00:30 BST on 31 October 2027, as a London clock gives it: two hours later it is 01:30 GMT (not 02:30 on the
    # wall clock), and the second 01:30 of the night, so it is kept with its offset …
    now = datetime(2027, 10, 30, 23, 30, tzinfo=UTC).astimezone(LONDON)
    schedule = when("remind me in 2 hours", now=now).schedule
    assert schedule["at"] == "2027-10-31T01:30+00:00"
    assert once_moment(schedule, LONDON, now).astimezone(UTC) == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    assert latest_occurrence(schedule, LONDON, now, datetime(2027, 10, 31, 0, 45, tzinfo=UTC)) is None  # not yet
    assert describe_schedule(schedule) == "on 31 October 2027 at 01:30"
    # … while on any other night the wall time alone says it.
    assert when("remind me in 2 hours", now=datetime(2027, 11, 7, 10, 0, tzinfo=UTC)).schedule["at"] == \
        "2027-11-07T12:00"
