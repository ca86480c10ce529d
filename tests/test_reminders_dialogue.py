"""Reminders through ``Dialogue.handle``: setting, listing and cancelling them, people's hours, pause,
resume and opt-out, tutors' reminders for their learners — and the dispatcher delivering what was set,
to the right person at the right time, and nothing to those paused or opted out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from adapters.compose import make_dialogue
from bot.dialogue import Dialogue
from bot.records.registration import enrol
from bot.reminders.dispatch import ConsoleSender, dispatch_due
from bot.reminders.hours import load_prefs, save_prefs
from bot.reminders.preferences import SCHOOL_DAY
from bot.reminders.rules import rules_for_person, rules_owned_by
from bot.types import Message, Reply
from tests.conftest import NOW
from tests.records_fixture import seed

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

ALICE, BOB, CAROL, EVE, TESS, MO = ("console:alice", "console:bob", "console:carol", "console:eve",
                                    "console:tess", "console:mo")
DAN, FAY = "console:dan", "console:fay"
STRANGER = "slack:UNEW"


@pytest.fixture
def centre(kb, search_index, store) -> Dialogue:
    db = store
    seed(db, kb, NOW)
    return make_dialogue(kb, db, clock=lambda: NOW, search=search_index)


@pytest.fixture
def say(centre: Dialogue) -> Callable[..., Reply]:
    def say(person: str, text: str) -> Reply:
        return centre.handle(Message(person, f"c-{person}", text))[0]
    return say


def _learner(centre: Dialogue, kb, pid: str, name: str, registered: date) -> None:
    """One more of Tess's learners on the level 5 diploma (registration valid for three years)."""
    db = centre.db
    centre_id = db.execute("SELECT centre_id FROM people WHERE id = ?", [TESS]).fetchone()[0]
    db["people"].insert({"id": pid, "name": name, "role": "learner", "centre_id": centre_id,
                         "created_at": NOW.isoformat()})
    db["identities"].insert({"id": pid, "person_id": pid, "platform": "console", "active": 1,
                             "created_at": NOW.isoformat()})
    enrol(db, kb, pid, "l5-sbl-diploma", registered, NOW, "test")
    db["tutor_learners"].insert({"tutor_id": TESS, "learner_id": pid})


def _sent(centre: Dialogue, kb, sender: ConsoleSender, now: datetime) -> list[tuple[str, str]]:
    """(person, text) of custom reminders delivered by one sweep at ``now`` (automatic ones set aside)."""
    before = len(sender.sent)
    dispatch_due(centre.db, kb, sender, now)
    return [(person, text) for person, text, key in sender.sent[before:] if key.startswith("rule:")]


# -- setting your own ---------------------------------------------------------------------------------
def test_weekly_reminder_for_yourself(say, centre) -> None:
    reply = say(ALICE, "remind me every Monday at 9am to work on my portfolio")
    assert reply.kind == "done" and reply.intent == "reminder_set"
    assert "every Monday at 09:00" in reply.text() and "“work on your portfolio”" in reply.text()
    [rule] = rules_owned_by(centre.db, ALICE)
    assert (rule.audience_kind, rule.audience_ref) == ("person", ALICE)
    assert rule.schedule == {"type": "weekly", "weekday": 0, "time": "09:00"}
    assert rule.message == "Reminder: work on your portfolio."


def test_one_off_without_a_time_says_9am(say, centre) -> None:
    reply = say(ALICE, "remind me on Friday to email my tutor")
    assert reply.kind == "done"
    assert "on 27 November 2026 at 09:00" in reply.text()
    assert "at 9am — tell me a time if you'd prefer another" in reply.text()
    assert rules_owned_by(centre.db, ALICE)[0].schedule == {"type": "once", "at": "2026-11-27T09:00"}


