"""Files in Teams (issue #8): the cohort chart inline, the cohort spreadsheet through a file-consent card.

Through ``POST /api/messages`` and the loopback connector, which also plays OneDrive's upload session.
Mo Manager and Alice Able (a learner) come from ``tests/records_fixture``, linked to their Teams accounts
by e-mail on first contact, as in a real tenant.
"""

from __future__ import annotations

import base64
import dataclasses
import io
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from aiohttp.test_utils import TestClient

from adapters.compose import App
from adapters.downloads import https_or_loopback
from adapters.teams.cards import card_text
from adapters.teams.endpoint import TEAMS
from adapters.teams.files import (
    FILE_CONSENT,
    FILE_INFO,
    PendingFiles,
    UploadError,
    upload,
)
from bot.types import Attachment
from tests.records_fixture import seed
from tests.teams.conftest import NOW
from tests.teams.fakes import FakeConnector
from tests.teams.payloads import ALICE, MO, channel_mention, file_consent, message

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

ADAPTIVE = "application/vnd.microsoft.card.adaptive"
CHART = "show me a chart of the cohort"
EXPORT = "export the cohort as a spreadsheet"
XLSX_NAME = f"cohort-{NOW.date().isoformat()}.xlsx"
SHAREPOINT = "https://contoso.sharepoint.com/personal/mo_example_org/Documents/Applications/AssessBot"


@pytest.fixture
def centre(teams_app: App, fake: FakeConnector) -> App:
    """The records fixture's centre; Mo and Alice are known to Teams by their e-mail addresses."""
    seed(teams_app.db, teams_app.kb, NOW)
    fake.add_member(MO["id"], "mo@example.org", aad=MO["aadObjectId"])
    fake.add_member(ALICE["id"], "alice@example.org", aad=ALICE["aadObjectId"])
    return teams_app


def attachments(call: dict[str, Any]) -> list[dict[str, Any]]:
    return call["body"]["attachments"]


def card_of(call: dict[str, Any]) -> dict[str, Any]:
    first = attachments(call)[0]
    assert first["contentType"] == ADAPTIVE
    return first["content"]


def in_conversation(fake: FakeConnector, conversation: str) -> list[dict[str, Any]]:
    encoded = conversation.replace(":", "%3A").replace("@", "%40").replace(";", "%3B").replace("=", "%3D")
    return [c for c in fake.activities() if c["path"].startswith(f"/v3/conversations/{encoded}/activities")]


def upload_info(fake: FakeConnector, name: str = "cohort-1") -> dict[str, Any]:
    return {"contentUrl": f"{SHAREPOINT}/{XLSX_NAME}", "name": XLSX_NAME, "uploadUrl": fake.upload_url(name),
            "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C", "fileType": "xlsx", "etag": "1"}


async def ask(client: TestClient, fake: FakeConnector, text: str, **kwargs: Any) -> None:
    response = await client.post("/api/messages", json=message(fake.url, text, **kwargs))
    assert response.status == 201
    assert client.server.app[TEAMS].errors == []


async def consent_token(client: TestClient, fake: FakeConnector) -> str:
    """Mo asks for the spreadsheet in personal chat; the token his consent card carries."""
    await ask(client, fake, EXPORT, user=MO, conversation="a:personal-mo")
    consent = attachments(fake.activities()[-1])[0]
    assert consent["contentType"] == FILE_CONSENT
    return consent["content"]["acceptContext"]["token"]


async def answer(client: TestClient, fake: FakeConnector, action: str, token: str, *, user: dict = MO,
                 conversation: str = "a:personal-mo", name: str = "cohort-1") -> None:
    info = upload_info(fake, name) if action == "accept" else None
    response = await client.post("/api/messages", json=file_consent(
        fake.url, action, {"token": token}, upload_info=info, user=user, conversation=conversation,
        reply_to="act-consent"))
    assert response.status == 200                      # the invoke response Teams waits for
    assert client.server.app[TEAMS].errors == []


def last_text(fake: FakeConnector) -> str:
    return card_of(fake.activities()[-1])["fallbackText"]


