"""End to end: signed HTTP requests to the real Bolt app in ``assessbot serve``'s aiohttp app, and a fake Slack.

Each test sends what Slack sends (signed with the configured secret) to ``/slack/events`` and checks
what the bot sent back to the Slack Web API: DMs, mentions, ``/assess``, the App Home, buttons and
modals, retries, forged and stale requests, 429s, a failing handler, and reminders by ``reminders run``.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from adapters.cli import main
from bot.dialogue import Dialogue
from bot.records.evidence import log_evidence
from bot.records.progress import mark_ready
from bot.records.registration import current_registration
from tests.slack import payloads
from tests.slack.conftest import Harness, running
from tests.slack.fake_slack import FakeSlack

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL


def _texts(message: dict[str, Any]) -> str:
    """Every word in a posted message's blocks (and its fallback text)."""
    return message.get("text", "") + "\n" + json.dumps(message.get("blocks") or [], ensure_ascii=False)


# -- conversations -------------------------------------------------------------------------------------------
async def test_a_direct_message_is_answered_in_block_kit_as_the_roster_person(slack: Harness) -> None:
    post = await slack.dm("what evidence does 8391-501 AC2.2 need?")
    assert post["channel"] == "DU1" and not post.get("thread_ts")
    blocks = post["blocks"]
    assert blocks[0]["type"] == "header" and "8391-501" in blocks[0]["text"]["text"]
    assert any(b["type"] == "context" and "AC2.2, line " in b["elements"][0]["text"] for b in blocks)   # the citation
    assert "Prepare the key external financial statements" in post["text"]          # plain-text fallback
    # users.info's e-mail (any case) linked slack:U1 to Alice on the roster.
    identity = slack.app.db["identities"].get("slack:U1")
    assert identity["person_id"] == "console:alice" and identity["active"] == 1
    assert slack.fake.called("users.info")[0]["user"] == "U1"


async def test_an_app_mention_is_answered_in_its_thread_and_the_thread_keeps_context(slack: Harness) -> None:
    response = await slack.post(payloads.mention("what does 8391-501 AC2.2 say?", channel="C9"))
    assert response.status == 200
    first = await slack.until(lambda: slack.fake.posts())
    thread = first[0]["thread_ts"]
    assert first[0]["channel"] == "C9" and thread and "AC2.2" in _texts(first[0])
    # A follow-up in the same thread: "and 2.3?" is understood from the thread's context.
    await slack.post(payloads.mention("and 2.3?", channel="C9", thread_ts=thread))
    second = await slack.until(lambda: slack.fake.posts()[1:])
    assert second[0]["thread_ts"] == thread and "AC2.3" in _texts(second[0])


async def test_the_slash_command_acks_at_once_and_answers_through_respond(slack: Harness) -> None:
    started = time.monotonic()
    response = await slack.form(payloads.command(slack.fake.url, "how long is registration valid on the level 5?"))
    assert response.status == 200 and (await response.text()) == ""
    assert time.monotonic() - started < 1.0
    answer = (await slack.until(slack.fake.responses))[0]
    assert answer["response_type"] == "ephemeral" and "blocks" in answer
    assert "36 months" in _texts(answer) or "three years" in _texts(answer).lower()
    assert not slack.fake.posts()                      # nothing in the channel: records stay private


async def test_a_person_not_on_the_roster_is_a_newcomer_with_slack_time_zone(slack: Harness) -> None:
    post = await slack.dm("when does my registration expire?", user="U3")
    assert "don't have a registration" in _texts(post)
    person = slack.app.db["people"].get("slack:U3")
    assert person["email"] == "nia@example.org" and person["role"] is None
    assert slack.app.db["reminder_prefs"].get("slack:U3")["timezone"] == "Europe/Paris"


async def test_someone_who_wrote_before_the_roster_import_is_linked_to_it_later(slack: Harness) -> None:
    await slack.dm("hello", user="U3")
    assert slack.app.db["identities"].get("slack:U3")["person_id"] == "slack:U3"
    # The centre imports Nia with the e-mail her Slack profile shows; her next visit links her.
    slack.app.db["people"].insert({"id": "console:nia", "name": "Nia New", "email": "nia@example.org",
                                   "role": "learner", "created_at": "2026-11-23T10:00:00+00:00"})
    slack.adapter._profiles.clear()                     # as when the cached profile expires
    await slack.dm("hello again", user="U3")
    assert slack.app.db["identities"].get("slack:U3")["person_id"] == "console:nia"
    assert list(slack.app.db.query("SELECT actor FROM audit WHERE action = 'link_identity'")) == [
        {"actor": "slack:U3"}]


