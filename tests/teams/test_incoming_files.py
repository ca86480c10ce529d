"""Documents sent to the bot in Teams (issue #21) reach the dialogue core as ``Message.files``.

Through ``POST /api/messages``: the loopback connector serves the files (a personal chat's pre-authorised
``downloadUrl``, a ``contentUrl`` on the connector) and records each GET with its headers; a local aiohttp
server streams bodies too big to read. Most tests look at the ``Message`` the core is handed (a spy on
``Dialogue.handle``); the suggestions themselves are tested in tests/test_evidence_suggest.py, and the last
tests here follow one through to the log-it button on the card.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botbuilder.core import BotAdapter
from botframework.connector import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials

from adapters.compose import App
from adapters.downloads import https_or_loopback
from adapters.teams.bot import connector_token
from adapters.teams.endpoint import TEAMS
from adapters.teams.incoming import MAX_FILES, SentFile, sent_files
from bot.types import MAX_FILE_BYTES
from tests.conftest import Seen
from tests.records_fixture import seed
from tests.teams.conftest import NOW
from tests.teams.fakes import FakeConnector
from tests.teams.payloads import ALICE, BOB, channel_mention, download_info, html_copy, message

REFLECTION = (b"I planned the team's rota for the Christmas period, agreed priorities with my manager and "
              b"checked progress each week.\n")
PDF = b"%PDF-1.4\n% a small document\n" + bytes(range(256)) * 8
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"



async def send(client: TestClient, fake: FakeConnector, text: str | None,
               attachments: list[dict[str, Any]], **kwargs: Any) -> None:
    """A message with attachments; it is answered (at least one reply) and no turn failed."""
    before = len(fake.activities())
    response = await client.post("/api/messages", json=message(fake.url, text, attachments=attachments, **kwargs))
    assert response.status == 201
    assert client.server.app[TEAMS].errors == []
    assert len(fake.activities()) > before                    # the person got an answer


class BigBodies:
    """A local server (another origin than the connector) streaming bodies over the limit: chunked (no length)
    or with a ``Content-Length``. ``written`` counts what each handler sent before the bot hung up; ``/small/…``
    answers a small PDF; ``headers`` has every request's headers."""

    TOTAL = 4 * MAX_FILE_BYTES

    def __init__(self) -> None:
        self.written: dict[str, int] = {}
        self.finished: set[str] = set()
        self.headers: list[dict[str, str]] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        kind = request.match_info["kind"]
        self.headers.append(dict(request.headers))
        if kind == "small":
            return web.Response(body=PDF, content_type="application/pdf")
        response = web.StreamResponse(headers={"Content-Type": "application/pdf"})
        if kind == "declared":
            response.content_length = self.TOTAL
        else:
            response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = b"x" * (256 * 1024)
        self.written[kind] = 0
        try:
            while self.written[kind] < self.TOTAL:
                await response.write(chunk)
                self.written[kind] += len(chunk)
            await response.write_eof()
            self.finished.add(kind)
        except (ConnectionResetError, asyncio.CancelledError):
            pass            # the bot stopped reading
        return response


@pytest.fixture
async def big_bodies() -> AsyncIterator[tuple[BigBodies, str]]:
    bodies = BigBodies()
    app = web.Application()
    app.router.add_get("/{kind}/{name}", bodies.handle)
    server = TestServer(app)
    await server.start_server()
    try:
        yield bodies, str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


# -- the document reaches the core ------------------------------------------------------------------------------
async def test_a_file_sent_in_personal_chat_reaches_the_core_with_its_bytes(client: TestClient, fake: FakeConnector,
                                                                             seen: Seen) -> None:
    url = fake.host_file("/download/reflection.txt?tempauth=abc", REFLECTION, "application/octet-stream")
    await send(client, fake, "what could this count for?",
               [download_info(url, "reflection.txt"), html_copy("what could this count for?")])
    [msg] = seen
    assert (msg.person, msg.platform, msg.shared, msg.text) == ("teams:aad-alice", "teams", False,
                                                                 "what could this count for?")
    [incoming] = msg.files
    assert (incoming.name, incoming.data, incoming.size, incoming.problem) == (
        "reflection.txt", REFLECTION, len(REFLECTION), None)
    [download] = fake.downloads()
    assert download["path"] == "/download/reflection.txt?tempauth=abc"
    assert "Authorization" not in download["headers"]          # pre-authorised: no token goes to SharePoint


