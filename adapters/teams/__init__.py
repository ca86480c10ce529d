"""Microsoft Teams for AssessBot (issue #7): all botbuilder code lives in this folder.

The server and the reminder dispatcher find the adapter through three functions:

* ``enabled(app)`` — Teams is switched on and configured in ``app.yaml``;
* ``mount(web_app, app)`` — adds ``POST /api/messages`` (Bot Framework ``CloudAdapter``) to ``assessbot serve``;
* ``make_sender(app)`` — the reminder ``Sender`` for ``teams:`` identities, or None when Teams is off.

botbuilder is imported only inside them (it takes about 0.4 s), so commands that never touch Teams —
``ask``, ``chat``, ``teams package`` — start as fast as before. Moving to Microsoft's successor SDK
means replacing ``bot``, ``endpoint``, ``personal`` and ``sender``; cards, files, references, retries and
packaging stay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.teams.settings import settings_of

if TYPE_CHECKING:
    from aiohttp import web

    from adapters.compose import App
    from bot.reminders.dispatch import Sender


def enabled(app: App) -> bool:
    """Is Teams switched on, with credentials or explicitly in development mode?"""
    return settings_of(app).enabled


def mount(web_app: web.Application, app: App) -> None:
    """Serve Teams at ``/api/messages`` on ``assessbot serve``'s aiohttp app."""
    from adapters.teams.endpoint import attach

    attach(web_app, app, settings_of(app))


def make_sender(app: App) -> Sender | None:
    """The Teams reminder sender, or None when Teams is not enabled."""
    settings = settings_of(app)
    if not settings.enabled:
        return None
    from adapters.teams.endpoint import build_adapter
    from adapters.teams.sender import StoreByThread, TeamsSender

    return TeamsSender(build_adapter(settings), settings.app_id, StoreByThread(app.db), clock=app.dialogue.clock)
