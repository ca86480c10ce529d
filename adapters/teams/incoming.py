"""Documents people send the bot in Teams (issue #21): attachments become ``IncomingFile`` bytes.

Which attachments are documents:

- ``application/vnd.microsoft.teams.file.download.info`` — a file sent in a personal chat (the manifest's
  ``supportsFiles``). ``content.downloadUrl`` is pre-authorised by Teams (a SharePoint ``tempauth`` link),
  so it is fetched with no token at all;
- an attachment with a ``contentUrl`` and a document's content type (``application/pdf``, Word, plain
  text, Markdown; or ``application/octet-stream`` named like one) — the Emulator and web chat send files
  this way. It is fetched with the bot's connector token only when it lives on the activity's
  ``serviceUrl`` (the connector's own attachment store): the token never goes anywhere else.

Everything else is ignored: Teams' own ``text/html`` copy of the message, inline images, cards. In group
chats and channels Teams doesn't deliver files to bots at all (only the HTML), so there is nothing to read.

Teams reports no size: ``Content-Length`` is checked when it comes, and every body is read in chunks and
dropped as soon as it passes ``MAX_FILE_BYTES``. A failure (an HTTP error, a timeout, a web page where
the file should be) becomes a kind ``problem``, never an exception. Bytes stay in memory for one reply; the
log has the host and the size, never the contents, the name (it can name a pupil) nor the whole address
(a ``downloadUrl`` carries its authorisation).

No botbuilder here: plain dicts (``Attachment.serialize()``), cheap to import and to test.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from adapters.downloads import FETCH_TIMEOUT, MAX_FILES, TooBig, https_or_loopback, read_capped
from bot.documents import SUFFIX_OF_TYPE, SUPPORTED, not_readable, too_big
from bot.types import MAX_FILE_BYTES, IncomingFile

log = logging.getLogger(__name__)

DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
READABLE = SUPPORTED               # the documents the core reads (``bot.documents``), by suffix
GENERIC_TYPE = "application/octet-stream"


# -- what the person is told ------------------------------------------------------------------------------------


def not_fetched(name: str) -> str:
    return (f"I couldn't fetch “{name}” from Teams just now. Could you try sending it again in a moment, or "
            "describe the work in a few lines?")




# -- which attachments are documents --------------------------------------------------------------------------------
@dataclass(frozen=True)
class SentFile:
    """A file in an activity: its name, where to fetch it, and whether that takes the connector token."""

    name: str
    url: str
    with_token: bool = False


def readable(name: str) -> bool:
    return PurePosixPath(name.lower()).suffix in READABLE


def _content_type(attachment: dict[str, Any]) -> str:
    return str(attachment.get("contentType") or "").split(";")[0].strip().lower()


def sent_files(attachments: list[dict[str, Any]], service_url: str | None) -> list[SentFile]:
    """The files among an activity's attachments (JSON, as Teams sends them), in order; not the HTML copy of the
    message, inline images or cards."""
    files: list[SentFile] = []
    for attachment in attachments:
        kind = _content_type(attachment)
        content = attachment.get("content") if isinstance(attachment.get("content"), dict) else {}
        name = str(attachment.get("name") or "")
        if kind == DOWNLOAD_INFO:
            url = str(content.get("downloadUrl") or "")
            file_type = str(content.get("fileType") or "").lower().lstrip(".")
            if file_type and not PurePosixPath(name).suffix:
                name = f"{name or 'file'}.{file_type}"
            files.append(SentFile(name or "the file", url))
        elif attachment.get("contentUrl") and (kind in SUFFIX_OF_TYPE or (kind == GENERIC_TYPE and readable(name))):
            url = str(attachment["contentUrl"])
            if not readable(name):
                name = f"{name or 'document'}{SUFFIX_OF_TYPE[kind]}"
            files.append(SentFile(name, url, with_token=same_origin(url, service_url)))
    return files


def same_origin(url: str, service_url: str | None) -> bool:
    """Is ``url`` on the connector the activity came from (scheme, host and port)?"""
    if not service_url:
        return False
    a, b = urlsplit(url), urlsplit(service_url)
    return bool(a.hostname) and (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)




# -- fetching ---------------------------------------------------------------------------------------------------




async def fetch_files(files: list[SentFile], token: str | None, *,
                      timeout: float = FETCH_TIMEOUT) -> tuple[IncomingFile, ...]:
    """The first ``MAX_FILES`` files, fetched at once, each with its bytes or the problem fetching it."""
    if len(files) > MAX_FILES:
        log.info("a Teams message brought %d files; reading the first %d", len(files), MAX_FILES)
    files = files[:MAX_FILES]
    if not files:
        return ()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        return tuple(await asyncio.gather(*(fetch_file(session, f, token) for f in files)))


async def fetch_file(session: aiohttp.ClientSession, file: SentFile, token: str | None) -> IncomingFile:
    """One file → ``IncomingFile``; never raises."""
    try:
        return await _fetch(session, file, token)
    except Exception as error:       # whatever went wrong, the turn goes on with a kind word
        # The type only: an aiohttp error's text carries the URL, and a downloadUrl its authorisation.
        log.warning("could not fetch %s: %s", _label(file), type(error).__name__)
        return IncomingFile(file.name, 0, problem=not_fetched(file.name))


def _label(file: SentFile) -> str:
    return f"a Teams file from {urlsplit(file.url).hostname or 'nowhere'}"


async def _fetch(session: aiohttp.ClientSession, file: SentFile, token: str | None) -> IncomingFile:
    name, label = file.name, _label(file)
    if not readable(name):
        return IncomingFile(name, 0, problem=not_readable(name))
    if not https_or_loopback(file.url):
        log.warning("%s not fetched: %s:// address refused", label, urlsplit(file.url).scheme or "no")
        return IncomingFile(name, 0, problem=not_fetched(name))
    headers = {"Authorization": f"Bearer {token}"} if file.with_token and token else {}
    async with session.get(file.url, headers=headers) as response:
        if response.status != 200:
            log.warning("%s not fetched: HTTP %d", label, response.status)
            return IncomingFile(name, response.content_length or 0, problem=not_fetched(name))
        if response.content_type == "text/html":
            # A viewer page where the file should be (some Teams clients' links): not the document.
            log.warning("%s not fetched: the address answered a web page", label)
            return IncomingFile(name, 0, problem=not_fetched(name))
        try:
            data = await read_capped(response)
        except TooBig as over:
            log.info("%s: download stopped past %d bytes", label, MAX_FILE_BYTES)
            return IncomingFile(name, over.args[0] or MAX_FILE_BYTES + 1, problem=too_big(name, over.args[0]))
    log.info("%s fetched (%d bytes)", label, len(data))
    return IncomingFile(name, len(data), data)
