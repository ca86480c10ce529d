"""Files in Slack: the cohort spreadsheet and progress chart uploaded with ``files_upload_v2`` (its three steps
against the fake Web API), where they may go, what a learner gets, and what happens when an upload fails.

The centre is ``tests/records_fixture``'s: Mo (U4) manages the Reading cluster (Alice, Bob and Carol);
Eve is at Leeds, so she is never in Mo's spreadsheet.
"""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import openpyxl
import pytest

from adapters.slack.render import Where, messages_for
from bot.types import Attachment, Reply
from tests.slack import payloads
from tests.slack.conftest import Harness
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_slack_parts import _sender, _store_with_slack_person

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

XLSX = "cohort-2026-11-23.xlsx"            # the harness's today (NOW), in the filename
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SENT_TO_DM = "I've sent the file to you in a direct message"
COULD_NOT_ATTACH = "couldn't attach the file"


def _texts(message: dict[str, Any]) -> str:
    return message.get("text", "") + "\n" + json.dumps(message.get("blocks") or [], ensure_ascii=False)


def _index(fake: FakeSlack, predicate: Any) -> int:
    """Where in the order of Web API calls the first call matching ``predicate`` came."""
    return next(n for n, c in enumerate(list(fake.calls)) if predicate(c))


def _sheet(data: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


# -- where files go -----------------------------------------------------------------------------------------------
async def test_a_manager_asking_in_a_dm_gets_the_spreadsheet_in_that_dm(slack: Harness) -> None:
    post = await slack.dm("export the cohort as a spreadsheet", user="U4")
    assert post["channel"] == "DU4" and "progress spreadsheet" in _texts(post)
    assert "Attached:" not in post["text"]            # the file follows as its own upload, not as a promise
    [upload] = await slack.until(slack.fake.uploads)
    assert (upload["filename"], upload["channel_id"], upload["thread_ts"]) == (XLSX, "DU4", None)
    assert upload["title"].startswith("Cohort progress") and not upload["initial_comment"]
    # files_upload_v2's three steps, in order, after the text answer; the bytes are the whole workbook.
    requested = slack.fake.called("files.getUploadURLExternal")[0]
    assert requested["filename"] == XLSX and int(requested["length"]) == len(upload["data"])
    text_at = _index(slack.fake, lambda c: c["method"] == "chat.postMessage" and c["args"]["channel"] == "DU4")
    steps = [_index(slack.fake, lambda c, m=m: c["method"] == m)
             for m in ("files.getUploadURLExternal", "upload", "files.completeUploadExternal")]
    assert text_at < steps[0] < steps[1] < steps[2]
    rows = _sheet(upload["data"])
    header, names = rows[0], {r[1] for r in rows[1:]}
    assert header[:2] == ("id", "name") and "status" in header
    assert names == {"Alice Able", "Bob Baker", "Carol Cole"}          # Mo's centre only: not Eve (Leeds)
    # Counted when files_upload_v2 returns, a moment after the fake has the bytes: wait, don't race it.
    await slack.until(lambda: slack.adapter.stats["files"] == 1)
    assert not slack.adapter.stats["file_failures"]


async def test_a_chart_asked_for_in_a_channel_mention_is_kept_out_of_the_channel(slack: Harness) -> None:
    # Cohort data is personal data: the core answers records questions only where nobody else reads them.
    await slack.post(payloads.mention("show me a chart of the cohort", user="U4", channel="C9"))
    [post] = await slack.until(slack.fake.posts)
    assert post["channel"] == "C9" and "direct message" in _texts(post)
    assert not slack.fake.uploads()


async def test_a_chart_asked_for_in_the_dm_is_uploaded_there(slack: Harness) -> None:
    await slack.dm("show me a chart of the cohort", user="U4")
    [upload] = await slack.until(slack.fake.uploads)
    assert upload["channel_id"] == "DU4"
    assert upload["filename"] == "cohort-chart-2026-11-23.png" and upload["data"].startswith(PNG_MAGIC)
    assert upload["alt_txt"] and "Progress chart" in upload["alt_txt"]       # described for screen readers


async def test_assess_export_in_a_channel_sends_the_file_to_the_dm_not_the_channel(slack: Harness) -> None:
    await slack.form(payloads.command(slack.fake.url, "export the cohort as a spreadsheet", user="U4", channel="C1"))
    [upload] = await slack.until(slack.fake.uploads)
    assert upload["channel_id"] == "DU4" and upload["filename"] == XLSX and upload["thread_ts"] is None
    assert "<#C1>" in upload["initial_comment"]                  # says where it was asked for
    responses = await slack.until(lambda: len(slack.fake.responses()) >= 2 and slack.fake.responses())
    assert all(r["response_type"] == "ephemeral" for r in responses)
    assert "progress spreadsheet" in _texts(responses[0]) and SENT_TO_DM in _texts(responses[-1])
    assert not slack.fake.posts()                                # nothing shown in the channel
    assert not [u for u in slack.fake.uploads() if u["channel_id"] == "C1"]
    assert _sheet(upload["data"])[0][:2] == ("id", "name")


async def test_assess_export_in_the_dm_with_the_bot_uploads_there_without_a_note(slack: Harness) -> None:
    await slack.form(payloads.command(slack.fake.url, "export the cohort as a spreadsheet", user="U4",
                                      channel="DU4"))
    [upload] = await slack.until(slack.fake.uploads)
    assert upload["channel_id"] == "DU4" and not upload["initial_comment"]
    responses = await slack.until(slack.fake.responses)
    assert not any(SENT_TO_DM in _texts(r) for r in responses)


async def test_assess_in_a_dm_between_two_people_is_not_the_bots_dm(slack: Harness) -> None:
    # /assess typed in Mo's DM with Tess: the file would be visible to Tess, so it goes to Mo's DM with the bot.
    await slack.form(payloads.command(slack.fake.url, "export the cohort as a spreadsheet", user="U4",
                                      channel="DX42"))
    [upload] = await slack.until(slack.fake.uploads)
    assert upload["channel_id"] == "DU4" and upload["initial_comment"] == "Here's the file you asked for."
    await slack.until(lambda: any(SENT_TO_DM in _texts(r) for r in slack.fake.responses()))


async def test_an_ephemeral_button_in_a_channel_sends_the_file_to_the_dm(slack: Harness) -> None:
    value = json.dumps({"c": "slack:C1:U4", "t": None, "v": "export the cohort as a spreadsheet", "l": "Export"})
    await slack.form(payloads.button(slack.fake.url, {"action_id": "suggest:0", "value": value}, user="U4",
                                     channel="C1", ephemeral=True))
    [upload] = await slack.until(slack.fake.uploads)
    assert upload["channel_id"] == "DU4"
    await slack.until(lambda: any(SENT_TO_DM in _texts(r) for r in slack.fake.responses()))
    assert not slack.fake.posts()


# -- who may have them ----------------------------------------------------------------------------------------------
async def test_a_learner_asking_gets_the_kind_denial_and_no_file(slack: Harness) -> None:
    post = await slack.dm("export the cohort as a spreadsheet", user="U1")
    assert "Cohort questions are for tutors and centre managers" in _texts(post)
    await slack.form(payloads.command(slack.fake.url, "export the cohort as a spreadsheet", user="U1"))
    await slack.until(slack.fake.responses)
    assert all("Cohort questions are for tutors" in _texts(m) for m in slack.fake.posts() + slack.fake.responses())
    assert not [c for c in slack.fake.calls if c["method"].startswith("files.") or c["method"] == "upload"]
    assert not slack.adapter.stats["files"]


async def test_a_tutor_gets_a_spreadsheet_of_their_own_learners_only(slack: Harness) -> None:
    await slack.dm("export the cohort as a spreadsheet", user="U2")
    [upload] = await slack.until(slack.fake.uploads)
    assert upload["channel_id"] == "DU2"
    assert {r[1] for r in _sheet(upload["data"])[1:]} == {"Alice Able", "Bob Baker"}


# -- when an upload fails ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("step, status, error", [
    ("files.getUploadURLExternal", 200, "missing_scope"),      # the app was installed before files:write
    ("upload", 500, None),                                     # Slack's upload URL refused the bytes
    ("files.completeUploadExternal", 200, "not_in_channel"),
])
async def test_a_failed_upload_leaves_the_answer_with_a_kind_note(slack: Harness, caplog, step: str, status: int,
                                                                  error: str | None) -> None:
    slack.fake.fail(step, status=status, error=error)
    with caplog.at_level(logging.ERROR, logger="adapters.slack.bolt_app"):
        post = await slack.dm("export the cohort as a spreadsheet", user="U4")
        note = (await slack.until(lambda: [p for p in slack.fake.posts() if COULD_NOT_ATTACH in _texts(p)]))[0]
    assert "progress spreadsheet" in _texts(post)                         # the answer arrived first
    assert note["channel"] == "DU4" and XLSX in note["text"] and "Sorry" in note["text"]
    assert not slack.fake.uploads()
    assert f"could not upload {XLSX}" in caplog.text
    # The turn is counted once the note has gone out: wait for it rather than race the adapter's coroutine.
    await slack.until(lambda: slack.adapter.stats["answered"] >= 1)
    assert slack.adapter.stats["file_failures"] == 1
    assert not slack.adapter.stats["apologies"]                          # not the "something went wrong" apology
    # The next request works again.
    await slack.dm("export the cohort as a spreadsheet", user="U4")
    await slack.until(slack.fake.uploads)


