"""``assessbot evidence suggest`` and ``/attach`` in the console (#21): a document on this computer gets the
same suggestions the chat gives, in the JSON of the issue; bad files say why; nothing is stored by a look-up."""

from __future__ import annotations

import io
import json

import pytest

from adapters.cli import main
from adapters.console import run_console
from bot.records.evidence import evidence_of
from bot.store import open_store
from tests.conftest import NOW
from tests.documents_fixture import pdf_bytes
from tests.records_fixture import seed
from tests.test_evidence_suggest import BUDGET_WORK


@pytest.fixture
def db(tmp_path, kb) -> str:
    path = str(tmp_path / "cli.db")
    store = open_store(path)
    seed(store, kb, NOW)
    store.close()
    return path


@pytest.fixture
def work(tmp_path) -> str:
    path = tmp_path / "budget-monitoring.txt"
    path.write_text(BUDGET_WORK, encoding="utf-8")
    return str(path)


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_json_suggestions_for_a_learner_best_first(capsys, db, work, kb) -> None:
    assert main(["evidence", "suggest", work, "--db", db, "--as", "console:alice", "--json"]) == 0
    out = _json(capsys)
    assert set(out) == {"suggestions"} and 3 <= len(out["suggestions"]) <= 6
    assert all(set(s) == {"unit", "ac", "why"} for s in out["suggestions"])
    assert out["suggestions"][0]["unit"] == "8391-501"                   # Alice: Level 5, Managing School Finances
    assert all(s["unit"] in kb.qualifications["l5-sbl-diploma"].units for s in out["suggestions"])
    assert all(kb.criterion(s["unit"], s["ac"]) for s in out["suggestions"])
    assert all(s["why"].rstrip("…") in BUDGET_WORK for s in out["suggestions"])   # drawn from the document


def test_someone_unknown_is_not_created_by_a_look_up(capsys, db, work) -> None:
    store = open_store(db)
    people = store["people"].count
    assert main(["evidence", "suggest", work, "--db", db, "--as", "slack:UNKNOWN", "--json"]) == 0
    assert _json(capsys)["suggestions"]
    assert store["people"].count == people and not store.execute("SELECT 1 FROM identities WHERE id = "
                                                                 "'slack:UNKNOWN'").fetchall()


def test_plain_output_says_it_is_advice(capsys, db, work) -> None:
    assert main(["evidence", "suggest", work, "--db", db, "--as", "console:alice"]) == 0
    out = capsys.readouterr().out
    assert "advice only" in out and "8391-501 AC" in out


@pytest.mark.parametrize("name, make, words", [
    ("locked.pdf", lambda p: p.write_bytes(pdf_bytes(["Budget"], encrypt_password="x")), "password"),
    ("huge.txt", lambda p: p.open("wb").truncate(11 * 1024 * 1024), "10 MB"),     # sparse: no 11 MB written
    ("missing.pdf", lambda p: None, "can't open"),
])
def test_a_file_it_cannot_read_says_why_with_status_1(capsys, db, tmp_path, name, make, words) -> None:
    path = tmp_path / name
    make(path)
    assert main(["evidence", "suggest", str(path), "--db", db, "--json"]) == 1
    out = _json(capsys)
    assert out["suggestions"] == [] and words in out["error"]


def test_attach_in_the_console_suggests_and_logs(dialogue, work) -> None:
    stdout = io.StringIO()
    lines = f"/attach {work} what could this count for?\nlog it for the first two\n/attach /no/such.pdf\nquit\n"
    assert run_console(dialogue, "console:jo", io.StringIO(lines), stdout) == 0
    out = stdout.getvalue()
    assert "What “budget-monitoring.txt” could count for" in out and "not an assessment decision" in out
    assert "Logged “budget-monitoring.txt”" in out
    assert "I can't open “/no/such.pdf”" in out
    [item] = evidence_of(dialogue.db, "console:jo")
    assert item.title == "budget-monitoring.txt" and len(item.links) == 2
