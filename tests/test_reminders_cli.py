"""``assessbot reminders due [--json]`` and ``assessbot reminders run``: the ARCHITECTURE.md contract."""

from __future__ import annotations

import json

import pytest

from adapters.cli import main

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

ROSTER = """id,name,email,role,centre,cohort,tutor,qualification,registered_on
console:tess,Tess Tutor,tess@example.org,tutor,Reading cluster,,,,
console:alice,Alice Able,alice@example.org,learner,Reading cluster,Autumn,console:tess,l5-sbl-diploma,2024-01-15
"""


def test_due_then_run_delivers_once(tmp_path, capsys) -> None:
    db = str(tmp_path / "r.db")
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert main(["admin", "import-roster", "--db", db, "--now", "2026-12-10T10:00", str(roster)]) == 0
    capsys.readouterr()
    # 30 days before 15 January 2027 is 16 December 2026: the 30-day warning is due that morning.
    assert main(["reminders", "due", "--db", db, "--now", "2026-12-16T10:00", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {(x["to"], x["kind"]) for x in lines} == {("console:alice", "expiry"), ("console:tess", "expiry")}
    assert all(set(x) == {"to", "at", "kind", "text"} for x in lines)
    assert all(x["at"].startswith("2026-12-16T09:00") for x in lines)           # ISO, local time
    assert all("15 January 2027" in x["text"] for x in lines)
    assert main(["reminders", "run", "--db", db, "--now", "2026-12-16T10:00"]) == 0
    out = capsys.readouterr().out
    assert "[to console:alice]" in out and "[to console:tess]" in out and "Sent 2" in out
    assert main(["reminders", "run", "--db", db, "--now", "2026-12-16T10:05"]) == 0
    assert "Sent 0" in capsys.readouterr().out                                    # exactly once
    assert main(["reminders", "due", "--db", db, "--now", "2026-12-16T10:06"]) == 0
    assert "Nothing is due." in capsys.readouterr().out
