"""``assessbot ask``: the JSON contract of ARCHITECTURE.md, one object per input line, in order."""

from __future__ import annotations

import io
import json

import pytest

from adapters.cli import main


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "ask.db")


def test_ask_json(capsys, db) -> None:
    assert main(["ask", "--db", db, "--json", "what evidence does 8391-501 AC2.2 need?"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"text", "kind", "intent", "refs"}
    assert out["kind"] == "answer" and out["refs"] == [{"unit": "8391-501", "ac": "2.2"}]
    assert "Prepare the key external financial statements used by a school" in out["text"]


def test_ask_plain_text(capsys, db) -> None:
    assert main(["ask", "--db", db, "tell", "me", "about", "unit", "503"]) == 0
    assert "8391-503 Human Resource Management in a School" in capsys.readouterr().out


def test_jsonl_conversations_share_context_and_lines_stay_in_order(capsys, monkeypatch, db) -> None:
    lines = [
        {"text": "unit 700", "conversation": "c1"},
        {"text": "what evidence does 8391-501 AC2.2 need?"},
        {"text": "2", "conversation": "c1", "user": "console:alice"},
        {"text": "2"},                        # no conversation: independent, so not an answer to anything
    ]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\nnot json\n\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(["ask", "--db", db, "--jsonl"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(out) == 6
    assert out[0]["kind"] == "clarify"
    assert out[1]["refs"] == [{"unit": "8391-501", "ac": "2.2"}]
    assert out[2]["kind"] == "answer" and out[2]["refs"] == [{"unit": "8431-700", "ac": None}]
    assert out[3]["kind"] != "answer"
    assert out[4]["kind"] == "error" and out[5]["kind"] == "error"
    assert all(set(o) == {"text", "kind", "intent", "refs"} for o in out)


def test_every_subcommand_accepts_the_common_flags(capsys, db, tmp_path) -> None:
    assert main(["ask", "--db", db, "--now", "2027-01-15T09:00", "--config", "app.yaml", "--json", "hi"]) == 0
    assert json.loads(capsys.readouterr().out)["intent"] == "greeting"
    assert main(["kb", "show", "--db", db, "--now", "2027-01-15T09:00", "8391-501", "2.2"]) == 0
