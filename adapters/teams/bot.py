"""The Teams activity handler: activities in, ``Message`` to the dialogue core, ``Reply`` out as cards.

Everything a person may see or do is decided by the core (``Dialogue.handle``); this class only
translates. It knows the three kinds of Teams conversation: personal chat, group chat and channels
(in the last two Teams only delivers messages that @mention the bot; the mention is stripped and the
answer goes into the same thread). On every message it refreshes the stored conversation reference,
which proactive reminders need, and picks up the person's time zone from the client.

Files (issue #8, ``adapters.teams.files``): images go inline beside the card everywhere; other files are
offered in personal chat with a file-consent card, and ``fileConsent/invoke`` uploads them on Allow. Asked
for in a group chat or channel, the whole reply goes to the asker's personal chat and the shared
conversation only hears that it did — a spreadsheet of learners is not for everyone in the channel.

Documents sent *to* the bot (issue #21, ``adapters.teams.incoming``): a file in personal chat, or a
document attachment on the connector, is fetched (size-capped) onto ``Message.files`` for that one reply.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from botbuilder.core import ActivityHandler, BotAdapter, CardFactory, InvokeResponse, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount
from botbuilder.schema import Attachment as CardAttachment
from botframework.connector.auth import AppCredentials

from adapters.teams.cards import render_card, submitted_text, summary, welcome_reply
from adapters.teams.files import (
    PendingFile,
    PendingFiles,
    UploadError,
    consent_card,
    declined_reply,
    expired_reply,
    file_info_card,
    image_attachment,
    inline_images,
    not_reachable_note,
    offered_files,
    sent_privately_note,
    token_of,
    upload,
    upload_failed_reply,
)
from adapters.teams.incoming import fetch_files, sent_files
from adapters.teams.personal import send_to_personal_chat
from adapters.teams.references import PERSONAL, deactivate_conversation, save_reference
from adapters.teams.retry import IN_TURN, Backoff, Sleep, with_retries
from bot.db import Database
from bot.dialogue import Dialogue
from bot.records.people import Person, person_for_identity
from bot.reminders.hours import load_prefs, save_prefs
from bot.types import Attachment, IncomingFile, Message, Reply

log = logging.getLogger(__name__)

PLATFORM = "teams"
ACTIVITY_MEMORY = timedelta(days=2)     # Teams redelivers within minutes; two days is ample
PRUNE_EVERY = 500
FILE_CONSENT_INVOKE = "fileConsent/invoke"
_AT = re.compile(r"<at>(.*?)</at>", re.IGNORECASE | re.DOTALL)

FileToken = Callable[[TurnContext], Awaitable[str | None]]


def identity_of(account: ChannelAccount) -> str:
    """``teams:<AAD object id>``: stable across tenants' chats and channels; the Teams user id otherwise."""
    return f"{PLATFORM}:{account.aad_object_id or account.id}"


def channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, dict) else {}


def tenant_of(activity: Activity) -> str | None:
    """The tenant from ``channelData.tenant.id`` (botbuilder's schema drops ``conversation.tenantId``)."""
    return (channel_data(activity).get("tenant") or {}).get("id")


def team_of(activity: Activity) -> str | None:
    return (channel_data(activity).get("team") or {}).get("id")


def conversation_type(activity: Activity) -> str:
    return (activity.conversation.conversation_type if activity.conversation else None) or PERSONAL


def message_text(activity: Activity) -> str:
    """What the person said: typed text without the bot's @mention, or the text a card button sent."""
    text = activity.text or ""
    if not text.strip():
        return submitted_text(activity.value) or ""
    for entity in activity.entities or []:
        if (entity.type or "").lower() != "mention":
            continue
        props = getattr(entity, "additional_properties", None) or {}
        mentioned = props.get("mentioned") or {}
        if activity.recipient is not None and mentioned.get("id") == activity.recipient.id:
            # Literal replacement: botbuilder's remove_recipient_mention treats the bot's name as a regex.
            text = text.replace(props.get("text") or f"<at>{mentioned.get('name', '')}</at>", " ")
    # Other people's mentions keep their names ("remind <at>Alice Able</at> …" → "remind Alice Able …"),
    # which is how the core finds people named in a message.
    return html.unescape(_AT.sub(lambda m: m.group(1), text)).strip()


