"""Documents people share with the bot in Slack (issue #21): a file share becomes ``IncomingFile`` bytes.

A file share (a DM's ``message`` with subtype ``file_share``, or an ``app_mention`` with files) lists
Slack file objects. Each is fetched from ``url_private_download`` with the bot token, which is why the
app asks for ``files:read``. The rules:

- the size Slack reports is checked first: a file over ``MAX_FILE_BYTES`` is never downloaded; the
  download is capped too (Slack's number could be wrong), and stops as soon as it passes the limit;
- only documents the core reads (.docx, .pdf, .txt, .md) are fetched; anything else, a file stored
  outside Slack (Google Drive) or one Slack no longer shows, gets a kind ``problem`` instead;
- the bot token goes only to Slack's own hosts (or the configured Web API host: a test's fake);
- a failure (an HTTP error, a timeout, Slack's sign-in page instead of the file) becomes a ``problem``,
  never an exception, so the person still gets an answer;
- the bytes stay in memory, on the ``Message`` for this one reply: nothing is written to disk, and the log
  has Slack's file id and the size, never the contents nor the name (a name can name a pupil).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from adapters.downloads import FETCH_TIMEOUT, MAX_FILES, TooBig, is_loopback, read_capped
from bot.documents import SUFFIX_OF_TYPE, SUPPORTED, not_readable, too_big
from bot.types import MAX_FILE_BYTES, IncomingFile

log = logging.getLogger(__name__)

# The documents the core reads (``bot.documents``), by suffix; a file without one is named by its MIME type.
READABLE = SUPPORTED
SLACK_HOSTS = ("slack.com", "slack-gov.com")

FilesInfo = Callable[[str], Awaitable[dict[str, Any]]]     # files.info for a file id → its file object


# -- what the person is told ------------------------------------------------------------------------------------
def not_fetched(name: str) -> str:
    return (f"I couldn't fetch “{name}” from Slack just now. Could you try sharing it again in a moment, or "
            "describe the work in a few lines?")




def not_in_slack(name: str) -> str:
    return (f"“{name}” is stored outside Slack, so I can't open it. Could you upload the file itself, or describe "
            "the work in a few lines?")


def gone(name: str) -> str:
    return f"Slack no longer lets me open “{name}”. Could you share it again, or describe the work in a few lines?"


# -- reading the file objects ---------------------------------------------------------------------------------------
def file_name(file: dict[str, Any]) -> str:
    """The name to show and to read the document by: a Slack snippet ("Untitled", text/plain) gains ``.txt``."""
    name = str(file.get("name") or file.get("title") or "the file")
    suffix = SUFFIX_OF_TYPE.get(str(file.get("mimetype") or "").split(";")[0].strip().lower())
    if suffix and not readable(name):
        name += suffix
    return name


def readable(name: str) -> bool:
    return PurePosixPath(name.lower()).suffix in READABLE


def reported_size(file: dict[str, Any]) -> int:
    try:
        return max(int(file.get("size") or 0), 0)
    except (TypeError, ValueError):
        return 0


def token_may_go_to(url: str, api_url: str) -> bool:
    """Only Slack's hosts (https) receive the bot token, or the configured Web API host (a fake, in tests)."""
    parts, api = urlsplit(url), urlsplit(api_url)
    host = (parts.hostname or "").lower()
    if not host or parts.scheme not in ("https", "http"):
        return False
    if parts.scheme == "http" and not is_loopback(host):
        return False
    if parts.scheme == api.scheme and parts.netloc.lower() == api.netloc.lower():
        return True
    return parts.scheme == "https" and any(host == h or host.endswith("." + h) for h in SLACK_HOSTS)








