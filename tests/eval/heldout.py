"""The held-out sets: written from the specifications alone, by someone who never saw the bot's code.

- ``heldout.jsonl``: questions (``"question"``) and conversations (``"text"`` + ``"conversation"``,
  turns in file order), each with ``expect: {behaviour, unit, ac, must_mention}``; an optional
  ``user_qualification`` asks as a learner registered on that qualification.
- ``heldout_requests.jsonl``: records, reminder, tutor and manager requests on the small centre of
  ``heldout_centre.yaml`` (fixed clock), each on a fresh copy of the centre unless turns share a
  ``conversation``; ``expect`` adds ``must_not_mention`` and ``state`` (read back from the store).

These sets are only ever scored: nothing in the bot is tuned to one of their items.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import median
from typing import Any

import yaml
from sqlite_utils import Database

from bot.dialogue import Dialogue
from bot.records.evidence import log_evidence
from bot.records.qualification_names import resolve_qualification
from bot.records.registration import current_registration, enrol
from bot.store import open_store
from bot.types import Message, Reply
from knowledge.kb import KnowledgeBase

EVAL_DIR = Path(__file__).resolve().parent


def read_jsonl(name: str) -> list[dict[str, Any]]:
    lines = (EVAL_DIR / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def groups(items: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Single items one by one; the turns of a conversation together, in file order."""
    seen: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        conversation = item.get("conversation")
        if conversation is None:
            yield [item]
        elif conversation not in seen:
            seen[conversation] = [i for i in items if i.get("conversation") == conversation]
            yield seen[conversation]


@dataclass
class Score:
    """Right / total per expected behaviour, the misses, invented answers and reply lengths."""

    right: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)
    answer_lengths: list[int] = field(default_factory=list)
    by_facet: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, expected: str, problems: list[str], label: str, facet: str | None = None) -> None:
        self.total[expected] += 1
        self.by_facet[facet or "-"]["total"] += 1
        if problems:
            self.misses.append(f"{label}: expected {expected}, " + "; ".join(problems))
        else:
            self.right[expected] += 1
            self.by_facet[facet or "-"]["right"] += 1

    @property
    def overall(self) -> float:
        total = sum(self.total.values())
        return sum(self.right.values()) / total if total else 1.0

    def report(self, title: str, show_misses: bool = False) -> list[str]:
        lines = [title]
        for kind in sorted(self.total, key=lambda k: -self.total[k]):
            r, t = self.right[kind], self.total[kind]
            lines.append(f"  {kind:<8} {r:3d}/{t:<3d} {r / t:6.1%}")
        lines.append(f"  overall  {sum(self.right.values())}/{sum(self.total.values())} {self.overall:6.1%}"
                     f"   invented answers: {len(self.invented)}")
        if self.answer_lengths:
            lines.append(f"  median answer length: {median(self.answer_lengths):.0f} characters")
        if len(self.by_facet) > 1:
            lines.append("  per facet (the facet the bot read):")
            for facet, c in sorted(self.by_facet.items(), key=lambda kv: -kv[1]["total"]):
                lines.append(f"    {facet:<22} {c['right']:3d}/{c['total']:<3d}")
        if show_misses:
            lines += [f"  miss: {m}" for m in self.misses]
        return lines


def reply_text(replies: list[Reply]) -> str:
    return "\n".join(r.text() for r in replies)


def _refs(replies: list[Reply]) -> list[tuple[str, str | None]]:
    return [(ref.unit, ref.ac) for reply in replies for ref in reply.refs]


def _facet(replies: list[Reply]) -> str | None:
    return getattr(replies[0], "facet", None) or replies[0].intent


def question_problems(expect: dict[str, Any], replies: list[Reply]) -> list[str]:
    kind = replies[0].kind
    wanted = expect["behaviour"]
    problems = [] if kind == wanted else [f"kind {kind}"]
    refs = _refs(replies)
    if wanted == "answer" and expect.get("unit"):
        if not any(u == expect["unit"] for u, _ in refs):
            problems.append(f"unit {sorted({u for u, _ in refs})}")
        elif expect.get("ac") and (expect["unit"], expect["ac"]) not in refs:
            problems.append(f"ac {[a for _, a in refs]}")
    text = reply_text(replies).lower()
    problems += [f"missing {p!r}" for p in expect.get("must_mention") or [] if p.lower() not in text]
    problems += [f"mentions {p!r}" for p in expect.get("must_not_mention") or [] if p.lower() in text]
    return problems


# --- the question set -------------------------------------------------------------------------------

def _learner_on(db: Database, kb: KnowledgeBase, title: str, now: datetime) -> str:
    """A learner registered on ``title`` (created once per qualification)."""
    q = resolve_qualification(kb, title)
    pid = f"eval:heldout-{q.id}"
    if not db["people"].count_where("id = ?", [pid]):
        db["people"].insert({"id": pid, "name": f"Heldout Learner {q.level}", "role": "learner",
                             "created_at": now.isoformat()})
        db["identities"].insert({"id": pid, "person_id": pid, "platform": "console", "active": 1,
                                 "created_at": now.isoformat()})
        enrol(db, kb, pid, q.id, now.date().replace(year=now.year - 1), now, "eval")
    return pid


