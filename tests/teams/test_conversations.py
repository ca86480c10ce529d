"""TestAdapter conversations with the Teams bot: no HTTP at all, the turn logic on its own."""

from __future__ import annotations

import json
import random

import pytest
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount, Entity, Mention

from adapters.compose import App
from adapters.teams.bot import TeamsBot, client_timezone, message_text
from adapters.teams.cards import card_text
from adapters.teams.sender import StoreByThread, TeamsSender
from bot.types import Reply

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

ALICE = ChannelAccount(id="29:alice", name="Alice Able", aad_object_id="aad-alice")
BOT = ChannelAccount(id="28:bot", name="AssessBot")


def teams_template(conversation_type: str = "personal") -> Activity:
    return Activity(channel_id="msteams", service_url="https://smba.example.net/emea/", from_property=ALICE,
                    recipient=BOT, conversation=ConversationAccount(id="a:personal-1",
                                                                    conversation_type=conversation_type),
                    channel_data={"tenant": {"id": "tenant-1"}})


@pytest.fixture
def adapter(teams_app: App) -> TestAdapter:
    bot = TeamsBot(teams_app.dialogue, teams_app.db, teams_app.config.timezone)
    return TestAdapter(bot.on_turn, teams_template())


def card(activity: Activity) -> dict:
    return activity.attachments[0].content


def first_line(expected: str):
    def check(activity: Activity, description: str | None = None) -> None:
        assert card(activity)["body"][0]["text"] == expected, card_text(card(activity))
    return check


async def test_a_question_then_a_follow_up(adapter: TestAdapter, teams_app: App) -> None:
    flow = await adapter.send("what evidence does 8391-501 AC2.2 need?")
    flow = await flow.assert_reply(first_line("8391-501 Managing School Finances — AC2.2"))
    flow = await flow.send("and 2.3?")
    await flow.assert_reply(first_line("8391-501 Managing School Finances — AC2.3"))
    [ref] = teams_app.db.query("SELECT identity, tenant_id, service_url FROM teams_references")
    assert ref == {"identity": "teams:aad-alice", "tenant_id": "tenant-1",
                   "service_url": "https://smba.example.net/emea/"}


async def test_a_clarifying_question_answered_by_number_or_by_button(adapter: TestAdapter) -> None:
    flow = await adapter.send("unit 700")

    def asks(activity: Activity, description: str | None = None) -> None:
        seen = card_text(card(activity))
        assert seen[0] == "That fits more than one unit — which one do you mean?"
        assert "8431-700 Building a High Performance Team" in seen

    flow = await flow.assert_reply(asks)
    flow = await flow.send("2")
    await flow.assert_reply(lambda a, d=None: card(a)["body"][0]["text"].startswith("8431-700"))


async def test_a_clarifying_question_answered_by_a_button(adapter: TestAdapter) -> None:
    await adapter.send("unit 700")
    buttons = [a for block in card(adapter.get_next_activity())["body"] if block["type"] == "ActionSet"
               for a in block["actions"]]
    # What Teams posts when the first button is pressed: its data as the value, no text.
    flow = await adapter.send(Activity(type=ActivityTypes.message, value=buttons[0]["data"]))
    await flow.assert_reply(lambda a, d=None: card(a)["body"][0]["text"].startswith("8316-700"))


async def test_welcome_when_installed_and_quiet_when_someone_else_joins(adapter: TestAdapter, teams_app: App) -> None:
    flow = await adapter.send(Activity(type=ActivityTypes.conversation_update, members_added=[BOT]))
    flow = await flow.assert_reply(first_line("Hello — I'm AssessBot"))
    flow = await flow.send(Activity(type=ActivityTypes.conversation_update,
                                    members_added=[ChannelAccount(id="29:bob")]))
    await flow.assert_no_reply(timeout=100)
    # The installer is known and reachable before they have typed anything.
    [identity] = teams_app.db.query("SELECT person_id FROM identities WHERE id = 'teams:aad-alice'")
    assert identity["person_id"] == "teams:aad-alice"


async def test_uninstalled_marks_the_conversation_inactive(adapter: TestAdapter, teams_app: App) -> None:
    await adapter.test("hello", lambda a, d=None: None)
    await adapter.send(Activity(type=ActivityTypes.installation_update, action="remove"))
    [ref] = teams_app.db.query("SELECT active FROM teams_references")
    assert ref["active"] == 0


async def test_time_zone_from_client_info(adapter: TestAdapter, teams_app: App) -> None:
    info = Entity().deserialize({"type": "clientInfo", "locale": "en-GB", "timezone": "Asia/Dubai"})
    await adapter.test(Activity(type=ActivityTypes.message, text="hello", entities=[info]), lambda a, d=None: None)
    [prefs] = teams_app.db.query("SELECT timezone FROM reminder_prefs")
    assert prefs["timezone"] == "Asia/Dubai"
    assert client_timezone(Activity(entities=[Entity().deserialize({"type": "clientInfo",
                                                                    "timezone": "Mars/Olympus"})])) is None


async def test_proactive_through_the_test_adapter(adapter: TestAdapter, teams_app: App) -> None:
    await adapter.test("hello", lambda a, d=None: None)
    sender = TeamsSender(adapter, "", StoreByThread(teams_app.db), rng=random.Random(1))
    delivery = sender.deliver("teams:aad-alice", Reply("answer", "reminder", paragraphs=["Reminder: hi."]), "k")
    assert delivery.status == "sent"
    sent = adapter.get_next_activity()
    assert card(sent)["fallbackText"] == "Reminder: hi." and sent.conversation.id == "a:personal-1"


def _mention(who: ChannelAccount, text: str) -> Entity:
    return Mention(mentioned=who, text=text, type="mention")


def test_message_text_strips_the_bots_mention_only() -> None:
    bot = ChannelAccount(id="28:bot", name="Assess(Bot)+")       # regex characters in the name are harmless
    activity = Activity(type="message", recipient=bot, text="<at>Assess(Bot)+</at> remind <at>Alice Able</at> "
                        "to send her draft by Friday &amp; thanks",
                        entities=[_mention(bot, "<at>Assess(Bot)+</at>"),
                                  _mention(ChannelAccount(id="29:alice", name="Alice Able"), "<at>Alice Able</at>")])
    # Entities arrive from JSON as plain Entity objects with the details in additional properties.
    activity.entities = [Entity().deserialize(json.loads(json.dumps(e.serialize()))) for e in activity.entities]
    assert message_text(activity) == "remind Alice Able to send her draft by Friday & thanks"


def test_message_text_of_a_card_submission() -> None:
    assert message_text(Activity(type="message", value={"text": "8391-501"})) == "8391-501"
    assert message_text(Activity(type="message", value={"other": 1})) == ""
