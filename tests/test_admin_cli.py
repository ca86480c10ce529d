"""``assessbot admin …`` and ``assessbot export matrix``, driven through ``adapters.cli.main``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from adapters.cli import main
from bot.records.registration import current_registration
from bot.store import open_store
from tests.test_roster import HEADER, ROSTER

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

NOW = "2026-01-10T09:00"


@pytest.fixture
def db(store_target) -> str:
    return store_target("admin")


@pytest.fixture
def roster(tmp_path: Path) -> str:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return str(path)


def run(*argv: str, db: str) -> int:
    return main([*argv, "--db", db, "--now", NOW])


def test_import_roster_prints_a_summary_and_reimport_changes_nothing(capsys, db, roster) -> None:
    assert run("admin", "import-roster", roster, db=db) == 0
    out = capsys.readouterr().out
    assert "Imported roster.csv: 7 people." in out
    assert "People: 7 created, 0 updated, 0 unchanged." in out
    assert "Registrations: 4 created, 0 updated." in out
    assert run("admin", "import-roster", roster, db=db) == 0
    out = capsys.readouterr().out
    assert "nothing to change" in out and "People: 0 created, 0 updated, 7 unchanged." in out
    store = open_store(db)
    assert store["people"].count == 7 and store["registrations"].count == 4
    (audit,) = list(store.query("SELECT actor FROM audit WHERE action = 'import_roster' LIMIT 1"))
    assert audit["actor"].startswith("cli")
    store.close()


def test_import_roster_with_bad_rows_lists_them_and_writes_nothing(capsys, db, tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(ROSTER.replace("manager,Reading", "boss,Reading").replace("2024-03-01", "1/3/24"),
                   encoding="utf-8")
    assert run("admin", "import-roster", str(bad), db=db) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "was not imported — nothing was changed" in captured.err
    assert "  line 2: unknown role “boss”" in captured.err
    assert "  line 6: registered_on “1/3/24” isn't an ISO date" in captured.err
    store = open_store(db)
    assert store["people"].count == 0 and store["audit"].count == 0
    store.close()
    assert run("admin", "import-roster", str(tmp_path / "missing.csv"), db=db) == 1
    assert "no such file" in capsys.readouterr().err


def test_add_person_link_and_refusals(capsys, db) -> None:
    assert run("admin", "add-person", "--id", "console:jo", "--name", "Jo Bloggs", "--email", "JO@example.org",
               "--role", "tutor", "--centre", "Leeds", db=db) == 0
    assert capsys.readouterr().out.strip() == "Added console:jo."
    assert run("admin", "add-person", "--id", "console:jo", "--name", "Jo Smith", db=db) == 0
    assert capsys.readouterr().out.strip() == "Updated console:jo."
    assert run("admin", "add-person", "--id", "console:kim", "--name", "Kim", "--role", "boss", db=db) == 1
    assert "unknown role “boss” — use learner, tutor, manager or admin" in capsys.readouterr().err

    assert run("admin", "link", "--identity", "slack:U123", "--person", "console:jo", db=db) == 0
    assert capsys.readouterr().out.strip() == "Linked slack:U123 to console:jo."
    assert run("admin", "link", "--identity", "slack:U123", "--person", "console:nobody", db=db) == 1
    assert "there is no person “console:nobody”" in capsys.readouterr().err
    assert run("admin", "link", "--identity", "U123", "--person", "console:jo", db=db) == 1
    assert "should be a platform and an id, e.g. slack:U0123ABC" in capsys.readouterr().err
    store = open_store(db)
    jo = store["people"].get("console:jo")
    assert (jo["name"], jo["email"], jo["role"]) == ("Jo Smith", "jo@example.org", "tutor")
    assert store["identities"].get("slack:U123")["person_id"] == "console:jo"
    store.close()


def test_remove_person_erases_personal_data_and_keeps_decisions_and_audit(capsys, db, roster) -> None:
    assert run("admin", "import-roster", roster, db=db) == 0
    assert run("admin", "link", "--identity", "slack:UALICE", "--person", "console:alice", db=db) == 0
    store = open_store(db)
    reg = current_registration(store, "console:alice")
    store["decisions"].insert({"registration_id": reg.id, "unit_code": "8391-501", "ac": "2.2", "outcome": "met",
                               "assessor_id": "console:tom", "decided_at": "2026-01-09T10:00:00+00:00"})
    audit_before = store["audit"].count
    store.close()
    capsys.readouterr()

    assert run("admin", "remove-person", "--id", "console:alice", db=db) == 0
    assert "Removed console:alice" in capsys.readouterr().out
    store = open_store(db)
    alice = store["people"].get("console:alice")
    assert alice["name"] is None and alice["email"] is None and alice["erased_at"]
    assert store["identities"].count_where("person_id = ?", ["console:alice"]) == 0
    assert store["tutor_learners"].count_where("learner_id = ?", ["console:alice"]) == 0
    assert store["decisions"].count_where("registration_id = ?", [reg.id]) == 1
    assert store["audit"].count == audit_before + 1
    assert store["audit"].count_where("subject = ? AND action = 'enrol'", ["console:alice"]) == 1
    store.close()
    assert run("admin", "remove-person", "--id", "console:alice", db=db) == 1
    assert "no person “console:alice”" in capsys.readouterr().err


def test_export_matrix_to_stdout_and_to_files(capsys, db, roster, tmp_path) -> None:
    assert run("admin", "import-roster", roster, db=db) == 0
    capsys.readouterr()
    assert run("export", "matrix", "--id", "console:alice", db=db) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["unit"] for r in rows} == {"8391-500", "8391-501", "8391-502"}
    assert next(r for r in rows if (r["unit"], r["ac"]) == ("8391-501", "2.2"))["ac_wording"] == \
        "Prepare the key external financial statements used by a school"

    out = tmp_path / "alice.xlsx"
    assert run("export", "matrix", "--id", "console:alice", "--out", str(out), db=db) == 0   # xlsx by name
    assert f"to {out}" in capsys.readouterr().out
    assert load_workbook(out).active["A1"].value == "unit"
    out_csv = tmp_path / "alice.csv"
    assert run("export", "matrix", "--id", "console:alice", "--format", "csv", "--out", str(out_csv), db=db) == 0
    assert out_csv.read_text(encoding="utf-8").startswith("unit,unit_title,ac,ac_wording,")


def test_export_matrix_refuses_unknown_people_and_xlsx_to_the_screen(capsys, db, roster) -> None:
    assert run("admin", "import-roster", roster, db=db) == 0
    capsys.readouterr()
    assert run("export", "matrix", "--id", "console:nobody", db=db) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "There is no person “console:nobody” in the records." in captured.err
    assert run("export", "matrix", "--id", "console:alice", "--format", "xlsx", db=db) == 1
    assert "--out FILE.xlsx" in capsys.readouterr().err
    assert run("export", "matrix", "--id", "console:mary", db=db) == 1
    assert "isn't registered on a qualification" in capsys.readouterr().err


def test_admin_and_export_accept_the_common_flags(capsys, db, tmp_path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(f"{HEADER}\nconsole:ada,Ada Admin,ada@example.org,admin,,,,,\n", encoding="utf-8")
    assert main(["admin", "import-roster", "--db", db, "--now", "2027-01-15T09:00", "--config", "app.yaml",
                 str(path)]) == 0
    assert main(["export", "matrix", "--id", "console:ada", "--db", db, "--config", "app.yaml"]) == 1
    store = open_store(db)
    assert store["people"].get("console:ada")["created_at"].startswith("2027-01-15T09:00:00+00:00")
    store.close()


def test_import_roster_reads_standard_input(capsys, monkeypatch, db) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(ROSTER))
    assert run("admin", "import-roster", "-", db=db) == 0
    assert "People: 7 created" in capsys.readouterr().out