# -- the chart ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["personal", "channel"])
async def test_the_chart_comes_inline_in_every_kind_of_conversation(client: TestClient, fake: FakeConnector,
                                                                    centre: App, where: str,
                                                                    files_in_shared: None) -> None:
    payload = (message(fake.url, CHART, user=MO, conversation="a:personal-mo") if where == "personal"
               else channel_mention(fake.url, CHART, user=MO))
    assert (await client.post("/api/messages", json=payload)).status == 201
    [sent] = fake.activities()                      # one message: the card and the picture beside it
    card, image = attachments(sent)
    assert card["contentType"] == ADAPTIVE and card["content"]["body"][0]["text"] == "Progress chart: your centre"
    assert f"Attached: cohort-chart-{NOW.date().isoformat()}.png" in card_text(card["content"])
    assert image["contentType"] == "image/png" and image["name"].endswith(".png")
    prefix = "data:image/png;base64,"
    assert image["contentUrl"].startswith(prefix)
    assert base64.b64decode(image["contentUrl"][len(prefix):]).startswith(b"\x89PNG\r\n\x1a\n")
    assert len(client.server.app[TEAMS].bot.files) == 0          # nothing waiting for consent


# -- the spreadsheet in personal chat ------------------------------------------------------------------
async def test_the_spreadsheet_is_offered_with_a_consent_card(client: TestClient, fake: FakeConnector,
                                                              centre: App) -> None:
    await ask(client, fake, EXPORT, user=MO, conversation="a:personal-mo")
    reply, offer = fake.activities()
    assert card_of(reply)["body"][0]["text"].startswith("Here's the progress spreadsheet for your centre: 3 learners")
    assert f"Attached: {XLSX_NAME}" in card_text(card_of(reply))
    assert len(attachments(reply)) == 1                             # the file is not in the message itself
    [consent] = attachments(offer)
    assert consent["contentType"] == FILE_CONSENT and consent["name"] == XLSX_NAME
    content = consent["content"]
    assert content["sizeInBytes"] > 1000
    assert content["acceptContext"] == content["declineContext"] and len(content["acceptContext"]["token"]) >= 20
    assert "OneDrive" in content["description"] and "Cohort progress" in content["description"]
    assert offer["body"]["summary"] == f"A file for you: {XLSX_NAME}"
    assert offer["path"].startswith("/v3/conversations/a%3Apersonal-mo/activities/")


async def test_allow_uploads_the_spreadsheet_and_shows_the_file(client: TestClient, fake: FakeConnector,
                                                                centre: App) -> None:
    token = await consent_token(client, fake)
    await answer(client, fake, "accept", token)
    [put] = fake.puts()
    data = fake.uploads["/upload/cohort-1"]
    assert put["headers"]["Content-Range"] == f"bytes 0-{len(data) - 1}/{len(data)}"
    assert "Authorization" not in put["headers"]                  # the upload URL is pre-authorised
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("id", "name")
    assert sorted(r[1] for r in rows[1:]) == ["Alice Able", "Bob Baker", "Carol Cole"]   # not Eve: another centre
    [info] = attachments(fake.activities()[-1])
    assert info == {"contentType": FILE_INFO, "contentUrl": f"{SHAREPOINT}/{XLSX_NAME}", "name": XLSX_NAME,
                    "content": {"uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C", "fileType": "xlsx"}}
    # The consent card is taken away, and the offer is used up: a second Allow uploads nothing.
    assert [c["path"] for c in fake.calls if c["method"] == "DELETE"] == [
        "/v3/conversations/a%3Apersonal-mo/activities/act-consent"]
    await answer(client, fake, "accept", token, name="cohort-2")
    assert len(fake.puts()) == 1 and "/upload/cohort-2" not in fake.uploads
    assert last_text(fake).startswith("Sorry — that file offer has expired or has already been used")


async def test_decline_sends_nothing_and_says_so(client: TestClient, fake: FakeConnector, centre: App) -> None:
    token = await consent_token(client, fake)
    await answer(client, fake, "decline", token)
    assert last_text(fake) == (f"No problem — I haven't sent {XLSX_NAME}, and nothing was saved to your OneDrive. "
                               "Ask me again whenever you'd like it.")
    assert fake.puts() == [] and fake.uploads == {}
    await answer(client, fake, "accept", token)                   # changing one's mind needs a fresh offer
    assert fake.puts() == [] and "expired" in last_text(fake)


async def test_an_expired_offer_is_refused_kindly(client: TestClient, fake: FakeConnector, centre: App) -> None:
    token = await consent_token(client, fake)
    bot = client.server.app[TEAMS].bot
    bot.clock = lambda: NOW + timedelta(hours=1, minutes=1)
    await answer(client, fake, "accept", token)
    assert fake.puts() == []
    assert last_text(fake) == ("Sorry — that file offer has expired or has already been used, so nothing was sent. "
                               "Ask me for it again and I'll offer you a fresh copy.")
    await answer(client, fake, "accept", "not-a-token")
    assert fake.puts() == [] and "expired" in last_text(fake)
    await answer(client, fake, "decline", "not-a-token")           # declining what is gone: no apology needed
    assert last_text(fake).startswith("No problem — I haven't sent the file")


