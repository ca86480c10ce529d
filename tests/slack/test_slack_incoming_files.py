"""Documents shared with the bot in Slack (issue #21) reach the dialogue core as ``Message.files``.

Through signed events to the real Bolt app and the fake Slack, which serves the shared files at their
``url_private_download`` and records each download with its headers. Most tests look at the ``Message`` the
core is handed (a spy on ``Dialogue.handle``); the core's suggestions themselves are tested in
tests/test_evidence_suggest.py, and the last tests here follow one through to the log-it button.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from adapters.slack.incoming import MAX_FILES, token_may_go_to
from bot.types import MAX_FILE_BYTES
from tests.conftest import Seen
from tests.slack import payloads
from tests.slack.conftest import Harness

MB = 1024 * 1024
TOKEN = "xoxb-test-token"          # the bot token tests/slack/conftest.py configures
REFLECTION = (b"I planned the team's rota for the Christmas period, agreed priorities with my manager and "
              b"checked progress each week.\n")
PDF = b"%PDF-1.4\n% a small document\n" + bytes(range(256)) * 8



async def share(slack: Harness, files: list[dict[str, Any]], text: str = "", user: str = "U1") -> dict[str, Any]:
    """Share files in the person's DM with the bot; the bot's first answer there."""
    before = len(slack.fake.posts())
    response = await slack.post(payloads.file_share(files, text, user))
    assert response.status == 200
    return await slack.until(lambda: next((p for p in slack.fake.posts()[before:] if p["channel"] == f"D{user}"),
                                          None))


def assert_answered_without_apology(slack: Harness) -> None:
    assert not slack.adapter.stats["failures"] and not slack.adapter.stats["apologies"]


# -- the document reaches the core ------------------------------------------------------------------------------
async def test_a_document_shared_in_a_dm_reaches_the_core_with_its_bytes(slack: Harness, seen: Seen) -> None:
    file = slack.fake.host_file("reflection.txt", REFLECTION, mimetype="text/plain")
    await share(slack, [file], "what could this count for?")
    [message] = seen
    assert (message.person, message.platform, message.shared) == ("slack:U1", "slack", False)
    assert message.text == "what could this count for?"
    [incoming] = message.files
    assert (incoming.name, incoming.data, incoming.size, incoming.problem) == (
        "reflection.txt", REFLECTION, len(REFLECTION), None)
    # Fetched once, from url_private_download, with the bot's own token.
    [download] = slack.fake.downloads()
    assert download["path"] == "/files-pri/T1-FS001/download/reflection.txt" and download["status"] == 200
    assert download["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert_answered_without_apology(slack)


async def test_files_shared_without_words_come_with_empty_text(slack: Harness, seen: Seen) -> None:
    docx = b"PK\x03\x04 a word document's zip"
    files = [slack.fake.host_file("plan.pdf", PDF, mimetype="application/pdf"),
             slack.fake.host_file("notes.docx", docx, mimetype="application/vnd.openxmlformats-officedocument."
                                                                "wordprocessingml.document")]
    await share(slack, files)
    [message] = seen
    assert message.text == ""
    assert [(f.name, f.data) for f in message.files] == [("plan.pdf", PDF), ("notes.docx", docx)]


async def test_a_file_with_an_at_mention_in_a_channel_reaches_the_core(slack: Harness, seen: Seen) -> None:
    file = slack.fake.host_file("log.md", b"# Coaching log\n", mimetype="text/markdown")
    await slack.post(payloads.mention("what could this count for, for Jane?", channel="C9", files=[file]))
    await slack.until(lambda: [p for p in slack.fake.posts() if p["channel"] == "C9"])
    [message] = seen
    assert message.shared and message.text == "what could this count for, for Jane?"
    assert [(f.name, f.data) for f in message.files] == [("log.md", b"# Coaching log\n")]


async def test_only_the_first_three_files_are_read(slack: Harness, seen: Seen) -> None:
    files = [slack.fake.host_file(f"part{n}.txt", f"part {n}".encode(), mimetype="text/plain") for n in range(1, 5)]
    await share(slack, files, "what could these count for?")
    assert [f.name for f in seen[0].files] == ["part1.txt", "part2.txt", "part3.txt"] and MAX_FILES == 3
    assert len(slack.fake.downloads()) == 3


async def test_a_snippet_without_a_suffix_is_read_as_text(slack: Harness, seen: Seen) -> None:
    file = slack.fake.host_file("Untitled", b"Ran the weekly team meeting.", mimetype="text/plain", mode="snippet")
    await share(slack, [file])
    assert [(f.name, f.data) for f in seen[0].files] == [("Untitled.txt", b"Ran the weekly team meeting.")]


async def test_an_unknown_kind_of_file_is_named_as_such(slack: Harness, seen: Seen) -> None:
    await share(slack, [slack.fake.host_file("Untitled", b"?", mimetype="application/x-unknown")])
    assert seen[0].files[0].problem == (
        "I can't tell what kind of document “Untitled” is, as its name has no ending like .pdf or .docx. I can read "
        "Word (.docx), PDF (.pdf), plain text (.txt) and Markdown (.md) files. Could you send it as one of those, or "
        "describe the work in a few lines?")
    assert slack.fake.downloads() == []


async def test_a_file_slack_sends_by_id_only_is_looked_up_first(slack: Harness, seen: Seen) -> None:
    file = slack.fake.host_file("reflection.txt", REFLECTION, mimetype="text/plain")
    await share(slack, [{"id": file["id"], "mode": "file_access"}])       # Slack Connect: just the id
    assert [(f.name, f.data) for f in seen[0].files] == [("reflection.txt", REFLECTION)]
    assert slack.fake.called("files.info") == [{"file": file["id"]}]


# -- size, type and failures ----------------------------------------------------------------------------------
async def test_a_file_slack_says_is_too_big_is_never_downloaded(slack: Harness, seen: Seen) -> None:
    file = slack.fake.host_file("portfolio.pdf", PDF, mimetype="application/pdf", size=11 * MB)
    await share(slack, [file], "what could this count for?")
    [incoming] = seen[0].files
    assert incoming.data is None and incoming.size == 11 * MB
    assert incoming.problem == ("“portfolio.pdf” is 11.0 MB; I can read files up to 10 MB. Could you send a "
                                "shorter version, or describe the work in a few lines?")
    assert slack.fake.downloads() == []
    assert_answered_without_apology(slack)


async def test_a_download_longer_than_slack_said_is_stopped(slack: Harness, seen: Seen) -> None:
    big = b"x" * (MAX_FILE_BYTES + 1)
    file = slack.fake.host_file("notes.txt", big, mimetype="text/plain", size=2000)       # Slack's size was wrong
    await share(slack, [file])
    [incoming] = seen[0].files
    assert incoming.data is None and "I can read files up to 10 MB" in (incoming.problem or "")


@pytest.mark.parametrize("status", [404, 500])
async def test_a_failed_download_gives_a_problem_and_still_an_answer(slack: Harness, seen: Seen, caplog,
                                                                     status: int) -> None:
    file = slack.fake.host_file("reflection.txt", REFLECTION, mimetype="text/plain")
    slack.fake.fail("download", status=status)
    with caplog.at_level(logging.INFO):
        post = await share(slack, [file], "what could this count for?")
    assert post["channel"] == "DU1"
    [incoming] = seen[0].files
    assert incoming.data is None and incoming.problem == (
        "I couldn't fetch “reflection.txt” from Slack just now. Could you try sharing it again in a moment, or "
        "describe the work in a few lines?")
    assert_answered_without_apology(slack)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]       # no traceback
    assert f"Slack file {file['id']} not fetched: HTTP {status}" in caplog.text
    assert "reflection" not in caplog.text and "Christmas" not in caplog.text        # neither its name nor its words


async def test_a_slow_download_times_out_into_a_problem(slack: Harness, seen: Seen) -> None:
    slack.adapter.incoming.timeout = 0.2
    slack.fake.download_delay = 0.6
    await share(slack, [slack.fake.host_file("reflection.txt", REFLECTION, mimetype="text/plain")])
    [incoming] = seen[0].files
    assert incoming.data is None and "couldn't fetch" in (incoming.problem or "")
    assert_answered_without_apology(slack)


async def test_slacks_sign_in_page_is_not_taken_for_the_file(slack: Harness, seen: Seen) -> None:
    # Without files:read Slack answers 200 with an HTML page, not the file.
    file = slack.fake.host_file("reflection.txt", b"<html>sign in</html>", mimetype="text/plain",
                                content_type="text/html")
    await share(slack, [file])
    [incoming] = seen[0].files
    assert incoming.data is None and "couldn't fetch" in (incoming.problem or "")


@pytest.mark.parametrize("name, mimetype, extra, words", [
    ("photo.png", "image/png", {}, "I can't read .png files like “photo.png”. I can read Word (.docx)"),
    ("plan.docx", "application/octet-stream", {"mode": "external", "is_external": True}, "stored outside Slack"),
    ("old.pdf", "application/pdf", {"mode": "hidden_by_limit"}, "Slack no longer lets me open"),
])
async def test_files_the_bot_cannot_read_are_not_downloaded(slack: Harness, seen: Seen, name: str,
                                                            mimetype: str, extra: dict[str, Any], words: str) -> None:
    await share(slack, [slack.fake.host_file(name, b"bytes", mimetype=mimetype, **extra)])
    [incoming] = seen[0].files
    assert incoming.name == name and incoming.data is None and words in (incoming.problem or "")
    assert slack.fake.downloads() == []


async def test_the_token_is_not_sent_to_a_host_that_is_not_slack(slack: Harness, seen: Seen) -> None:
    file = slack.fake.host_file("reflection.txt", REFLECTION, mimetype="text/plain")
    await share(slack, [{**file, "url_private_download": "https://files.example.org/reflection.txt",
                         "url_private": "https://files.example.org/reflection.txt"}])
    [incoming] = seen[0].files
    assert incoming.data is None and "couldn't fetch" in (incoming.problem or "")
    assert slack.fake.downloads() == []


def test_which_addresses_may_receive_the_bot_token() -> None:
    api = "https://slack.com/api/"
    assert token_may_go_to("https://files.slack.com/files-pri/T1-F1/download/a.pdf", api)
    assert token_may_go_to("https://acme.enterprise.slack.com/files-pri/T1-F1/a.pdf", api)
    assert not token_may_go_to("http://files.slack.com/files-pri/T1-F1/a.pdf", api)          # not over plain http
    assert not token_may_go_to("https://files.slack.com.example.org/a.pdf", api)
    assert not token_may_go_to("https://example.org/a.pdf", api)
    assert token_may_go_to("http://127.0.0.1:9000/files-pri/a.pdf", "http://127.0.0.1:9000/api/")   # the fake
    assert not token_may_go_to("http://127.0.0.1:9001/files-pri/a.pdf", "http://127.0.0.1:9000/api/")
    assert not token_may_go_to("http://10.0.0.5/files-pri/a.pdf", "http://10.0.0.5/api/")    # http off loopback


async def test_an_ordinary_message_has_no_files(slack: Harness, seen: Seen) -> None:
    await slack.dm("what evidence does 8391-501 AC2.2 need?")
    assert seen[0].files == () and slack.fake.downloads() == []


# -- end to end, with the core's evidence suggestions ---------------------------------------------------------------
async def test_a_shared_text_file_gets_evidence_suggestions(slack: Harness, seen: Seen) -> None:
    work = (b"I prepared the monthly budget monitoring report for the finance committee: I compared actual spend "
            b"with the budget for each cost centre, explained the main variances and recommended savings.\n")
    await share(slack, [slack.fake.host_file("budget-report.txt", work, mimetype="text/plain")],
                "what could this count for?")
    [replies] = seen.replies
    assert [r.intent for r in replies] == ["evidence_suggest"] and replies[0].kind == "answer"
    assert_answered_without_apology(slack)


async def test_the_log_it_button_records_the_evidence_for_the_person_who_shared(slack: Harness) -> None:
    """Share → suggestions with a "Log it for all" button → pressed → the evidence record, read back."""
    from bot.records.evidence import evidence_of

    work = (b"I set the school's annual budget with the head and produced the three-year financial forecast. Each "
            b"month I prepare the budget monitoring report for the governors' finance committee, explaining "
            b"variances against the budget.\n")
    answer = await share(slack, [slack.fake.host_file("budget-report.txt", work, mimetype="text/plain")],
                         "what could this count for?")
    actions = next(b for b in answer["blocks"] if b["type"] == "actions")
    pressed = next(e for e in actions["elements"] if e["text"]["text"].startswith("Log it for all"))
    message = {"ts": "1700000200.000001", "text": answer["text"], "blocks": [
        {**b, "block_id": f"b{n}"} for n, b in enumerate(answer["blocks"])]}
    before = len(slack.fake.posts())
    response = await slack.form(payloads.button(slack.fake.url, {**pressed, "block_id":
                                                                  f"b{answer['blocks'].index(actions)}"},
                                                message=message))
    assert response.status == 200
    done = (await slack.until(lambda: slack.fake.posts()[before:]))[0]
    db = slack.app.db
    [item] = evidence_of(db, "console:alice")
    assert item.title == "budget-report.txt" and len(item.links) >= 3
    assert f"evidence {item.id}" in str(done)
    assert not db.execute("SELECT 1 FROM evidence WHERE person_id != 'console:alice'").fetchall()


async def test_alices_button_pressed_by_another_learner_logs_nothing(slack: Harness) -> None:
    """Suggestions are only given in a DM (the work is about one person's records); a "Log it for all" button
    of Alice's, sent back by Bob (a copied or forged payload), is read as Bob's: his conversation holds no
    offer of his own, and the one the button carries is Alice's, checked again and refused: nothing is stored."""
    from bot.records.evidence import evidence_of

    work = (b"I set the school's annual budget with the head and produced the three-year financial forecast. Each "
            b"month I prepare the budget monitoring report for the governors' finance committee.\n")
    answer = await share(slack, [slack.fake.host_file("budget-report.txt", work, mimetype="text/plain")],
                         "what could this count for?")
    actions = next(b for b in answer["blocks"] if b["type"] == "actions")
    pressed = next(e for e in actions["elements"] if e["text"]["text"].startswith("Log it for all"))
    before = len(slack.fake.posts())
    response = await slack.form(payloads.button(slack.fake.url, {**pressed, "block_id": "b0"}, user="U5"))
    assert response.status == 200
    told = await slack.until(lambda: slack.fake.posts()[before:])
    db = slack.app.db
    assert not db.execute("SELECT 1 FROM evidence").fetchall()
    assert evidence_of(db, "console:alice") == [] and evidence_of(db, "console:bob") == []
    assert told[0]["channel"] == "DU5" and "haven't logged anything" in told[0]["text"]
    assert_answered_without_apology(slack)