async def test_slack_markup_is_read_as_the_person_saw_it(slack: Harness) -> None:
    # Tess asks about Alice by mention: <@U1> is read as "Alice Able" (her roster name).
    await slack.dm("hello", user="U1")                  # Alice has spoken once, so slack:U1 is linked
    post = await slack.dm("show <@U1>'s plan", user="U2")
    assert "Alice Able" in _texts(post) and "plan" in _texts(post).lower()


# -- the App Home --------------------------------------------------------------------------------------------
async def test_the_learner_home_shows_plan_expiry_and_next_reminders(slack: Harness) -> None:
    await slack.dm("remind me tomorrow at 9am to email my tutor")
    await slack.post(payloads.home_opened("U1"))
    view = (await slack.until(lambda: slack.fake.called("views.publish")))[0]
    assert view["user_id"] == "U1" and view["view"]["type"] == "home"
    text = _texts({"blocks": view["view"]["blocks"]})
    assert "Registration expires" in text and "15 January 2027" in text
    assert "Your plan" in text and "8391-501" in text
    assert "Next reminders" in text and "email your tutor" in text
    actions = [e["action_id"] for b in view["view"]["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert {"log_evidence", "mark_ready"} <= set(actions)
    assert len(view["view"]["blocks"]) <= 100


async def test_the_home_lists_one_offs_still_to_come_and_drops_those_gone_by(slack: Harness) -> None:
    # One stored with its offset (a time worked out from now in the hour that comes twice), one bare and past.
    from datetime import UTC, datetime

    from bot.reminders.rules import create_rule

    made = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    for at, text in (("2027-10-31T01:30+00:00", "renew the lettings insurance"),
                     ("2026-11-22T09:00", "send the old draft")):
        create_rule(slack.app.db, "console:alice", "person", "console:alice", {"type": "once", "at": at}, text, made)
    await slack.post(payloads.home_opened("U1"))
    view = (await slack.until(lambda: slack.fake.called("views.publish")))[0]
    text = _texts({"blocks": view["view"]["blocks"]})
    assert "On 31 October 2027 at 01:30: “renew the lettings insurance”" in text
    assert "send the old draft" not in text


async def test_the_tutor_home_lists_learners_needing_attention_and_decisions(slack: Harness) -> None:
    _ready(slack, "8391-501", ["2.2"])
    await slack.post(payloads.home_opened("U2"))
    view = (await slack.until(lambda: slack.fake.called("views.publish")))[0]
    text = _texts({"blocks": view["view"]["blocks"]})
    assert "Learners needing attention" in text and "Alice Able" in text
    assert "Waiting for your decision" in text and "8391-501 AC2.2" in text
    buttons = [e for b in view["view"]["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert {"decide:met", "decide:referred"} <= {b["action_id"] for b in buttons}


# -- buttons and modals --------------------------------------------------------------------------------------
async def test_a_clarification_choice_pressed_is_answered_as_if_typed(slack: Harness) -> None:
    question = await slack.dm("unit 700")
    actions = next(b for b in question["blocks"] if b["type"] == "actions")
    pressed = next(e for e in actions["elements"] if "8431-700" in e["text"]["text"])
    message = {"ts": "1700000100.000001", "text": question["text"], "blocks": [
        {**b, "block_id": f"b{n}"} for n, b in enumerate(question["blocks"])]}
    block_id = f"b{question['blocks'].index(actions)}"
    before = len(slack.fake.posts())
    response = await slack.form(payloads.button(slack.fake.url, {**pressed, "block_id": block_id}, message=message))
    assert response.status == 200
    answer = (await slack.until(lambda: slack.fake.posts()[before:]))[0]
    assert answer["channel"] == "DU1" and "8431-700 Building a High Performance Team" in _texts(answer)
    update = (await slack.until(lambda: slack.fake.called("chat.update")))[0]
    assert "✓ 8431-700" in _texts(update) and not any(b.get("block_id") == block_id and b["type"] == "actions"
                                                      for b in update["blocks"])


async def test_log_evidence_and_mark_ready_through_modals(slack: Harness) -> None:
    await slack.form(payloads.button(slack.fake.url, {"action_id": "log_evidence", "value": "log"}, view=True))
    modal = (await slack.until(lambda: slack.fake.called("views.open")))[0]["view"]
    assert modal["callback_id"] == "log_evidence"
    response = await slack.form(payloads.submission("log_evidence", {
        "title": {"value": "the trust's annual accounts pack"}, "criteria": {"value": "501 2.2 and 2.3"}}))
    assert response.status == 200
    done = await slack.until(lambda: [p for p in slack.fake.posts() if "Logged" in _texts(p)])
    assert done[0]["channel"] == "DU1"
    assert [r["title"] for r in slack.app.db.query("SELECT title FROM evidence WHERE person_id = 'console:alice'")] \
        == ["the trust's annual accounts pack"]

    await slack.form(payloads.button(slack.fake.url, {"action_id": "mark_ready", "value": "ready"}, view=True))
    modal = (await slack.until(lambda: slack.fake.called("views.open")[1:]))[0]["view"]
    select = next(b for b in modal["blocks"] if b.get("block_id") == "unit")["element"]
    assert select["type"] == "static_select" and "8391-501" in {o["value"] for o in select["options"]}
    await slack.form(payloads.submission("mark_ready", {"unit": {"selected_option": {"value": "8391-501"}}}))
    marked = await slack.until(lambda: [p for p in slack.fake.posts() if "Marked ready" in _texts(p)])
    assert "AC2.2 and 2.3" in _texts(marked[0])


async def test_a_tutor_records_a_referral_with_feedback_in_a_modal(slack: Harness) -> None:
    _ready(slack, "8391-501", ["2.2"])
    value = json.dumps({"l": "console:alice", "u": "8391-501", "a": "2.2"})
    await slack.form(payloads.button(slack.fake.url, {"action_id": "decide:referred", "value": value}, user="U2",
                                     view=True))
    modal = (await slack.until(lambda: slack.fake.called("views.open")))[0]["view"]
    assert modal["callback_id"] == "decision" and "Alice Able" in _texts({"blocks": modal["blocks"]})
    meta = modal["private_metadata"]
    # No feedback: the core refuses a referral without it, and the modal says why.
    refused = await slack.form(payloads.submission("decision", {"feedback": {"value": ""}}, user="U2",
                                                   private_metadata=meta))
    assert refused.status == 200 and (await refused.json())["response_action"] == "errors"
    accepted = await slack.form(payloads.submission("decision", {"feedback": {"value": "Needs the CFR return too."}},
                                                    user="U2", private_metadata=meta))
    assert accepted.status == 200 and (await accepted.text()) == ""
    rows = list(slack.app.db.query("SELECT outcome, assessor_id, feedback FROM decisions"))
    assert rows == [{"outcome": "referred", "assessor_id": "console:tess", "feedback": "Needs the CFR return too."}]
    assert list(slack.app.db.query("SELECT actor FROM audit WHERE action = 'decision_referred'")) == [
        {"actor": "console:tess"}]
    await slack.until(lambda: slack.fake.called("views.publish"))         # the tutor's Home is refreshed


async def test_a_learner_cannot_record_a_decision_even_with_a_crafted_button(slack: Harness) -> None:
    _ready(slack, "8391-501", ["2.2"])
    value = json.dumps({"l": "console:alice", "u": "8391-501", "a": "2.2"})
    await slack.form(payloads.button(slack.fake.url, {"action_id": "decide:met", "value": value}, view=True))
    told = await slack.until(lambda: [p for p in slack.fake.posts() if "Only the learner's tutor" in p["text"]])
    assert told[0]["channel"] == "DU1" and not slack.fake.called("views.open")
    meta = json.dumps({"l": "console:alice", "u": "8391-501", "a": "2.2", "o": "met"})
    refused = await slack.form(payloads.submission("decision", {"feedback": {"value": ""}}, user="U1",
                                                   private_metadata=meta))
    body = await refused.json()
    assert body["response_action"] == "errors" and "tutor" in body["errors"]["feedback"]
    assert not list(slack.app.db.query("SELECT * FROM decisions"))


# -- reliability ---------------------------------------------------------------------------------------------
async def test_a_retry_of_an_event_is_acknowledged_but_not_answered_again(slack: Harness) -> None:
    body = payloads.dm("what does 8391-501 AC2.2 say?", event_id="EvRetry1")
    assert (await slack.post(body)).status == 200
    await slack.until(slack.fake.posts)
    retry = await slack.post(body, retry=1)
    assert retry.status == 200
    await slack.until(lambda: slack.adapter.stats["duplicates"] == 1)
    assert len(slack.fake.posts()) == 1


async def test_a_retry_after_a_restart_is_not_answered_again(config, fake: FakeSlack) -> None:
    body = payloads.dm("what does 8391-501 AC2.2 say?", event_id="EvRestart1")
    async with running(config, fake) as first:
        await first.post(body)
        await first.until(fake.posts)
    async with running(config, fake, seeded=False) as second:       # a new process on the same database
        assert (await second.post(body, retry=2)).status == 200
        await second.until(lambda: second.adapter.stats["duplicates"] == 1)
    assert len(fake.posts()) == 1


async def test_a_forged_signature_and_a_stale_timestamp_are_refused(slack: Harness) -> None:
    body = payloads.dm("what does 8391-501 AC2.2 say?")
    assert (await slack.post(body, secret="not-the-secret")).status == 401
    assert (await slack.post(body, ts=int(time.time()) - 6 * 60)).status == 401
    unsigned = await slack.client.post("/slack/events", data=body, headers={"Content-Type": "application/json"})
    assert unsigned.status == 401
    assert slack.adapter.stats["answered"] == 0 and not slack.fake.posts()


async def test_a_429_from_slack_is_retried_after_retry_after(slack: Harness) -> None:
    slack.fake.fail("chat.postMessage", status=429, retry_after=0)
    post = await slack.dm("what does 8391-501 AC2.2 say?")
    assert "AC2.2" in _texts(post)
    attempts = [c for c in slack.fake.calls if c["method"] == "chat.postMessage"]
    assert [c["status"] for c in attempts] == [429, 200]


async def test_a_failing_handler_apologises_and_the_server_keeps_serving(slack: Harness, monkeypatch,
                                                                           caplog) -> None:
    def broken(self: Dialogue, message: Any, now: Any = None) -> Any:
        raise RuntimeError("simulated bug")

    with monkeypatch.context() as patch:
        patch.setattr(Dialogue, "handle", broken)
        post = await slack.dm("what does 8391-501 AC2.2 say?")
    assert "Sorry — something went wrong on my side" in post["text"]
    assert "simulated bug" in caplog.text and slack.adapter.stats["failures"] == 1
    again = await slack.dm("what does 8391-501 AC2.2 say?")
    assert "AC2.2" in _texts(again)
    assert (await slack.client.get("/healthz")).status == 200


async def test_url_verification_is_answered(slack: Harness) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "legacy"})
    response = await slack.post(body)
    assert response.status == 200 and (await response.json()) == {"challenge": "abc123"}


async def test_the_bot_ignores_its_own_messages_and_edits(slack: Harness) -> None:
    own = payloads.event({"type": "message", "channel_type": "im", "user": "UBOT", "bot_id": "BBOT", "text": "hi",
                          "ts": "1.1", "channel": "DU1"})
    edit = payloads.event({"type": "message", "subtype": "message_changed", "channel_type": "im", "ts": "1.2",
                           "channel": "DU1", "message": {"text": "x"}})
    for body in (own, edit):
        assert (await slack.post(body)).status == 200
    await slack.dm("hello")
    assert len(slack.fake.posts()) == 1


# -- reminders -------------------------------------------------------------------------------------------------
async def test_a_reminder_set_in_slack_is_delivered_later_by_reminders_run(slack: Harness, capsys) -> None:
    done = await slack.dm("remind me tomorrow at 9am to email my tutor")
    assert "24 November 2026 at 09:00" in done["text"]
    before = len(slack.fake.posts())
    # The next morning, the dispatcher of another process (the CLI) sends it through Slack.
    code = main(["reminders", "run", "--config", str(slack.config), "--now", "2026-11-24T10:00"])
    out = capsys.readouterr().out
    assert code == 0 and "failed 0" in out
    assert "[to console:alice]" not in out            # Alice is on Slack now: nothing for her on the console
    opened = slack.fake.called("conversations.open")
    assert opened and opened[-1]["users"] == "U1"
    sent = [p for p in slack.fake.posts()[before:] if p["channel"] == "DU1"]
    assert [p for p in sent if "email your tutor" in p["text"]] and all("blocks" in p for p in sent)
    # Delivered once: a second run sends nothing more.
    main(["reminders", "run", "--config", str(slack.config), "--now", "2026-11-24T10:05"])
    assert "Sent 0" in capsys.readouterr().out
    assert len([p for p in slack.fake.posts()[before:] if p["channel"] == "DU1"]) == len(sent)


# -- helpers ---------------------------------------------------------------------------------------------------
def _ready(slack: Harness, unit: str, acs: list[str]) -> None:
    """Alice has evidence for ``acs`` and has marked them ready (through the core, as chat would)."""
    db, kb = slack.app.db, slack.app.kb
    now = slack.app.dialogue.clock()
    log_evidence(db, "console:alice", "annual accounts", [(unit, ac) for ac in acs], now, "console:alice")
    reg = current_registration(db, "console:alice")
    assert reg is not None
    assert mark_ready(db, kb, reg, unit, acs, now, "console:alice") == acs


