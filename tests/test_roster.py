"""``import_roster``: the CSV contract of ARCHITECTURE.md — all of a file or none of it, idempotent."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.records.people import get_person, remove_person
from bot.records.plan import plan_of
from bot.records.qualification_names import resolve_qualification
from bot.records.registration import registrations_of
from bot.records.roster import RosterError, add_person, import_roster
from bot.store import open_store
from knowledge.kb import KnowledgeBase

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
HEADER = "id,name,email,role,centre,cohort,tutor,qualification,registered_on"
L7, L6_SBM = "Level 7 Diploma for Senior Leaders", "Level 6 Diploma in School Business Management"    # titles, not ids
# A manager, two tutors and four learners on four different qualifications, over two centres.
ROSTER = f"""{HEADER}
console:mary,Mary Manager,mary@example.org,manager,Reading cluster,,,,
console:tom,Tom Tutor,tom@example.org,tutor,Reading cluster,,,,
slack:U0TARA,Tara Tutor,Tara@Example.org,tutor,Leeds,,,,
console:alice,Alice Adams,Alice.Adams@Example.org,learner,Reading cluster,2024 A,console:tom,l5-sbl-diploma,2024-01-15
console:bob,Bob Brown,bob@example.org,learner,Reading cluster,2024 A,console:tom,{L7},2024-03-01
teams:carol-aad,Carol Clark,carol@example.org,learner,Leeds,2025 B,slack:U0TARA,{L6_SBM},2025-09-01
dan.davies,Dan Davies,dan@example.org,learner,Leeds,2025 B,slack:U0TARA,l6-management-award,2025-02-10
"""
TABLES = ("centres", "cohorts", "people", "identities", "tutor_learners", "registrations", "plan_units",
          "criterion_progress", "evidence", "evidence_links", "decisions", "audit", "conversations")


def counts(db: Database, tables: tuple[str, ...] = TABLES) -> dict[str, int]:
    return {t: db[t].count for t in tables}


def dump(db: Database, skip: tuple[str, ...] = ()) -> list[str]:
    """Every row of every table, in a stable order, on either engine."""
    return [f"{t}: {row}" for t in db.table_names() if t not in skip
            for row in sorted(repr(sorted(r.items())) for r in db[t].rows)]


@pytest.fixture
def db(new_store) -> Database:
    store = new_store("roster")
    yield store
    store.close()


def write(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(db: Database, kb: KnowledgeBase, text: str) -> list[str]:
    with pytest.raises(RosterError) as caught:
        import_roster(db, kb, io.StringIO(text), NOW, "test")
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def test_good_import_creates_people_centres_cohorts_links_and_registrations(db, kb, tmp_path) -> None:
    report = import_roster(db, kb, write(tmp_path, ROSTER), NOW, "admin:test")
    assert (report.rows, report.people_created, report.people_updated) == (7, 7, 0)
    assert (report.registrations_created, report.centres_created, report.cohorts_created) == (4, 2, 2)
    assert (report.identities_created, report.tutor_links_added) == (6, 4)
    assert report.notes == []
    assert sorted(r["name"] for r in db.query("SELECT name FROM centres")) == ["Leeds", "Reading cluster"]
    alice = get_person(db, "console:alice")
    assert alice is not None and alice.name == "Alice Adams" and alice.role == "learner"
    assert alice.email == "alice.adams@example.org"              # lower-cased
    assert get_person(db, "slack:U0TARA").email == "tara@example.org"
    cohort = db["cohorts"].get(alice.cohort_id)
    assert cohort["name"] == "2024 A" and db["centres"].get(cohort["centre_id"])["name"] == "Reading cluster"
    # An identity for platform ids only; a plain roster id waits to be linked.
    assert {r["id"] for r in db.query("SELECT id FROM identities")} == {
        "console:mary", "console:tom", "slack:U0TARA", "console:alice", "console:bob", "teams:carol-aad"}
    assert db["identities"].get("slack:U0TARA")["platform"] == "slack"
    links = {(r["tutor_id"], r["learner_id"]) for r in db.query("SELECT * FROM tutor_learners")}
    assert links == {("console:tom", "console:alice"), ("console:tom", "console:bob"),
                     ("slack:U0TARA", "teams:carol-aad"), ("slack:U0TARA", "dan.davies")}
    (reg,) = registrations_of(db, "console:alice")
    assert (reg.qualification_id, reg.registered_on, reg.expires_on) == (
        "l5-sbl-diploma", date(2024, 1, 15), date(2027, 1, 15))
    # Through enrol, so the mandatory units are in the plan from the start.
    assert [u.code for u in plan_of(db, reg.id)] == ["8391-500", "8391-501", "8391-502"]
    (dan,) = registrations_of(db, "dan.davies")
    assert dan.qualification_id == "l6-management-award" and dan.expires_on is None     # no validity stated
    assert registrations_of(db, "console:mary") == []
    audit = list(db.query("SELECT * FROM audit WHERE action = 'import_roster'"))
    assert len(audit) == 1 and audit[0]["actor"] == "admin:test"
    assert json.loads(audit[0]["detail"])["people_created"] == 7
    # The audit outlives erasure, so it never holds names or e-mail addresses.
    assert not list(db.query("SELECT 1 FROM audit WHERE detail LIKE '%Alice%' OR detail LIKE '%@%'"))


def test_reimporting_the_same_file_changes_nothing(db, kb, tmp_path) -> None:
    path = write(tmp_path, ROSTER)
    import_roster(db, kb, path, NOW, "test")
    before_counts, before = counts(db), dump(db, skip=("audit",))
    report = import_roster(db, kb, path, datetime(2026, 2, 1, tzinfo=UTC), "test")
    assert not report.changed and report.people_unchanged == 7
    assert "nothing to change" in report.summary()
    assert dump(db, skip=("audit",)) == before
    # Only the import itself is audited: one row, no per-person noise.
    assert counts(db) == {**before_counts, "audit": before_counts["audit"] + 1}


def test_reimporting_with_changes_updates_people_links_and_registrations(db, kb, tmp_path) -> None:
    import_roster(db, kb, write(tmp_path, ROSTER), NOW, "test")
    changed = ROSTER.replace(
        "console:alice,Alice Adams,Alice.Adams@Example.org,learner,Reading cluster,2024 A,console:tom,"
        "l5-sbl-diploma,2024-01-15",
        "console:alice,Alice Adams-Smith,alice@example.org,learner,Leeds,2025 B,slack:U0TARA,"
        "l5-sbl-diploma,2024-02-29")
    before = counts(db, ("people", "identities", "registrations", "plan_units", "centres", "cohorts"))
    report = import_roster(db, kb, io.StringIO(changed), NOW, "test")
    assert (report.people_updated, report.people_unchanged, report.people_created) == (1, 6, 0)
    assert (report.registrations_updated, report.registrations_created) == (1, 0)
    assert (report.tutor_links_added, report.tutor_links_removed) == (1, 1)
    assert counts(db, tuple(before)) == before                   # updated in place, never duplicated
    alice = get_person(db, "console:alice")
    assert (alice.name, alice.email) == ("Alice Adams-Smith", "alice@example.org")
    assert db["cohorts"].get(alice.cohort_id)["name"] == "2025 B"
    assert db["centres"].get(alice.centre_id)["name"] == "Leeds"
    assert [r["tutor_id"] for r in db.query("SELECT tutor_id FROM tutor_learners WHERE learner_id = ?",
                                             ["console:alice"])] == ["slack:U0TARA"]
    (reg,) = registrations_of(db, "console:alice")
    assert (reg.registered_on, reg.expires_on) == (date(2024, 2, 29), date(2027, 2, 28))


@pytest.mark.parametrize(("text", "expected"), [
    ("Level 7 Diploma for Senior Leaders", "l7-senior-leaders-diploma"),
    ("city & guilds level 7 diploma for senior leaders", "l7-senior-leaders-diploma"),
    ("LEVEL 5 DIPLOMA FOR SCHOOL BUSNESS LEADERS", "l5-sbl-diploma"),      # misspelt
    ("School Business Leaders diploma", "l5-sbl-diploma"),                 # most of one title
    ("L6 Diploma in Managment", "l6-management-diploma"),
    ("Level 6 Award in Management", "l6-management-award"),
    (" L6-SBM-Diploma ", "l6-sbm-diploma"),                                # an id, any case
])
def test_qualification_is_matched_forgivingly(kb, text, expected) -> None:
    assert resolve_qualification(kb, text).id == expected


@pytest.mark.parametrize(("text", "fragment"), [
    ("Level 6 diploma", "fits more than one"),                  # two Level 6 diplomas: ask, don't guess
    ("Level 8 Diploma for Senior Leaders", "the closest are: City & Guilds Level 7 Diploma for Senior Leaders"),
    ("Diploma in Basket Weaving", "unknown qualification"),
])
def test_qualification_that_is_not_one_is_refused_helpfully(kb, text, fragment) -> None:
    with pytest.raises(LookupError, match=fragment):
        resolve_qualification(kb, text)


L = "console:zoe,Zoe Young,zoe@example.org,learner,Leeds,2025 B,slack:U0TARA,l6-sbm-diploma,2025-09-01"


@pytest.mark.parametrize(("row", "fragment"), [
    (L.replace(",learner,", ",teacher,"), "unknown role “teacher” — use learner, tutor, manager or admin"),
    (L.replace(",learner,", ",,"), "role is missing"),
    (L.replace("l6-sbm-diploma", "Level 8 Diploma for Senior Leaders"),
     "unknown qualification “Level 8 Diploma for Senior Leaders” — the closest are: City & Guilds Level 7"),
    (L.replace("l6-sbm-diploma", ""), "qualification is missing — a learner needs one"),
    (L.replace("2025-09-01", "01/09/2025"), "isn't an ISO date — write it as YYYY-MM-DD, e.g. 2024-01-15 "
                                            "(did you mean 2025-09-01?)"),
    (L.replace("2025-09-01", "2025-02-30"), "registered_on 2025-02-30 isn't a real date"),
    (L.replace("2025-09-01", ""), "registered_on is missing"),
    (L.replace("Zoe Young", ""), "name is missing"),
    (L.replace("console:zoe", ""), "id is missing"),
    (L.replace("console:zoe", "skype:zoe"), "unknown platform “skype:”"),
    (L.replace("zoe@example.org", "zoe-at-example"), "e-mail “zoe-at-example” isn't an e-mail address"),
    (L.replace(",Leeds,2025 B,", ",,,"), "centre is missing"),
    (L.replace("slack:U0TARA", "console:nobody"), "tutor console:nobody not found"),
    (L.replace("slack:U0TARA", "console:mary"), "tutor console:mary is a manager (line 2), not a tutor"),
    (L.replace("console:zoe", "console:bob"), "duplicate id console:bob (already on line 6)"),
    (L.replace("zoe@example.org", "BOB@example.org"), "e-mail bob@example.org is also on line 6"),
    (L + ",extra", "10 values, but the header has 9 columns"),
    (",".join(L.split(",")[:7]), "only 7 values"),
])
def test_each_kind_of_bad_row_is_reported_with_its_line_number(db, kb, row, fragment) -> None:
    text = ROSTER + row + "\n"          # the header is line 1, so the new row is line 9
    problems = problems_of(db, kb, text)
    assert problems == [p for p in problems if p.startswith("line ")]
    assert any(p.startswith("line 9: ") and fragment in p for p in problems), problems
    assert db["people"].count == 0


def test_every_problem_is_listed_in_line_order_and_blank_lines_keep_the_numbering(db, kb) -> None:
    text = ROSTER.replace("\nconsole:bob", "\n\nconsole:bob") + L.replace(",learner,", ",boss,") + "\n"
    text = text.replace("l5-sbl-diploma,2024-01-15", "l5-sbl-diploma,15 Jan 2024")
    problems = problems_of(db, kb, text)
    assert [p.split(":")[0] for p in problems] == ["line 5", "line 10"]
    assert "did you mean 2024-01-15?" in problems[0]


def test_header_problems(db, kb) -> None:
    assert problems_of(db, kb, "") == [f"line 1: the file is empty — it needs the header {HEADER}"]
    (problem,) = problems_of(db, kb, HEADER.replace(",cohort,", ",group,") + "\n" + L + "\n")
    assert problem.startswith("line 1: the header has no cohort column — it should be id,name,")
    # Column order doesn't matter, and Excel's byte-order mark is not part of the first name.
    shuffled = "\ufeffname,id,email,role,centre,cohort,tutor,qualification,registered_on\n" \
               "Tom Tutor,console:tom,tom@example.org,tutor,Leeds,,,,\n"
    assert import_roster(db, kb, io.StringIO(shuffled), NOW, "test").people_created == 1
    assert get_person(db, "console:tom").name == "Tom Tutor"


def test_tutor_already_in_the_records_is_found_and_must_be_a_tutor(db, kb) -> None:
    import_roster(db, kb, io.StringIO(ROSTER), NOW, "test")
    later = f"{HEADER}\n{L}\n"          # Tara is not in this file, but is in the records
    assert import_roster(db, kb, io.StringIO(later), NOW, "test").tutor_links_added == 1
    not_tutor = f"{HEADER}\n" + L.replace("console:zoe", "console:yan").replace("zoe@", "yan@").replace(
        "slack:U0TARA", "console:mary") + "\n"
    (problem,) = problems_of(db, kb, not_tutor)
    assert problem == "line 2: tutor console:mary is a manager in the records, not a tutor"


def test_email_or_identity_already_belonging_to_someone_else_is_refused(db, kb) -> None:
    import_roster(db, kb, io.StringIO(ROSTER), NOW, "test")
    (problem,) = problems_of(db, kb, f"{HEADER}\n" + L.replace("zoe@example.org", "Mary@example.org") + "\n")
    assert problem.startswith("line 2: e-mail mary@example.org already belongs to console:mary — if that is")
    db["identities"].insert({"id": "console:zoe", "person_id": "console:mary", "platform": "console",
                             "created_at": NOW.isoformat()})
    (problem,) = problems_of(db, kb, f"{HEADER}\n{L}\n")
    assert problem == "line 2: the identity console:zoe is already linked to console:mary"


def test_a_removed_person_is_not_brought_back(db, kb) -> None:
    import_roster(db, kb, io.StringIO(ROSTER), NOW, "test")
    remove_person(db, "console:bob", NOW, "test")
    problems = problems_of(db, kb, ROSTER)
    assert problems == ["line 6: console:bob was removed (their personal data erased) and can't be re-used "
                        "— give them a new id"]


def test_one_bad_row_in_the_middle_leaves_the_database_exactly_unchanged(db, kb) -> None:
    import_roster(db, kb, io.StringIO(ROSTER), NOW, "test")
    # New people, new centres, changed people and new registrations around one bad row.
    lines = ROSTER.replace("Alice Adams", "Alice Changed").splitlines()
    lines[4:4] = [L.replace("console:zoe", "console:new1").replace("zoe@", "new1@"),
                  L.replace("2025-09-01", "31/31/2025"),                                   # bad: line 6
                  L.replace("console:zoe", "console:new2").replace("zoe@", "new2@").replace("Leeds", "York")]
    before_counts, before = counts(db), dump(db)
    problems = problems_of(db, kb, "\n".join(lines) + "\n")
    assert len(problems) == 1 and problems[0].startswith("line 6: registered_on “31/31/2025”")
    assert counts(db) == before_counts
    assert dump(db) == before


def test_a_failure_part_way_through_writing_rolls_everything_back(db, kb, store_target, monkeypatch) -> None:
    import bot.records.roster as roster

    without_dan = "\n".join(ROSTER.splitlines()[:-1]) + "\n"
    import_roster(db, kb, io.StringIO(without_dan), NOW, "test")
    before_counts, before = counts(db), dump(db)
    real_enrol, calls = roster.enrol, []

    def failing_enrol(*args, **kwargs):
        calls.append(args[2])
        if len(calls) == 2:         # people, centres, links and one registration are written by now
            raise RuntimeError("disk full")
        return real_enrol(*args, **kwargs)

    monkeypatch.setattr(roster, "enrol", failing_enrol)
    changed = ROSTER.replace("Tom Tutor", "Tom Changed").replace("2024-03-01", "2024-04-01") + \
        L.replace("console:zoe", "console:new1").replace("zoe@", "new1@").replace("Leeds", "York") + "\n"
    with pytest.raises(RuntimeError, match="disk full"):
        import_roster(db, kb, io.StringIO(changed), NOW, "test")
    assert len(calls) == 2
    assert counts(db) == before_counts and dump(db) == before
    # And from disk, through a fresh connection: nothing was committed.
    fresh = open_store(store_target("roster"))
    assert counts(fresh) == before_counts
    assert get_person(fresh, "console:tom").name == "Tom Tutor"
    fresh.close()


def test_staff_rows_need_no_qualification_and_learner_columns_on_them_are_ignored(db, kb) -> None:
    text = f"""{HEADER}
