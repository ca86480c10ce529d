"""Slack request bodies as Slack sends them, and their signatures (``X-Slack-Signature``, v0 HMAC-SHA256)."""

from __future__ import annotations

import itertools
import json
import time
import urllib.parse
from typing import Any

from slack_sdk.signature import SignatureVerifier

SECRET = "test-signing-secret"
_ids = itertools.count(1)


def signed(body: str, content_type: str = "application/json", secret: str = SECRET, ts: int | None = None,
           retry: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if ts is None else ts)
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)}
    if retry:
        headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
    return headers


def event(inner: dict[str, Any], event_id: str | None = None) -> str:
    return json.dumps({"token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                       "event_id": event_id or f"Ev{next(_ids):06d}", "event_time": int(time.time()),
                       "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}], "event": inner})


def dm(text: str, user: str = "U1", event_id: str | None = None, ts: str | None = None) -> str:
    ts = ts or f"1700000000.{next(_ids):06d}"
    return event({"type": "message", "channel_type": "im", "user": user, "text": text, "ts": ts,
                  "channel": f"D{user}", "event_ts": ts}, event_id)


def file_share(files: list[dict[str, Any]], text: str = "", user: str = "U1") -> str:
    """A DM in which the person shared files (``message`` with subtype ``file_share``), maybe with words."""
    ts = f"1700000000.{next(_ids):06d}"
    return event({"type": "message", "subtype": "file_share", "channel_type": "im", "user": user, "text": text,
                  "files": files, "upload": False, "ts": ts, "channel": f"D{user}", "event_ts": ts})


def mention(text: str, user: str = "U1", channel: str = "C1", thread_ts: str | None = None,
            event_id: str | None = None, files: list[dict[str, Any]] | None = None) -> str:
    ts = f"1700000000.{next(_ids):06d}"
    inner: dict[str, Any] = {"type": "app_mention", "user": user, "text": f"<@UBOT> {text}", "ts": ts,
                             "channel": channel, "event_ts": ts}
    if files:
        inner["files"] = files
    if thread_ts:
        inner["thread_ts"] = thread_ts
    return event(inner, event_id)


def home_opened(user: str = "U1") -> str:
    return event({"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home",
                  "event_ts": f"1700000000.{next(_ids):06d}"})


def command(base_url: str, text: str, user: str = "U1", channel: str = "C1") -> str:
    """Slash commands arrive form-encoded."""
    return urllib.parse.urlencode({
        "token": "legacy", "team_id": "T1", "team_domain": "centre", "channel_id": channel, "channel_name": "general",
        "user_id": user, "user_name": "someone", "command": "/assess", "text": text, "api_app_id": "A1",
        "trigger_id": "1.2.3", "response_url": f"{base_url}/respond/T1/{next(_ids)}/abc"})


def interaction(payload: dict[str, Any]) -> str:
    """Buttons and modal submissions arrive as a form field ``payload`` holding JSON."""
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def button(base_url: str, action: dict[str, Any], user: str = "U1", message: dict[str, Any] | None = None,
           channel: str | None = None, ephemeral: bool = False, view: bool = False) -> str:
    """A ``block_actions`` payload for one pressed button (on a message, or on the App Home)."""
    body: dict[str, Any] = {
        "type": "block_actions", "team": {"id": "T1"}, "user": {"id": user}, "api_app_id": "A1",
        "token": "legacy", "trigger_id": f"trig-{next(_ids)}", "actions": [{**action, "type": "button",
                                                                               "action_ts": "1700000200.1"}],
        "response_url": f"{base_url}/respond/T1/{next(_ids)}/btn"}
    if view:
        body["container"] = {"type": "view", "view_id": "V1"}
        body["view"] = {"id": "V1", "type": "home"}
    else:
        channel = channel or f"D{user}"
        body["container"] = {"type": "message", "message_ts": (message or {}).get("ts", "1"), "channel_id": channel,
                             "is_ephemeral": ephemeral}
        body["channel"] = {"id": channel}
        if message is not None:
            body["message"] = message
    return interaction(body)


def submission(callback_id: str, values: dict[str, dict[str, Any]], user: str = "U1",
               private_metadata: str = "") -> str:
    """A ``view_submission``: ``values`` maps block id → the input's state (``{"value": …}`` or a selection)."""
    return interaction({
        "type": "view_submission", "team": {"id": "T1"}, "user": {"id": user}, "api_app_id": "A1", "token": "legacy",
        "trigger_id": f"trig-{next(_ids)}",
        "view": {"id": "V2", "type": "modal", "callback_id": callback_id, "private_metadata": private_metadata,
                 "state": {"values": {block: {"value": state} for block, state in values.items()}}}})
