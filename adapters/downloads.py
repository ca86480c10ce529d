"""Fetching a person's document for the core, the same way for every platform: at most ``MAX_FILES`` a
message, a body read in chunks and dropped as soon as it passes ``MAX_FILE_BYTES``, and only from https (or
a loopback address: the Teams Emulator, the tests' fakes). Shared by the Slack and Teams adapters, which
add how each platform authorises the download."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import aiohttp

from bot.types import MAX_FILE_BYTES

MAX_FILES = 3                     # files read from one message; the rest are left out
FETCH_TIMEOUT = 20.0              # seconds for one file, connection to last byte
CHUNK = 64 * 1024


class TooBig(Exception):
    """The body passed ``MAX_FILE_BYTES`` (the download was stopped there); ``args[0]`` the declared size or None."""


async def read_capped(response: aiohttp.ClientResponse, limit: int = MAX_FILE_BYTES) -> bytes:
    """The body, in chunks, stopping as soon as it passes ``limit`` (``TooBig``): a wrong or missing
    ``Content-Length`` can't make the bot hold more than the limit."""
    declared = response.content_length
    if declared is not None and declared > limit:
        raise TooBig(declared)
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.content.iter_chunked(CHUNK):
        total += len(chunk)
        if total > limit:
            raise TooBig(None)
        chunks.append(chunk)
    return b"".join(chunks)


def is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return bool(host) and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def https_or_loopback(url: str) -> bool:
    """May the bot send a file to, or fetch one from, ``url``? https only; plain http just for a loopback
    address."""
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname))
