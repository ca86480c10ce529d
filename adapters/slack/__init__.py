"""The Slack adapter: ``enabled``, ``mount`` and ``make_sender``, as ``adapters.server`` and ``adapters.senders``
expect them.

Importing this package is cheap (slack-bolt is imported only when Slack is actually mounted or sends),
because ``assessbot reminders run`` and ``serve`` import every adapter to ask whether it is enabled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.slack.settings import explain_disabled, settings_of

if TYPE_CHECKING:
    from aiohttp import web

    from bot.reminders.dispatch import Sender


def enabled(app: Any) -> bool:
    """Slack is on when ``slack.enabled`` is true and its bot token and a signing secret (HTTP) or app token
    (Socket Mode) are set; otherwise it says why in the log and stays off."""
    settings = settings_of(app)
    explain_disabled(app, settings)
    return settings.can_receive


def mount(web_app: web.Application, app: Any) -> None:
    """Add ``POST /slack/events`` (and Socket Mode when ``slack.app_token`` is set) to the server."""
    from adapters.slack.bolt_app import mount_adapter

    mount_adapter(web_app, app, settings_of(app))


def make_sender(app: Any) -> Sender | None:
    """The reminder sender for people whose platform is Slack, or None when Slack can't send."""
    settings = settings_of(app)
    if not settings.can_send:
        return None
    from adapters.slack.sender import SlackSender, thread_databases, web_client

    return SlackSender(web_client(settings), thread_databases(app))
