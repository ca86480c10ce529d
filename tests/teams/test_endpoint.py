"""``POST /api/messages`` on ``assessbot serve``'s app, answered through a loopback Bot Framework connector."""

from __future__ import annotations

import json

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.compose import App, build_app
from adapters.teams.cards import card_text
from adapters.teams.endpoint import TEAMS
from tests.teams.conftest import NOW, write_config
from tests.teams.fakes import FakeConnector
from tests.teams.payloads import ALICE, BOT, channel_mention, conversation_update, message

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

QUESTION = "what evidence does 8391-501 AC2.2 need?"


def card_of(call: dict) -> dict:
    [attachment] = call["body"]["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]


def references(app: App) -> list[dict]:
    return list(app.db.query("SELECT * FROM teams_references ORDER BY conversation_id"))


async def test_a_personal_message_is_answered_with_a_card(client: TestClient, fake: FakeConnector,
                                                          teams_app: App) -> None:
    response = await client.post("/api/messages", json=message(fake.url, QUESTION, activity_id="inc-1"))
    assert response.status == 201
    assert client.server.app[TEAMS].errors == []
    [sent] = fake.activities()
    assert sent["path"] == "/v3/conversations/a%3Apersonal-1/activities/inc-1"       # in-turn reply
    assert "Authorization" not in sent["headers"]                                   # development mode
    card = card_of(sent)
    assert card["body"][0]["text"] == "8391-501 Managing School Finances — AC2.2"
    assert any("Prepare the key external financial statements" in t for t in card_text(card))
    assert card["fallbackText"].startswith("8391-501 Managing School Finances — AC2.2")
    assert sent["body"]["summary"] == "8391-501 Managing School Finances — AC2.2"
    # The person, the reference (with serviceUrl and tenant) and the time zone are remembered.
    [ref] = references(teams_app)
    assert (ref["identity"], ref["conversation_type"], ref["tenant_id"], ref["service_url"], ref["active"]) == (
        "teams:aad-alice", "personal", "tenant-1", fake.url, 1)
    stored = json.loads(ref["reference"])
    assert stored["conversation"]["id"] == "a:personal-1" and stored["bot"] == {"id": BOT["id"]}
    assert "name" not in stored["user"]                                            # only what sending needs


async def test_follow_ups_keep_the_conversation_context(client: TestClient, fake: FakeConnector) -> None:
    await client.post("/api/messages", json=message(fake.url, QUESTION))
    await client.post("/api/messages", json=message(fake.url, "and 2.3?", activity_id="inc-2"))
    assert card_of(fake.activities()[-1])["body"][0]["text"].endswith("AC2.3")


async def test_a_card_submission_is_handled_like_a_typed_answer(client: TestClient, fake: FakeConnector) -> None:
    await client.post("/api/messages", json=message(fake.url, "unit 700"))
    question = card_of(fake.activities()[0])
    buttons = [a for block in question["body"] if block["type"] == "ActionSet" for a in block["actions"]]
    assert [b["title"] for b in buttons] == ["8316-700 Team working in organisational partnerships",
                                             "8431-700 Building a High Performance Team"]
    # Teams posts an Action.Submit as a message whose value is the button's data and with no text.
    pressed = buttons[1]["data"]
    await client.post("/api/messages", json=message(fake.url, None, value=pressed, activity_id="inc-2"))
    answer = card_of(fake.activities()[1])
    assert answer["body"][0]["text"].startswith("8431-700 Building a High Performance Team")


async def test_a_channel_mention_is_answered_in_its_thread(client: TestClient, fake: FakeConnector,
                                                           teams_app: App) -> None:
    response = await client.post("/api/messages", json=channel_mention(fake.url, QUESTION))
    assert response.status == 201
    [sent] = fake.activities()
    # The reply goes to the thread (the conversation id carries the root message) as a reply to the post.
    assert sent["path"] == ("/v3/conversations/19%3Ageneral%40thread.tacv2%3Bmessageid%3D1700000000001"
                            "/activities/1700000000001")
    assert card_of(sent)["body"][0]["text"] == "8391-501 Managing School Finances — AC2.2"   # mention stripped
    [ref] = references(teams_app)
    assert (ref["conversation_id"], ref["conversation_type"], ref["team_id"]) == (
        "19:general@thread.tacv2", "channel", "19:general@thread.tacv2")
    # Each person keeps their own context in a shared thread.
    [row] = teams_app.db.query("SELECT id FROM conversations")
    assert row["id"].endswith("|teams:aad-alice")


async def test_first_contact_links_the_roster_person_by_email(client: TestClient, fake: FakeConnector,
                                                              teams_app: App) -> None:
    teams_app.db["people"].insert({"id": "console:alice", "name": "Alice Able", "email": "Alice@Example.org",
                                   "role": "learner", "created_at": NOW.isoformat()})
    fake.add_member(ALICE["id"], "alice@example.org", aad=ALICE["aadObjectId"])
    await client.post("/api/messages", json=message(fake.url, "hello", timezone="Europe/Dublin"))
    [identity] = teams_app.db.query("SELECT * FROM identities WHERE id = 'teams:aad-alice'")
    assert identity["person_id"] == "console:alice"
    member_calls = [c for c in fake.calls if c["method"] == "GET"]
    assert member_calls[0]["path"] == "/v3/conversations/a%3Apersonal-1/members/29%3Aalice-teams-id"
    [prefs] = teams_app.db.query("SELECT timezone FROM reminder_prefs WHERE person_id = 'console:alice'")
    assert prefs["timezone"] == "Europe/Dublin"                     # from the clientInfo entity
    await client.post("/api/messages", json=message(fake.url, "hello again", activity_id="inc-2"))
    assert len([c for c in fake.calls if c["method"] == "GET"]) == 1           # looked up once, not per message


async def test_install_welcomes_and_removal_marks_references_inactive(client: TestClient, fake: FakeConnector,
                                                                      teams_app: App) -> None:
    await client.post("/api/messages", json=conversation_update(fake.url, added=[BOT]))
    [welcome] = fake.activities()
    assert card_of(welcome)["body"][0]["text"] == "Hello — I'm AssessBot"
    assert references(teams_app)[0]["active"] == 1            # the installer can be reminded before they write
    # Someone else joining a team the bot is in: no post.
    await client.post("/api/messages", json=conversation_update(fake.url, added=[{"id": "29:bob"}]))
    assert len(fake.activities()) == 1
    await client.post("/api/messages", json=conversation_update(fake.url, removed=[BOT]))
    assert [(r["active"], r["inactive_reason"]) for r in references(teams_app)] == [(0, "bot removed")]
    # Writing again (reinstalled) makes it active again.
    await client.post("/api/messages", json=message(fake.url, "hello"))
    assert references(teams_app)[0]["active"] == 1


async def test_removal_from_a_team_marks_every_channel_reference_inactive(client: TestClient, fake: FakeConnector,
                                                                          teams_app: App) -> None:
    await client.post("/api/messages", json=channel_mention(fake.url, QUESTION))
    await client.post("/api/messages", json=conversation_update(
        fake.url, removed=[BOT], conversation="19:general@thread.tacv2", conversation_type="channel",
        team="19:general@thread.tacv2"))
    assert [r["active"] for r in references(teams_app)] == [0]


async def test_bad_requests_are_refused(client: TestClient, fake: FakeConnector) -> None:
    response = await client.post("/api/messages", data="hi", headers={"Content-Type": "text/plain"})
    assert response.status == 415
    # A malformed body is the caller's error (400), not a server error.
    for body in ("{not json", "[1, 2]", '{"text": "no type"}'):
        response = await client.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
        assert response.status == 400, body
    assert fake.calls == []


async def test_an_activity_delivered_again_is_answered_once(client: TestClient, fake: FakeConnector,
                                                            teams_app: App) -> None:
    # Teams redelivers (same activity id) when it thinks the first delivery failed.
    for _ in range(3):
        response = await client.post("/api/messages", json=message(fake.url, QUESTION, activity_id="inc-7"))
        assert response.status in (200, 201)
    assert len(fake.activities()) == 1
    assert [r["activity_id"] for r in teams_app.db.query("SELECT activity_id FROM teams_activities")] == [
        "msteams:a:personal-1:inc-7"]
    # A new activity in the same conversation is answered as usual.
    await client.post("/api/messages", json=message(fake.url, "and 2.3?", activity_id="inc-8"))
    assert len(fake.activities()) == 2


async def test_with_an_app_id_an_unauthenticated_request_is_refused(tmp_path, fake: FakeConnector) -> None:
    import adapters.teams
    from adapters.server import build_web_app

    app = build_app(str(write_config(tmp_path, app_id="00000000-0000-0000-0000-000000000001")))
    web_app = build_web_app(app, tick_seconds=3600, mounts=(adapters.teams.mount,))
    async with TestClient(TestServer(web_app)) as client:
        response = await client.post("/api/messages", json=message(fake.url, QUESTION))
        assert response.status == 401
        forged = await client.post("/api/messages", json=message(fake.url, QUESTION),
                                   headers={"Authorization": "Bearer not-a-jwt"})
        assert forged.status == 401
    assert fake.calls == []                                 # nothing answered, nothing looked up
    app.db.close()


async def test_a_throttled_reply_is_sent_again(client: TestClient, fake: FakeConnector) -> None:
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    client.server.app[TEAMS].bot.sleep = no_wait
    fake.fail(r"/activities/inc-1$", [429, 502])
    response = await client.post("/api/messages", json=message(fake.url, QUESTION, activity_id="inc-1"))
    assert response.status == 201 and client.server.app[TEAMS].errors == []
    assert len(fake.activities()) == 3                         # two refusals, then the answer
    assert card_of(fake.activities()[-1])["body"][0]["text"] == "8391-501 Managing School Finances — AC2.2"
    assert len(waits) == 2 and all(0.25 <= w <= 1.0 for w in waits)      # short: the turn must end within 15 s