async def test_only_the_person_it_was_offered_to_can_take_it(client: TestClient, fake: FakeConnector,
                                                              centre: App) -> None:
    token = await consent_token(client, fake)
    await answer(client, fake, "accept", token, user=ALICE, conversation="a:personal-1")
    assert fake.puts() == [] and "expired" in last_text(fake)
    await answer(client, fake, "accept", token)                   # Mo's offer is still there for Mo
    assert "/upload/cohort-1" in fake.uploads


async def test_a_failed_upload_is_explained(client: TestClient, fake: FakeConnector, centre: App) -> None:
    token = await consent_token(client, fake)
    fake.fail(r"^/upload/", [500])
    await answer(client, fake, "accept", token)
    assert fake.uploads == {}
    assert last_text(fake).startswith(f"Sorry — I couldn't save {XLSX_NAME} to your OneDrive just now")
    assert not any(a["contentType"] == FILE_INFO for c in fake.activities() for a in attachments(c))


async def test_a_learner_asking_is_refused_and_offered_nothing(client: TestClient, fake: FakeConnector,
                                                               centre: App) -> None:
    await ask(client, fake, EXPORT)                                # Alice, a learner, in her personal chat
    [sent] = fake.activities()
    assert card_of(sent)["fallbackText"].startswith("Cohort questions are for tutors and centre managers.")
    assert len(attachments(sent)) == 1 and len(client.server.app[TEAMS].bot.files) == 0


# -- the spreadsheet asked for in a channel or group chat -----------------------------------------------
CHANNEL_THREAD = "19:general@thread.tacv2;messageid=1700000000001"
GROUP_CHAT = "19:group-chat@thread.v2"


def shared_ask(fake: FakeConnector, where: str) -> tuple[dict[str, Any], str]:
    if where == "channel":
        return channel_mention(fake.url, EXPORT, user=MO), CHANNEL_THREAD
    mention = {"type": "mention", "text": "<at>AssessBot</at>", "mentioned": {"id": "28:bot-app-id"}}
    return message(fake.url, f"<at>AssessBot</at> {EXPORT}", user=MO, conversation=GROUP_CHAT,
                   conversation_type="groupChat", entities=[mention]), GROUP_CHAT


def assert_only_the_note(fake: FakeConnector, conversation: str, note: str) -> None:
    [posted] = in_conversation(fake, conversation)
    assert len(attachments(posted)) == 1
    assert card_of(posted)["fallbackText"] == note
    assert "cohort-" not in str(posted["body"]) and "Alice" not in str(posted["body"])


@pytest.fixture
def files_in_shared(client: TestClient) -> None:
    """The core answers records questions only in private (a channel gets a "message me directly"); these
    tests exercise the adapter's own safety net for a reply with files in a shared conversation by letting
    the core answer as if the conversation were private."""
    bot = client.server.app[TEAMS].bot
    original = bot.dialogue.handle

    def handle(message, now=None):
        return original(dataclasses.replace(message, shared=False), now=now)

    bot.dialogue.handle = handle


async def test_the_core_keeps_a_cohort_export_out_of_a_channel(client: TestClient, fake: FakeConnector,
                                                                centre: App) -> None:
    payload, thread = shared_ask(fake, "channel")
    assert (await client.post("/api/messages", json=payload)).status == 201
    [posted] = in_conversation(fake, thread)
    assert "direct message" in card_of(posted)["fallbackText"]
    assert not any(a["contentType"] == FILE_CONSENT for c in fake.activities() for a in attachments(c))
    assert len(client.server.app[TEAMS].bot.files) == 0


SENT_NOTE = ("I've sent the file to you in our personal chat. Files like this hold personal data, so I don't post "
             "them where everyone can see.")


async def test_asked_in_a_channel_it_goes_to_the_stored_personal_chat(client: TestClient, fake: FakeConnector,
                                                                      centre: App, files_in_shared: None) -> None:
    await ask(client, fake, "hello", user=MO, conversation="a:personal-mo")       # Mo has a personal chat
    payload, thread = shared_ask(fake, "channel")
    assert (await client.post("/api/messages", json=payload)).status == 201
    assert client.server.app[TEAMS].errors == []
    assert_only_the_note(fake, thread, SENT_NOTE)
    reply, offer = in_conversation(fake, "a:personal-mo")[1:]                     # after the answer to "hello"
    assert card_of(reply)["body"][0]["text"].startswith("Here's the progress spreadsheet")
    [consent] = attachments(offer)
    assert consent["contentType"] == FILE_CONSENT
    # The note comes after the delivery it reports.
    assert fake.activities().index(in_conversation(fake, thread)[0]) > fake.activities().index(offer)
    await answer(client, fake, "accept", consent["content"]["acceptContext"]["token"])
    assert "/upload/cohort-1" in fake.uploads


