"""Progress per criterion: met / referred (assessor's decision), ready (submitted), evidence, to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db import Database
from bot.records.audit import record
from bot.records.plan import plan_of
from bot.records.registration import Registration
from knowledge.kb import KnowledgeBase


@dataclass(frozen=True)
class UnitProgress:
    code: str
    statuses: dict[str, str]          # AC id → status

    def count(self, *statuses: str) -> int:
        return sum(1 for s in self.statuses.values() if s in statuses)

    @property
    def total(self) -> int:
        return len(self.statuses)


def criterion_statuses(db: Database, kb: KnowledgeBase, reg: Registration,
                       units: list[str] | None = None) -> dict[str, UnitProgress]:
    """Every planned (or given) unit's criteria with their status, in three queries."""
    codes = units if units is not None else [u.code for u in plan_of(db, reg.id)]
    decisions: dict[tuple[str, str], str] = {}
    for row in db.query("SELECT unit_code, ac, outcome FROM decisions WHERE registration_id = ? "
                        "ORDER BY decided_at, id", [reg.id]):
        decisions[(row["unit_code"], row["ac"])] = row["outcome"]      # the latest decision stands
    ready = {(r["unit_code"], r["ac"]) for r in db.query(
        "SELECT unit_code, ac FROM criterion_progress WHERE registration_id = ? AND status = 'ready'", [reg.id])}
    evidenced = {(r["unit_code"], r["ac"]) for r in db.query(
        "SELECT DISTINCT l.unit_code, l.ac FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id "
        "WHERE e.person_id = ?", [reg.person_id])}
    out = {}
    for code in codes:
        unit = kb.unit(code)
        if unit is None:
            continue
        statuses = {}
        for c in unit.criteria:
            key = (code, c.id)
            statuses[c.id] = (decisions.get(key) or ("ready" if key in ready else None)
                              or ("evidence" if key in evidenced else "todo"))
        out[code] = UnitProgress(code, statuses)
    return out


def mark_ready(db: Database, kb: KnowledgeBase, reg: Registration, unit_code: str, acs: list[str] | None,
               now: datetime, actor: str | None) -> list[str]:
    """Mark criteria as submitted for assessment; returns those marked (those with evidence only)."""
    progress = criterion_statuses(db, kb, reg, [unit_code]).get(unit_code)
    if progress is None:
        return []
    chosen = acs or list(progress.statuses)
    marked = [ac for ac in chosen if progress.statuses.get(ac) == "evidence"]
    with db.atomic():
        for ac in marked:
            db["criterion_progress"].upsert({"registration_id": reg.id, "unit_code": unit_code, "ac": ac,
                                             "status": "ready", "updated_at": now.isoformat()},
                                            pk=("registration_id", "unit_code", "ac"))
        if marked:
            record(db, now, actor, "mark_ready", reg.person_id, unit=unit_code, criteria=marked)
    return marked


def overall(progress: dict[str, UnitProgress]) -> tuple[int, int]:
    """(criteria met, criteria in the plan)."""
    return (sum(p.count("met") for p in progress.values()), sum(p.total for p in progress.values()))


def awaiting_decision(db: Database, learners: list[str]) -> list[str]:
    """Which of ``learners`` have a criterion marked ready for assessment (one query, however many)."""
    waiting = {r[0] for r in db.execute(
        "SELECT DISTINCT r.person_id FROM criterion_progress c JOIN registrations r ON r.id = c.registration_id "
        "WHERE c.status = 'ready'")}
    return [p for p in learners if p in waiting]
