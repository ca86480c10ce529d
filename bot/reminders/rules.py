"""Custom reminder rules: who set them, who receives them, when, and what they say.

A schedule is one of:
- ``{"type": "once", "at": "2026-11-27T09:00"}`` (local wall-clock time of each recipient; with its offset,
  "2027-10-31T01:30+00:00", when a time worked out from now falls in the hour that comes twice)
- ``{"type": "daily", "time": "09:00"}``
- ``{"type": "weekly", "weekday": 0, "time": "09:00"}`` (0 = Monday)
- ``{"type": "deadline", "date": "2027-03-14", "days_before": [21, 1], "time": "09:00"}``

Audiences: ``person`` (audience_ref = person id), ``tutor_learners`` (a tutor's learners; ``subject``
may name a unit they must have in their plan) and ``cohort`` (audience_ref = cohort id).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.dates import uk_date
from bot.db import Database
from bot.records.audit import record
from bot.reminders.hours import DAYS


@dataclass(frozen=True)
class Rule:
    id: int
    owner_id: str
    audience_kind: str
    audience_ref: str
    schedule: dict[str, Any]
    message: str
    subject: str | None
    urgent: bool
    created_at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Rule:
        return cls(row["id"], row["owner_id"], row["audience_kind"], row["audience_ref"], json.loads(row["schedule"]),
                   row["message"], row.get("subject"), bool(row.get("urgent")),
                   datetime.fromisoformat(row["created_at"]))


def create_rule(db: Database, owner_id: str, audience_kind: str, audience_ref: str, schedule: dict[str, Any],
                message: str, now: datetime, subject: str | None = None, urgent: bool = False) -> Rule:
    with db.atomic():
        rule_id = db["reminder_rules"].insert({
            "owner_id": owner_id, "audience_kind": audience_kind, "audience_ref": audience_ref,
            "schedule": json.dumps(schedule), "message": message.strip(), "subject": subject, "urgent": int(urgent),
            "created_at": now.isoformat()}).last_pk
        record(db, now, owner_id, "reminder_rule_add", audience_ref, rule=rule_id, schedule=schedule)
    return Rule.from_row(db["reminder_rules"].get(rule_id))


def rules_owned_by(db: Database, owner_id: str) -> list[Rule]:
    rows = db.query("SELECT * FROM reminder_rules WHERE owner_id = ? AND cancelled_at IS NULL ORDER BY id", [owner_id])
    return [Rule.from_row(r) for r in rows]


def rules_for_person(db: Database, person_id: str) -> list[Rule]:
    """Active rules addressed to a person directly (their own or set for them by a tutor)."""
    rows = db.query("SELECT * FROM reminder_rules WHERE audience_kind = 'person' AND audience_ref = ? "
                    "AND cancelled_at IS NULL ORDER BY id", [person_id])
    return [Rule.from_row(r) for r in rows]


def cohort_rules(db: Database, cohort_id: int) -> list[Rule]:
    """Active rules addressed to a cohort."""
    rows = db.query("SELECT * FROM reminder_rules WHERE audience_kind = 'cohort' AND audience_ref = ? "
                    "AND cancelled_at IS NULL ORDER BY id", [str(cohort_id)])
    return [Rule.from_row(r) for r in rows]


def active_rules(db: Database) -> list[Rule]:
    return [Rule.from_row(r) for r in db.query("SELECT * FROM reminder_rules WHERE cancelled_at IS NULL")]


def cancel_rule(db: Database, rule: Rule, now: datetime, actor: str) -> None:
    with db.atomic():
        db["reminder_rules"].update(rule.id, {"cancelled_at": now.isoformat()})
        # Occurrences not yet sent go with the rule.
        db.execute("UPDATE reminder_occurrences SET status = 'cancelled' WHERE rule_id = ? AND status = 'pending'",
                   [rule.id])
        record(db, now, actor, "reminder_rule_cancel", rule.audience_ref, rule=rule.id)


def describe_schedule(schedule: dict[str, Any]) -> str:
    kind = schedule["type"]
    at = schedule.get("time", "09:00")
    if kind == "once":
        moment = datetime.fromisoformat(schedule["at"])
        return f"on {uk_date(moment.date())} at {moment.strftime('%H:%M')}"
    if kind == "daily":
        return f"every day at {at}"
    if kind == "weekly":
        return f"every {DAYS[schedule['weekday']].title()} at {at}"
    # Each nudge, latest last, and the time they go: "3 weeks before and the day before the deadline
    # of 14 March 2027, at 09:00".
    deadline = date.fromisoformat(schedule["date"])
    days = sorted(schedule["days_before"], reverse=True)
    nudges = [_before(n) for n in days]
    joined = nudges[0] if len(nudges) == 1 else ", ".join(nudges[:-1]) + " and " + nudges[-1]
    # The dates themselves too: "3 weeks before" leaves the reader to count back.
    dates = [uk_date(deadline - timedelta(days=n)) for n in days]
    on = dates[0] if len(dates) == 1 else ", ".join(dates[:-1]) + " and " + dates[-1]
    return f"{joined} the deadline of {uk_date(deadline)}, at {at} (on {on})"


def _before(days: int) -> str:
    if days == 0:
        return "on the day of"
    if days == 1:
        return "the day before"
    if days % 7 == 0:
        return f"{days // 7} week{'s' if days > 7 else ''} before"
    return f"{days} days before"


def stored_time(moment: datetime) -> str:
    """How a one-off reminder's moment is stored (``schedule["at"]``): its local wall time, "2027-03-14T09:00",
    with the offset only when that wall time comes twice (the night the clocks go back), so that "in 2 hours"
    said at 00:30 keeps meaning the second 01:30."""
    first, second = moment.replace(fold=0), moment.replace(fold=1)
    if first.utcoffset() != second.utcoffset():
        return moment.isoformat(timespec="minutes")
    return moment.strftime("%Y-%m-%dT%H:%M")


def once_moment(schedule: dict[str, Any], zone: ZoneInfo, made: datetime) -> datetime:
    """The instant a one-off reminder's time (``schedule["at"]``, see ``stored_time``) means. A wall time
    without an offset that comes twice when the clocks go back means the first of the two that is not before
    ``made`` (the reminder set at 01:10 on that night for 01:30 means the 01:30 coming up, even if it's the
    second). Otherwise the first."""
    wall = datetime.fromisoformat(schedule["at"])
    if wall.tzinfo is not None:
        return wall.astimezone(zone)
    # Compared in UTC: an aware time in the repeated hour never compares equal across zones (PEP 495).
    first, second = (wall.replace(tzinfo=zone, fold=f).astimezone(UTC) for f in (0, 1))
    return (second if first < made.astimezone(UTC) <= second else first).astimezone(zone)


def latest_occurrence(schedule: dict[str, Any], zone: ZoneInfo, created: datetime,
                      now: datetime) -> tuple[datetime, datetime] | None:
    """The most recent occurrence at or before ``now`` (and after the rule was made) and the moment
    it stops being worth sending (the next occurrence, or the deadline); None if none is due.

    Only the latest is returned, so a recurrence missed several times (downtime) is sent once.
    """
    local_now = now.astimezone(zone)
    kind = schedule["type"]
    if kind == "once":
        due = once_moment(schedule, zone, created)
        return (due, due + timedelta(hours=12)) if created <= due <= now else None
    at = time.fromisoformat(schedule.get("time", "09:00"))
    if kind == "daily":
        due = datetime.combine(local_now.date(), at, zone)
        if due > now:
            due = datetime.combine(local_now.date() - timedelta(days=1), at, zone)
        following = datetime.combine(due.date() + timedelta(days=1), at, zone)
        return (due, following) if due >= created else None
    if kind == "weekly":
        back = (local_now.weekday() - schedule["weekday"]) % 7
        due = datetime.combine(local_now.date() - timedelta(days=back), at, zone)
        if due > now:
            due = datetime.combine(due.date() - timedelta(days=7), at, zone)
        following = datetime.combine(due.date() + timedelta(days=7), at, zone)
        return (due, following) if due >= created else None
    deadline = date.fromisoformat(schedule["date"])
    end = datetime.combine(deadline, time(23, 59), zone)
    passed = [datetime.combine(deadline - timedelta(days=n), at, zone) for n in sorted(schedule["days_before"])]
    passed = [d for d in passed if created <= d <= now] if now <= end else []
    return (max(passed), end) if passed else None
