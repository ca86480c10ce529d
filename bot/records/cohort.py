"""Cohort views for tutors and managers, computed in a handful of queries however large the centre.

``scope_for(actor)`` decides whose records a view may include (managers their centre, tutors their
learners, admins everyone); every function here takes that scope, so authorisation is applied once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.db import Database
from bot.records.people import Person, learners_of
from bot.records.registration import Registration
from bot.records.standing import Standing, fraction_elapsed, projection, rag
from knowledge.kb import KnowledgeBase


@dataclass(frozen=True)
class Scope:
    """Which learners a view covers: SQL over ``people p`` and its parameters."""

    where: str
    params: tuple
    label: str


def scope_for(actor: Person, cohort_id: int | None = None) -> Scope | None:
    """The learners ``actor`` may see, optionally one cohort; None for learners (no cohort views)."""
    cohort = (" AND p.cohort_id = ?", (cohort_id,)) if cohort_id is not None else ("", ())
    if actor.role == "admin":
        return Scope("1 = 1" + cohort[0], cohort[1], "all centres")
    if actor.role == "manager" and actor.centre_id is not None:
        return Scope("p.centre_id = ?" + cohort[0], (actor.centre_id, *cohort[1]), "your centre")
    if actor.role == "tutor":
        return Scope("p.id IN (SELECT learner_id FROM tutor_learners WHERE tutor_id = ?)" + cohort[0],
                     (actor.id, *cohort[1]), "your learners")
    return None


def _unit_sizes(db: Database, kb: KnowledgeBase) -> None:
    """Criteria per unit in ``unit_sizes``, so totals and expected progress are summed in SQL; rewritten
    when the KB's units differ from the table's (one cheap check per view)."""
    sizes = {code: len(unit.criteria) for code, unit in kb.units.items()}
    count, total = db.execute("SELECT count(*), coalesce(sum(n), 0) FROM unit_sizes").fetchone()  # type: ignore[misc]
    if (count, total) == (len(sizes), sum(sizes.values())):
        return
    # Upserts, not delete-and-insert: two processes may refresh it at once.
    db.executemany("INSERT INTO unit_sizes (code, n) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET n = excluded.n",
                   list(sizes.items()))
    stale = [code for (code,) in db.execute("SELECT code FROM unit_sizes") if code not in sizes]
    db.executemany("DELETE FROM unit_sizes WHERE code = ?", [[code] for code in stale])


# Expected progress: each planned unit's criteria times the share of time gone from registration to the
# unit's target date (or the registration's expiry); a unit with neither date leaves the learner unpaced.
# Breaks in learning are taken off afterwards, for the few registrations that have had one.
# Day numbers are worked out once per registration in scope (a materialised CTE, so neither engine recomputes
# them for each of its plan rows), a plan row's own only when it has a target date, and today's is a
# parameter: the date arithmetic is most of the query's cost on PostgreSQL, where it is a cast from text.
# The plan rows are summed per registration (one integer key to group by) before the people's columns are
# joined on.
_PLAN_TOTALS = """
WITH g AS MATERIALIZED (
  SELECT r.id, {start} AS start_day, {expires} AS expires_day FROM registrations r WHERE r.id IN ({learners}))
SELECT r.id, r.person_id, r.qualification_id, r.registered_on, r.expires_on, r.status, p.name,
       coalesce(p.last_active_at, p.created_at) AS active,
       coalesce(t.total, 0), coalesce(t.expected, 0), coalesce(t.unpaced, 0)
FROM registrations r JOIN people p ON p.id = r.person_id
LEFT JOIN (SELECT registration_id, sum(n) AS total,
                  sum(n * CASE WHEN end_day IS NULL THEN 0 WHEN end_day <= start_day THEN 1.0
                               ELSE {share} END) AS expected,
                  sum(CASE WHEN end_day IS NULL THEN 1 ELSE 0 END) AS unpaced
           FROM (SELECT u.registration_id, s.n, g.start_day,
                        CASE WHEN u.target_date IS NULL THEN g.expires_day ELSE {target} END AS end_day
                 FROM g JOIN plan_units u ON u.registration_id = g.id
                 JOIN unit_sizes s ON s.code = u.unit_code) x
           GROUP BY registration_id) t ON t.registration_id = r.id