async def test_a_failed_upload_for_assess_in_a_channel_does_not_claim_it_was_sent(slack: Harness, caplog) -> None:
    slack.fake.fail("upload", status=500)
    await slack.form(payloads.command(slack.fake.url, "show me a chart of the cohort", user="U4", channel="C1"))
    responses = await slack.until(lambda: [r for r in slack.fake.responses() if "couldn't attach" in _texts(r)])
    assert "cohort-chart-2026-11-23.png" in responses[0]["text"]
    assert not any(SENT_TO_DM in _texts(r) for r in slack.fake.responses())
    assert not slack.fake.uploads() and not slack.fake.posts()


# -- reminders with files ---------------------------------------------------------------------------------------------
def _reminder_with_files() -> Reply:
    return Reply("answer", "reminder", paragraphs=["Your Monday digest is ready."],
                 attachments=[Attachment("digest.xlsx", "application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet", b"PK\x03\x04 not really a workbook", "Digest"),
                              Attachment("chart.png", "image/png", PNG_MAGIC + b"\x00" * 64, "Progress chart")])


def test_the_reminder_sender_uploads_a_replys_files_to_the_dm(new_store) -> None:
    db, _ = _store_with_slack_person(new_store)
    with FakeSlack() as fake:
        delivery = _sender(fake, db).deliver("console:alice", _reminder_with_files(), "k1")
        assert delivery.status == "sent"
        assert [p["text"] for p in fake.posts()] == ["Your Monday digest is ready."]
        uploads = fake.uploads()
    assert [(u["filename"], u["channel_id"], u["title"]) for u in uploads] == [
        ("digest.xlsx", "DU1", "Digest"), ("chart.png", "DU1", "Progress chart")]
    assert uploads[0]["data"] == b"PK\x03\x04 not really a workbook" and uploads[1]["alt_txt"] == "Progress chart"