def score_questions(make_dialogue: Callable[[], Dialogue], kb: KnowledgeBase, now: datetime,
                    name: str = "heldout.jsonl") -> Score:
    dialogue = make_dialogue()
    score = Score()
    for n, group in enumerate(groups(read_jsonl(name))):
        conversation = f"heldout:{n}"
        for item in group:
            text = item.get("question") or item["text"]
            person = "eval:stranger"
            if item.get("user_qualification"):
                person = _learner_on(dialogue.db, kb, item["user_qualification"], now)
            replies = dialogue.handle(Message(person, conversation, text, "console"), now)
            expect = item["expect"]
            problems = question_problems(expect, replies)
            score.add(expect["behaviour"], problems, f"{item['id']} {text!r}", _facet(replies))
            if expect["behaviour"] == "decline" and replies[0].kind == "answer":
                score.invented.append(item["id"])
            if replies[0].kind == "answer":
                score.answer_lengths.append(len(reply_text(replies)))
    return score


# --- the centre and its requests -------------------------------------------------------------------

def load_centre(db: Database, kb: KnowledgeBase, spec: dict[str, Any]) -> None:
    """The centre of ``heldout_centre.yaml``: people, tutors, cohorts, registrations, plans, evidence,
    decisions and last activity, written through the records functions where they exist."""
    now = datetime.fromisoformat(spec["now"])
    stamp = now.isoformat()
    centre_id = db["centres"].insert({"name": spec["centre"]}).last_pk
    cohorts = {name: db["cohorts"].insert({"centre_id": centre_id, "name": name}).last_pk
               for name in spec.get("cohorts") or []}
    for p in spec["people"]:
        db["people"].insert({"id": p["id"], "name": p["name"], "email": f"{p['id'].split(':')[1]}@example.org",
                             "role": p["role"], "centre_id": centre_id, "cohort_id": cohorts.get(p.get("cohort")),
                             "created_at": stamp,
                             "last_active_at": f"{p['last_active']}T12:00:00+00:00" if p.get("last_active") else None})
        db["identities"].insert({"id": p["id"], "person_id": p["id"], "platform": "console", "active": 1,
                                 "created_at": stamp})
    for p in spec["people"]:
        if p["role"] != "learner":
            continue
        if p.get("tutor"):
            db["tutor_learners"].insert({"tutor_id": p["tutor"], "learner_id": p["id"]})
        q = resolve_qualification(kb, p["qualification"])
        enrol(db, kb, p["id"], q.id, date.fromisoformat(p["registered_on"]), now, "eval")
        reg = current_registration(db, p["id"])
        assert reg is not None
        for item in p.get("plan") or []:
            db["plan_units"].upsert({"registration_id": reg.id, "unit_code": item["unit"],
                                     "target_date": item.get("target"), "added_at": stamp},
                                    pk=("registration_id", "unit_code"))
        for ev in p.get("evidence") or []:
            logged = datetime.fromisoformat(f"{ev['logged_on']}T12:00:00+00:00")
            log_evidence(db, p["id"], ev["name"], [(c["unit"], c["ac"]) for c in ev.get("criteria") or []],
                         logged, p["id"])
        for d in p.get("decisions") or []:
            db["decisions"].insert({"registration_id": reg.id, "unit_code": d["unit"], "ac": d["ac"],
                                    "outcome": d["outcome"], "assessor_id": p.get("tutor"),
                                    "feedback": d.get("feedback"), "decided_at": f"{d['on']}T12:00:00+00:00"})


# Tables whose rows are the people's records: "unchanged" compares them before and after.
RECORD_TABLES = ("people", "tutor_learners", "registrations", "plan_units", "criterion_progress", "evidence",
                 "evidence_links", "decisions", "reminder_rules", "reminder_prefs", "breaks")
_VOLATILE = {"last_active_at"}


def snapshot(db: Database) -> dict[str, list[tuple]]:
    out = {}
    for table in RECORD_TABLES:
        if not db[table].exists():
            continue
        rows = [tuple(sorted((k, v) for k, v in row.items() if k not in _VOLATILE)) for row in db[table].rows]
        out[table] = sorted(rows, key=repr)
    return out


def _registration_id(db: Database, person: str) -> int | None:
    reg = current_registration(db, person)
    return reg.id if reg else None


def _first_due(schedule: dict[str, Any], now: datetime) -> str | None:
    """The first day a stored schedule fires on or after ``now`` (ISO): its date, its deadline's nudges, or the
    next of its weekdays."""
    if schedule.get("at"):
        return schedule["at"][:10]
    if schedule.get("date"):
        days = sorted(schedule.get("days_before") or [0], reverse=True)
        first = date.fromisoformat(schedule["date"]) - timedelta(days=days[0])
        return max(first, now.date()).isoformat()
    if "weekday" in schedule:
        ahead = (schedule["weekday"] - now.weekday()) % 7
        hour, minute = map(int, (schedule.get("time") or "09:00").split(":"))
        if ahead == 0 and (now.hour, now.minute) >= (hour, minute):
            ahead = 7
        return (now.date() + timedelta(days=ahead)).isoformat()
    return None