console:ada,Ada Admin,ada@example.org,admin,,,,,
console:mo,Mo Manager,mo@example.org,manager,Leeds,,,,
console:tim,Tim Tutor,tim@example.org,tutor,Leeds,,,l5-sbl-diploma,2024-01-15
"""
    report = import_roster(db, kb, io.StringIO(text), NOW, "test")
    assert report.people_created == 3 and report.registrations_created == 0
    assert report.notes == ["line 4: qualification, registered_on ignored — console:tim is a tutor, not a learner"]
    assert "Note — line 4" in report.summary()
    assert get_person(db, "console:ada").centre_id is None
    assert get_person(db, "console:mo").role == "manager"
    assert registrations_of(db, "console:tim") == []


def test_missing_file_and_non_utf8_file(db, kb, tmp_path) -> None:
    with pytest.raises(RosterError, match="no such file"):
        import_roster(db, kb, tmp_path / "nope.csv", NOW, "test")
    latin = tmp_path / "latin.csv"
    latin.write_bytes((f"{HEADER}\nconsole:zo,Zoë,,admin,,,,,\n").encode("latin-1"))
    with pytest.raises(RosterError, match="not UTF-8"):
        import_roster(db, kb, latin, NOW, "test")


def test_add_person_creates_then_updates_only_what_is_given(db) -> None:
    assert add_person(db, "console:jo", "Jo Bloggs", NOW, "test", email="Jo@Example.org", role="tutor",
                      centre="Leeds") is True
    jo = get_person(db, "console:jo")
    assert (jo.email, jo.role) == ("jo@example.org", "tutor") and jo.centre_id is not None
    assert db["identities"].get("console:jo")["person_id"] == "console:jo"
    assert add_person(db, "console:jo", "Jo Smith", NOW, "test") is False
    jo = get_person(db, "console:jo")
    assert (jo.name, jo.email, jo.role) == ("Jo Smith", "jo@example.org", "tutor")
    with pytest.raises(RosterError, match="unknown role “boss”"):
        add_person(db, "console:kim", "Kim", NOW, "test", role="boss")


def test_a_tutor_whose_own_row_fails_is_reported_once(db, kb) -> None:
    text = ROSTER.replace("tom@example.org,tutor", "tom-at-example,tutor")
    problems = problems_of(db, kb, text)
    assert problems == ["line 3: e-mail “tom-at-example” isn't an e-mail address"]


def test_moving_a_person_to_another_centre_leaves_their_old_cohort_behind(db, kb) -> None:
    import_roster(db, kb, io.StringIO(ROSTER), NOW, "test")
    assert get_person(db, "console:alice").cohort_id is not None
    add_person(db, "console:alice", "Alice Adams", NOW, "test", centre="Leeds")
    alice = get_person(db, "console:alice")
    assert db["centres"].get(alice.centre_id)["name"] == "Leeds" and alice.cohort_id is None


def test_semicolon_separated_file_from_excel_is_read(db, kb) -> None:
    text = ROSTER.replace(",", ";")
    report = import_roster(db, kb, io.StringIO(text), NOW, "test")
    assert report.people_created == 7 and report.registrations_created == 4


def test_someone_who_messaged_before_enrolment_is_merged_not_refused(db, kb) -> None:
    from bot.records.evidence import log_evidence
    from bot.records.people import person_for_identity

    early = person_for_identity(db, "slack:UALICE", NOW, email="alice.adams@example.org")
    assert early.role is None
    log_evidence(db, early.id, "draft budget", [("8391-501", "2.2")], NOW, early.id)
    import_roster(db, kb, io.StringIO(ROSTER), NOW, "test")
    assert get_person(db, "slack:UALICE") is None                      # folded into the roster entry
    assert person_for_identity(db, "slack:UALICE", NOW).id == "console:alice"
    assert db.execute("SELECT person_id FROM evidence").fetchone()[0] == "console:alice"
