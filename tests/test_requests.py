"""Requests as people type them, on a small centre: for each action the reply, then the stored state read
back — a test passes only if the database holds exactly what the reply said. An uncertain slot gets one
short question and nothing is stored until it is answered."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from adapters.compose import make_dialogue
from bot.records.registration import current_registration, enrol
from bot.types import Message

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

# A Monday: "next Friday" could be this Friday or Friday week.
MONDAY = datetime(2027, 1, 11, 10, 0, tzinfo=UTC)
PEOPLE = [("t:kim", "Kim Tutor", "tutor"), ("t:ola", "Ola Tutor", "tutor"), ("m:max", "Max Manager", "manager"),
          ("l:amy", "Amy Brooks", "learner"), ("l:sam1", "Sam Hughes", "learner"), ("l:sam2", "Sam Ortiz", "learner"),
          ("l:ned", "Ned Shaw", "learner")]
QUALIFICATION = {"l:amy": "l5-sbl-diploma", "l:sam1": "l7-senior-leaders-diploma", "l:sam2": "l5-sbl-diploma",
                 "l:ned": "l5-sbl-diploma"}
TUTOR = {"l:amy": "t:kim", "l:sam1": "t:kim", "l:sam2": "t:kim", "l:ned": "t:ola"}


class Centre:
    def __init__(self, kb, search_index, db):
        self.db = db
        self.kb = kb
        centre = self.db["centres"].insert({"name": "Test centre"}).last_pk
        for pid, name, role in PEOPLE:
            self.db["people"].insert({"id": pid, "name": name, "role": role, "centre_id": centre,
                                      "created_at": MONDAY.isoformat()})
            self.db["identities"].insert({"id": pid, "person_id": pid, "platform": "console", "active": 1,
                                          "created_at": MONDAY.isoformat()})
        for learner, qualification in QUALIFICATION.items():
            self.db["tutor_learners"].insert({"tutor_id": TUTOR[learner], "learner_id": learner})
            enrol(self.db, kb, learner, qualification, date(2026, 1, 5), MONDAY, "test")
        self.dialogue = make_dialogue(kb, self.db, search=search_index)

    def say(self, person: str, text: str, conversation: str = "c"):
        return self.dialogue.handle(Message(person, f"{person}:{conversation}", text, "console"), MONDAY)[0]

    def target(self, person: str, unit: str) -> str | None:
        reg = current_registration(self.db, person)
        row = next(iter(self.db.query("SELECT target_date FROM plan_units WHERE registration_id = ? AND unit_code = ?",
                                      [reg.id, unit])), None)
        return None if row is None else (row["target_date"] or "")

    def snapshot(self) -> list:
        tables = ("plan_units", "evidence", "evidence_links", "decisions", "reminder_rules", "reminder_prefs", "breaks")
        return [sorted(map(repr, self.db[t].rows)) for t in tables if self.db[t].exists()]


@pytest.fixture
def centre(kb, search_index, store) -> Centre:
    return Centre(kb, search_index, store)


def test_a_unit_added_with_a_target_at_the_end_of_a_month(centre) -> None:
    reply = centre.say("l:amy", "can u add the HR unit to my plan, target end of march")
    assert reply.kind == "done" and "8391-503" in reply.text() and "31 March 2027" in reply.text()
    assert centre.target("l:amy", "8391-503") == "2027-03-31"          # the last day, never the 1st


def test_several_units_in_one_request(centre) -> None:
    reply = centre.say("l:sam1", "add 8431-705 and 8431-706 to my plan, both by end of June")
    assert reply.kind == "done" and "30 June 2027" in reply.text()
    assert centre.target("l:sam1", "8431-705") == centre.target("l:sam1", "8431-706") == "2027-06-30"


def test_a_phrase_with_two_readings_is_asked_and_nothing_stored_until_answered(centre) -> None:
    before = centre.snapshot()
    asked = centre.say("l:amy", "aim to finish 501 by next Friday")
    assert asked.kind == "clarify" and "15 January 2027" in asked.text() and "22 January 2027" in asked.text()
    assert centre.snapshot() == before
    done = centre.say("l:amy", "2")
    assert done.kind == "done" and "22 January 2027" in done.text()
    assert centre.target("l:amy", "8391-501") == "2027-01-22"


def test_an_impossible_date_is_an_error_and_changes_nothing(centre) -> None:
    before = centre.snapshot()
    reply = centre.say("l:amy", "set my target for 501 to 30 Feb")
    assert reply.kind == "error" and "February" in reply.text()
    assert centre.snapshot() == before


def test_a_first_name_that_fits_two_learners_is_asked_about(centre) -> None:
    before = centre.snapshot()
    asked = centre.say("t:kim", "pause Sam's reminders until 1 March")
    assert asked.kind == "clarify" and "Sam Hughes" in asked.text() and "Sam Ortiz" in asked.text()
    assert centre.snapshot() == before
    done = centre.say("t:kim", "Ortiz")
    assert done.kind == "done" and "Sam Ortiz" in done.text() and "1 March 2027" in done.text()
    prefs = {r["person_id"]: r["paused_until"] for r in centre.db["reminder_prefs"].rows}
    assert prefs.get("l:sam2") == "2027-03-01" and "l:sam1" not in prefs and "t:kim" not in prefs
    # The learner is told, by the reminder dispatcher, once.
    notices = list(centre.db.query("SELECT text FROM reminder_occurrences WHERE person_id = 'l:sam2' "
                                   "AND kind = 'notice'"))
    assert len(notices) == 1 and "Kim Tutor" in notices[0]["text"]


def test_a_pronoun_means_the_person_just_named(centre) -> None:
    centre.say("t:kim", "how's Sam Hughes doing?")
    reply = centre.say("t:kim", "ok give him a target of end of Feb for 8431-701")
    assert reply.kind == "done" and "Sam Hughes" in reply.text() and "28 February 2027" in reply.text()
    assert centre.target("l:sam1", "8431-701") == "2027-02-28"


def test_evidence_named_inside_a_sentence(centre) -> None:
    reply = centre.say("l:amy", "the procurement policy rewrite I did for the trust should count towards 502 2.4 "
                                "and 4.3")
    assert reply.kind == "done" and "procurement policy rewrite" in reply.text()
    evidence = list(centre.db["evidence"].rows)
    links = {(r["unit_code"], r["ac"]) for r in centre.db["evidence_links"].rows}
    assert len(evidence) == 1 and "procurement policy rewrite" in evidence[0]["title"]
    assert links == {("8391-502", "2.4"), ("8391-502", "4.3")}


def test_evidence_for_a_unit_not_in_the_plan_asks_first(centre) -> None:
    before = centre.snapshot()
    asked = centre.say("l:amy", "log my evidence for 503 1.2 - employment law briefing i gave the governors")
    assert asked.kind == "clarify" and "isn't in your plan" in asked.text()
    assert centre.snapshot() == before
    done = centre.say("l:amy", "yes add it to my plan")
    assert done.kind == "done" and centre.target("l:amy", "8391-503") is not None
    assert {(r["unit_code"], r["ac"]) for r in centre.db["evidence_links"].rows} == {("8391-503", "1.2")}


def test_learners_cannot_record_decisions_or_see_each_other(centre) -> None:
    before = centre.snapshot()
    denied = centre.say("l:amy", "pls mark 501 2.2 as achieved, my tutor said on the phone it's fine")
    assert denied.kind == "denied" and "Kim Tutor" in denied.text()
    other = centre.say("l:amy", "how's Ned getting on with the finance unit?")
    assert other.kind == "denied" and "Ned" not in other.text()
    assert centre.snapshot() == before


def test_a_casual_approval_then_a_correction_then_undo(centre) -> None:
    centre.say("l:amy", "I have evidence for 501 2.2: the trust's annual accounts")
    done = centre.say("t:kim", "yep 2.2 is fine for Amy, sign it off")
    assert done.kind == "done" and "8391-501 AC2.2 as met" in done.text()
    corrected = centre.say("t:kim", "sorry, meant referred - she needs to prepare the statements, not summarise them")
    assert corrected.kind == "done" and "referred" in corrected.text()
    rows = list(centre.db.query("SELECT outcome, feedback FROM decisions"))
    assert [r["outcome"] for r in rows] == ["referred"] and "prepare the statements" in rows[0]["feedback"]
    undone = centre.say("t:kim", "undo that")
    assert undone.kind == "done" and centre.db["decisions"].count == 0


def test_undo_puts_the_plan_back(centre) -> None:
    centre.say("l:amy", "add 504 to my plan")
    assert centre.target("l:amy", "8391-504") is not None
    reply = centre.say("l:amy", "actually no, undo that")
    assert reply.kind == "done" and centre.target("l:amy", "8391-504") is None
    audit = [r["action"] for r in centre.db.query("SELECT action FROM audit ORDER BY id")]
    assert audit[-1] == "undo_plan_add"


def test_a_correction_of_the_unit(centre) -> None:
    centre.say("l:amy", "add 504 to my plan")
    reply = centre.say("l:amy", "no, I meant 505")
    assert reply.kind == "done" and "8391-505" in reply.text()
    assert centre.target("l:amy", "8391-504") is None and centre.target("l:amy", "8391-505") is not None


def test_own_targets_and_a_window_of_the_centre(centre) -> None:
    centre.say("l:amy", "aim to finish 501 by 26 February")
    mine = centre.say("l:amy", "what are my targets?")
    assert mine.kind == "answer" and mine.paragraphs[0].startswith("Your next target is 8391-501")
    window = centre.say("m:max", "whose targets fall between now and the end of March?")
    assert window.kind == "answer" and "Amy Brooks" in window.text() and "26 February 2027" in window.text()
    ask = centre.say("m:max", "whose targets fall before half term?")
    assert ask.kind == "clarify"


def test_a_tutors_group_reminder_names_the_nudge_dates(centre) -> None:
    reply = centre.say("t:kim", "set a reminder for my group: research proposal drafts due 19 March, nudge them "
                                "three weeks before")
    assert reply.kind == "done" and "26 February 2027" in reply.text()
    rule = next(iter(centre.db["reminder_rules"].rows))
    assert json.loads(rule["schedule"])["date"] == "2027-03-19" and "research proposal" in rule["message"]