@pytest.mark.parametrize(("text", "kind", "says"), [
    ("remind me after half-term to email my tutor", "clarify", "which date"),
    ("remind me sometime next week to call my assessor", "clarify", "When exactly"),
    ("remind me to email my tutor", "clarify", "When should the reminder be"),
    ("remind me on Friday", "clarify", "What should I remind you about"),
    ("remind me at 7 to revise", "clarify", "7am or 7pm"),
    ("remind me on 31/02/2027 to submit", "error", "isn't a real date"),
    ("remind me on 14/03/2020 to submit", "error", "already passed"),
])
def test_unclear_or_impossible_times_set_nothing(say, centre, text: str, kind: str, says: str) -> None:
    reply = say(ALICE, text)
    assert reply.kind == kind and reply.intent == "reminder_set"
    assert says in reply.text()
    assert rules_owned_by(centre.db, ALICE) == []


def test_a_stranger_can_set_their_own_reminder(say, centre) -> None:
    reply = say(STRANGER, "remind me every day at 7pm to revise")
    assert reply.kind == "done" and "every day at 19:00" in reply.text()
    assert rules_owned_by(centre.db, STRANGER)[0].audience_ref == STRANGER


def test_reminder_outside_your_hours_is_flagged(say) -> None:
    say(ALICE, "only evenings")
    reply = say(ALICE, "remind me every Monday at 9am to work on my portfolio")
    assert reply.kind == "done" and "outside your reminder hours" in reply.text()
    assert "23 November 2026 at 17:00" in reply.text()


def test_questions_that_start_with_remind_me_stay_questions(say) -> None:
    reply = say(ALICE, "remind me what 8391-501 ac 2.2 says")
    assert reply.intent != "reminder_set" and reply.kind == "answer"


# -- listing and cancelling -----------------------------------------------------------------------------
def _three(say) -> None:
    say(ALICE, "remind me every Monday at 9am to work on my portfolio")
    say(ALICE, "remind me on Friday to email my tutor")
    say(ALICE, "remind me every day at 7pm to read for 30 minutes")


def test_list_is_numbered_and_includes_what_tutors_set(say) -> None:
    _three(say)
    say(TESS, "remind Alice to send her draft by Friday")
    reply = say(ALICE, "what reminders do I have?")
    assert reply.kind == "answer" and reply.intent == "reminder_list"
    items = reply.bullets[0].items
    assert items[0].startswith("1. Every Monday at 09:00") and "work on your portfolio" in items[0]
    assert items[1].startswith("2. On 27 November 2026 at 09:00") and "email your tutor" in items[1]
    assert items[2].startswith("3. Every day at 19:00")
    assert items[3].startswith("4.") and "send your draft" in items[3] and "set by Tess Tutor" in items[3]
    assert ("Quiet hours", "21:00–08:00") in reply.facts


def test_list_when_there_are_none(say) -> None:
    reply = say(STRANGER, "show my reminders")
    assert reply.kind == "decline" and "no reminders" in reply.text()


def test_cancel_by_weekday(say, centre) -> None:
    _three(say)
    reply = say(ALICE, "cancel the Monday one")
    assert reply.kind == "done" and reply.intent == "reminder_cancel"
    assert "work on your portfolio" in reply.text() and "every Monday at 09:00" in reply.text()
    assert [r.schedule["type"] for r in rules_owned_by(centre.db, ALICE)] == ["once", "daily"]


def test_cancel_by_number(say, centre) -> None:
    _three(say)
    reply = say(ALICE, "cancel reminder 2")
    assert reply.kind == "done" and "email your tutor" in reply.text()
    assert len(rules_owned_by(centre.db, ALICE)) == 2


def test_cancel_by_words_of_the_message(say, centre) -> None:
    _three(say)
    reply = say(ALICE, "stop the portfolio reminder")
    assert reply.kind == "done" and "work on your portfolio" in reply.text()
    assert all("portfolio" not in r.message for r in rules_owned_by(centre.db, ALICE))


