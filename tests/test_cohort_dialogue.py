"""Tutors' and managers' questions through ``Dialogue.handle``, and who may ask which."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from adapters.compose import make_dialogue
from bot.dialogue import Dialogue
from bot.records.cohort import scope_for, standings
from bot.records.evidence import log_evidence
from bot.records.people import get_person
from bot.records.standing import fraction_elapsed
from bot.types import Message, Reply
from tests.conftest import NOW
from tests.records_fixture import seed

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

ALICE, BOB, CAROL, EVE, TESS, MO, ADA = ("console:alice", "console:bob", "console:carol", "console:eve",
                                         "console:tess", "console:mo", "console:admin")


@pytest.fixture
def centre(kb, search_index, store) -> Dialogue:
    db = store
    seed(db, kb, NOW)
    autumn = db["cohorts"].insert({"centre_id": 1, "name": "Autumn 2025"}).last_pk
    db.execute("UPDATE people SET cohort_id = ? WHERE id IN (?, ?)", [autumn, BOB, CAROL])
    return make_dialogue(kb, db, clock=lambda: NOW, search=search_index)


@pytest.fixture
def say(centre) -> Callable[..., Reply]:
    def say(person: str, text: str) -> Reply:
        return centre.handle(Message(person, f"c-{person}-{text}", text))[0]
    return say


def test_cohort_progress_with_rag_and_the_rule(say) -> None:
    reply = say(MO, "how is the Autumn 2025 cohort getting on?")
    assert reply.kind == "answer" and "Autumn 2025" in reply.title
    facts = dict(reply.facts)
    assert facts["Learners"] == "2"                           # Bob and Carol, not Alice
    assert "Bob Baker" in reply.text() and "Alice" not in reply.text()
    assert "Green: on or ahead of expected progress" in reply.text()


def test_who_is_behind_for_a_tutor_covers_only_their_learners(say) -> None:
    reply = say(TESS, "who's behind?")
    assert reply.kind == "answer"
    assert "Alice Able" in reply.text() and "Bob Baker" in reply.text()
    assert "Carol" not in reply.text() and "Eve" not in reply.text()


def test_expiring_registrations_with_projected_finish(say) -> None:
    reply = say(MO, "whose registration expires in the next six months?")
    assert reply.kind == "answer"
    assert "Alice Able: expires 15 January 2027" in reply.text()
    assert "Bob" not in reply.text() and "Eve" not in reply.text()      # Bob is in 2028; Eve another centre


def test_stuck_units_and_referrals(say, centre, kb) -> None:
    log_evidence(centre.db, ALICE, "budget pack", [("8391-501", "2.2")], NOW, ALICE)
    assert say(TESS, "refer Alice Able's 501 2.3: needs two purchasing strategies").kind == "done"
    stuck = say(MO, "which unit are people stuck on?")
    assert stuck.kind == "answer" and "8391-501" in stuck.text()
    counts = say(MO, "how many referrals this year, by unit?")
    assert ("Referrals", "1") in counts.facts and "8391-501 Managing School Finances: 1" in counts.text()


def test_who_has_gone_quiet(say, centre) -> None:
    centre.db.execute("UPDATE people SET last_active_at = ? WHERE id = ?",
                      [(NOW - timedelta(days=40)).isoformat(), BOB])
    reply = say(MO, "who has gone quiet for a month?")
    assert "Bob Baker" in reply.text() and "Alice" not in reply.text()


def test_learners_without_evidence_for_a_unit(say, centre) -> None:
    log_evidence(centre.db, ALICE, "pack", [("8391-502", "1.1")], NOW, ALICE)
    reply = say(TESS, "which of my learners haven't logged evidence for 501?")
    assert reply.kind == "answer" and "Alice Able" in reply.text()
    none_missing = say(TESS, "which of my learners haven't logged evidence for 502?")
    assert "has logged evidence" in none_missing.text()


def test_assessment_decisions_are_recorded_audited_and_the_learner_is_told(say, centre) -> None:
    reply = say(TESS, "mark Alice Able's 501 2.2 as met")
    assert reply.kind == "done" and "met" in reply.text()
    assert centre.db["decisions"].count == 1
    assert list(centre.db.query("SELECT action FROM audit WHERE action = 'decision_met'"))
    note = list(centre.db.query("SELECT person_id, text FROM reminder_occurrences WHERE kind = 'decision'"))
    assert note and note[0]["person_id"] == ALICE and "8391-501 AC2.2" in note[0]["text"]
    needs_feedback = say(TESS, "refer Alice Able's 501 2.3")
    assert needs_feedback.kind == "error" and "feedback" in needs_feedback.text()
    assert say(ALICE, "mark Alice Able's 501 2.2 as met").kind in ("denied", "error")
    assert say(MO, "mark Alice Able's 501 2.3 as met").kind == "denied"      # managers don't assess
    assert say(TESS, "mark Carol Cole's 8316-507 1.1 as met").kind == "denied"   # not her learner


QUESTIONS = ["how is the Autumn 2025 cohort getting on?", "who's behind?", "whose registration expires in the next "
             "six months?", "which unit are people stuck on?", "who has gone quiet for a month?",
             "how many referrals this year, by unit?"]


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize(("person", "allowed"), [(ALICE, False), (EVE, False), (TESS, True), (MO, True),
                                                 (ADA, True), ("slack:USTRANGER", False)])
def test_authorisation_matrix(say, question, person, allowed) -> None:
    reply = say(person, question)
    assert (reply.kind != "denied") is allowed, (person, question, reply.kind)


def test_a_learners_progress_for_their_tutor_has_rag_and_the_rule(say, centre) -> None:
    log_evidence(centre.db, ALICE, "budget pack", [("8391-501", "2.2")], NOW, ALICE)
    reply = say(TESS, "show Alice Able's progress")
    facts = dict(reply.facts)
    assert reply.kind == "answer" and facts["Status"] == "Red" and facts["Expected by now"] == "95%"
    assert facts["With evidence, awaiting assessment"] == "1"
    assert "Red: more than 10 points behind" in reply.text()
    assert say(ALICE, "show Bob Baker's progress").kind == "denied"


def test_export_in_chat_returns_a_spreadsheet(say) -> None:
    import io

    from openpyxl import load_workbook

    reply = say(MO, "export the cohort as a spreadsheet")
    assert reply.kind == "done" and len(reply.attachments) == 1
    sheet = load_workbook(io.BytesIO(reply.attachments[0].data)).active
    assert [c.value for c in sheet[1]][:2] == ["id", "name"]
    assert {row[0].value for row in sheet.iter_rows(min_row=2)} == {ALICE, BOB, CAROL}
    assert say(ALICE, "export the cohort as a spreadsheet").kind == "denied"


def test_chart_is_a_png(say) -> None:
    reply = say(MO, "show me a chart of the cohort")
    assert reply.kind == "answer" and reply.attachments[0].media_type == "image/png"
    assert reply.attachments[0].data.startswith(b"\x89PNG")
    assert say(BOB, "show me a chart of the cohort").kind == "denied"


def test_console_saves_attachments(centre, tmp_path, monkeypatch) -> None:
    import io

    from adapters import console

    monkeypatch.setattr(console, "EXPORTS", tmp_path / "exports")
    out = io.StringIO()
    console.run_console(centre, MO, io.StringIO("export the cohort as a spreadsheet\nquit\n"), out)
    saved = list((tmp_path / "exports").glob("cohort-*.xlsx"))
    assert len(saved) == 1 and "(saved" in out.getvalue()


def test_what_learners_asked_about_most_keeps_topics_not_words(say, centre) -> None:
    for text in ("what evidence does 8391-501 AC2.2 need?", "is one example enough for 8391-501 3.1?",
                 "can I use witness testimony on the level 5?"):
        assert say(ALICE, text).kind == "answer"
    reply = say(TESS, "what have my learners asked about most this month?")
    assert reply.kind == "answer"
    assert "8391-501 Managing School Finances: 2 questions" in reply.text()
    assert "witness testimony: 1 question" in reply.text()
    columns = set(centre.db.columns("question_log"))
    assert not columns & {"text", "message", "question"}
    assert say(ALICE, "what have my learners asked about most this month?").kind == "denied"


def test_a_break_in_learning_stops_the_expected_progress(say, centre) -> None:
    before = dict(say(TESS, "show Bob Baker's progress").facts)["Expected by now"]
    started = say(TESS, "Bob Baker is on a break in learning until 5 January")
    assert started.kind == "done" and "5 January 2027" in started.text()
    again = say(TESS, "Bob Baker is on a break in learning until 5 January")
    assert again.kind == "error" and "already paused for a break" in again.text()
    assert dict(say(TESS, "show Bob Baker's progress").facts)["Status"] == "on a break"
    assert centre.db["reminder_prefs"].get(BOB)["paused_until"] == "2027-01-05"      # reminders rest too
    # Sixty days of that break already behind us: expected progress counts only the days in learning.
    centre.db.execute("UPDATE breaks SET started_on = '2026-09-23'")
    assert say(TESS, "Bob Baker is back").kind == "done"
    after = dict(say(TESS, "show Bob Baker's progress").facts)["Expected by now"]
    assert int(after.rstrip("%")) < int(before.rstrip("%"))
    ended_again = say(TESS, "Bob Baker is back")                                      # not on a break now
    assert ended_again.kind == "error" and "isn't paused for a break" in ended_again.text()


def test_only_the_tutor_manages_breaks_and_vague_returns_are_asked(say) -> None:
    assert say(ALICE, "Bob Baker is on a break in learning until 5 January").kind == "denied"
    assert say(MO, "Alice Able is on a break in learning until 5 January").kind == "denied"
    assert say(TESS, "Alice Able is on a break until after half-term").kind == "clarify"
    assert say(TESS, "end break").kind == "clarify"                        # whose? asked, not a failure
    assert "Who is it for?" in say(TESS, "end break").text()


def test_stuck_units_count_the_latest_decision_and_every_referral(centre, kb) -> None:
    from bot.records.cohort import scope_for, stuck_units
    from bot.records.decisions import record_decision
    from bot.records.people import get_person

    db, tess, mo = centre.db, get_person(centre.db, TESS), get_person(centre.db, MO)
    unit = kb.units["8391-501"]

    def snag() -> tuple[int, int]:
        row = next(s for s in stuck_units(db, kb, scope_for(mo)) if s.code == unit.code)
        return row.started, row.referrals

    assert snag() == (0, 0)
    log_evidence(db, ALICE, "budget pack", [(unit.code, unit.criteria[0].id)], NOW, ALICE)
    assert snag() == (1, 0)                                   # started, nothing met
    for i, criterion in enumerate(unit.criteria):
        record_decision(db, kb, tess, ALICE, unit.code, criterion.id, "met", None, NOW + timedelta(minutes=i))
    assert snag() == (0, 0)                                   # every criterion met: not stuck
    record_decision(db, kb, tess, ALICE, unit.code, unit.criteria[0].id, "referred", "needs a second example",
                    NOW + timedelta(hours=1))
    assert snag() == (1, 1)                                   # a later referral stands over the met


def test_expected_progress_paces_each_unit_to_its_target_else_to_expiry(centre, kb) -> None:
    """The cohort views' SQL sums each planned unit's criteria times the share of time gone to its target
    date, or to the registration's expiry when it has none: checked against the same rule worked out here,
    with one unit's target passed, one ahead and the rest paced to expiry."""
    db = centre.db
    reg_id, registered, expires = db.execute(
        "SELECT id, registered_on, expires_on FROM registrations WHERE person_id = ? AND status = 'active'",
        [BOB]).fetchone()
    units = [u for (u,) in db.execute("SELECT unit_code FROM plan_units WHERE registration_id = ? ORDER BY unit_code",
                                      [reg_id])]
    assert len(units) >= 3
    today = NOW.date()
    targets = {units[0]: today - timedelta(days=10), units[1]: today + timedelta(days=200)}
    for unit, target in targets.items():
        db.execute("UPDATE plan_units SET target_date = ? WHERE registration_id = ? AND unit_code = ?",
                   [target.isoformat(), reg_id, unit])
    start, end = date.fromisoformat(registered), date.fromisoformat(expires)
    sizes = {u: len(kb.units[u].criteria) for u in units}
    expected = sum(n * fraction_elapsed(start, targets.get(u, end), today) for u, n in sizes.items())

    scope = scope_for(get_person(db, MO))
    bob = next(s for s in standings(db, kb, scope, today) if s.person_id == BOB)
    assert bob.total == sum(sizes.values())
    assert bob.expected_percent == pytest.approx(100 * expected / sum(sizes.values()))
    assert fraction_elapsed(start, targets[units[0]], today) == 1.0       # the passed target counts whole