async def test_a_file_without_words_comes_with_empty_text(client: TestClient, fake: FakeConnector,
                                                          seen: Seen) -> None:
    pdf = fake.host_file("/download/plan", PDF)
    word = b"PK\x03\x04 a word document's zip"
    docx = fake.host_file("/download/notes.docx", word)
    await send(client, fake, None, [download_info(pdf, "plan", "pdf"), download_info(docx, "notes.docx")])
    [msg] = seen
    assert msg.text == ""
    assert [(f.name, f.data) for f in msg.files] == [("plan.pdf", PDF), ("notes.docx", word)]


async def test_only_the_first_three_files_are_read(client: TestClient, fake: FakeConnector,
                                                   seen: Seen) -> None:
    files = [download_info(fake.host_file(f"/download/part{n}.txt", f"part {n}".encode()), f"part{n}.txt")
             for n in range(1, 5)]
    await send(client, fake, "what could these count for?", files)
    assert [f.name for f in seen[0].files] == ["part1.txt", "part2.txt", "part3.txt"] and MAX_FILES == 3
    assert len(fake.downloads()) == 3


async def test_a_document_on_the_connector_is_fetched_with_the_bots_token(client: TestClient, fake: FakeConnector,
                                                                          seen: Seen,
                                                                          big_bodies: tuple[BigBodies, str]) -> None:
    asked: list[Any] = []

    async def token(turn_context: Any) -> str:
        asked.append(turn_context.activity.id)
        return "connector-token"

    client.server.app[TEAMS].bot.file_token = token
    here = fake.host_file("/v3/attachments/att-1/views/original", PDF, "application/pdf")
    bodies, base = big_bodies
    elsewhere = f"{base}/small/other.pdf"          # not the connector the activity came from: no token goes there
    await send(client, fake, "what could this count for, for Jane?",
               [{"contentType": "application/pdf", "contentUrl": here, "name": "plan.pdf"},
                {"contentType": "application/pdf", "contentUrl": elsewhere, "name": "other.pdf"}])
    assert [(f.name, f.data) for f in seen[0].files] == [("plan.pdf", PDF), ("other.pdf", PDF)]
    [download] = [d for d in fake.calls if d["path"].startswith("/v3/attachments/")]
    assert download["headers"]["Authorization"] == "Bearer connector-token" and len(asked) == 1
    assert [h.get("Authorization") for h in bodies.headers] == [None]


# -- too big, failing, or not a document ---------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["declared", "chunked"])
async def test_a_file_over_the_limit_is_stopped_with_a_problem(client: TestClient, fake: FakeConnector,
                                                               seen: Seen, big_bodies: tuple[BigBodies, str],
                                                               kind: str) -> None:
    bodies, base = big_bodies
    await send(client, fake, "what could this count for?", [download_info(f"{base}/{kind}/big.pdf", "big.pdf")])
    [incoming] = seen[0].files
    assert incoming.data is None and incoming.size > MAX_FILE_BYTES
    size = "40.0 MB" if kind == "declared" else "more than 10 MB"
    assert incoming.problem == (f"“big.pdf” is {size}; I can read files up to 10 MB. Could you send a shorter "
                                "version, or describe the work in a few lines?")
    await asyncio.sleep(0.05)                       # let the server notice the bot hung up
    assert kind not in bodies.finished and bodies.written[kind] < BigBodies.TOTAL, bodies.written


@pytest.mark.parametrize("status", [404, 500])
async def test_a_failed_download_gives_a_problem_and_still_an_answer(client: TestClient, fake: FakeConnector,
                                                                     seen: Seen, caplog, status: int) -> None:
    url = fake.host_file("/download/reflection.txt?tempauth=secret-grant", REFLECTION)
    fake.fail(r"^/download/", [status])
    with caplog.at_level(logging.INFO):
        await send(client, fake, "what could this count for?", [download_info(url, "reflection.txt")])
    [incoming] = seen[0].files
    assert incoming.data is None and incoming.problem == (
        "I couldn't fetch “reflection.txt” from Teams just now. Could you try sending it again in a moment, or "
        "describe the work in a few lines?")
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]       # no traceback
    assert f"a Teams file from 127.0.0.1 not fetched: HTTP {status}" in caplog.text
    assert "reflection" not in caplog.text and "secret-grant" not in caplog.text    # not its name nor its address