def client_timezone(activity: Activity) -> str | None:
    """The IANA time zone Teams reports in the ``clientInfo`` entity, if it is a real one."""
    for entity in activity.entities or []:
        if (entity.type or "") == "clientInfo":
            zone = (getattr(entity, "additional_properties", None) or {}).get("timezone")
            if isinstance(zone, str) and zone:
                try:
                    ZoneInfo(zone)
                except (ZoneInfoNotFoundError, ValueError):
                    return None
                return zone
    return None


def conversation_key(activity: Activity, identity: str) -> str:
    """The core's conversation (its context: "which unit?" and follow-ups).

    In a group chat or channel thread several people talk at once: each keeps their own context, so
    Bob's "2" never answers the question the bot asked Alice.
    """
    conversation = f"{PLATFORM}:{activity.conversation.id}"
    return conversation if conversation_type(activity) == PERSONAL else f"{conversation}|{identity}"


async def connector_token(turn_context: TurnContext) -> str | None:
    """The bot's Bot Framework token, as the connector client of this turn sends replies with it; None in
    development mode (no app id) or when it can't be had. MSAL is synchronous: asked in a thread."""
    client = turn_context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
    credentials = getattr(getattr(client, "config", None), "credentials", None)
    if not isinstance(credentials, AppCredentials) or not credentials.microsoft_app_id:
        return None
    try:
        return await asyncio.to_thread(credentials.get_access_token)
    except Exception as error:
        log.warning("no connector token to fetch a file with: %s", error)
        return None


def _attachment(card: dict[str, Any]) -> CardAttachment:
    return CardAttachment(content_type=card["contentType"], content_url=card.get("contentUrl"),
                          name=card.get("name"), content=card.get("content"))


def reply_activity(reply: Reply) -> Activity:
    """A reply as a message activity: its Adaptive Card, its images inline, and a preview line for notifications.

    Other files are not in it: they need a consent card (``consent_activity``), in personal chat only.
    """
    activity = MessageFactory.attachment(CardFactory.adaptive_card(render_card(reply)))
    activity.attachments.extend(_attachment(image_attachment(a)) for a in inline_images(reply))
    activity.summary = summary(reply)
    return activity


def consent_activity(pending: PendingFile, files: PendingFiles) -> Activity:
    """The message asking the person to let the bot save one file in their OneDrive."""
    activity = MessageFactory.attachment(_attachment(consent_card(pending, files.lifetime)))
    activity.summary = f"A file for you: {pending.attachment.filename}"
    return activity