def test_ambiguous_cancel_lists_the_candidates(say, centre) -> None:
    say(ALICE, "remind me every Monday at 9am to work on my portfolio")
    say(ALICE, "remind me every Monday at 6pm to update my log")
    say(ALICE, "remind me on Friday to email my tutor")
    reply = say(ALICE, "cancel the Monday one")
    assert reply.kind == "clarify"
    items = reply.bullets[0].items
    assert len(items) == 2 and items[0].startswith("1. ") and items[1].startswith("2. ")
    assert reply.suggestions == ["Cancel reminder 1", "Cancel reminder 2"]
    assert len(rules_owned_by(centre.db, ALICE)) == 3


def test_cancel_with_nothing_to_cancel(say) -> None:
    reply = say(ALICE, "cancel the Monday one")
    assert reply.kind == "error" and "nothing to cancel" in reply.text()


def test_cancel_with_no_match_or_a_bad_number(say, centre) -> None:
    _three(say)
    assert say(ALICE, "cancel the dentist reminder").kind == "error"
    reply = say(ALICE, "cancel reminder 7")
    assert reply.kind == "error" and "no reminder 7" in reply.text()
    assert len(rules_owned_by(centre.db, ALICE)) == 3


def test_a_learner_cannot_cancel_what_their_tutor_set(say, centre) -> None:
    say(TESS, "remind Alice to send her draft by Friday")
    reply = say(ALICE, "cancel the draft reminder")
    assert reply.kind == "denied" and "Tess Tutor" in reply.text()
    assert len(rules_for_person(centre.db, ALICE)) == 1
    assert say(TESS, "cancel the draft reminder").kind == "done"
    assert rules_for_person(centre.db, ALICE) == []


# -- hours, pause, resume, opt-out ------------------------------------------------------------------------
def test_preferences_are_saved_and_echoed(say, centre) -> None:
    reply = say(ALICE, "not during the school day")
    assert reply.kind == "done" and reply.intent == "reminder_prefs" and "08:30–15:30" in reply.text()
    assert load_prefs(centre.db, ALICE).blocked == [SCHOOL_DAY]
    assert "Sundays, 08:00–12:00" in say(ALICE, "only Sunday mornings").text()
    say(ALICE, "not on Saturdays")
    say(ALICE, "quiet hours 10pm to 7am")
    reply = say(ALICE, "my time zone is Europe/Paris")
    assert "Europe/Paris" in reply.text()
    prefs = load_prefs(centre.db, ALICE)
    assert prefs.timezone == "Europe/Paris" and prefs.quiet_start.hour == 22 and prefs.quiet_end.hour == 7
    assert [w.days for w in prefs.allowed] == [(6,)] and [w.days for w in prefs.blocked] == [(0, 1, 2, 3, 4), (5,)]
    assert say(ALICE, "no reminders after 8pm").kind == "done"
    assert load_prefs(centre.db, ALICE).quiet_start.hour == 20
    assert say(ALICE, "only weekends").kind == "done" and say(ALICE, "only evenings").kind == "done"


def test_unknown_time_zone_asks(say, centre) -> None:
    reply = say(ALICE, "my time zone is Narnia/Lamp_Post")
    assert reply.kind == "clarify" and "Europe/Paris" in reply.text()
    assert load_prefs(centre.db, ALICE).timezone == "Europe/London"


def test_pause_resume_and_opt_out(say, centre) -> None:
    reply = say(ALICE, "pause my reminders until 5 January")
    assert reply.kind == "done" and "5 January 2027" in reply.text()
    assert load_prefs(centre.db, ALICE).paused_until == date(2027, 1, 5)
    reply = say(ALICE, "start reminders again")
    assert reply.kind == "done" and reply.intent == "reminder_resume"
    assert load_prefs(centre.db, ALICE).paused_until is None
    reply = say(ALICE, "stop reminders")
    assert reply.kind == "done" and reply.intent == "reminder_opt_out"
    assert load_prefs(centre.db, ALICE).opted_out
    assert say(ALICE, "no more reminders").kind == "done"
    assert say(ALICE, "start reminders again").kind == "done"
    assert not load_prefs(centre.db, ALICE).opted_out


