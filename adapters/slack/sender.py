"""Reminders to Slack: open the person's DM with the bot (``conversations.open``) and post the reminder.

The dispatcher calls ``deliver`` from its own thread (``assessbot serve``) or the main thread
(``assessbot reminders run``), synchronously, so this uses slack_sdk's synchronous client. A 429 is
retried after ``Retry-After`` by slack_sdk's handler; what still fails is reported as ``retry`` (the
dispatcher backs off) or, when the person has left the workspace, ``permanent`` with the identity,
which the dispatcher then marks inactive.

A reminder's files (``Reply.attachments``) are uploaded to the same DM after its text with
``files_upload_v2``. Once the text is there the reminder counts as sent: a file that fails is logged and
the person told it couldn't be attached, rather than the whole reminder being sent again later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from adapters.slack.render import Where, file_failed_messages, messages_for, upload_args
from adapters.slack.settings import SlackSettings
from bot.db import Database
from bot.reminders.dispatch import Delivery
from bot.types import Attachment, Reply

log = logging.getLogger(__name__)

# The person can no longer be reached through this identity (ISSUE #6: account_inactive and
# channel_not_found mark it inactive; the others say the same thing about the user).
GONE = frozenset({"account_inactive", "channel_not_found", "user_not_found", "user_disabled", "cannot_dm_bot",
                  "is_archived"})
MAX_RATE_LIMIT_RETRIES = 2


def web_client(settings: SlackSettings) -> WebClient:
    return WebClient(token=settings.bot_token, base_url=settings.api_url, timeout=10, retry_handlers=[
        ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=MAX_RATE_LIMIT_RETRIES)])


class SlackSender:
    """``bot.reminders.dispatch.Sender`` for people with an active ``slack:`` identity."""

    def __init__(self, client: WebClient, db_for_thread: Callable[[], Database]):
        self.client = client
        self.db_for_thread = db_for_thread
        self._channels: dict[str, str] = {}     # Slack user → DM channel: conversations.open once per user

    def identity_of(self, person_id: str) -> str | None:
        rows = list(self.db_for_thread().query(
            "SELECT id FROM identities WHERE person_id = ? AND platform = 'slack' AND active = 1 "
            "ORDER BY created_at DESC LIMIT 1", [person_id]))
        return rows[0]["id"] if rows else None

    def deliver(self, person_id: str, reply: Reply, key: str) -> Delivery:
        identity = self.identity_of(person_id)
        if identity is None:
            return Delivery("permanent", "no active Slack identity")
        user = identity.split(":", 1)[1]
        try:
            channel = self._channels.get(user)
            if channel is None:
                opened = self.client.conversations_open(users=user)
                channel = str(opened["channel"]["id"])
                self._channels[user] = channel
            for message in messages_for(reply, Where(f"slack:{channel}")):
                self.client.chat_postMessage(channel=channel, **message)
        except SlackApiError as exc:
            error = str(exc.response.get("error") or exc.response.status_code)
            if error in GONE:
                self._channels.pop(user, None)
                return Delivery("permanent", error, identity)
            log.warning("Slack refused reminder %s for %s: %s", key, identity, error)
            return Delivery("retry", error, identity)
        except (SlackClientError, OSError) as exc:       # network trouble: the dispatcher tries again later
            log.warning("Slack unreachable for reminder %s: %r", key, exc)
            return Delivery("retry", repr(exc), identity)
        if reply.attachments:
            self._send_files(channel, reply.attachments, key)
        return Delivery("sent", identity=identity)

    def _send_files(self, channel: str, files: list[Attachment], key: str) -> None:
        """Upload a delivered reminder's files to its DM; a failure is logged and the person told."""
        failed = []
        for attachment in files:
            try:
                self.client.files_upload_v2(channel=channel, **upload_args(attachment))
            except Exception as exc:          # Slack's refusal, the upload URL's HTTP error, the network
                log.warning("could not upload %s of reminder %s to Slack: %r", attachment.filename, key, exc)
                failed.append(attachment.filename)
        if not failed:
            return
        try:
            for message in file_failed_messages(failed):
                self.client.chat_postMessage(channel=channel, **message)
        except Exception:
            log.warning("could not tell %s that reminder %s's files failed", channel, key, exc_info=True)


def thread_databases(app: Any) -> Callable[[], Database]:
    """The app's store, from whichever thread asks: it hands each thread its own connection."""
    return lambda: app.db
