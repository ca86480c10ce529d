"""``assessbot serve``: one aiohttp process — health check and the reminder dispatcher.

The Slack (``/slack/events``) and Teams (``/api/messages``) endpoints mount here with their adapters
(issues #6 and #7). The dispatcher is one APScheduler interval job (LIBRARIES.md §4.5): the database
is the source of truth, so a missed tick loses nothing — the next sweep picks it up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from adapters.compose import App, build_app
from bot.reminders.dispatch import ConsoleSender, Sender, SweepReport, dispatch_due
from bot.store import open_store

log = logging.getLogger(__name__)

TICK = web.AppKey("tick", Callable)
SCHEDULER = web.AppKey("scheduler", AsyncIOScheduler)
TICK_SECONDS = 60


def make_tick(app: App, db_path: Path, sender: Sender, clock: Callable[[], datetime]):
    """The dispatcher job: one sweep in a worker thread with its own connection (SQLite objects stay in
    the thread that made them; WAL lets it write while the web handlers read)."""

    def sweep() -> SweepReport:
        db = open_store(db_path)
        try:
            return dispatch_due(db, app.kb, sender, clock(), worker="serve", default_timezone=app.config.timezone)
        finally:
            db.close()

    async def tick() -> SweepReport:
        report = await asyncio.to_thread(sweep)
        if report.sent or report.failed:
            log.info("reminders: %s", report)
        return report

    return tick


def build_web_app(app: App, db_path: Path, sender: Sender | None = None,
                  clock: Callable[[], datetime] | None = None, tick_seconds: int = TICK_SECONDS) -> web.Application:
    zone = ZoneInfo(app.config.timezone)
    clock = clock or (lambda: datetime.now(zone))
    tick = make_tick(app, db_path, sender or ConsoleSender(), clock)
    web_app = web.Application()
    web_app[TICK] = tick
    scheduler = AsyncIOScheduler(timezone=zone)
    web_app[SCHEDULER] = scheduler

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "kb_units": len(app.kb.units)})

    async def scheduler_ctx(_: web.Application) -> AsyncIterator[None]:
        # coalesce: ticks missed while the process was busy or down run once, not in a burst;
        # misfire grace: a late tick still runs; max_instances: never two sweeps at once here.
        scheduler.add_job(tick, "interval", seconds=tick_seconds, id="dispatch", coalesce=True,
                          max_instances=1, misfire_grace_time=tick_seconds, replace_existing=True)
        scheduler.start()
        yield
        scheduler.shutdown(wait=False)

    web_app.router.add_get("/healthz", healthz)
    web_app.cleanup_ctx.append(scheduler_ctx)
    return web_app


def serve(config_path: str | None, db_path: str | None, port: int) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = build_app(config_path, db_path)
    path = Path(db_path) if db_path else app.config.storage_path
    log.warning("Slack and Teams endpoints are not built yet (issues #6, #7): serving health and reminders only; "
                "reminders are printed to the console.")
    web.run_app(build_web_app(app, path), port=port)
    return 0