def test_pause_after_half_term_asks_for_a_date(say, centre) -> None:
    reply = say(ALICE, "pause my reminders until after half-term")
    assert reply.kind == "clarify" and "date" in reply.text()
    assert load_prefs(centre.db, ALICE).paused_until is None
    assert say(ALICE, "pause my reminders").kind == "clarify"


def test_tutor_pauses_their_learner(say, centre) -> None:
    reply = say(TESS, "pause Alice's reminders until 5 January")
    assert reply.kind == "done" and "Alice Able" in reply.text()
    assert load_prefs(centre.db, ALICE).paused_until == date(2027, 1, 5)
    assert load_prefs(centre.db, TESS).paused_until is None


def test_others_cannot_pause_someone_elses_reminders(say, centre) -> None:
    fellow = say(BOB, "pause Alice's reminders until 5 January")                        # a fellow learner
    assert fellow.kind == "denied" and "you can only pause your own reminders" in fellow.text()
    assert say(TESS, "pause Eve's reminders until 5 January").kind == "denied"         # not Tess's learner
    assert say(TESS, "stop Alice Able's reminders").kind == "denied"                  # only Alice opts out
    assert load_prefs(centre.db, ALICE).paused_until is None and not load_prefs(centre.db, ALICE).opted_out
    assert load_prefs(centre.db, EVE).paused_until is None


# -- tutors ---------------------------------------------------------------------------------------------
def test_tutor_group_reminder_explains_who_is_left_out(say, centre, kb) -> None:
    _learner(centre, kb, DAN, "Dan Davies", date(2025, 6, 1))       # expires 2028: gets it
    _learner(centre, kb, FAY, "Fay Fox", date(2025, 6, 1))
    save_prefs(centre.db, FAY, load_prefs(centre.db, FAY).__class__(opted_out=True))
    reply = say(TESS, "remind my learners to submit unit 501 by 14 March 2027")
    assert reply.kind == "done" and reply.intent == "reminder_set"
    text = reply.text()
    assert "3 weeks before and the day before the deadline of 14 March 2027" in text
    lists = {b.heading: b.items for b in reply.bullets}
    assert lists["Will get it"] == ("Dan Davies",)
    left = " | ".join(lists["Left out"])
    assert "Alice Able — their registration expires on 15 January 2027, before the deadline" in left
    assert "Bob Baker — 8391-501 isn't in their plan" in left
    assert "Fay Fox — has turned reminders off" in left
    [rule] = rules_owned_by(centre.db, TESS)
    assert (rule.audience_kind, rule.audience_ref, rule.subject) == ("tutor_learners", TESS, "8391-501")
    assert rule.schedule["days_before"] == [21, 1] and rule.schedule["exclude"] == [ALICE]
    assert rule.message == "Reminder from Tess Tutor: submit unit 501 — due 14 March 2027."


def test_group_reminder_nobody_would_get_is_not_set(say, centre) -> None:
    reply = say(TESS, "remind my learners to submit unit 501 by 14 March 2027")
    assert reply.kind == "error" and "haven't set it" in reply.text()
    assert rules_owned_by(centre.db, TESS) == []


def test_only_tutors_remind_a_group(say, centre) -> None:
    assert say(ALICE, "remind my learners to submit unit 501 by 14 March 2027").kind == "denied"
    assert rules_owned_by(centre.db, ALICE) == []


def test_tutor_reminds_a_named_learner(say, centre) -> None:
    reply = say(TESS, "remind Alice to send her draft by Friday")
    assert reply.kind == "done"
    assert "Alice Able" in reply.text()
    assert "the day before and on the day of the deadline of 27 November 2026, at 09:00" in reply.text()
    [rule] = rules_for_person(centre.db, ALICE)
    assert rule.owner_id == TESS and rule.schedule["days_before"] == [1, 0]
    assert rule.message == "Reminder from Tess Tutor: send your draft — due 27 November 2026."
    reply = say(TESS, "remind Bob Baker on Friday at 4pm to send his reflective account")
    assert reply.kind == "done" and "on 27 November 2026 at 16:00" in reply.text()