WHERE r.id IN (SELECT id FROM g)
"""
_LEARNERS = ("SELECT r.id FROM registrations r JOIN people p ON p.id = r.person_id WHERE p.erased_at IS NULL "
             "AND p.role = 'learner' AND r.status IN ('active', 'on_break') AND {where}")


def _plan_totals(db: Database, where: str) -> str:
    """The plan totals query; its parameters are the scope's, then today's day number."""
    d = db.dialect
    return _PLAN_TOTALS.format(start=d.day_number("r.registered_on"), expires=d.day_number("r.expires_on"),
                               target=d.day_number("u.target_date"),
                               share=d.clamp01("(? - start_day) / (end_day - start_day)"),
                               learners=_LEARNERS.format(where=where))


def standings(db: Database, kb: KnowledgeBase, scope: Scope, today: date,
              with_evidence: bool = False) -> list[Standing]:
    """Every learner in scope with their standing (see ``bot.records.standing``), in two or three queries.

    Totals, expected progress and criteria met are summed in SQL and rows come back as tuples: at 10,000
    learners, Python loops over plan rows cost more than the queries. Criteria with evidence only when asked.
    """
    _unit_sizes(db, kb)
    rows = db.execute(_plan_totals(db, scope.where), (*scope.params, db.dialect.day_value(today))).fetchall()
    rows.sort(key=lambda r: (r[6] or "", r[1]))        # by name: sorting here is cheaper than in SQL
    # Criteria met in planned units; the latest decision on a criterion stands (a referral after a met
    # is a referral). Driven from the registrations in scope so the decisions index is walked in order.
    met = dict(db.execute(
        f"SELECT d.registration_id, count(*) FROM decisions d WHERE {_LATEST_MET} AND EXISTS (SELECT 1 FROM "
        "plan_units u WHERE u.registration_id = d.registration_id AND u.unit_code = d.unit_code) "
        "GROUP BY d.registration_id".format(where=scope.where), scope.params).fetchall())
    evidenced: dict[str, int] = {}
    if with_evidence:
        evidenced = dict(db.execute(
            "SELECT r.person_id, count(DISTINCT l.unit_code || ' ' || l.ac) FROM evidence e JOIN evidence_links l "
            "ON l.evidence_id = e.id JOIN registrations r ON r.person_id = e.person_id AND r.status IN "
            "('active', 'on_break') JOIN plan_units u ON u.registration_id = r.id AND u.unit_code = l.unit_code "
            f"JOIN people p ON p.id = r.person_id WHERE {scope.where} AND NOT EXISTS (SELECT 1 FROM decisions d "
            "WHERE d.registration_id = r.id AND d.unit_code = l.unit_code AND d.ac = l.ac AND d.outcome = 'met') "
            "GROUP BY r.person_id", scope.params).fetchall())
    paused = _break_days(db, scope, today)
    if paused:
        expected_without_breaks = _expected_with_breaks(db, paused, today)
        rows = [r[:9] + (expected_without_breaks.get(r[0], r[9]),) + r[10:] for r in rows]
    out = []
    for (reg_id, person, qualification, registered, expires, status, name, active, total, expected,
         unpaced) in rows:
        break_days = paused.get(reg_id, 0)
        reg = Registration(reg_id, person, qualification, date.fromisoformat(registered),
                           date.fromisoformat(expires) if expires else None, status)
        met_count = met.get(reg_id, 0)
        expected_percent = 100.0 * expected / total if total and not unpaced else None
        projected = projection(reg.registered_on, today, met_count, total, paused_days=int(break_days))
        out.append(Standing(person, name, reg, total, met_count, evidenced.get(person, 0), expected_percent,
                            datetime.fromisoformat(active) if active else None, projected,
                            rag(status, expected_percent, met_count, total, projected, reg.expires_on)))
    return out


# A "met" decision (``d``) on a learner in scope that no later decision on the same criterion overrides:
# the latest stands (a referral after a met is a referral). One probe of the decisions index per met
# decision, on either engine.
_LATEST_MET = ("d.outcome = 'met' AND d.registration_id IN (SELECT r.id FROM registrations r JOIN people p "
               "ON p.id = r.person_id WHERE {where}) AND NOT EXISTS (SELECT 1 FROM decisions l "
               "WHERE l.registration_id = d.registration_id AND l.unit_code = d.unit_code AND l.ac = d.ac "
               "AND (l.decided_at > d.decided_at OR (l.decided_at = d.decided_at AND l.id > d.id)))")


def _break_days(db: Database, scope: Scope, today: date) -> dict[int, int]:
    """Days spent on breaks in learning, per registration that has had one (usually few)."""
    return {reg: round(days) for reg, days in db.execute(
        f"SELECT b.registration_id, sum({db.dialect.day_number('coalesce(b.ended_on, ?)')} - "
        f"{db.dialect.day_number('b.started_on')}) FROM breaks b "
        f"JOIN registrations r ON r.id = b.registration_id JOIN people p ON p.id = r.person_id WHERE {scope.where} "
        "GROUP BY b.registration_id", (today.isoformat(), *scope.params))}


def _expected_with_breaks(db: Database, paused: dict[int, int], today: date) -> dict[int, float]:
    """Expected criteria for registrations with breaks: as if their clock stopped while they were away."""
    ids = list(paused)
    marks = ",".join("?" * len(ids))
    out: dict[int, float] = defaultdict(float)
    for reg_id, registered, expires, n, target in db.execute(
            f"SELECT r.id, r.registered_on, r.expires_on, s.n, u.target_date FROM registrations r JOIN plan_units u "
            f"ON u.registration_id = r.id JOIN unit_sizes s ON s.code = u.unit_code WHERE r.id IN ({marks})", ids):
        end = target or expires
        if end is None:
            continue
        in_learning = today - timedelta(days=paused[reg_id])
        out[reg_id] += n * fraction_elapsed(date.fromisoformat(registered), date.fromisoformat(end), in_learning)
    return out


def person_scope(person_id: str) -> Scope:
    """One learner (the caller has already checked the actor may see them)."""
    return Scope("p.id = ?", (person_id,), person_id)


def rag_counts(rows: list[Standing]) -> dict[str, int]:
    counts: dict[str, int] = {"red": 0, "amber": 0, "green": 0}
    for s in rows:
        counts[s.rag] = counts.get(s.rag, 0) + 1
    return counts


def expiring(rows: list[Standing], today: date, months: int) -> list[Standing]:
    """Learners whose registration expires within ``months`` and who haven't completed, soonest first."""
    horizon = today + timedelta(days=round(months * 30.44))
    due = [s for s in rows if s.registration.expires_on and today <= s.registration.expires_on <= horizon
           and s.met < s.total]
    return sorted(due, key=lambda s: s.registration.expires_on)  # type: ignore[arg-type, return-value]


