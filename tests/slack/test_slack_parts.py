"""The Slack adapter's parts: Block Kit within Slack's limits, Slack markup, settings, the manifest, the
reminder sender (against the fake Web API) and the Socket Mode path."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app
from slack_sdk import WebClient
from slack_sdk.socket_mode.request import SocketModeRequest

from adapters.compose import build_app
from adapters.senders import RoutingSender
from adapters.server import platform_mounts
from adapters.slack import enabled, make_sender
from adapters.slack.render import MAX_BLOCKS, MAX_LABEL, MAX_SECTION, Where, messages_for
from adapters.slack.sender import SlackSender, thread_databases, web_client
from adapters.slack.settings import settings_of
from adapters.slack.text import escape, split_text, to_plain
from bot.config import load_config
from bot.reminders.dispatch import ConsoleSender, dispatch_due
from bot.types import Choice, Reply
from tests.slack import payloads
from tests.slack.conftest import running, write_config
from tests.slack.fake_slack import FakeSlack

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

ROOT = Path(__file__).resolve().parents[2]
WHERE = Where("slack:D1", "1700000000.000001")


def _sections(messages: list[dict]) -> list[str]:
    return [b["text"]["text"] for m in messages for b in m["blocks"] if b["type"] == "section" and "text" in b]


# -- Block Kit -------------------------------------------------------------------------------------------------
def test_a_long_answer_is_split_within_slacks_limits_and_nothing_is_lost() -> None:
    paragraphs = [f"Paragraph {n}: " + "the learner must show the accounts & the budget <in full>. " * 12
                  for n in range(120)]
    reply = Reply("answer", "x", title="A long answer", paragraphs=paragraphs)
    reply.add_list("Forty points", [f"point {n} " + "x" * 120 for n in range(40)])
    messages = messages_for(reply, WHERE)
    assert len(messages) > 1
    assert all(len(m["blocks"]) <= MAX_BLOCKS for m in messages)
    assert all(len(text) <= MAX_SECTION for text in _sections(messages))
    assert all(len(m["text"]) <= 3000 for m in messages)
    joined = " ".join(_sections(messages))
    assert all(f"Paragraph {n}:" in joined for n in range(120)) and "point 39" in joined
    assert "&amp; the budget &lt;in full&gt;" in joined and "<in full>" not in joined


def test_one_huge_paragraph_is_cut_at_sentence_ends() -> None:
    text = "This is one sentence of a very long paragraph. " * 400          # ~19,000 characters, no blank lines
    messages = messages_for(Reply("answer", "x", paragraphs=[text]), WHERE)
    pieces = _sections(messages)
    assert len(pieces) >= 7 and all(len(p) <= MAX_SECTION for p in pieces)
    assert all(p.endswith("paragraph.") for p in pieces)
    assert sum(p.count("sentence") for p in pieces) == 400


def test_title_facts_choices_citation_and_suggestions() -> None:
    reply = Reply("clarify", "x", title="T" * 200, paragraphs=["Which one?"],
                  facts=[(f"Fact {n}", f"value {n}") for n in range(23)],
                  choices=[Choice("8431-700 " + "Building a High Performance Team " * 4, "8431-700")],
                  citation="Level 7, unit 8431-700, specification line 12", suggestions=["And 2.3?"])
    [message] = messages_for(reply, WHERE)
    blocks = message["blocks"]
    assert blocks[0]["type"] == "section"                     # a 200-character title is too long for a header
    fields = [b["fields"] for b in blocks if "fields" in b]
    assert [len(f) for f in fields] == [10, 10, 3]
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    choice = next(b for b in buttons if b["action_id"] == "choice:0")
    assert len(choice["text"]["text"]) <= MAX_LABEL
    assert json.loads(choice["value"]) == {"c": "slack:D1", "t": "1700000000.000001", "v": "8431-700",
                                           "l": choice["text"]["text"]}
    assert json.loads(next(b for b in buttons if b["action_id"] == "suggest:0")["value"])["v"] == "And 2.3?"
    assert any(b["type"] == "context" and "specification line 12" in b["elements"][0]["text"] for b in blocks)
    assert "1. 8431-700" in message["text"]                   # the fallback lists the choices to type


def test_a_reply_with_nothing_but_text_still_has_a_fallback() -> None:
    [message] = messages_for(Reply("done", "x", paragraphs=["Done — <b>."]), WHERE)
    assert message["text"] == "Done — &lt;b&gt;."


# -- Slack markup ------------------------------------------------------------------------------------------------
def test_slack_markup_is_read_as_plain_words() -> None:
    text = "<@UBOT> what about <@U2>'s plan in <#C1|general>? see <https://x.org/a|the spec> &amp; <mailto:a@b.c>"
    assert to_plain(text, "UBOT", {"U2": "Bob Baker"}.get) == \
        "what about Bob Baker's plan in #general? see the spec & a@b.c"
    assert to_plain("<!here> 2 &lt; 3", "UBOT") == "@here 2 < 3"
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"


def test_split_text_never_exceeds_the_limit_once_escaped() -> None:
    text = "&" * 50 + " " + "<" * 50
    pieces = split_text(text, 40)
    assert all(len(escape(p)) <= 40 for p in pieces) and "".join(pieces).replace(" ", "") == text.replace(" ", "")


# -- settings, mounting, manifest --------------------------------------------------------------------------------
def test_slack_is_off_without_its_secrets_and_says_why(tmp_path, caplog) -> None:
    config = tmp_path / "app.yaml"
    config.write_text("slack:\n  enabled: true\n  bot_token: ${NO_SUCH_SLACK_TOKEN}\n  signing_secret: s\n",
                      encoding="utf-8")
    app = SimpleNamespace(config=load_config(config, env={}))
    with caplog.at_level(logging.WARNING):
        assert not enabled(app)
    assert "NO_SUCH_SLACK_TOKEN" in caplog.text
    assert make_sender(app) is None
    assert settings_of(app).api_url == "https://slack.com/api/"


def test_platform_mounts_find_slack_when_configured(tmp_path) -> None:
    with FakeSlack() as fake:
        app = build_app(str(write_config(tmp_path, fake, api_url=fake.url + "/api")), None)
        assert settings_of(app).api_url == fake.api_url                 # a missing trailing slash is added
        from adapters.slack import mount

        assert mount in platform_mounts(app)
        app.db.close()


def test_the_manifest_declares_what_the_adapter_uses() -> None:
    manifest = yaml.safe_load((ROOT / "adapters/slack/manifest.yaml").read_text(encoding="utf-8"))
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "files:read", "files:write", "im:history", "im:write",
            "users:read", "users:read.email"} <= scopes
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_home_opened", "app_mention", "message.im"}
    assert settings["interactivity"]["is_enabled"]
    urls = {settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
            manifest["features"]["slash_commands"][0]["url"]}
    assert len(urls) == 1 and urls.pop().endswith("/slack/events")
    assert manifest["features"]["slash_commands"][0]["command"] == "/assess"
    assert manifest["features"]["app_home"]["home_tab_enabled"]


# -- the reminder sender -----------------------------------------------------------------------------------------
def _store_with_slack_person(new_store) -> tuple:
    db = new_store("s")
    now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC).isoformat()
    db["people"].insert({"id": "console:alice", "created_at": now})
    db["identities"].insert({"id": "slack:U1", "person_id": "console:alice", "platform": "slack", "active": 1,
                             "created_at": now})
    return db, now


def _sender(fake: FakeSlack, db) -> SlackSender:
    settings = settings_of(SimpleNamespace(config=SimpleNamespace(raw={"slack": {
        "enabled": True, "api_url": fake.api_url, "bot_token": "xoxb-test"}})))
    return SlackSender(web_client(settings), lambda: db)


def test_the_sender_opens_the_dm_once_and_posts(new_store) -> None:
    db, _ = _store_with_slack_person(new_store)
    with FakeSlack() as fake:
        sender = _sender(fake, db)
        fake.fail("conversations.open", status=429, retry_after=0)        # rate limited once: retried
        for n in range(2):
            delivery = sender.deliver("console:alice", Reply("answer", "reminder", paragraphs=[f"hi {n}"]), f"k{n}")
            assert (delivery.status, delivery.identity) == ("sent", "slack:U1")
        assert [c["status"] for c in fake.calls if c["method"] == "conversations.open"] == [429, 200]
        assert [(p["channel"], p["text"]) for p in fake.posts()] == [("DU1", "hi 0"), ("DU1", "hi 1")]


def test_a_person_who_left_the_workspace_is_marked_inactive(new_store, kb) -> None:
    db, now = _store_with_slack_person(new_store)
    db["reminder_occurrences"].insert({"key": "k1", "person_id": "console:alice", "kind": "custom", "due_at": now,
                                       "send_after": now, "text": "Email your tutor", "status": "pending"})
    with FakeSlack() as fake:
        fake.fail("chat.postMessage", error="account_inactive")
        console = ConsoleSender()
        router = RoutingSender(db, {"slack": _sender(fake, db)}, fallback=console)
        report = dispatch_due(db, kb, router, datetime.fromisoformat(now))
    assert report.failed == 1
    assert db["identities"].get("slack:U1")["active"] == 0
    assert db["reminder_occurrences"].get("k1")["last_error"] == "account_inactive"


def test_slack_unreachable_is_retried_later(new_store) -> None:
    db, _ = _store_with_slack_person(new_store)
    with FakeSlack() as fake:
        url = fake.api_url
    # The fake has stopped: nothing listens on its port any more (and no connection retry, to stay quick).
    sender = SlackSender(WebClient(token="xoxb-test", base_url=url, retry_handlers=[]), lambda: db)
    delivery = sender.deliver("console:alice", Reply("answer", "reminder", paragraphs=["hi"]), "k1")
    assert delivery.status == "retry"


def test_the_sender_uses_a_connection_of_the_calling_thread(tmp_path) -> None:
    app = build_app(None, str(tmp_path / "t.db"))
    get = thread_databases(app)
    assert get() is app.db
    seen: list = []
    worker = threading.Thread(target=lambda: seen.append(list(get().query("SELECT count(*) AS n FROM people"))))
    worker.start()
    worker.join()
    assert seen == [[{"n": 0}]]
    app.db.close()


# -- Socket Mode ---------------------------------------------------------------------------------------------------
async def test_socket_mode_requests_take_the_same_path(tmp_path, fake: FakeSlack) -> None:
    config = write_config(tmp_path, fake, app_token="xapp-test")
    async with running(config, fake) as slack:
        request = SocketModeRequest(type="events_api", envelope_id="env-1",
                                    payload=json.loads(payloads.dm("what does 8391-501 AC2.2 say?")))
        assert (await run_async_bolt_app(slack.adapter.bolt, request)).status == 200
        await slack.until(fake.posts)
        # The connection can't open here (the fake has no WebSocket): logged, and the server keeps serving.
        await slack.until(lambda: fake.called("apps.connections.open", ok_only=False))
        assert (await slack.client.get("/healthz")).status == 200
        await asyncio.sleep(0)
    assert "AC2.2" in fake.posts()[0]["text"]


# -- the core thread's helpers ---------------------------------------------------------------------------------
def test_old_event_ids_are_pruned_and_new_ones_claimed_once(tmp_path) -> None:
    from adapters.slack import core as core_module

    app = build_app(None, ":memory:")
    core = core_module.Core(app)                     # in memory: runs inline, with the app's connection
    app.db["slack_events"].insert({"event_id": "EvOld", "received_at": "2020-01-01T00:00:00+00:00"})
    ctx = core._ctx
    assert core.claim_event(ctx, "EvNew") and not core.claim_event(ctx, "EvNew")
    core._claims = core_module.PRUNE_EVERY - 1
    assert core.claim_event(ctx, "EvNewer")
    assert {r["event_id"] for r in app.db["slack_events"].rows} == {"EvNew", "EvNewer"}


def test_a_time_zone_set_in_chat_wins_over_slacks(tmp_path) -> None:
    from adapters.slack.core import CoreContext, link_person
    from bot.reminders.hours import Prefs, load_prefs, save_prefs

    app = build_app(None, ":memory:")
    ctx = CoreContext(app.db, app.kb, app.dialogue, "Europe/London")
    save_prefs(app.db, "slack:U7", Prefs(timezone="Asia/Tokyo"))
    app.db["people"].insert({"id": "slack:U7", "created_at": "2026-11-23T10:00:00+00:00"})
    assert link_person(ctx, "slack:U7", None, "Europe/Paris") == "slack:U7"
    assert load_prefs(app.db, "slack:U7").timezone == "Asia/Tokyo"
    assert link_person(ctx, "slack:U8", None, "Not/AZone") == "slack:U8"      # a zone Python doesn't know: ignored
    assert not list(app.db.query("SELECT * FROM reminder_prefs WHERE person_id = 'slack:U8'"))