def state_problems(db: Database, checks: list[dict[str, Any]], before: dict[str, list[tuple]],
                   now: datetime) -> list[str]:
    problems = []
    for check in checks:
        (key, want), = check.items()
        if key == "unchanged":
            if want and snapshot(db) != before:
                changed = [t for t, rows in snapshot(db).items() if rows != before.get(t)]
                problems.append(f"changed {changed}")
            continue
        reg = _registration_id(db, want["person"])
        if key in ("target", "plan_has", "plan_lacks"):
            row = next(iter(db.query("SELECT target_date FROM plan_units WHERE registration_id = ? AND unit_code = ?",
                                     [reg, want["unit"]])), None)
            if key == "plan_lacks" and row is not None:
                problems.append(f"{want['unit']} still in plan")
            elif key != "plan_lacks" and row is None:
                problems.append(f"{want['unit']} not in plan")
            elif key == "target" and (row["target_date"] or "")[:10] != want["date"]:
                problems.append(f"target {row['target_date']} not {want['date']}")
        elif key == "evidence":
            found = False
            for ev in db.query("SELECT id, title FROM evidence WHERE person_id = ?", [want["person"]]):
                if want["name_contains"].lower() not in ev["title"].lower():
                    continue
                links = {(r["unit_code"], r["ac"]) for r in
                         db.query("SELECT unit_code, ac FROM evidence_links WHERE evidence_id = ?", [ev["id"]])}
                if all((c["unit"], c["ac"]) in links for c in want.get("criteria") or []):
                    found = True
            if not found:
                problems.append(f"no evidence {want['name_contains']!r} with {want.get('criteria')}")
        elif key == "decision":
            row = next(iter(db.query("SELECT outcome FROM decisions WHERE registration_id = ? AND unit_code = ? "
                                     "AND ac = ? ORDER BY decided_at DESC, id DESC LIMIT 1",
                                     [reg, want["unit"], want["ac"]])), None)
            if row is None or row["outcome"] != want["outcome"]:
                problems.append(f"decision {row and row['outcome']} not {want['outcome']}")
        elif key == "paused_until":
            row = next(iter(db.query("SELECT paused_until FROM reminder_prefs WHERE person_id = ?",
                                     [want["person"]])), None)
            if row is None or not (row["paused_until"] or "").startswith(want["date"]):
                problems.append(f"paused_until {row and row['paused_until']} not {want['date']}")
        elif key == "reminder":
            # The person's own reminders, and those reaching them through their tutor's group or their cohort.
            rows = list(db.query(
                "SELECT message, schedule FROM reminder_rules WHERE cancelled_at IS NULL AND ("
                "(audience_kind = 'person' AND audience_ref = :p) OR owner_id = :p OR "
                "(audience_kind = 'tutor_learners' AND audience_ref IN (SELECT tutor_id FROM tutor_learners "
                "WHERE learner_id = :p)) OR (audience_kind = 'cohort' AND audience_ref IN "
                "(SELECT CAST(cohort_id AS TEXT) FROM people WHERE id = :p)))", {"p": want["person"]}))
            fits = [r for r in rows if want["text_contains"].lower() in r["message"].lower()
                    and (not want.get("first_due") or _first_due(json.loads(r["schedule"]), now) == want["first_due"])]
            if not fits:
                problems.append(f"no reminder {want['text_contains']!r}")
        elif key == "break_until":
            row = next(iter(db.query("SELECT planned_until FROM breaks WHERE registration_id = ? AND ended_on IS NULL "
                                     "ORDER BY id DESC LIMIT 1", [reg])), None)
            if row is None or not (row["planned_until"] or "").startswith(want["date"]):
                problems.append(f"break until {row and row['planned_until']} not {want['date']}")
        else:
            problems.append(f"unknown check {key}")
    return problems


def score_requests(make_dialogue: Callable[[Database], Dialogue], kb: KnowledgeBase,
                   name: str = "heldout_requests.jsonl") -> tuple[Score, dict[str, Score]]:
    """Overall and per-role scores; each group of turns runs on a fresh copy of the centre."""
    spec = yaml.safe_load((EVAL_DIR / "heldout_centre.yaml").read_text(encoding="utf-8"))
    now = datetime.fromisoformat(spec["now"])
    roles = {p["id"]: p["role"] for p in spec["people"]}
    score, per_role = Score(), defaultdict(Score)
    for n, group in enumerate(groups(read_jsonl(name))):
        db = open_store(None)
        load_centre(db, kb, spec)
        dialogue = make_dialogue(db)
        for item in group:
            before = snapshot(db)
            replies = dialogue.handle(Message(item["user"], f"heldout-req:{n}", item["text"], "console"), now)
            expect = item["expect"]
            problems = question_problems(expect, replies) + state_problems(db, expect.get("state") or [], before, now)
            label = f"{item['id']} ({roles.get(item['user'])}) {item['text']!r}"
            for s in (score, per_role[roles.get(item["user"], "?")]):
                s.add(expect["behaviour"], problems, label, _facet(replies))
    return score, dict(per_role)


def words_only(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
