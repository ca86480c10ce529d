"""Evidence items: a piece of work mapped to one or more criteria, across units."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db import Database
from bot.records.audit import record


class EvidenceError(ValueError):
    """An evidence change that can't be made; the message says why."""


@dataclass(frozen=True)
class EvidenceItem:
    id: int
    title: str
    kind: str | None
    dated: str | None
    location: str | None
    links: tuple[tuple[str, str], ...]      # (unit code, AC id)


def log_evidence(db: Database, person_id: str, title: str, links: list[tuple[str, str]], now: datetime,
                 actor: str | None, kind: str | None = None, dated: str | None = None,
                 location: str | None = None, description: str | None = None) -> int:
    title = title.strip()
    if not title:
        raise EvidenceError("The evidence needs a name, e.g. “the trust's annual accounts pack”.")
    with db.atomic():
        evidence_id = db["evidence"].insert({"person_id": person_id, "title": title[:300], "kind": kind,
                                             "dated": dated, "location": location,
                                             "description": description[:2000] if description else None,
                                             "created_at": now.isoformat()}).last_pk
        db["evidence_links"].insert_all([{"evidence_id": evidence_id, "unit_code": u, "ac": a} for u, a in links],
                                        pk=("evidence_id", "unit_code", "ac"), ignore=True)
        record(db, now, actor, "evidence_add", person_id, evidence=evidence_id, links=links)
    return evidence_id


def evidence_of(db: Database, person_id: str) -> list[EvidenceItem]:
    links: dict[int, list[tuple[str, str]]] = {}
    for row in db.query("SELECT l.evidence_id, l.unit_code, l.ac FROM evidence_links l JOIN evidence e "
                        "ON e.id = l.evidence_id WHERE e.person_id = ? ORDER BY l.unit_code, l.ac", [person_id]):
        links.setdefault(row["evidence_id"], []).append((row["unit_code"], row["ac"]))
    return [EvidenceItem(r["id"], r["title"], r["kind"], r["dated"], r["location"], tuple(links.get(r["id"], ())))
            for r in db.query("SELECT * FROM evidence WHERE person_id = ? ORDER BY id", [person_id])]


def _own(db: Database, person_id: str, evidence_id: int) -> None:
    if not list(db.query("SELECT 1 FROM evidence WHERE id = ? AND person_id = ?", [evidence_id, person_id])):
        raise EvidenceError(f"You have no evidence item {evidence_id}.")


def rename_evidence(db: Database, person_id: str, evidence_id: int, title: str, now: datetime,
                    actor: str | None) -> None:
    _own(db, person_id, evidence_id)
    if not title.strip():
        raise EvidenceError("The new name is empty.")
    with db.atomic():
        db["evidence"].update(evidence_id, {"title": title.strip()[:300]})
        record(db, now, actor, "evidence_rename", person_id, evidence=evidence_id)


def unmap_evidence(db: Database, person_id: str, evidence_id: int, links: list[tuple[str, str]], now: datetime,
                   actor: str | None) -> int:
    """Remove links; returns how many were removed (0 means nothing to undo)."""
    _own(db, person_id, evidence_id)
    removed = 0
    with db.atomic():
        for unit_code, ac in links:
            cursor = db.execute("DELETE FROM evidence_links WHERE evidence_id = ? AND unit_code = ? AND ac = ?",
                                [evidence_id, unit_code, ac])
            removed += cursor.rowcount
        if removed:
            record(db, now, actor, "evidence_unmap", person_id, evidence=evidence_id, links=links)
    return removed