class TeamsBot(ActivityHandler):
    """AssessBot on Teams: one instance serves every conversation (state lives in the store)."""

    def __init__(self, dialogue: Dialogue, db: Database, default_timezone: str, *,
                 backoff: Backoff = IN_TURN, sleep: Sleep | None = None,
                 clock: Callable[[], datetime] | None = None, app_id: str = "", files: PendingFiles | None = None,
                 file_token: FileToken = connector_token):
        self.dialogue = dialogue
        self.db = db
        self.default_timezone = default_timezone
        self.app_id = app_id                  # for opening a personal chat (CloudAdapter needs it to get a token)
        self.files = files or PendingFiles()
        self.file_token = file_token          # for documents on the connector (Teams' own are pre-authorised)
        self.backoff = backoff
        self.sleep: Sleep = sleep or asyncio.sleep
        # The core's clock, read at each turn: tests and --now move both together.
        self.clock = clock or (lambda: self.dialogue.clock())
        self._claims = 0

    async def on_turn(self, turn_context: TurnContext) -> None:
        # Authenticated by now (CloudAdapter): an activity Teams delivers again is answered once.
        if not self._first_delivery(turn_context.activity):
            log.info("activity %s delivered again: already answered", turn_context.activity.id)
            return
        await super().on_turn(turn_context)

    def _first_delivery(self, activity: Activity) -> bool:
        """Claim the activity's id in the store (a unique key, so another process sees it too)."""
        if not activity.id or activity.type not in (ActivityTypes.message, ActivityTypes.invoke):
            return True
        conversation = activity.conversation.id if activity.conversation else ""
        key = f"{activity.channel_id}:{conversation}:{activity.id}"
        now = datetime.now(UTC)          # bookkeeping in real time, whatever the conversation's clock
        claimed = self.db.execute("INSERT INTO teams_activities (activity_id, received_at) VALUES (?, ?) "
                                  "ON CONFLICT DO NOTHING", [key, now.isoformat()]).rowcount == 1
        self._claims += 1
        if self._claims % PRUNE_EVERY == 0:
            self.db.execute("DELETE FROM teams_activities WHERE received_at < ?", [(now - ACTIVITY_MEMORY).isoformat()])
        return claimed

    # -- messages --------------------------------------------------------------------------------
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.from_property is None:
            return
        now = self.clock()
        identity = identity_of(activity.from_property)
        person = await self._person(turn_context, identity, now)
        self._remember(activity, identity, now)
        self._timezone(activity, person)
        # In a group chat or channel others read the answer: the core keeps records out of it.
        message = Message(identity, conversation_key(activity, identity), message_text(activity), PLATFORM,
                          shared=conversation_type(activity) != PERSONAL, files=await self._incoming(turn_context))
        await self._send(turn_context, self.dialogue.handle(message, now=now))

    async def _incoming(self, turn_context: TurnContext) -> tuple[IncomingFile, ...]:
        """The documents sent with the message (``adapters.teams.incoming``), fetched for this one reply."""
        activity = turn_context.activity
        attachments = [a.serialize() if hasattr(a, "serialize") else a for a in activity.attachments or []]
        files = sent_files([a for a in attachments if isinstance(a, dict)], activity.service_url)
        if not files:
            return ()
        token = None
        if any(f.with_token for f in files):
            try:
                token = await self.file_token(turn_context)
            except Exception as error:       # fetched without one: the person hears if that fails
                log.warning("no connector token to fetch a file with: %s", type(error).__name__)
        return await fetch_files(files, token)

    # -- file consent ----------------------------------------------------------------------------
    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        if turn_context.activity.name == FILE_CONSENT_INVOKE:
            await self._file_consent(turn_context)
            return InvokeResponse(status=200)       # whatever happened, the person has been told in the chat
        return await super().on_invoke_activity(turn_context)

    async def _file_consent(self, turn_context: TurnContext) -> None:
        """Allow: upload the file and show where it is. Decline: say so. An unknown offer: say so kindly."""
        activity = turn_context.activity
        value = activity.value if isinstance(activity.value, dict) else {}
        identity = identity_of(activity.from_property) if activity.from_property else ""
        pending = self.files.take(token_of(value), identity, self.clock())
        if activity.reply_to_id:
            await self._remove_card(turn_context, activity.reply_to_id)      # one answer per card
        accepted = value.get("action") == "accept"
        if pending is None:
            # Declining an offer that is gone needs no apology: nothing was going to be sent anyway.
            await self._send(turn_context, [expired_reply() if accepted else declined_reply(None)])
            return
        filename = pending.attachment.filename
        if not accepted:
            await self._send(turn_context, [declined_reply(filename)])
            return
        upload_info = value.get("uploadInfo") if isinstance(value.get("uploadInfo"), dict) else {}
        try:
            await upload(str(upload_info.get("uploadUrl") or ""), pending.attachment.data)
        except UploadError as error:
            log.warning("upload of %s for %s failed: %s", filename, identity, error)
            await self._send(turn_context, [upload_failed_reply(filename)])
            return
        info = MessageFactory.attachment(_attachment(file_info_card(upload_info, filename)))
        info.summary = f"Saved to your OneDrive: {upload_info.get('name') or filename}"
        await self._send_one(turn_context, info)

    @staticmethod
    async def _remove_card(turn_context: TurnContext, activity_id: str) -> None:
        try:
            await turn_context.delete_activity(activity_id)
        except Exception as error:           # a card left in place is harmless: its offer is used up
            log.info("could not remove the file consent card %s: %s", activity_id, error)

    # -- installs and removals ------------------------------------------------------------------
    async def on_members_added_activity(self, members_added: list[ChannelAccount],
                                        turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if not any(m.id == activity.recipient.id for m in members_added):
            return          # someone joined a team the bot is in: not a reason to post in the channel
        installer = activity.from_property
        if installer is not None and installer.id != activity.recipient.id:
            now = self.clock()
            identity = identity_of(installer)
            await self._person(turn_context, identity, now)
            self._remember(activity, identity, now)
        await self._send(turn_context, [welcome_reply()])

    async def on_members_removed_activity(self, members_removed: list[ChannelAccount],
                                          turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if any(m.id == activity.recipient.id for m in members_removed):
            self._removed(activity)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        self._removed(turn_context.activity)

    def _removed(self, activity: Activity) -> None:
        count = deactivate_conversation(self.db, activity.conversation.id.split(";messageid=")[0], "bot removed",
                                        team_of(activity))
        log.info("AssessBot removed from Teams conversation %s: %d reference(s) marked inactive",
                 activity.conversation.id, count)

    # -- helpers ---------------------------------------------------------------------------------
    async def _person(self, turn_context: TurnContext, identity: str, now: datetime) -> Person:
        """The person behind the identity; on first contact, linked to the roster by the e-mail Teams reports."""
        known = list(self.db.query("SELECT 1 FROM identities WHERE id = ?", [identity]))
        email = None if known else await self._email(turn_context)
        return person_for_identity(self.db, identity, now, email=email)

    @staticmethod
    async def _email(turn_context: TurnContext) -> str | None:
        """The sender's e-mail from the Teams roster API (activities do not carry it), or None."""
        try:
            member = await TeamsInfo.get_member(turn_context, turn_context.activity.from_property.id)
        except Exception as error:     # the Emulator, a guest, a throttled call: carry on unlinked
            log.info("no e-mail from Teams for %s: %s", turn_context.activity.from_property.id, error)
            return None
        email = member.email or ""
        if not email and "@" in (member.user_principal_name or ""):
            email = member.user_principal_name      # schools usually sign in with their e-mail address
        return email or None

    def _remember(self, activity: Activity, identity: str, now: datetime) -> None:
        reference = TurnContext.get_conversation_reference(activity).serialize()
        if not reference.get("serviceUrl") or not (reference.get("conversation") or {}).get("id"):
            return          # nothing a proactive message could use (not a real channel's activity)
        save_reference(self.db, identity, reference, now, conversation_type=conversation_type(activity),
                       team_id=team_of(activity), tenant_id=tenant_of(activity))

    def _timezone(self, activity: Activity, person: Person) -> None:
        zone = client_timezone(activity)
        if zone is None:
            return
        prefs = load_prefs(self.db, person.id, self.default_timezone)
        if prefs.timezone != zone:        # write only on a change: this runs on every message
            prefs.timezone = zone
            save_prefs(self.db, person.id, prefs)

    async def _send(self, turn_context: TurnContext, replies: list[Reply]) -> None:
        activity = turn_context.activity
        for reply in replies:
            files = offered_files(reply)
            if not files:
                await self._send_one(turn_context, reply_activity(reply))
            elif conversation_type(activity) == PERSONAL:
                for outgoing in self._with_offers(reply, files, identity_of(activity.from_property))[0]:
                    await self._send_one(turn_context, outgoing)
            else:
                await self._send_privately(turn_context, reply, files)

    async def _send_one(self, turn_context: TurnContext, activity: Activity) -> None:
        def send() -> Awaitable[Any]:
            return turn_context.send_activity(activity)

        # One activity at a time, so a retry never repeats a reply that already arrived.
        await with_retries(send, self.backoff, sleep=self.sleep)

    def _with_offers(self, reply: Reply, files: list[Attachment],
                     identity: str) -> tuple[list[Activity], list[PendingFile]]:
        """The reply's card, then a consent card for each file (each file now waits for its answer)."""
        now = self.clock()
        offers = [self.files.offer(identity, attachment, now) for attachment in files]
        return [reply_activity(reply)] + [consent_activity(p, self.files) for p in offers], offers

    async def _send_privately(self, turn_context: TurnContext, reply: Reply, files: list[Attachment]) -> None:
        """A reply with files, asked for in a shared conversation: all of it to the asker's personal chat."""
        activity = turn_context.activity
        identity = identity_of(activity.from_property)
        outgoing, offers = self._with_offers(reply, files, identity)
        delivered = await send_to_personal_chat(turn_context, self.db, identity, tenant_of(activity), outgoing,
                                                self.clock(), app_id=self.app_id, backoff=self.backoff,
                                                sleep=self.sleep)
        if not delivered:
            for pending in offers:
                self.files.discard(pending.token)
        note = sent_privately_note if delivered else not_reachable_note
        await self._send_one(turn_context, reply_activity(note(reply.intent, len(files))))