def test_reminding_someone_you_may_not(say, centre) -> None:
    assert say(BOB, "remind Alice Able to send her draft by Friday").kind == "denied"
    assert say(TESS, "remind Eve Evans to send her draft by Friday").kind == "denied"
    assert say(TESS, "remind Zed Zebedee to send his draft by Friday").kind == "decline"
    assert rules_for_person(centre.db, ALICE) == [] and rules_for_person(centre.db, EVE) == []


# -- delivery -------------------------------------------------------------------------------------------
def test_a_reminder_set_in_conversation_is_delivered_once_on_time(say, centre, kb) -> None:
    say(ALICE, "remind me every Monday at 9am to work on my portfolio")
    sender = ConsoleSender()
    assert _sent(centre, kb, sender, datetime(2026, 11, 23, 8, 59, tzinfo=UTC)) == []
    delivered = _sent(centre, kb, sender, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))   # 09:00 GMT
    assert delivered == [(ALICE, "Reminder: work on your portfolio.")]
    assert _sent(centre, kb, sender, datetime(2026, 11, 23, 9, 30, tzinfo=UTC)) == []
    # A week later, and in summer time still 09:00 on the wall clock (08:00 UTC).
    assert _sent(centre, kb, sender, datetime(2026, 11, 30, 9, 0, tzinfo=UTC)) == delivered
    assert _sent(centre, kb, sender, datetime(2027, 4, 5, 8, 0, tzinfo=UTC)) == delivered


def test_reminders_follow_the_persons_time_zone(say, centre, kb) -> None:
    say(EVE, "my time zone is Europe/Paris")
    say(EVE, "remind me tomorrow at 9am to call the bursar")
    sender = ConsoleSender()
    assert _sent(centre, kb, sender, datetime(2026, 11, 23, 7, 59, tzinfo=UTC)) == []
    assert _sent(centre, kb, sender, datetime(2026, 11, 23, 8, 0, tzinfo=UTC)) == [
        (EVE, "Reminder: call the bursar.")]


def test_tutor_reminders_reach_the_right_learners(say, centre, kb) -> None:
    _learner(centre, kb, DAN, "Dan Davies", date(2025, 6, 1))
    say(TESS, "remind my learners to submit unit 501 by 14 March 2027")
    say(TESS, "remind Alice to send her draft by Friday")
    sender = ConsoleSender()
    assert _sent(centre, kb, sender, datetime(2026, 11, 26, 9, 0, tzinfo=UTC)) == [
        (ALICE, "Reminder from Tess Tutor: send your draft — due 27 November 2026.")]
    three_weeks = _sent(centre, kb, sender, datetime(2027, 2, 21, 9, 0, tzinfo=UTC))
    assert three_weeks == [(DAN, "Reminder from Tess Tutor: submit unit 501 — due 14 March 2027.")]


def test_nothing_reaches_people_who_opted_out_or_paused(say, centre, kb) -> None:
    say(BOB, "remind me every day at 7pm to revise")
    say(BOB, "stop reminders")
    say(CAROL, "remind me every day at 7pm to revise")
    say(CAROL, "pause my reminders until 5 January")
    sender = ConsoleSender()
    assert _sent(centre, kb, sender, datetime(2026, 12, 1, 19, 0, tzinfo=UTC)) == []
    assert _sent(centre, kb, sender, datetime(2027, 1, 4, 19, 0, tzinfo=UTC)) == []
    # From the day the pause ends, Carol's reminders arrive again (the dispatcher may also hand over the
    # one held back by the pause); Bob, who opted out, still gets nothing.
    resumed = _sent(centre, kb, sender, datetime(2027, 1, 5, 19, 0, tzinfo=UTC))
    assert resumed and set(resumed) == {(CAROL, "Reminder: revise.")}
    assert all(person != BOB for person, _, _ in sender.sent)        # not even the automatic ones
    say(BOB, "start reminders again")
    assert _sent(centre, kb, sender, datetime(2027, 1, 6, 19, 0, tzinfo=UTC)) == [
        (BOB, "Reminder: revise."), (CAROL, "Reminder: revise.")]


