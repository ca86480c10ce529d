"""Slack's text conventions: escaping what we send, and reading what people type.

Slack sends ``<@U123>`` for a mention, ``<#C1|general>`` for a channel, ``<https://x|label>`` for a
link and ``&amp;`` ``&lt;`` ``&gt;`` for the three characters its markup reserves; the core wants the
words a person would see.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#[CG][A-Z0-9]+\|([^>]*)>|<#[CG][A-Z0-9]+>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>|<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>")


def escape(text: str) -> str:
    """Make text safe for a ``mrkdwn`` or ``plain_text`` field (Slack reserves only these three)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def mentioned_users(text: str) -> list[str]:
    return [m.group(1) for m in _MENTION.finditer(text)]


def to_plain(text: str, bot_user: str | None = None, name_of: Callable[[str], str | None] | None = None) -> str:
    """What a person typed, as they saw it: the bot's own mention dropped, other people by name."""

    def person(m: re.Match[str]) -> str:
        user = m.group(1)
        if user == bot_user:
            return " "
        name = (name_of(user) if name_of else None) or m.group(2)
        return name or " "

    def special(m: re.Match[str]) -> str:
        return f"@{m.group(1)}" if m.group(1) else (m.group(2) or " ")

    text = _MENTION.sub(person, text)
    text = _CHANNEL.sub(lambda m: f"#{m.group(1)}" if m.group(1) else " ", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1).removeprefix("mailto:"), text)
    text = _SPECIAL.sub(special, text)
    return " ".join(unescape(text).split())


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of ``text`` whose escaped form fits ``limit``, cut at paragraph, line, sentence or word ends."""
    text = text.strip()
    if len(escape(text)) <= limit:
        return [text]
    pieces: list[str] = []
    rest = text
    while rest:
        if len(escape(rest)) <= limit:
            pieces.append(rest)
            break
        cut = fit(rest, limit)
        window = rest[:cut]
        for sep in ("\n\n", "\n", ". ", " "):
            at = window.rfind(sep)
            if at > cut // 3:              # a break too near the start would leave tiny pieces
                cut = at + len(sep)
                break
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [p for p in pieces if p]


def fit(text: str, limit: int) -> int:
    """How many leading characters of ``text`` fit ``limit`` once escaped."""
    size = 0
    for index, char in enumerate(text):
        size += 5 if char == "&" else 4 if char in "<>" else 1
        if size > limit:
            return max(index, 1)
    return len(text)


def clip(text: str, limit: int) -> str:
    """``text`` shortened to ``limit`` characters with an ellipsis (for labels that cannot be split)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