@pytest.mark.parametrize("where", ["channel", "group chat"])
async def test_asked_in_a_shared_conversation_it_opens_a_personal_chat(client: TestClient, fake: FakeConnector,
                                                                       centre: App, where: str,
                                                                       files_in_shared: None) -> None:
    payload, conversation = shared_ask(fake, where)
    assert (await client.post("/api/messages", json=payload)).status == 201
    assert client.server.app[TEAMS].errors == []
    [create] = [c for c in fake.calls if c["path"] == "/v3/conversations"]
    assert create["body"]["isGroup"] is False and create["body"]["members"] == [{"id": MO["id"]}]
    assert create["body"]["channelData"] == {"tenant": {"id": "tenant-1"}}       # where Teams reads the tenant
    reply, offer = in_conversation(fake, "a:personal-opened")
    assert attachments(offer)[0]["contentType"] == FILE_CONSENT
    assert_only_the_note(fake, conversation, SENT_NOTE)
    [opened] = centre.db.query("SELECT conversation_type, active FROM teams_references "
                               "WHERE conversation_id = 'a:personal-opened'")
    assert opened == {"conversation_type": "personal", "active": 1}              # reminders can use it too


async def test_when_no_personal_chat_can_be_reached_it_says_so(client: TestClient, fake: FakeConnector,
                                                               centre: App, files_in_shared: None) -> None:
    await ask(client, fake, "hello", user=MO, conversation="a:personal-mo")
    fake.fail(r"^/v3/conversations/a%3Apersonal-mo/", [403])                     # Mo blocked the bot …
    fake.fail(r"^/v3/conversations$", [403])                                      # … and it cannot open another
    payload, thread = shared_ask(fake, "channel")
    assert (await client.post("/api/messages", json=payload)).status == 201
    assert client.server.app[TEAMS].errors == []
    assert_only_the_note(fake, thread, (
        "I couldn't reach you in a personal chat to send the file, and I won't post it here because it holds "
        "personal data. Start a chat with me (search for AssessBot in Teams) and ask again there."))
    assert not any(a["contentType"] == FILE_CONSENT for c in fake.activities() for a in attachments(c))
    assert len(client.server.app[TEAMS].bot.files) == 0                          # no offer left waiting
    [gone] = centre.db.query("SELECT active FROM teams_references WHERE conversation_id = 'a:personal-mo'")
    assert gone["active"] == 0


# -- the parts ---------------------------------------------------------------------------------------
def test_pending_offers_expire_are_used_once_and_stay_small() -> None:
    sheet = Attachment("a.xlsx", "application/octet-stream", b"x" * 600, "A")
    files = PendingFiles(lifetime=timedelta(minutes=30), max_bytes=1000)
    first = files.offer("teams:mo", sheet, NOW)
    assert files.take(first.token, "teams:alice", NOW) is None                   # someone else's
    assert files.take(first.token, "teams:mo", NOW) == first
    assert files.take(first.token, "teams:mo", NOW) is None                      # once only
    late = files.offer("teams:mo", sheet, NOW)
    assert files.take(late.token, "teams:mo", NOW + timedelta(minutes=30)) is None
    older, newer = files.offer("teams:mo", sheet, NOW), files.offer("teams:mo", sheet, NOW)
    assert len(files) == 1 and files.take(older.token, "teams:mo", NOW) is None  # the oldest gave way
    assert files.take(newer.token, "teams:mo", NOW) == newer
    assert files.take({"token": 1}, "teams:mo", NOW) is None                     # whatever a client sends back


async def test_upload_sends_fragments_in_order(fake: FakeConnector) -> None:
    data = bytes(range(256)) * 5
    await upload(fake.upload_url("big"), data, chunk_size=512)
    assert [p["headers"]["Content-Range"] for p in fake.puts()] == [
        "bytes 0-511/1280", "bytes 512-1023/1280", "bytes 1024-1279/1280"]
    assert fake.uploads["/upload/big"] == data


async def test_upload_only_to_https_or_loopback(fake: FakeConnector) -> None:
    assert https_or_loopback("https://contoso.sharepoint.com/upload?x=1") and https_or_loopback(fake.upload_url("x"))
    for url in ("http://contoso.sharepoint.com/upload", "file:///etc/passwd", "ftp://example.org/x", ""):
        assert not https_or_loopback(url)
        with pytest.raises(UploadError):
            await upload(url, b"data")
    fake.fail(r"^/upload/", [403])
    with pytest.raises(UploadError, match="answered 403"):
        await upload(fake.upload_url("refused"), b"data")
