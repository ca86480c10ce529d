"""Files in Teams replies (issue #8): inline images, file-consent offers and the upload that follows.

Teams lets a bot send two kinds of file:

* images — inline, as an activity attachment whose ``contentUrl`` is a ``data:`` URL. This works in
  personal chats, group chats and channels, and base64 images do not count towards the message size limit;
* anything else — only in a personal chat, and only with the person's consent: the bot posts a
  FileConsentCard; when the person presses Allow, Teams sends a ``fileConsent/invoke`` with an upload URL
  in their OneDrive; the bot PUTs the bytes there and posts a FileInfoCard pointing at the stored file.

Between the offer and the answer the file waits here, in memory, under an unguessable token that the
card's accept and decline contexts carry. Offers expire (an hour by default) and are used once; a
restart forgets them, and the person is told kindly to ask again. Keeping them out of the database is
deliberate: a spreadsheet of learners' progress should not outlive the conversation that asked for it.

No botbuilder here: plain dicts, cheap to import and to test. aiohttp is imported only to upload.
"""

from __future__ import annotations

import base64
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from adapters.downloads import https_or_loopback
from bot.types import Attachment, Reply

log = logging.getLogger(__name__)

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
INLINE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif"})
# Bigger images go through a consent card like any other file: a chat message is no place for them.
MAX_INLINE_IMAGE = 1024 * 1024

OFFER_LIFETIME = timedelta(hours=1)
MAX_PENDING_BYTES = 64 * 1024 * 1024       # the oldest offers give way first if many large files wait at once
# OneDrive upload sessions take fragments of at most 60 MiB, in multiples of 320 KiB.
UPLOAD_CHUNK = 320 * 1024 * 12
# The upload runs inside the invoke, which Teams abandons after about 15 seconds.
UPLOAD_TIMEOUT = 10.0


# -- which attachments go where ----------------------------------------------------------------------
def is_inline_image(attachment: Attachment) -> bool:
    return attachment.media_type in INLINE_IMAGE_TYPES and len(attachment.data) <= MAX_INLINE_IMAGE


def inline_images(reply: Reply) -> list[Attachment]:
    return [a for a in reply.attachments if is_inline_image(a)]


def offered_files(reply: Reply) -> list[Attachment]:
    """The attachments that need a file-consent card (everything but small images)."""
    return [a for a in reply.attachments if not is_inline_image(a)]


def data_url(attachment: Attachment) -> str:
    return f"data:{attachment.media_type};base64,{base64.b64encode(attachment.data).decode('ascii')}"


def image_attachment(attachment: Attachment) -> dict[str, Any]:
    """An inline image as Teams renders it beside the message (the Bot Framework attachment, as JSON)."""
    return {"contentType": attachment.media_type, "contentUrl": data_url(attachment), "name": attachment.filename}


# -- pending offers ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PendingFile:
    """A file offered to one Teams identity, waiting for Allow or Decline on its consent card."""

    token: str
    identity: str
    attachment: Attachment
    expires_at: datetime


class PendingFiles:
    """Offers by token, in memory, each taken at most once and only by the identity it was made to."""

    def __init__(self, lifetime: timedelta = OFFER_LIFETIME, max_bytes: int = MAX_PENDING_BYTES,
                 new_token: Callable[[], str] = lambda: secrets.token_urlsafe(18)):
        self.lifetime = lifetime
        self.max_bytes = max_bytes
        self._new_token = new_token
        self._offers: dict[str, PendingFile] = {}          # insertion order is age order

    def __len__(self) -> int:
        return len(self._offers)

    def offer(self, identity: str, attachment: Attachment, now: datetime) -> PendingFile:
        self._prune(now)
        pending = PendingFile(self._new_token(), identity, attachment, now + self.lifetime)
        self._offers[pending.token] = pending
        self._fit()
        return pending

    def take(self, token: object, identity: str, now: datetime) -> PendingFile | None:
        """The offer, removed; None when unknown, expired, or made to someone else (theirs is left alone)."""
        self._prune(now)
        pending = self._offers.get(token) if isinstance(token, str) else None
        if pending is None or pending.identity != identity:
            return None
        del self._offers[token]                            # type: ignore[arg-type]
        return pending

    def discard(self, token: str) -> None:
        self._offers.pop(token, None)

    def _prune(self, now: datetime) -> None:
        for token in [t for t, p in self._offers.items() if p.expires_at <= now]:
            del self._offers[token]

    def _fit(self) -> None:
        while len(self._offers) > 1 and sum(len(p.attachment.data) for p in self._offers.values()) > self.max_bytes:
            oldest = self._offers.pop(next(iter(self._offers)))
            log.info("file offer %s dropped early: too many large files waiting", oldest.attachment.filename)