# -- fetching ---------------------------------------------------------------------------------------------------
class SlackFiles:
    """Fetches the documents of a file share with the bot token, through the adapter's HTTP session."""

    def __init__(self, token: str | None, api_url: str, session: Callable[[], aiohttp.ClientSession | None],
                 files_info: FilesInfo, timeout: float = FETCH_TIMEOUT):
        self.token = token
        self.api_url = api_url
        self._session = session
        self._files_info = files_info
        self.timeout = timeout

    async def incoming(self, shared: list[Any] | None) -> tuple[IncomingFile, ...]:
        """The first ``MAX_FILES`` files of a file share, each with its bytes or the problem fetching it."""
        files = [f for f in shared or [] if isinstance(f, dict)]
        if len(files) > MAX_FILES:
            log.info("a Slack message shared %d files; reading the first %d", len(files), MAX_FILES)
        files = files[:MAX_FILES]
        if not files:
            return ()
        session = self._session()
        if session is not None and not session.closed:
            return tuple(await asyncio.gather(*(self.fetch(f, session) for f in files)))
        async with aiohttp.ClientSession() as own:       # outside ``serve``'s lifecycle (a script, a test)
            return tuple(await asyncio.gather(*(self.fetch(f, own) for f in files)))

    async def fetch(self, file: dict[str, Any], session: aiohttp.ClientSession) -> IncomingFile:
        """One file object → ``IncomingFile``; never raises."""
        name = file_name(file)
        label = f"Slack file {file.get('id') or '(no id)'}"
        try:
            if file.get("mode") == "file_access" and file.get("id"):
                # Slack sends only the id when the file isn't visible in the event yet (Slack Connect).
                file = {**file, **(await self._files_info(str(file["id"])) or {})}
                name = file_name(file)
            return await self._fetch(file, name, label, session)
        except Exception as error:        # whatever went wrong, the turn goes on with a kind word
            # The type only: an aiohttp error's text carries the URL.
            log.warning("could not fetch %s: %s", label, type(error).__name__)
            return IncomingFile(name, reported_size(file), problem=not_fetched(name))

    async def _fetch(self, file: dict[str, Any], name: str, label: str,
                     session: aiohttp.ClientSession) -> IncomingFile:
        size = reported_size(file)
        mode = file.get("mode")
        if mode in ("tombstone", "hidden_by_limit"):
            return IncomingFile(name, size, problem=gone(name))
        if mode == "external" or file.get("is_external"):
            return IncomingFile(name, size, problem=not_in_slack(name))
        if not readable(name):
            return IncomingFile(name, size, problem=not_readable(name))
        if size > MAX_FILE_BYTES:
            log.info("%s not fetched: %d bytes is over the limit", label, size)
            return IncomingFile(name, size, problem=too_big(name, size))
        url = str(file.get("url_private_download") or file.get("url_private") or "")
        if not url or not self.token or not token_may_go_to(url, self.api_url):
            log.warning("%s not fetched: no download address Slack's token may be sent to (host %s)", label,
                        urlsplit(url).hostname or "none")
            return IncomingFile(name, size, problem=not_fetched(name))
        headers = {"Authorization": f"Bearer {self.token}"}
        async with session.get(url, headers=headers, timeout=aiohttp.ClientTimeout(total=self.timeout)) as response:
            if response.status != 200:
                log.warning("%s not fetched: HTTP %d", label, response.status)
                return IncomingFile(name, size, problem=not_fetched(name))
            if response.content_type == "text/html":
                # Slack answers a missing files:read scope (or a wrong token) with its sign-in page, status 200.
                log.warning("%s not fetched: Slack sent a web page (is the files:read scope granted?)", label)
                return IncomingFile(name, size, problem=not_fetched(name))
            try:
                data = await read_capped(response)
            except TooBig as over:
                log.info("%s: download stopped past %d bytes", label, MAX_FILE_BYTES)
                return IncomingFile(name, over.args[0] or size, problem=too_big(name, over.args[0]))
        log.info("%s fetched (%d bytes)", label, len(data))
        return IncomingFile(name, len(data), data)
