"""The demo centre: a manager, a tutor and three learners on different qualifications, with plans,
evidence, targets and decisions dated relative to today, so a newcomer's first `make chat` shows the whole
product (records, tutor and manager views) without writing a roster. Ids are in the ``demo:`` namespace.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from bot.db import Database
from bot.records.evidence import log_evidence
from bot.records.qualification_names import resolve_qualification
from bot.records.registration import current_registration, enrol
from knowledge.kb import KnowledgeBase

DEMO_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "demo"
LEARNER, TUTOR, MANAGER = "demo:lena", "demo:theo", "demo:maya"
ROLES = {"learner": LEARNER, "tutor": TUTOR, "manager": MANAGER}


def is_empty(db: Database) -> bool:
    return not db["people"].exists() or db["people"].count == 0


def _people(db: Database, kb: KnowledgeBase, now: datetime, directory: Path) -> None:
    """The roster (the CSV columns of ``admin import-roster``), with relative registration dates ("-400": 400
    days ago) made real. Written directly: ``demo:`` ids are not a platform's, and speak in the console."""
    today = now.date()
    centres: dict[str, int] = {}
    cohorts: dict[tuple[int, str], int] = {}
    rows = list(csv.DictReader((directory / "roster.csv").read_text(encoding="utf-8").splitlines()))
    for row in rows:
        if row["centre"] not in centres:
            centres[row["centre"]] = db["centres"].insert({"name": row["centre"]}).last_pk
        centre = centres[row["centre"]]
        cohort = None
        if row["cohort"]:
            cohort = cohorts.get((centre, row["cohort"])) or db["cohorts"].insert(
                {"centre_id": centre, "name": row["cohort"]}).last_pk
            cohorts[(centre, row["cohort"])] = cohort
        db["people"].insert({"id": row["id"], "name": row["name"], "email": row["email"], "role": row["role"],
                             "centre_id": centre, "cohort_id": cohort, "created_at": now.isoformat()})
        db["identities"].insert({"id": row["id"], "person_id": row["id"], "platform": "console", "active": 1,
                                 "created_at": now.isoformat()})
    for row in rows:
        if row["role"] != "learner":
            continue
        if row["tutor"]:
            db["tutor_learners"].insert({"tutor_id": row["tutor"], "learner_id": row["id"]})
        registered = today + timedelta(days=int(row["registered_on"]))
        enrol(db, kb, row["id"], resolve_qualification(kb, row["qualification"]).id, registered, now, "demo")


def _expanded(kb: KnowledgeBase, items: list[dict]) -> list[dict]:
    """Decisions as listed, with ``{unit: …, all_met: true}`` standing for every criterion of the unit met."""
    out = []
    for item in items:
        if item.get("all_met"):
            out += [{"unit": item["unit"], "ac": c.id, "outcome": "met", "days": item["days"]}
                    for c in kb.units[item["unit"]].criteria]
        else:
            out.append(item)
    return out


def load_demo(db: Database, kb: KnowledgeBase, now: datetime, directory: Path = DEMO_DIR) -> None:
    """Load the demo centre into an empty database (its roster, then plans, evidence and decisions)."""
    today = now.date()
    with db.atomic():
        _people(db, kb, now, directory)
    records = yaml.safe_load((directory / "records.yaml").read_text(encoding="utf-8"))
    with db.atomic():
        for person, units in (records.get("plans") or {}).items():
            reg = current_registration(db, person)
            assert reg is not None, person
            for item in units:
                db["plan_units"].upsert({"registration_id": reg.id, "unit_code": item["unit"],
                                         "target_date": (today + timedelta(days=item["target"])).isoformat()
                                         if item.get("target") is not None else None,
                                         "added_at": now.isoformat()}, pk=("registration_id", "unit_code"))
        for person, items in (records.get("evidence") or {}).items():
            for item in items:
                when = now + timedelta(days=item["days"])
                log_evidence(db, person, item["title"], [tuple(c) for c in item["criteria"]], when, person)
        for person, items in (records.get("decisions") or {}).items():
            reg = current_registration(db, person)
            assert reg is not None, person
            for item in _expanded(kb, items):
                db["decisions"].insert({"registration_id": reg.id, "unit_code": item["unit"], "ac": item["ac"],
                                        "outcome": item["outcome"], "assessor_id": TUTOR,
                                        "feedback": item.get("feedback"),
                                        "decided_at": (now + timedelta(days=item["days"])).isoformat()})