async def test_a_web_page_where_the_file_should_be_is_not_the_file(client: TestClient, fake: FakeConnector,
                                                                   seen: Seen) -> None:
    url = fake.host_file("/download/reflection.txt", b"<html>open in SharePoint</html>", "text/html")
    await send(client, fake, None, [download_info(url, "reflection.txt")])
    assert "couldn't fetch" in (seen[0].files[0].problem or "") and seen[0].files[0].data is None


async def test_a_file_that_is_not_a_document_is_not_downloaded(client: TestClient, fake: FakeConnector,
                                                               seen: Seen) -> None:
    url = fake.host_file("/download/holiday.png", b"\x89PNG")
    await send(client, fake, None, [download_info(url, "holiday.png")])
    [incoming] = seen[0].files
    assert incoming.data is None and "I can't read .png files like “holiday.png”" in (incoming.problem or "")
    assert fake.downloads() == []


# -- what is not a file ------------------------------------------------------------------------------------------
async def test_teams_own_attachments_on_ordinary_messages_are_not_files(client: TestClient, fake: FakeConnector,
                                                                        seen: Seen) -> None:
    inline_image = {"contentType": "image/*", "contentUrl": f"{fake.url}/v3/attachments/img-1/views/original"}
    card = {"contentType": "application/vnd.microsoft.card.adaptive", "content": {"type": "AdaptiveCard"}}
    await send(client, fake, "what evidence does 8391-501 AC2.2 need?",
               [html_copy("what evidence does 8391-501 AC2.2 need?"), inline_image, card])
    assert seen[0].files == () and fake.downloads() == []
    assert not [c for c in fake.calls if c["method"] == "GET" and "attachments" in c["path"]]


async def test_a_channel_mention_has_only_the_html_copy(client: TestClient, fake: FakeConnector,
                                                        seen: Seen) -> None:
    # Teams delivers no files to bots in channels: the message comes with its HTML copy only.
    payload = channel_mention(fake.url, "what could this count for?")
    payload["attachments"] = [html_copy("<at>AssessBot</at> what could this count for?")]
    assert (await client.post("/api/messages", json=payload)).status == 201
    assert seen[0].files == () and seen[0].text == "what could this count for?"


# -- the parts ----------------------------------------------------------------------------------------------------
def test_only_https_or_loopback_addresses_are_fetched() -> None:
    assert https_or_loopback("https://contoso.sharepoint.com/_layouts/15/download.aspx?UniqueId=1&tempauth=x")
    assert https_or_loopback("http://127.0.0.1:3978/v3/attachments/a") and https_or_loopback("http://localhost/a")
    assert not https_or_loopback("http://contoso.sharepoint.com/a.pdf")
    assert not https_or_loopback("file:///etc/passwd") and not https_or_loopback("")


def test_a_document_named_only_by_its_type_gets_a_suffix() -> None:
    assert sent_files([{"contentType": DOCX, "contentUrl": "https://x/a", "name": "report"},
                       {"contentType": "application/octet-stream", "contentUrl": "https://x/b", "name": "notes.md"},
                       {"contentType": "application/octet-stream", "contentUrl": "https://x/c", "name": "setup.exe"}],
                      "https://smba.trafficmanager.net/emea/") == [
        SentFile("report.docx", "https://x/a"), SentFile("notes.md", "https://x/b")]


async def test_the_connector_token_comes_from_the_turns_credentials() -> None:
    class Credentials(MicrosoftAppCredentials):
        def get_access_token(self, force_refresh: bool = False) -> str:
            return "token-for-" + self.microsoft_app_id

    def turn(credentials: Any) -> Any:
        return SimpleNamespace(turn_state={BotAdapter.BOT_CONNECTOR_CLIENT_KEY: ConnectorClient(credentials,
                                                                                              "https://x/")})

    assert await connector_token(turn(Credentials("app-1", "secret"))) == "token-for-app-1"
    assert await connector_token(turn(MicrosoftAppCredentials.empty())) is None        # development mode
    assert await connector_token(SimpleNamespace(turn_state={})) is None