def test_a_reminder_whose_file_fails_is_still_sent_with_a_note(new_store, caplog) -> None:
    db, _ = _store_with_slack_person(new_store)
    with FakeSlack() as fake, caplog.at_level(logging.WARNING, logger="adapters.slack.sender"):
        fake.fail("upload", status=500)                         # the first file's bytes are refused
        delivery = _sender(fake, db).deliver("console:alice", _reminder_with_files(), "k1")
        posts, uploads = fake.posts(), fake.uploads()
    # Sent (a retry would send the text twice); the chart arrived; the person is told about the spreadsheet.
    assert delivery.status == "sent"
    assert [u["filename"] for u in uploads] == ["chart.png"]
    assert len(posts) == 2 and "couldn't attach the file (digest.xlsx)" in posts[1]["text"]
    assert "could not upload digest.xlsx of reminder k1" in caplog.text


# -- rendering --------------------------------------------------------------------------------------------------------
def test_a_reply_with_files_is_rendered_without_promising_an_attachment() -> None:
    reply = Reply("done", "export_cohort", paragraphs=["Here's the spreadsheet."],
                  attachments=[Attachment(XLSX, "application/octet-stream", b"x", "Cohort")])
    [message] = messages_for(reply, Where("slack:D1"))
    assert message["text"] == "Here's the spreadsheet." and "Attached" not in _texts(message)
    assert reply.attachments and "Attached: " + XLSX in reply.text()      # the core's reply is left as it was