def gone_quiet(rows: list[Standing], now: datetime, days: int) -> list[Standing]:
    cutoff = now - timedelta(days=days)
    return sorted((s for s in rows if s.last_active is not None and s.last_active < cutoff),
                  key=lambda s: s.last_active)  # type: ignore[arg-type, return-value]


@dataclass(frozen=True)
class UnitSnag:
    code: str
    learners: int           # with the unit in their plan
    started: int            # with some evidence or a decision but not every criterion met
    referrals: int


def stuck_units(db: Database, kb: KnowledgeBase, scope: Scope) -> list[UnitSnag]:
    """Units where learners have started but not finished, and referrals, most stuck first.

    Rows come back as tuples, not dicts: at 10,000 learners building a dict per (learner, unit) row cost
    more than the queries themselves.
    """
    planned: dict[str, set[str]] = defaultdict(set)
    for code, person in db.execute(
            "SELECT u.unit_code, r.person_id FROM plan_units u JOIN registrations r ON r.id = u.registration_id "
            f"JOIN people p ON p.id = r.person_id WHERE r.status = 'active' AND {scope.where}", scope.params):
        planned[code].add(person)
    touched: dict[str, set[str]] = defaultdict(set)
    for person, code in db.execute(
            "SELECT DISTINCT e.person_id, l.unit_code FROM evidence e JOIN evidence_links l ON l.evidence_id = e.id "
            f"JOIN people p ON p.id = e.person_id WHERE {scope.where}", scope.params):
        touched[code].add(person)
    # Per learner and unit: criteria met, where the latest decision on a criterion stands (met then
    # referred is not met), as in ``standings``; and every referral made. Grouped by registration first
    # so SQLite follows the decisions index rather than sorting 30,000 rows.
    met: dict[tuple[str, str], int] = {}
    referrals: dict[str, int] = defaultdict(int)
    for person, code, n_met in db.execute(
            "SELECT r.person_id, d.unit_code, count(*) FROM decisions d JOIN registrations r ON r.id = "
            f"d.registration_id WHERE {_LATEST_MET} GROUP BY r.id, d.unit_code".format(where=scope.where),
            scope.params):
        met[(person, code)] = met.get((person, code), 0) + n_met
    for person, code, n_referred in db.execute(
            "SELECT r.person_id, d.unit_code, count(*) FROM decisions d JOIN registrations r ON r.id = "
            "d.registration_id JOIN people p ON p.id = r.person_id WHERE d.outcome <> 'met' AND "
            f"{scope.where} GROUP BY r.id, d.unit_code", scope.params):
        referrals[code] += n_referred
        touched[code].add(person)
    snags = []
    for code, learners in planned.items():
        unit = kb.units.get(code)
        size = len(unit.criteria) if unit else 0
        started = sum(1 for p in learners & touched[code] if met.get((p, code), 0) < size)
        snags.append(UnitSnag(code, len(learners), started, referrals[code]))
    return sorted(snags, key=lambda s: (-(s.started + s.referrals), -s.referrals, s.code))


def referrals_by_unit(db: Database, scope: Scope, since: date) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in db.query("SELECT d.unit_code, count(*) AS n FROM decisions d JOIN registrations r ON "
                        "r.id = d.registration_id JOIN people p ON p.id = r.person_id WHERE d.outcome = 'referred' "
                        f"AND d.decided_at >= ? AND {scope.where} GROUP BY d.unit_code ORDER BY n DESC, d.unit_code",
                        (since.isoformat(), *scope.params)):
        out[row["unit_code"]] = row["n"]
    return out


