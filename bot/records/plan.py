"""Assessment plans: the units a learner will take, checked against the rules of combination."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.db import Database
from bot.records.audit import record
from bot.records.registration import Registration
from knowledge.kb import KnowledgeBase
from knowledge.model import Qualification


class PlanError(ValueError):
    """A plan change the rules of combination do not allow; the message says why, for the learner."""


@dataclass(frozen=True)
class PlanUnit:
    code: str
    mandatory: bool
    target_date: date | None


@dataclass
class PlanCheck:
    """Whether a set of units satisfies the rules of combination, and what is still missing."""

    complete: bool
    missing: list[str] = field(default_factory=list)
    credits: int = 0


def plan_of(db: Database, registration_id: int) -> list[PlanUnit]:
    rows = db.query("SELECT * FROM plan_units WHERE registration_id = ? ORDER BY unit_code", [registration_id])
    return [PlanUnit(r["unit_code"], bool(r["mandatory"]),
                     date.fromisoformat(r["target_date"]) if r["target_date"] else None) for r in rows]


def _credits(kb: KnowledgeBase, codes: list[str]) -> int:
    return sum(kb.units[c].credits or 0 for c in codes)


def _group_allocation(kb: KnowledgeBase, q: Qualification, codes: list[str]) -> dict[str, list[str]]:
    """Each unit in one group only: fill the groups with the fewest eligible units first."""
    groups = q.rules_of_combination.get("groups") or []
    allocation: dict[str, list[str]] = {g["name"]: [] for g in groups}
    for code in sorted(codes, key=lambda c: sum(c in g["units"] for g in groups)):
        eligible = [g for g in groups if code in g["units"]]
        if not eligible:
            continue
        # The group furthest from its minimum takes the unit.
        short = sorted(eligible, key=lambda g: _credits(kb, allocation[g["name"]]) - (g.get("min_credits") or 0))
        allocation[short[0]["name"]].append(code)
    return allocation


def check_plan(kb: KnowledgeBase, q: Qualification, codes: list[str]) -> PlanCheck:
    roc = q.rules_of_combination
    credits = _credits(kb, codes)
    missing = [f"{c} {kb.units[c].title} (mandatory)" for c in q.mandatory_units if c not in codes]
    optional = [c for c in codes if c in (roc.get("optional") or [])]
    need_optional = roc.get("min_optional_units") or 0
    if len(optional) < need_optional:
        missing.append(f"at least {need_optional} optional unit{'s' if need_optional > 1 else ''}")
    if roc.get("min_credits") and credits < roc["min_credits"]:
        missing.append(f"at least {roc['min_credits']} credits (the plan has {credits})")
    if roc.get("groups"):
        allocation = _group_allocation(kb, q, codes)
        for group in roc["groups"]:
            have = _credits(kb, allocation[group["name"]])
            if group.get("min_credits") and have < group["min_credits"]:
                missing.append(f"at least {group['min_credits']} credits from {group['name']} (the plan has {have})")
    share = roc.get("min_share_at_level")
    if share and credits:
        at_level = _credits(kb, [c for c in codes if kb.units[c].level == share["level"]])
        if at_level * 100 <= share["more_than_percent"] * credits:
            missing.append(f"more than {share['more_than_percent']}% of credits at Level {share['level']} "
                           f"(the plan has {at_level} of {credits})")
    return PlanCheck(not missing, missing, credits)


def add_unit(db: Database, kb: KnowledgeBase, reg: Registration, code: str, now: datetime,
             actor: str | None) -> PlanCheck:
    q = kb.qualifications[reg.qualification_id]
    unit = kb.unit(code)
    if unit is None or code not in q.units:
        raise PlanError(f"{code} isn't a unit of the {q.title}, so it can't go in your plan.")
    current = [u.code for u in plan_of(db, reg.id)]
    if code in current:
        raise PlanError(f"{code} {unit.title} is already in your plan.")
    with db.atomic():
        db["plan_units"].insert({"registration_id": reg.id, "unit_code": code, "mandatory": 0,
                                 "added_at": now.isoformat()})
        record(db, now, actor, "plan_add", reg.person_id, unit=code)
    return check_plan(kb, q, current + [code])


def drop_unit(db: Database, kb: KnowledgeBase, reg: Registration, code: str, now: datetime,
              actor: str | None) -> PlanCheck:
    q = kb.qualifications[reg.qualification_id]
    plan = {u.code: u for u in plan_of(db, reg.id)}
    if code not in plan:
        raise PlanError(f"{code} isn't in your plan, so there's nothing to drop.")
    if code in q.mandatory_units:
        reason = ("every unit is required" if q.rules_of_combination.get("all_units_required")
                  else "it is a mandatory unit")
        raise PlanError(f"{code} {kb.units[code].title} can't be dropped from the {q.title}: {reason}.")
    with db.atomic():
        db.execute("DELETE FROM plan_units WHERE registration_id = ? AND unit_code = ?", [reg.id, code])
        record(db, now, actor, "plan_drop", reg.person_id, unit=code)
    return check_plan(kb, q, [c for c in plan if c != code])


def set_target(db: Database, reg: Registration, code: str, target: date, now: datetime, actor: str | None) -> None:
    plan = {u.code for u in plan_of(db, reg.id)}
    if code not in plan:
        raise PlanError(f"{code} isn't in your plan yet — add it first, then set a target date.")
    if target < now.date():
        raise PlanError("That date has already passed — choose a date from today onwards.")
    with db.atomic():
        db["plan_units"].update((reg.id, code), {"target_date": target.isoformat()})
        record(db, now, actor, "plan_target", reg.person_id, unit=code, target=target.isoformat())
