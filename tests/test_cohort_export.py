"""``assessbot export cohort``: one row per learner with the ARCHITECTURE.md columns, filtered by centre/cohort."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from adapters.cli import main

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

ROSTER = """id,name,email,role,centre,cohort,tutor,qualification,registered_on
console:tess,Tess Tutor,tess@example.org,tutor,Reading cluster,,,,
console:alice,Alice Able,alice@example.org,learner,Reading cluster,Autumn 2024,console:tess,l5-sbl-diploma,2024-01-15
console:bob,Bob Baker,bob@example.org,learner,Reading cluster,Autumn 2025,console:tess,\
Level 7 Diploma for Senior Leaders,2025-09-01
console:eve,Eve Evans,eve@example.org,learner,Leeds,Spring 2025,,l6-management-diploma,2025-05-20
"""


def _import(tmp_path, capsys) -> str:
    db = str(tmp_path / "c.db")
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert main(["admin", "import-roster", "--db", db, "--now", "2026-11-22T10:00", str(roster)]) == 0
    capsys.readouterr()
    return db


def test_cohort_csv_columns_and_filters(tmp_path, capsys) -> None:
    db = _import(tmp_path, capsys)
    assert main(["export", "cohort", "--db", db, "--now", "2026-11-22T10:00"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == ["id", "name", "centre", "cohort", "tutor", "qualification", "registered_on",
                             "expires_on", "progress", "status"]
    alice = next(r for r in rows if r["id"] == "console:alice")
    assert alice == {"id": "console:alice", "name": "Alice Able", "centre": "Reading cluster", "cohort": "Autumn 2024",
                     "tutor": "console:tess", "qualification": "l5-sbl-diploma", "registered_on": "2024-01-15",
                     "expires_on": "2027-01-15", "progress": "0%", "status": "red"}
    eve = next(r for r in rows if r["id"] == "console:eve")
    assert eve["expires_on"] == ""                       # the 8316 document states no validity
    assert main(["export", "cohort", "--db", db, "--centre", "Reading cluster", "--cohort", "Autumn 2025"]) == 0
    only = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["id"] for r in only] == ["console:bob"]
    assert main(["export", "cohort", "--db", db, "--centre", "Nowhere"]) == 1


def test_cohort_xlsx(tmp_path, capsys) -> None:
    db = _import(tmp_path, capsys)
    out = tmp_path / "cohort.xlsx"
    assert main(["export", "cohort", "--db", db, "--out", str(out)]) == 0
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]][:3] == ["id", "name", "centre"] and sheet.max_row == 4


def test_xlsx_to_the_screen_is_refused_kindly_for_both_exports(tmp_path, capsys) -> None:
    db = _import(tmp_path, capsys)
    for command in (["export", "cohort"], ["export", "matrix", "--id", "console:alice"]):
        assert main([*command, "--db", db, "--format", "xlsx"]) == 1
        assert "can't go to the screen" in capsys.readouterr().err
