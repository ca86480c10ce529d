"""AssessBot in Slack: a slack-bolt ``AsyncApp`` mounted at ``/slack/events`` of the ``assessbot serve`` app.

What it listens to, and why it is shaped this way:

- Direct messages (``message`` in an ``im``) and ``app_mention`` in channels (answered in the thread);
  both become a core ``Message`` from ``slack:U…`` and every ``Reply`` goes back as Block Kit. Documents
  shared in either (a ``file_share``) are fetched with the bot token onto ``Message.files``
  (``adapters.slack.incoming``: size-checked first, capped, a kind ``problem`` when one can't be read).
- ``/assess``: acknowledged at once (Slack allows 3 seconds), answered through ``respond`` — an
  ephemeral message, so a learner's records never show in a channel.
- Files (a cohort spreadsheet, a chart): uploaded with ``files_upload_v2`` after the text, into the same
  DM or thread. An ephemeral answer's files go to the channel only when it is the person's DM with the
  bot; otherwise to that DM, with a word where they asked (a channel's files are visible to everyone in
  it). A file that fails to upload leaves the answer standing, with a kind note that it couldn't be
  attached, and a log entry.
- The App Home tab, published with ``views.publish`` when it is opened and after a decision.
- Buttons: a clarification choice or suggestion is sent back through the core as if typed; "log
  evidence" and "mark ready" open modals whose answers are also sent as typed sentences, so the core
  parses and authorises them as it would in chat; a tutor's "met" / "referred" opens a feedback modal
  and records the decision through ``bot.records.decisions``.
- Reliability: Bolt verifies every signature and refuses stale timestamps (401); events are acknowledged
  before any work; Slack's retries carry the same ``event_id`` and are answered once, remembered in
  the database so a restart doesn't answer them again; Web API calls honour 429 ``Retry-After``; a
  failure anywhere gives the person a kind apology and a log entry, and the server keeps serving.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.compose import App
from adapters.slack.core import Core, converse, link_person, name_of
from adapters.slack.destination import Destination
from adapters.slack.home import home_view
from adapters.slack.incoming import SlackFiles
from adapters.slack.modals import DECIDE_BUTTON, Modals
from adapters.slack.render import (
    Where,
    apology_messages,
    messages_for,
    mrkdwn,
)
from adapters.slack.settings import SlackSettings
from adapters.slack.text import escape, mentioned_users, to_plain
from adapters.slack.uploads import Uploads
from bot.types import Message

log = logging.getLogger(__name__)

PATH = "/slack/events"
COMMAND = "/assess"
PROFILE_TTL = 6 * 3600          # seconds before users.info is asked again (roster links, new e-mail)
PROFILE_RETRY = 600             # after a failed users.info
ANSWER_BUTTON = re.compile(r"^(?:choice|suggest|more):\d+$")
TEXT_SUBTYPES = (None, "file_share", "thread_broadcast")   # messages a person typed (not edits, joins, bots)





class SlackAdapter(Modals, Uploads):
    """One Slack app: the Bolt ``AsyncApp``, its Web API client and the core it talks to."""

    def __init__(self, app: App, settings: SlackSettings):
        self.app = app
        self.settings = settings
        self.core = Core(app)
        self.client = AsyncWebClient(
            token=settings.bot_token, base_url=settings.api_url, timeout=10,
            retry_handlers=[AsyncConnectionErrorRetryHandler(), AsyncRateLimitErrorRetryHandler(max_retry_count=2)])
        self.bolt = AsyncApp(
            client=self.client, signing_secret=settings.signing_secret,
            # Without a signing secret only Socket Mode is served (no HTTP route is mounted then).
            request_verification_enabled=bool(settings.signing_secret),
            logger=logging.getLogger("adapters.slack.bolt"))
        self.stats: Counter[str] = Counter()
        self._profiles: dict[str, float] = {}      # Slack user → when to ask users.info again
        self._names: dict[str, str] = {}           # Slack user → real name, for mentions of non-roster people
        self._dms: dict[str, str] = {}             # Slack user → DM channel with the bot
        self._bot_user_id: str | None = None
        # Documents shared with the bot: fetched with the bot token through the Web API client's session.
        self.incoming = SlackFiles(settings.bot_token, settings.api_url, lambda: self.client.session,
                                   self._file_info)
        self._register()

    # -- wiring ---------------------------------------------------------------------------------------------
    def _register(self) -> None:
        bolt = self.bolt
        bolt.error(self._on_error)
        bolt.event("app_mention")(self._on_mention)
        bolt.event("message")(self._on_message)
        bolt.event("app_home_opened")(self._on_home_opened)
        bolt.command(COMMAND)(self._on_command)
        bolt.action(ANSWER_BUTTON)(self._on_answer_button)
        bolt.action("home_ask")(self._on_answer_button)
        bolt.action("log_evidence")(self._on_log_evidence)
        bolt.action("mark_ready")(self._on_mark_ready)
        bolt.action(DECIDE_BUTTON)(self._on_decide)
        bolt.view("log_evidence")(self._on_log_evidence_submitted)
        bolt.view("mark_ready")(self._on_mark_ready_submitted)
        bolt.view("decision")(self._on_decision_submitted)

    async def handle(self, request: web.Request) -> web.Response:
        """``POST /slack/events``: events, commands and interactions, all verified and routed by Bolt."""
        return await to_aiohttp_response(await self.bolt.async_dispatch(await to_bolt_request(request)))

    async def lifecycle(self, _: web.Application) -> AsyncIterator[None]:
        """One HTTP session for every Web API call while the server runs; the core thread warmed up."""
        self.client.session = aiohttp.ClientSession()
        await self.core.warm_up()
        try:
            yield
        finally:
            await self.client.session.close()
            self.core.close()

    async def socket_mode(self, _: web.Application) -> AsyncIterator[None]:
        """Socket Mode (``slack.app_token``): events over a WebSocket, for development without a public URL."""
        handler = AsyncSocketModeHandler(self.bolt, app_token=self.settings.app_token)
        task = asyncio.create_task(self._keep_connected(handler))
        try:
            yield
        finally:
            task.cancel()
            try:
                await handler.close_async()
            except Exception:            # closing a connection that never opened
                log.debug("Socket Mode close", exc_info=True)

    async def _keep_connected(self, handler: AsyncSocketModeHandler) -> None:
        # slack_sdk's aiohttp client keeps retrying a failed connection itself (every ping interval) and
        # reconnects a dropped one; in a task, so a Slack outage at start-up doesn't hold up the server.
        try:
            await handler.connect_async()
            log.info("Slack Socket Mode connected")
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("Slack Socket Mode stopped trying to connect")

    # -- events ---------------------------------------------------------------------------------------------
    async def _on_error(self, error: Exception, body: dict[str, Any]) -> None:
        # Listeners catch their own failures and apologise; this logs anything that escaped them.
        log.error("Slack listener failed: %r (request type %s)", error, body.get("type"), exc_info=error)

    async def _on_message(self, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext) -> None:
        self._remember_bot(context)
        if event.get("channel_type") != "im" or event.get("subtype") not in TEXT_SUBTYPES or event.get("bot_id"):
            return
        user, channel, thread = event.get("user"), event["channel"], event.get("thread_ts")
        if not user:
            return
        conversation = f"slack:{channel}" + (f":{thread}" if thread else "")
        await self._answer_event(body, event.get("text") or "", Destination(user, channel, thread), conversation,
                                 event.get("files"))

    async def _on_mention(self, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext) -> None:
        self._remember_bot(context)
        user, channel = event.get("user"), event["channel"]
        if not user or channel.startswith("D") or event.get("bot_id"):
            return          # in a DM the message event already brings it
        thread = event.get("thread_ts") or event["ts"]
        # The thread is the conversation: follow-ups there ("and 2.3?") keep their context.
        await self._answer_event(body, event.get("text") or "", Destination(user, channel, thread, shared=True),
                                 f"slack:{channel}:{thread}", event.get("files"))

    async def _answer_event(self, body: dict[str, Any], text: str, where: Destination, conversation: str,
                            shared_files: list[Any] | None = None) -> None:
        event_id = body.get("event_id")
        if event_id and not await self.core.run(self.core.claim_event, str(event_id)):
            self.stats["duplicates"] += 1
            log.info("Slack event %s already answered (retry %s): ignored", event_id,
                     body.get("retry_attempt", "?"))
            return
        await self._converse(where, text, conversation, shared_files)

    async def _on_home_opened(self, event: dict[str, Any]) -> None:
        if event.get("tab") == "home" and event.get("user"):
            await self.publish_home(event["user"])

    async def publish_home(self, user: str) -> None:
        try:
            identity = await self.identify(user)
            view = await self.core.run(home_view, identity)
            await self.client.views_publish(user_id=user, view=view)
            self.stats["homes"] += 1
        except Exception:
            # Nowhere to apologise on a tab; the previous Home stays and the log says why.
            log.exception("App Home for %s failed", user)
            self.stats["failures"] += 1

    # -- the slash command ------------------------------------------------------------------------------------
    async def _on_command(self, ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()           # first: Slack shows an error after 3 seconds without it
        user = command["user_id"]
        text = (command.get("text") or "").strip() or "What can you do?"
        await self._converse(Destination(user, respond=respond, origin=command.get("channel_id")), text,
                             f"slack:{command['channel_id']}:{user}")

    # -- buttons and modals -----------------------------------------------------------------------------------
    async def _on_answer_button(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        action = body["actions"][0]
        user = body["user"]["id"]
        try:
            data = json.loads(action.get("value") or "{}")
        except json.JSONDecodeError:
            data = {}
        text = str(data.get("v") or "")
        if not text:
            return
        container = body.get("container") or {}
        if container.get("type") == "view":                   # the App Home: answer in the DM
            channel = await self.dm_channel(user)
            where, conversation = Destination(user, channel), data.get("c") or f"slack:{channel}"
        elif container.get("is_ephemeral"):
            where = Destination(user, respond=respond, origin=container.get("channel_id"))
            conversation = data.get("c") or f"slack:{user}"
        else:
            channel = container.get("channel_id") or body["channel"]["id"]
            # A button under a channel message answers in that channel; under a DM ("D…"), privately.
            where = Destination(user, channel, data.get("t"), shared=not str(channel).startswith("D"))
            conversation = data.get("c") or f"slack:{channel}"
            await self._mark_chosen(body, action, str(data.get("l") or text))
        await self._converse(where, text, str(conversation))

    async def _mark_chosen(self, body: dict[str, Any], action: dict[str, Any], label: str) -> None:
        """Replace the pressed row of buttons with what was chosen, so the question isn't answered twice."""
        message = body.get("message") or {}
        if not message.get("blocks") or not message.get("ts") or action["action_id"].startswith("suggest:"):
            return
        blocks = [b if b.get("block_id") != action.get("block_id") else
                  {"type": "context", "elements": [mrkdwn(f"✓ {escape(label)}")]} for b in message["blocks"]]
        try:
            await self.client.chat_update(channel=body["container"]["channel_id"], ts=message["ts"], blocks=blocks,
                                          text=message.get("text") or label)
        except Exception:          # cosmetic: the answer matters more than the tick
            log.warning("could not mark the chosen button", exc_info=True)

    # -- the conversation -----------------------------------------------------------------------------------
    async def _converse(self, where: Destination, text: str, conversation: str,
                        shared_files: list[Any] | None = None) -> None:
        """One turn: who is speaking, what they said (as they saw it) and the documents they shared, the
        core's replies, posted."""
        try:
            identity = await self.identify(where.user)
            text = await self._readable(text)
            files = await self.incoming.incoming(shared_files) if shared_files else ()
            replies = await self.core.run(converse, Message(identity, conversation, text, "slack",
                                                            shared=where.shared, files=files))
            for reply in replies:
                for message in messages_for(reply, _where(conversation, where)):
                    await self._post(where, message)
                if reply.attachments:
                    await self._send_files(where, reply.attachments, conversation)
            self.stats["answered"] += 1
        except Exception:
            log.exception("Slack turn failed in %s", conversation)
            self.stats["failures"] += 1
            await self._apologise(where)

    async def _apologise(self, where: Destination) -> None:
        try:
            for message in apology_messages():
                await self._post(where, message)
            self.stats["apologies"] += 1
        except Exception:      # Slack itself is failing: the log is all that is left
            log.exception("could not post the apology to %s", where.user)

    async def _post(self, where: Destination, message: dict[str, Any]) -> None:
        if where.respond is not None:
            await where.respond(**message, response_type="ephemeral", replace_original=False)
            return
        channel = where.channel or await self.dm_channel(where.user)
        await self.client.chat_postMessage(channel=channel, thread_ts=where.thread, **message)

    async def _file_info(self, file_id: str) -> dict[str, Any]:
        return dict((await self.client.files_info(file=file_id))["file"])

    async def dm_channel(self, user: str) -> str:
        if user not in self._dms:
            opened = await self.client.conversations_open(users=user)
            self._dms[user] = str(opened["channel"]["id"])
        return self._dms[user]

    async def identify(self, user: str) -> str:
        """``slack:U…``, linked to the roster by the e-mail ``users.info`` reports, with its time zone.

        ``users.info`` is asked once per user every few hours, not on every message; if it fails the
        turn goes on (the person is known by their Slack id) and it is asked again later.
        """
        identity = f"slack:{user}"
        if self._profiles.get(user, 0.0) > time.monotonic():
            return identity
        email = tz = None
        ok = False
        try:
            info = (await self.client.users_info(user=user))["user"]
            profile = info.get("profile") or {}
            email, tz = profile.get("email"), info.get("tz")
            name = info.get("real_name") or profile.get("real_name")
            if name:
                self._names[user] = name
            ok = True
        except Exception as exc:
            log.warning("users.info failed for %s: %s", user, exc)
        await self.core.run(link_person, identity, email, tz)
        self._profiles[user] = time.monotonic() + (PROFILE_TTL if ok else PROFILE_RETRY)
        return identity

    async def _readable(self, text: str) -> str:
        """Slack markup to the words the person saw; other people's mentions become their names."""
        bot_user = await self._bot_user()
        names: dict[str, str] = {}
        for user in set(mentioned_users(text)) - {bot_user}:
            name = await self.core.run(name_of, f"slack:{user}") or self._names.get(user)
            if name:
                names[user] = name
        return to_plain(text, bot_user=bot_user, name_of=names.get)

    def _remember_bot(self, context: AsyncBoltContext) -> None:
        # Bolt has asked auth.test already (to ignore the bot's own events): reuse its answer.
        if context.bot_user_id:
            self._bot_user_id = context.bot_user_id

    async def _bot_user(self) -> str | None:
        if getattr(self, "_bot_user_id", None) is None:
            try:
                self._bot_user_id = (await self.client.auth_test()).get("user_id")
            except Exception:
                log.warning("auth.test failed: the bot's own mention may be read as text", exc_info=True)
                return None
        return self._bot_user_id


def _where(conversation: str, where: Destination) -> Where:
    return Where(conversation, where.thread)






SLACK = web.AppKey("slack", SlackAdapter)


def mount_adapter(web_app: web.Application, app: App, settings: SlackSettings) -> SlackAdapter:
    adapter = SlackAdapter(app, settings)
    web_app[SLACK] = adapter
    if settings.signing_secret:
        web_app.router.add_post(PATH, adapter.handle)
    web_app.cleanup_ctx.append(adapter.lifecycle)
    if settings.app_token:
        web_app.cleanup_ctx.append(adapter.socket_mode)
    return adapter