def without_evidence_for(db: Database, scope: Scope, unit_code: str) -> list[tuple[str, str | None]]:
    """(person id, name) of learners with the unit in their plan and no evidence logged against it."""
    return [(r["id"], r["name"]) for r in db.query(
        "SELECT DISTINCT p.id, p.name FROM plan_units u JOIN registrations r ON r.id = u.registration_id "
        "JOIN people p ON p.id = r.person_id WHERE u.unit_code = ? AND r.status = 'active' AND "
        f"{scope.where} AND NOT EXISTS (SELECT 1 FROM evidence e JOIN evidence_links l ON l.evidence_id = e.id "
        "WHERE e.person_id = p.id AND l.unit_code = ?) ORDER BY p.name", (unit_code, *scope.params, unit_code))]


def cohort_in_text(db: Database, actor: Person, text: str) -> dict | None:
    """A cohort of the actor's centre (any, for an admin) whose name ``text`` contains ("the Spring 2026
    cohort", "cohort spring 2026"); the longest name wins."""
    lowered = text.lower()
    params: list = []
    where = ""
    if actor.role != "admin" and actor.centre_id is not None:
        where, params = "WHERE centre_id = ?", [actor.centre_id]
    for row in db.query(f"SELECT * FROM cohorts {where} ORDER BY length(name) DESC", params):
        if row["name"].lower() in lowered:
            return row
    return None


def cohort_rows(db: Database, kb: KnowledgeBase, scope: Scope, today: date) -> list[dict]:
    """One row per learner for ``export cohort`` (ARCHITECTURE.md): ISO dates, progress as a percentage
    of criteria met, status the RAG word."""
    names = {r["id"]: r for r in db.query(
        "SELECT p.id, c.name AS centre, h.name AS cohort FROM people p LEFT JOIN centres c ON c.id = p.centre_id "
        f"LEFT JOIN cohorts h ON h.id = p.cohort_id WHERE {scope.where}", scope.params)}
    tutors: dict[str, list[str]] = defaultdict(list)
    for row in db.query(f"SELECT t.learner_id, t.tutor_id FROM tutor_learners t JOIN people p ON p.id = t.learner_id "
                        f"WHERE {scope.where} ORDER BY t.tutor_id", scope.params):
        tutors[row["learner_id"]].append(row["tutor_id"])
    rows = []
    for s in standings(db, kb, scope, today):
        reg = s.registration
        extra = names.get(s.person_id, {})
        rows.append({"id": s.person_id, "name": s.name, "centre": extra.get("centre"), "cohort": extra.get("cohort"),
                     "tutor": ";".join(tutors.get(s.person_id, [])), "qualification": reg.qualification_id,
                     "registered_on": reg.registered_on.isoformat(),
                     "expires_on": reg.expires_on.isoformat() if reg.expires_on else None,
                     "progress": f"{s.percent:.0f}%", "status": s.rag})
    return rows


def admin_scope(db: Database, centre: str | None, cohort: str | None) -> Scope:
    """A scope by centre and cohort names (``assessbot export cohort``: an administrator's tool)."""
    where, params, label = ["1 = 1"], [], []
    if centre:
        row = list(db.query("SELECT id FROM centres WHERE lower(name) = lower(?)", [centre]))
        if not row:
            raise LookupError(f"There is no centre “{centre}”.")
        where.append("p.centre_id = ?")
        params.append(row[0]["id"])
        label.append(centre)
    if cohort:
        rows = list(db.query("SELECT id FROM cohorts WHERE lower(name) = lower(?)" + (
            " AND centre_id = ?" if centre else ""), [cohort, *params[-1:]] if centre else [cohort]))
        if not rows:
            raise LookupError(f"There is no cohort “{cohort}”{' in ' + centre if centre else ''}.")
        where.append("p.cohort_id IN (" + ",".join(str(r["id"]) for r in rows) + ")")
        label.append(cohort)
    return Scope(" AND ".join(where), tuple(params), " / ".join(label) or "all centres")


def cohort_members(db: Database, cohort_id: int, owner: Person) -> list[str]:
    """Who a cohort reminder from ``owner`` may reach: a tutor's own learners in it; for a manager or an
    admin, everyone in it."""
    rows = db.execute("SELECT id FROM people WHERE cohort_id = ? AND role = 'learner' AND erased_at IS NULL "
                      "ORDER BY name", [cohort_id]).fetchall()
    members = [r[0] for r in rows]
    if owner.role == "tutor":
        mine = set(learners_of(db, owner.id))
        members = [m for m in members if m in mine]
    return members