# -- end to end, with the core's evidence suggestions ---------------------------------------------------------------
async def test_a_sent_text_file_gets_evidence_suggestions(client: TestClient, fake: FakeConnector, teams_app: App,
                                                          seen: Seen) -> None:
    seed(teams_app.db, teams_app.kb, NOW)                       # Alice, a learner, known to Teams by her e-mail
    fake.add_member(ALICE["id"], "alice@example.org", aad=ALICE["aadObjectId"])
    work = (b"I prepared the monthly budget monitoring report for the finance committee: I compared actual spend "
            b"with the budget for each cost centre, explained the main variances and recommended savings.\n")
    url = fake.host_file("/download/budget-report.txt", work)
    await send(client, fake, "what could this count for?", [download_info(url, "budget-report.txt")])
    [replies] = seen.replies
    assert [r.intent for r in replies] == ["evidence_suggest"] and replies[0].kind == "answer"


BUDGET_WORK = (b"I set the school's annual budget with the head and produced the three-year financial forecast. Each "
               b"month I prepare the budget monitoring report for the governors' finance committee, explaining "
               b"variances against the budget.\n")


async def _log_it_for_all(client: TestClient, fake: FakeConnector) -> dict[str, Any]:
    """Alice sends her budget report; the "Log it for all" action of the card she gets back."""
    url = fake.host_file("/download/budget-report.txt", BUDGET_WORK)
    await send(client, fake, "what could this count for?", [download_info(url, "budget-report.txt")])
    card = fake.activities()[-1]["body"]["attachments"][0]["content"]
    submits = [a for e in card["body"] if e["type"] == "ActionSet" for a in e["actions"]] + card.get("actions", [])
    return next(a for a in submits if a["title"].startswith("Log it for all"))


async def test_the_log_it_button_on_the_card_records_the_evidence(client: TestClient, fake: FakeConnector,
                                                                    teams_app: App) -> None:
    """File → card with "Log it for all" → its Action.Submit sent back → the evidence record, read back."""
    from bot.records.evidence import evidence_of

    seed(teams_app.db, teams_app.kb, NOW)
    fake.add_member(ALICE["id"], "alice@example.org", aad=ALICE["aadObjectId"])
    submit = await _log_it_for_all(client, fake)
    assert evidence_of(teams_app.db, "console:alice") == []          # nothing stored before the press
    response = await client.post("/api/messages", json=message(fake.url, None, value=submit["data"]))
    assert response.status == 201
    [item] = evidence_of(teams_app.db, "console:alice")
    assert item.title == "budget-report.txt" and len(item.links) >= 3


async def test_alices_card_submitted_by_another_learner_logs_nothing(client: TestClient, fake: FakeConnector,
                                                                     teams_app: App) -> None:
    """The data of Alice's "Log it for all", sent back from Bob's personal chat (a copied or forged submit), is
    read as Bob's own words: the card carries no offer, and Bob's conversation holds none, so nothing is stored
    for either of them and he is asked which criteria he means."""
    from bot.records.evidence import evidence_of

    seed(teams_app.db, teams_app.kb, NOW)
    fake.add_member(ALICE["id"], "alice@example.org", aad=ALICE["aadObjectId"])
    fake.add_member(BOB["id"], "bob@example.org", aad=BOB["aadObjectId"])
    submit = await _log_it_for_all(client, fake)
    before = len(fake.activities())
    response = await client.post("/api/messages", json=message(fake.url, None, user=BOB, conversation="a:personal-bob",
                                                               value=submit["data"]))
    assert response.status == 201
    assert not teams_app.db.execute("SELECT 1 FROM evidence").fetchall()
    assert evidence_of(teams_app.db, "console:alice") == [] and evidence_of(teams_app.db, "console:bob") == []
    told = fake.activities()[before:]
    assert told and "haven't logged anything" in str(told)
