"""``assessbot serve``: one aiohttp process — health check and the reminder dispatcher.

The Slack (``/slack/events``) and Teams (``/api/messages``) endpoints mount here with their adapters
(issues #6 and #7). The dispatcher is one APScheduler interval job (LIBRARIES.md §4.5): the database
is the source of truth, so a missed tick loses nothing — the next sweep picks it up. Several processes
may serve one PostgreSQL store, each with its own dispatcher: occurrences are claimed in the database
(``bot.reminders.dispatch``), so each is delivered once whichever process claims it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from adapters.compose import App, build_app
from adapters.senders import RoutingSender, platform_senders
from bot.db import Database, DatabaseUnavailable
from bot.reminders.dispatch import LEASE, ConsoleSender, Sender, SweepReport, dispatch_due
from bot.store import schema_version

log = logging.getLogger(__name__)

TICK = web.AppKey("tick", Callable)
SCHEDULER = web.AppKey("scheduler", AsyncIOScheduler)
TICK_SECONDS = 60


SenderFactory = Callable[[Database], Sender]


def worker_name() -> str:
    """Who claimed an occurrence: host and process, so two processes' claims are told apart."""
    return f"serve:{socket.gethostname()}:{os.getpid()}"


def make_tick(app: App, sender_factory: SenderFactory, clock: Callable[[], datetime], lease: timedelta = LEASE):
    """The dispatcher job: one sweep in a worker thread (the store gives it its own connection; WAL lets
    it write while the web handlers read). A store that can't be reached skips the sweep: the next tick
    picks everything up."""
    worker = worker_name()

    def sweep() -> SweepReport:
        return dispatch_due(app.db, app.kb, sender_factory(app.db), clock(), worker=worker,
                            default_timezone=app.config.timezone, lease=lease)

    async def tick() -> SweepReport | None:
        try:
            report = await asyncio.to_thread(sweep)
        except DatabaseUnavailable as exc:
            log.warning("reminders: the store can't be reached (%s); trying again next tick", exc)
            return None
        if report.sent or report.failed:
            log.info("reminders: %s", report)
        return report

    return tick


Mount = Callable[[web.Application, App], None]


def build_web_app(app: App, sender_factory: SenderFactory | None = None,
                  clock: Callable[[], datetime] | None = None, tick_seconds: float | None = None,
                  mounts: tuple[Mount, ...] = ()) -> web.Application:
    """The aiohttp app: ``/healthz``, the dispatcher, and each platform's routes (``mounts``). The tick and
    the claim lease come from ``reminders:`` in app.yaml (``tick_seconds``, ``lease_seconds``)."""
    zone = ZoneInfo(app.config.timezone)
    clock = clock or (lambda: datetime.now(zone))
    settings = app.config.raw.get("reminders") or {}
    tick_seconds = tick_seconds or float(settings.get("tick_seconds") or TICK_SECONDS)
    lease = timedelta(seconds=float(settings.get("lease_seconds") or LEASE.total_seconds()))
    console = ConsoleSender()
    tick = make_tick(app, sender_factory or (lambda db: console), clock, lease)
    web_app = web.Application()
    web_app[TICK] = tick
    scheduler = AsyncIOScheduler(timezone=zone)
    web_app[SCHEDULER] = scheduler

    async def healthz(request: web.Request) -> web.Response:
        # The store's engine and schema version, read now: a load balancer takes a process that has
        # lost its database out of rotation (503) until it can read it again.
        store = {"engine": app.db.engine, "location": app.db.location}
        try:
            store["schema"] = await asyncio.to_thread(schema_version, app.db)
        except DatabaseUnavailable as exc:
            return web.json_response({"ok": False, "kb_units": len(app.kb.units), "store": store,
                                      "error": f"store unreachable: {exc}"}, status=503)
        return web.json_response({"ok": True, "kb_units": len(app.kb.units), "store": store})

    async def scheduler_ctx(_: web.Application) -> AsyncIterator[None]:
        # coalesce: ticks missed while the process was busy or down run once, not in a burst;
        # misfire grace: a late tick still runs; max_instances: never two sweeps at once here.
        scheduler.add_job(tick, "interval", seconds=tick_seconds, id="dispatch", coalesce=True,
                          max_instances=1, misfire_grace_time=max(1, round(tick_seconds)), replace_existing=True)
        scheduler.start()
        yield
        scheduler.shutdown(wait=False)

    web_app.router.add_get("/healthz", healthz)
    web_app.cleanup_ctx.append(scheduler_ctx)
    for mount in mounts:
        mount(web_app, app)
    return web_app


def platform_mounts(app: App) -> tuple[Mount, ...]:
    """The routes of every platform adapter that is installed, enabled and configured."""
    mounts: list[Mount] = []
    for module in ("adapters.slack", "adapters.teams"):
        try:
            package = __import__(module, fromlist=["mount"])
        except ImportError:
            continue
        mount = getattr(package, "mount", None)
        if mount is not None and getattr(package, "enabled", lambda _app: False)(app):
            mounts.append(mount)
    return tuple(mounts)


def serve(config_path: str | None, db_path: str | None, port: int) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = build_app(config_path, db_path)
    log.info("store: %s %s, schema %s", app.db.engine, app.db.location, schema_version(app.db))
    mounts = platform_mounts(app)
    if not mounts:
        log.warning("No platform is enabled and configured: serving the health check and reminders only; "
                    "reminders are printed to the console.")
    senders = platform_senders(app)
    web.run_app(build_web_app(app, sender_factory=lambda db: RoutingSender(db, senders), mounts=mounts),
                port=port)
    return 0
