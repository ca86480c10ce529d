"""Where an answer goes in Slack (shared by the adapter and its modals)."""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt.async_app import AsyncRespond


@dataclass(frozen=True)
class Destination:
    """Where an answer goes: a channel (and thread), an ephemeral ``respond``, or else the person's DM.

    ``origin`` is the channel an ephemeral answer shows in (where ``/assess`` was typed), which decides
    where its files may go.
    """

    user: str
    channel: str | None = None
    thread: str | None = None
    respond: AsyncRespond | None = None
    origin: str | None = None
    # Others read what is posted here (a channel thread): the core keeps records out of it.
    shared: bool = False
