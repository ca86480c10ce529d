"""``assessbot reminders due`` and ``assessbot reminders run`` (contract in ARCHITECTURE.md)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from adapters.compose import App
from adapters.senders import RoutingSender, platform_senders
from bot.reminders.dispatch import ConsoleSender, dispatch_due, due


def reminders_due(app: App, now: datetime, as_json: bool, out: TextIO) -> int:
    zone = ZoneInfo(app.config.timezone)
    rows = due(app.db, app.kb, now, app.config.timezone)
    for row in rows:
        at = datetime.fromisoformat(row["send_after"]).astimezone(zone).isoformat()
        if as_json:
            print(json.dumps({"to": row["person_id"], "at": at, "kind": row["kind"], "text": row["text"]},
                             ensure_ascii=False), file=out)
        else:
            print(f"{at}  {row['person_id']}  {row['kind']}: {row['text']}", file=out)
    if not rows and not as_json:
        print("Nothing is due.", file=out)
    return 0


def reminders_run(app: App, now: datetime, out: TextIO) -> int:
    # Each person's reminders go to their platform (Slack, Teams) when one is configured; else printed.
    sender = RoutingSender(app.db, platform_senders(app), fallback=ConsoleSender(out))
    report = dispatch_due(app.db, app.kb, sender, now, worker="cli", default_timezone=app.config.timezone)
    skipped = ", ".join(f"{n} {why}" for why, n in report.skipped.items()) or "none"
    print(f"Sent {report.sent}; deferred to the person's hours {report.deferred}; skipped: {skipped}; "
          f"to retry {report.retried}; failed {report.failed}.", file=out)
    return 0