# -- cards -------------------------------------------------------------------------------------------
def _lifetime_words(lifetime: timedelta) -> str:
    minutes = round(lifetime.total_seconds() / 60)
    if minutes == 60:
        return "an hour"
    if minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"


def consent_card(pending: PendingFile, lifetime: timedelta = OFFER_LIFETIME) -> dict[str, Any]:
    """The FileConsentCard attachment (as JSON) asking to save the file in the person's OneDrive."""
    attachment = pending.attachment
    context = {"token": pending.token}
    description = (f"{attachment.title or attachment.filename}. Allow within {_lifetime_words(lifetime)} and I'll "
                   "save it to your OneDrive; decline and nothing is sent.")
    return {"contentType": FILE_CONSENT, "name": attachment.filename,
            "content": {"description": description, "sizeInBytes": len(attachment.data),
                        "acceptContext": context, "declineContext": context}}


def file_info_card(upload_info: dict[str, Any], filename: str) -> dict[str, Any]:
    """The FileInfoCard attachment (as JSON) for a file now in the person's OneDrive."""
    name = upload_info.get("name") or filename
    file_type = upload_info.get("fileType") or name.rsplit(".", 1)[-1].lower()
    return {"contentType": FILE_INFO, "contentUrl": upload_info.get("contentUrl"), "name": name,
            "content": {"uniqueId": upload_info.get("uniqueId"), "fileType": file_type}}


def token_of(value: Any) -> object:
    """The token from a ``fileConsent/invoke`` value's context (whatever the client sent back)."""
    context = value.get("context") if isinstance(value, dict) else None
    return context.get("token") if isinstance(context, dict) else None


# -- what the person is told -------------------------------------------------------------------------
def _the_files(count: int) -> str:
    return "the file" if count == 1 else "the files"


def sent_privately_note(intent: str, count: int) -> Reply:
    return Reply("done", intent, paragraphs=[
        f"I've sent {_the_files(count)} to you in our personal chat. Files like this hold personal data, so I "
        "don't post them where everyone can see."])


def not_reachable_note(intent: str, count: int) -> Reply:
    return Reply("decline", intent, paragraphs=[
        f"I couldn't reach you in a personal chat to send {_the_files(count)}, and I won't post it here because "
        "it holds personal data. Start a chat with me (search for AssessBot in Teams) and ask again there."])


def declined_reply(filename: str | None) -> Reply:
    what = filename or "the file"
    return Reply("done", "file_declined", paragraphs=[
        f"No problem — I haven't sent {what}, and nothing was saved to your OneDrive. Ask me again whenever "
        "you'd like it."])


def expired_reply() -> Reply:
    return Reply("decline", "file_expired", paragraphs=[
        "Sorry — that file offer has expired or has already been used, so nothing was sent. Ask me for it again "
        "and I'll offer you a fresh copy."])


def upload_failed_reply(filename: str) -> Reply:
    return Reply("error", "file_upload_failed", paragraphs=[
        f"Sorry — I couldn't save {filename} to your OneDrive just now, so nothing was sent. Please ask me for it "
        "again in a moment."])


# -- the upload --------------------------------------------------------------------------------------
class UploadError(Exception):
    """The bytes did not reach the upload URL Teams gave (the message says why, for the log)."""




async def upload(url: str, data: bytes, *, chunk_size: int = UPLOAD_CHUNK, timeout: float = UPLOAD_TIMEOUT) -> None:
    """PUT ``data`` to a OneDrive upload session in order, each fragment with its ``Content-Range``.

    No Authorization header: the upload URL is pre-authorised, and OneDrive refuses one that carries a token.
    """
    import aiohttp

    if not https_or_loopback(url):
        raise UploadError(f"refusing to upload to {urlsplit(url).scheme or 'no'}:// address")
    if not data:
        raise UploadError("nothing to upload")
    total = len(data)
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
            for start in range(0, total, chunk_size):
                fragment = data[start:start + chunk_size]
                headers = {"Content-Range": f"bytes {start}-{start + len(fragment) - 1}/{total}",
                           "Content-Type": "application/octet-stream"}
                async with session.put(url, data=fragment, headers=headers) as response:
                    if response.status not in (200, 201, 202):
                        raise UploadError(f"the upload URL answered {response.status} at byte {start} of {total}")
    except (aiohttp.ClientError, TimeoutError) as error:
        raise UploadError(f"{type(error).__name__}: {error}") from error
