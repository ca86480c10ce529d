"""The Bot Framework side: a ``CloudAdapter`` with AssessBot's credentials, and ``POST /api/messages``.

With an app id, every request must carry a Bot Framework JWT (CloudAdapter validates it; 401 otherwise).
Without one (development mode) there is no authentication, so only loopback callers are served: an
unauthenticated endpoint would let anyone on the network speak as any learner.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass

import jwt
from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from adapters.compose import App
from adapters.teams.bot import TeamsBot
from adapters.teams.settings import TeamsSettings

log = logging.getLogger(__name__)

ROUTE = "/api/messages"


class _Credentials:
    """The attribute names ``ConfigurationBotFrameworkAuthentication`` reads."""

    def __init__(self, settings: TeamsSettings):
        self.APP_ID = settings.app_id
        self.APP_PASSWORD = settings.app_password
        self.APP_TYPE = settings.app_type
        self.APP_TENANTID = settings.tenant_id


def build_adapter(settings: TeamsSettings) -> CloudAdapter:
    """A CloudAdapter for these credentials (empty ones: anonymous, for development and tests)."""
    return CloudAdapter(ConfigurationBotFrameworkAuthentication(_Credentials(settings)))


@dataclass
class TeamsEndpoint:
    """What ``mount`` put on the web app, kept for tests and for the operator's curiosity."""

    adapter: CloudAdapter
    bot: TeamsBot
    settings: TeamsSettings
    errors: list[BaseException]


TEAMS = web.AppKey("teams", TeamsEndpoint)


def _loopback(remote: str | None) -> bool:
    try:
        return remote is not None and ipaddress.ip_address(remote).is_loopback
    except ValueError:
        return False


def attach(web_app: web.Application, app: App, settings: TeamsSettings, bot: TeamsBot | None = None) -> TeamsEndpoint:
    """Add ``POST /api/messages`` to ``web_app`` and return what serves it."""
    adapter = build_adapter(settings)
    bot = bot or TeamsBot(app.dialogue, app.db, app.config.timezone, app_id=settings.app_id)
    endpoint = TeamsEndpoint(adapter, bot, settings, [])

    async def on_error(turn_context: TurnContext, error: Exception) -> None:
        endpoint.errors.append(error)
        log.exception("Teams turn failed", exc_info=error)
        try:
            await turn_context.send_activity("Sorry — something went wrong on my side while answering that. "
                                             "Please try again in a moment.")
        except Exception:        # the connector itself may be what failed
            log.warning("could not tell the person about the error either")

    adapter.on_turn_error = on_error

    async def messages(request: web.Request) -> web.StreamResponse:
        if settings.development and not _loopback(request.remote):
            log.warning("refused %s from %s: development mode serves loopback callers only", ROUTE, request.remote)
            raise web.HTTPForbidden(text="AssessBot's Teams endpoint is in development mode (no teams.app_id)")
        if "json" not in request.headers.get("Content-Type", ""):
            raise web.HTTPUnsupportedMediaType()
        try:
            body = await request.json()       # aiohttp keeps the body: the adapter reads it again
        except ValueError as error:
            raise web.HTTPBadRequest(text="the body isn't JSON") from error
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            raise web.HTTPBadRequest(text="the body isn't a Bot Framework activity (no type)")
        try:
            response = await adapter.process(request, bot)
        except jwt.PyJWTError as error:
            # botbuilder turns a missing or invalid token into 401, but lets a malformed one escape as a 500.
            log.warning("refused %s: malformed token (%s)", ROUTE, error)
            raise web.HTTPUnauthorized() from error
        return response or web.Response(status=201)

    web_app.router.add_post(ROUTE, messages)
    web_app[TEAMS] = endpoint
    return endpoint
