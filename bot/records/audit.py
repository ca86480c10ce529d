"""The audit log: who changed what, when (kept even when a person's data is erased)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.db import Database


def record(db: Database, now: datetime, actor: str | None, action: str, subject: str | None,
           **detail: Any) -> None:
    db["audit"].insert({"at": now.isoformat(), "actor": actor, "action": action, "subject": subject,
                        "detail": json.dumps(detail, default=str) if detail else None})
