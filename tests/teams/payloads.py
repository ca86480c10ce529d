"""Teams activities as the Bot Framework posts them to ``/api/messages`` (shapes from real Teams traffic)."""

from __future__ import annotations

import itertools
from typing import Any

# Every activity Teams sends has its own id (a redelivery repeats it: tests pass one to say so).
_IDS = itertools.count(1)
BOT = {"id": "28:bot-app-id", "name": "AssessBot"}
TENANT = "tenant-1"
ALICE = {"id": "29:alice-teams-id", "name": "Alice Able", "aadObjectId": "aad-alice"}
MO = {"id": "29:mo-teams-id", "name": "Mo Manager", "aadObjectId": "aad-mo"}
BOB = {"id": "29:bob-teams-id", "name": "Bob Baker", "aadObjectId": "aad-bob"}


def message(service_url: str, text: str | None, *, user: dict[str, Any] = ALICE, conversation: str = "a:personal-1",
            conversation_type: str = "personal", activity_id: str | None = None, value: Any = None,
            entities: list[dict[str, Any]] | None = None, team: str | None = None,
            timezone: str | None = "Europe/London", attachments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    channel_data: dict[str, Any] = {"tenant": {"id": TENANT}}
    if team:
        channel_data["team"] = {"id": team}
        channel_data["channel"] = {"id": conversation.split(";")[0]}
    all_entities = list(entities or [])
    if timezone:
        all_entities.append({"type": "clientInfo", "locale": "en-GB", "country": "GB", "platform": "Web",
                             "timezone": timezone})
    activity: dict[str, Any] = {
        "type": "message", "id": activity_id or f"act-{next(_IDS)}", "channelId": "msteams", "serviceUrl": service_url,
        "timestamp": "2026-11-23T09:00:00.000Z", "from": user, "recipient": BOT,
        "conversation": {"id": conversation, "conversationType": conversation_type, "tenantId": TENANT},
        "channelData": channel_data, "entities": all_entities}
    if text is not None:
        activity["text"] = text
    if value is not None:
        activity["value"] = value
    if attachments is not None:
        activity["attachments"] = attachments
    return activity


def download_info(download_url: str, name: str, file_type: str | None = None) -> dict[str, Any]:
    """A file sent in personal chat, as Teams attaches it (the ``downloadUrl`` is pre-authorised)."""
    return {"contentType": "application/vnd.microsoft.teams.file.download.info", "name": name,
            "contentUrl": f"https://contoso.sharepoint.com/personal/alice/Documents/Microsoft Teams Chat Files/{name}",
            "content": {"downloadUrl": download_url, "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C9D",
                        "fileType": file_type or name.rsplit(".", 1)[-1], "etag": "1"}}


def html_copy(text: str) -> dict[str, Any]:
    """The ``text/html`` copy of the message Teams attaches to ordinary messages."""
    return {"contentType": "text/html", "content": f"<p>{text}</p>"}


def channel_mention(service_url: str, question: str, *, user: dict[str, Any] = ALICE,
                    activity_id: str = "1700000000001") -> dict[str, Any]:
    """A new post in a team channel that @mentions the bot (the only channel messages Teams delivers)."""
    mention = {"type": "mention", "text": "<at>AssessBot</at>", "mentioned": BOT}
    return message(service_url, f"<at>AssessBot</at> {question}", user=user,
                   conversation=f"19:general@thread.tacv2;messageid={activity_id}", conversation_type="channel",
                   activity_id=activity_id, entities=[mention], team="19:general@thread.tacv2")


def conversation_update(service_url: str, *, added: list[dict[str, Any]] | None = None,
                        removed: list[dict[str, Any]] | None = None, user: dict[str, Any] = ALICE,
                        conversation: str = "a:personal-1", conversation_type: str = "personal",
                        team: str | None = None) -> dict[str, Any]:
    activity = message(service_url, None, user=user, conversation=conversation, conversation_type=conversation_type,
                       activity_id="upd-1", team=team, timezone=None)
    activity["type"] = "conversationUpdate"
    if added:
        activity["membersAdded"] = added
    if removed:
        activity["membersRemoved"] = removed
    return activity


def file_consent(service_url: str, action: str, context: Any, *, upload_info: dict[str, Any] | None = None,
                 user: dict[str, Any] = ALICE, conversation: str = "a:personal-1", reply_to: str | None = None,
                 activity_id: str | None = None) -> dict[str, Any]:
    """What Teams posts when someone presses Allow or Decline on a file-consent card."""
    activity = message(service_url, None, user=user, conversation=conversation, activity_id=activity_id,
                       timezone=None)
    value: dict[str, Any] = {"type": "fileUpload", "action": action, "context": context}
    if upload_info is not None:
        value["uploadInfo"] = upload_info
    activity.update({"type": "invoke", "name": "fileConsent/invoke", "value": value})
    if reply_to:
        activity["replyToId"] = reply_to
    return activity