def test_cancel_all(say, centre) -> None:
    _three(say)
    reply = say(ALICE, "cancel all my reminders")
    assert reply.kind == "done" and "all 3" in reply.text()
    assert rules_owned_by(centre.db, ALICE) == []


def test_a_short_code_in_two_qualifications_is_settled_by_the_learners_plans(say, centre) -> None:
    # 700 is 8316-700 and 8431-700; only Bob's plan (level 7) has one of them.
    reply = say(TESS, "remind my learners to finish 700 by 14/03/2027")
    assert reply.kind == "done" and "8431-700" in reply.text()
    assert rules_owned_by(centre.db, TESS)[0].subject == "8431-700"
    listed = say(TESS, "what reminders do I have?")
    assert "to your learners with 8431-700 in their plan" in listed.text()


def test_a_reminder_about_an_action_is_a_reminder_not_the_action(say, centre) -> None:
    reply = say(ALICE, "remind me to log evidence for 501 2.2: the budget report on Friday")
    assert reply.intent == "reminder_set" and reply.kind == "done"
    assert "27 November 2026" in reply.text()                  # "2.2" is a criterion, not 2 February
    assert centre.db["evidence"].count == 0                     # nothing was logged


# -- cohort reminders --------------------------------------------------------------------------------------
def _autumn(centre: Dialogue) -> int:
    """Bob (Tess's learner) and Carol (not Tess's) in the Autumn 2025 cohort; Alice not in it."""
    autumn = centre.db["cohorts"].insert({"centre_id": 1, "name": "Autumn 2025"}).last_pk
    centre.db.execute("UPDATE people SET cohort_id = ? WHERE id IN (?, ?)", [autumn, BOB, CAROL])
    return autumn


def _rule_recipients(centre: Dialogue, kb, days: int = 8) -> set[str]:
    sender = ConsoleSender()
    for day in range(days):
        dispatch_due(centre.db, kb, sender, datetime(2026, 11, 23 + day, 10, 0, tzinfo=UTC))
    return {person for person, _, key in sender.sent if key.startswith("rule:")}


def test_a_manager_reminds_a_cohort_and_each_member_sees_it(centre, say, kb) -> None:
    _autumn(centre)
    reply = say(MO, "remind the Autumn 2025 cohort to log their evidence every Monday at 9am")
    assert reply.kind == "done" and "the Autumn 2025 cohort" in reply.text()
    assert "Bob Baker" in reply.text() and "Carol Cole" in reply.text() and "Alice" not in reply.text()
    assert "set by Mo Manager" in say(CAROL, "what reminders do I have?").text()
    assert "log your evidence" not in say(ALICE, "what reminders do I have?").text()
    assert "to the Autumn 2025 cohort" in say(MO, "what reminders do I have?").text()
    assert _rule_recipients(centre, kb) == {BOB, CAROL}


def test_a_tutors_cohort_reminder_reaches_only_their_learners_in_it(centre, say, kb) -> None:
    _autumn(centre)
    reply = say(TESS, "remind cohort autumn 2025 to book a tutorial by 14/03/2027")
    assert reply.kind == "done" and "Bob Baker" in reply.text() and "Carol" not in reply.text()
    assert "book a tutorial" not in say(CAROL, "what reminders do I have?").text()
    assert "book a tutorial" in say(BOB, "what reminders do I have?").text()


def test_cohort_reminders_are_for_staff_and_for_cohorts_that_exist(centre, say) -> None:
    _autumn(centre)
    assert say(ALICE, "remind the autumn 2025 cohort to relax on Friday").kind == "denied"
    assert say(ALICE, "remind the Spring 2031 cohort to relax on Friday").kind == "denied"   # exists or not
    unknown = say(MO, "remind the Spring 2031 cohort to log evidence on Friday")
    assert unknown.kind == "decline"
    assert "I don't know a cohort called “Spring 2031”" in unknown.text()
    assert centre.db["reminder_rules"].count == 0
