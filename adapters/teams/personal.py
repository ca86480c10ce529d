"""Sending to a person's personal chat with the bot from inside another conversation's turn.

A file asked for in a channel or group chat goes to the asker privately. Where: their stored personal
chat (``teams_references``), trying each that is active; when there is none, or each is gone (403 / 404,
marked inactive), a new one opened with ``create_conversation`` from what the current activity says
(the person, the bot, the tenant, the serviceUrl) — the same way the reminder sender opens one.

The callbacks never let an error escape: the endpoint's adapter has an ``on_turn_error`` that would
otherwise swallow it (and post an apology into the personal chat); the caller decides what to say.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationParameters, ConversationReference

from adapters.teams.references import PERSONAL, deactivate_reference, personal_references, save_reference
from adapters.teams.retry import GONE, Backoff, Sleep, status_of, with_retries
from bot.db import Database

log = logging.getLogger(__name__)


@dataclass
class _Outcome:
    sent: int = 0
    error: BaseException | None = None


def _sending(activities: list[Activity], outcome: _Outcome, backoff: Backoff,
             sleep: Sleep) -> Callable[[TurnContext], Awaitable[None]]:
    async def logic(turn_context: TurnContext) -> None:
        try:
            for activity in activities:
                # One activity at a time, so a retry never repeats one that already arrived.
                await with_retries(lambda a=activity: turn_context.send_activity(a), backoff, sleep=sleep)
                outcome.sent += 1
        except Exception as error:
            outcome.error = error

    return logic


async def send_to_personal_chat(turn_context: TurnContext, db: Database, identity: str, tenant_id: str | None,
                                activities: list[Activity], now: datetime, *, app_id: str, backoff: Backoff,
                                sleep: Sleep) -> bool:
    """Send ``activities`` to the person behind this turn in their 1:1 chat with the bot; True when all arrived."""
    adapter = turn_context.adapter
    for ref in personal_references(db, identity):
        outcome = _Outcome()
        reference = ConversationReference().deserialize(ref.reference)
        try:
            # Positional app id: CloudAdapter calls it bot_app_id, TestAdapter bot_id.
            await adapter.continue_conversation(reference, _sending(activities, outcome, backoff, sleep), app_id)
        except Exception as error:
            outcome.error = error
        if outcome.error is None:
            return True
        status = status_of(outcome.error)
        if status in GONE and outcome.sent == 0:
            log.warning("Teams personal chat %s of %s is gone (%s); marked inactive", ref.conversation_id, identity,
                        status)
            deactivate_reference(db, identity, ref.conversation_id, f"Teams answered {status}")
            continue
        log.warning("could not send to the personal chat of %s: %s", identity, outcome.error)
        return False
    return await _open_personal_chat(turn_context, db, identity, tenant_id, activities, now, app_id=app_id,
                                     backoff=backoff, sleep=sleep)


async def _open_personal_chat(turn_context: TurnContext, db: Database, identity: str, tenant_id: str | None,
                              activities: list[Activity], now: datetime, *, app_id: str, backoff: Backoff,
                              sleep: Sleep) -> bool:
    activity = turn_context.activity
    if activity.from_property is None or activity.recipient is None or not activity.service_url:
        return False
    user, bot = {"id": activity.from_property.id}, {"id": activity.recipient.id}
    if activity.from_property.aad_object_id:
        user["aadObjectId"] = activity.from_property.aad_object_id
    parameters = ConversationParameters(
        is_group=False, bot=ChannelAccount(id=bot["id"]), members=[ChannelAccount(id=user["id"])],
        tenant_id=tenant_id, channel_data={"tenant": {"id": tenant_id}} if tenant_id else None)
    outcome = _Outcome()
    opened: dict[str, Any] = {}
    send = _sending(activities, outcome, backoff, sleep)

    async def logic(new_context: TurnContext) -> None:
        opened["id"] = new_context.activity.conversation.id
        await send(new_context)

    channel_id = activity.channel_id or "msteams"
    try:
        await turn_context.adapter.create_conversation(app_id, logic, parameters, channel_id, activity.service_url)
    except Exception as error:
        outcome.error = error
    if "id" in opened:
        # Remember the chat even if a send failed: it exists now, and reminders can use it too.
        save_reference(db, identity, {"conversation": {"id": opened["id"], "conversationType": PERSONAL},
                                      "user": user, "bot": bot, "channelId": channel_id,
                                      "serviceUrl": activity.service_url},
                       now, conversation_type=PERSONAL, team_id=None, tenant_id=tenant_id)
    if outcome.error is not None:
        log.warning("could not open a personal chat with %s: %s", identity, outcome.error)
        return False
    return True

