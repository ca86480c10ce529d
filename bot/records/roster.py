"""The roster: people, centres, cohorts, tutors and registrations imported from a CSV file.

Contract (ARCHITECTURE.md, ``assessbot admin import-roster``): the header
``id,name,email,role,centre,cohort,tutor,qualification,registered_on`` and one person per line.
Every row is checked before anything is written, and the whole import is one transaction, so a
bad file never leaves half a roster behind. Re-importing the same file changes nothing; a changed
file updates the people in it (people absent from the file are left alone — the roster may be one
centre's list).

The audit log outlives a person's erasure, so audit details here name fields and ids, never names
or e-mail addresses.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from rapidfuzz import fuzz, process

from bot.dates import DateError, parse_date
from bot.db import Database
from bot.records.audit import record
from bot.records.people import ROLES, get_person
from bot.records.registration import enrol, expiry
from knowledge.kb import KnowledgeBase
from knowledge.model import Qualification

COLUMNS = ("id", "name", "email", "role", "centre", "cohort", "tutor", "qualification", "registered_on")
PLATFORMS = ("console", "slack", "teams")
# Columns that only mean something for a learner; on a staff row they are ignored (with a note).
LEARNER_ONLY = ("tutor", "qualification", "registered_on")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Words that don't tell one qualification from another (the awarding body, filler words).
_TITLE_NOISE = frozenset("the for in of and a an qualification city guilds ilm cg".split())
_TITLE_WORD = re.compile(r"[a-z]+|\d+")
# Share of a title's words a partial title must cover to count ("School Business Leaders diploma"
# names the Level 5 diploma; "Diploma" alone names nothing).
MIN_TITLE_COVERAGE = 0.6


class RosterError(ValueError):
    """A roster that can't be imported; ``problems`` lists every one, "line N: …", for the person fixing it."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class RosterReport:
    """What an import did, counted, plus notes about values it ignored."""

    source: str
    rows: int = 0
    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    registrations_created: int = 0
    registrations_updated: int = 0
    centres_created: int = 0
    cohorts_created: int = 0
    identities_created: int = 0
    tutor_links_added: int = 0
    tutor_links_removed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any((self.people_created, self.people_updated, self.registrations_created,
                    self.registrations_updated, self.centres_created, self.cohorts_created,
                    self.identities_created, self.tutor_links_added, self.tutor_links_removed))

    def counts(self) -> dict[str, int]:
        """The counts alone (for the audit log and JSON)."""
        return {k: v for k, v in self.__dict__.items() if isinstance(v, int)}

    def summary(self) -> str:
        """A few readable lines for the person who ran the import."""
        lines = [
            f"Imported {self.source}: {self.rows} {'person' if self.rows == 1 else 'people'}"
            + ("." if self.changed else " — nothing to change, the records already match."),
            f"People: {self.people_created} created, {self.people_updated} updated, "
            f"{self.people_unchanged} unchanged.",
            f"Registrations: {self.registrations_created} created, {self.registrations_updated} updated.",
            f"Centres created: {self.centres_created}; cohorts created: {self.cohorts_created}; "
            f"identities created: {self.identities_created}.",
            f"Tutor links: {self.tutor_links_added} added, {self.tutor_links_removed} removed.",
        ]
        lines.extend(f"Note — {n}" for n in self.notes)
        return "\n".join(lines)


@dataclass(frozen=True)
class RosterRow:
    """One validated row, ready to write."""

    line: int
    id: str
    name: str
    email: str | None
    role: str
    centre: str | None
    cohort: str | None
    tutor: str | None
    qualification_id: str | None
    registered_on: date | None


# -- qualification titles -----------------------------------------------------------------------
def _title_words(text: str) -> list[str]:
    text = re.sub(r"\bl(?=\d)", "level ", text.lower().replace("&", " and "))    # "L7" → "level 7"
    return [w for w in _TITLE_WORD.findall(text) if w not in _TITLE_NOISE]


def _word_matches(query: str, title: str) -> bool:
    if query == title:
        return True
    if query.isdigit() or title.isdigit() or min(len(query), len(title)) < 4:
        return False        # levels and short words must be exact: "Level 6" is never "Level 5"
    return query[0] == title[0] and fuzz.ratio(query, title) >= 85


def closest_qualifications(kb: KnowledgeBase, text: str, limit: int = 3) -> list[Qualification]:
    """The qualifications whose titles look most like ``text`` (for "did you mean" messages)."""
    titles = {q.id: q.title for q in kb.qualifications.values()}
    found = process.extract(text, titles, scorer=fuzz.WRatio, limit=limit)
    return [kb.qualifications[key] for _, _, key in found]


def resolve_qualification(kb: KnowledgeBase, text: str) -> Qualification:
    """The qualification ``text`` names: its id, or its title matched case-insensitively and forgivingly.

    "Level 7 Diploma for Senior Leaders" finds "City & Guilds Level 7 Diploma for Senior Leaders";
    a misspelt word is forgiven, but a different level or an extra word is not, and a partial title
    must cover most of the real one. Raises :class:`LookupError` with a message naming the closest
    titles, or the candidates when ``text`` fits several.
    """
    wanted = text.strip()
    slug = re.sub(r"[\s_]+", "-", wanted.lower())
    if slug in kb.qualifications:
        return kb.qualifications[slug]
    query = _title_words(wanted)
    if query:
        exact = [q for q in kb.qualifications.values() if _title_words(q.title) == query]
        if len(exact) == 1:
            return exact[0]
        # Titles that have every word of the query (misspellings forgiven), with how much of each it covers.
        scored: list[tuple[float, Qualification]] = []
        for q in kb.qualifications.values():
            title = _title_words(q.title)
            if all(any(_word_matches(w, t) for t in title) for w in query):
                scored.append((sum(any(_word_matches(w, t) for w in query) for t in title) / len(title), q))
        whole = [q for covered, q in scored if covered == 1.0]
        if len(whole) == 1:
            return whole[0]         # the whole title, misspelt: "Level 6 Diploma in Managment"
        if len(scored) == 1 and scored[0][0] >= MIN_TITLE_COVERAGE:
            return scored[0][1]     # part of one title only: "School Business Leaders diploma"
        if len(scored) > 1:
            # "Level 6 diploma" is two qualifications: ask rather than guess.
            names = "; ".join(f"{q.title} ({q.id})" for _, q in sorted(scored, key=lambda pair: -pair[0]))
            raise LookupError(f"qualification “{wanted}” fits more than one: {names} — give the id to choose")
    closest = "; ".join(f"{q.title} ({q.id})" for q in closest_qualifications(kb, wanted))
    raise LookupError(f"unknown qualification “{wanted}” — the closest are: {closest}")


# -- reading and checking ---------------------------------------------------------------------
def _read(source: TextIO | str | Path) -> tuple[str, str]:
    """(a name for the source, its text); a path is read as UTF-8, with or without Excel's BOM."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            return path.name, path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise RosterError([f"{path}: no such file"]) from exc
        except UnicodeDecodeError as exc:
            raise RosterError([f"{path}: not UTF-8 text — in Excel, save it as “CSV UTF-8”"]) from exc
    return getattr(source, "name", "roster"), source.read().lstrip("\ufeff")


def platform_prefix(person_id: str) -> str | None:
    """``console`` / ``slack`` / ``teams`` for a platform id, None for a plain roster id."""
    prefix = person_id.split(":", 1)[0] if ":" in person_id else None
    return prefix if prefix in PLATFORMS else None


def check_id(person_id: str) -> str | None:
    """Why ``person_id`` can't be a person id, or None when it can."""
    if not person_id:
        return "id is missing"
    if re.search(r"\s", person_id):
        return f"id “{person_id}” has a space in it"
    if ":" in person_id:
        prefix, rest = person_id.split(":", 1)
        if prefix not in PLATFORMS:
            return (f"id “{person_id}” has an unknown platform “{prefix}:” — use console:, slack: or teams:, "
                    "or an id without a colon")
        if not rest:
            return f"id “{person_id}” has nothing after “{prefix}:”"
    return None


def check_identity(identity: str) -> str | None:
    """Why ``identity`` can't be a platform identity (``slack:U0123ABC``), or None when it can."""
    if not identity:
        return "the identity is missing"
    if platform_prefix(identity) is None or re.search(r"\s", identity) or not identity.split(":", 1)[1]:
        return f"identity “{identity}” should be a platform and an id, e.g. slack:U0123ABC, teams:… or console:…"
    return None


def check_email(email: str) -> str | None:
    return None if _EMAIL.match(email) else f"e-mail “{email}” isn't an e-mail address"


def check_role(role: str) -> str | None:
    return None if role in ROLES else f"unknown role “{role}” — use learner, tutor, manager or admin"


def _check_date(text: str, today: date) -> tuple[date | None, str | None]:
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text), None
        except ValueError:
            return None, f"registered_on {text} isn't a real date"
    hint = ""
    try:
        if re.search(r"\d{4}", text):
            hint = f" (did you mean {parse_date(text, today).isoformat()}?)"
    except DateError:
        pass
    return None, f"registered_on “{text}” isn't an ISO date — write it as YYYY-MM-DD, e.g. 2024-01-15{hint}"


def _parse_rows(text: str, kb: KnowledgeBase,
                today: date) -> tuple[list[RosterRow], dict[str, list[int]], list[str], list[str]]:
    """(good rows, the lines of every id in the file, problems, notes): each row checked on its own."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Excel in some locales saves "CSV" with semicolons; the header says which the file uses.
    reader = csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    header_line = 0
    header: list[str] | None = None
    for cells in reader:
        header_line = reader.line_num
        if any(c.strip() for c in cells):
            header = [c.strip().lower() for c in cells]
            break
    if header is None:
        raise RosterError(["line 1: the file is empty — it needs the header " + ",".join(COLUMNS)])
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise RosterError([f"line {header_line}: the header has no {', '.join(missing)} column"
                           f"{'s' if len(missing) > 1 else ''} — it should be " + ",".join(COLUMNS)])
    where = {c: header.index(c) for c in COLUMNS}
    rows: list[RosterRow] = []
    lines_of: dict[str, list[int]] = {}
    problems: list[str] = []
    notes: list[str] = []
    previous_end = reader.line_num
    for cells in reader:
        line = previous_end + 1          # where the record starts (a quoted value may span lines)
        previous_end = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.append(f"line {line}: {len(cells)} values, but the header has {len(header)} columns")
            continue
        if len(cells) < len(header):
            problems.append(f"line {line}: only {len(cells)} values, but the header has {len(header)} columns")
            continue
        value = {c: cells[i].strip() for c, i in where.items()}
        if value["id"]:
            lines_of.setdefault(value["id"], []).append(line)
        row_problems: list[str] = []
        person_id, role = value["id"], value["role"].lower()
        if (why := check_id(person_id)) is not None:
            row_problems.append(why)
        if not value["name"]:
            row_problems.append("name is missing")
        email = value["email"].lower() or None
        if email and (why := check_email(email)):
            row_problems.append(why)
        if not role:
            row_problems.append("role is missing — use learner, tutor, manager or admin")
        elif (why := check_role(role)) is not None:
            row_problems.append(why)
        if not value["centre"] and role in ("learner", "tutor", "manager"):
            row_problems.append(f"centre is missing — every {role} belongs to a centre")
        if value["cohort"] and not value["centre"]:
            row_problems.append(f"cohort “{value['cohort']}” needs a centre (cohorts belong to a centre)")
        qualification_id: str | None = None
        registered_on: date | None = None
        if role == "learner":
            if not value["qualification"]:
                row_problems.append("qualification is missing — a learner needs one")
            else:
                try:
                    qualification_id = resolve_qualification(kb, value["qualification"]).id
                except LookupError as exc:
                    row_problems.append(str(exc))
            if not value["registered_on"]:
                row_problems.append("registered_on is missing — a learner needs the date they registered")
            else:
                registered_on, why = _check_date(value["registered_on"], today)
                if why:
                    row_problems.append(why)
        elif role in ROLES:
            ignored = [c for c in LEARNER_ONLY if value[c]]
            if ignored:
                notes.append(f"line {line}: {', '.join(ignored)} ignored — {person_id} is a {role}, not a learner")
        problems.extend(f"line {line}: {p}" for p in row_problems)
        if not row_problems:
            rows.append(RosterRow(line, person_id, value["name"], email, role, value["centre"] or None,
                                  value["cohort"] or None, (value["tutor"] or None) if role == "learner" else None,
                                  qualification_id, registered_on))
    return rows, lines_of, problems, notes


def _cross_check(db: Database, rows: list[RosterRow], lines_of: dict[str, list[int]], problems: list[str]) -> None:
    """Checks across rows and against the records: duplicates, tutors, e-mails and identities in use."""
    for person_id, lines in lines_of.items():
        problems.extend(f"line {n}: duplicate id {person_id} (already on line {lines[0]})" for n in lines[1:])
    by_id: dict[str, RosterRow] = {}
    by_email: dict[str, RosterRow] = {}
    for row in rows:
        if row.id in by_id:
            continue
        by_id[row.id] = row
        if row.email:
            if row.email in by_email:
                problems.append(f"line {row.line}: e-mail {row.email} is also on line {by_email[row.email].line} "
                                "— each person needs their own")
            else:
                by_email[row.email] = row
    for row in by_id.values():
        existing = list(db.query("SELECT erased_at FROM people WHERE id = ?", [row.id]))
        if existing and existing[0]["erased_at"]:
            problems.append(f"line {row.line}: {row.id} was removed (their personal data erased) and can't be "
                            "re-used — give them a new id")
        if row.email:
            for other in db.query("SELECT id, role FROM people WHERE lower(email) = ? AND id != ? "
                                  "AND erased_at IS NULL", [row.email, row.id]):
                # Someone who messaged the bot before being enrolled (no role yet) is the same person:
                # the import merges them into the roster entry (see _merge_first_contact).
                if other["id"] not in by_id and other["role"] is not None:
                    problems.append(f"line {row.line}: e-mail {row.email} already belongs to {other['id']} — "
                                    "if that is the same person, use that id on this line")
        if platform_prefix(row.id):
            for identity in db.query("SELECT person_id FROM identities WHERE id = ? AND person_id != ?",
                                     [row.id, row.id]):
                problems.append(f"line {row.line}: the identity {row.id} is already linked to "
                                f"{identity['person_id']}")
        if row.tutor:
            in_file = by_id.get(row.tutor)
            if in_file is not None:
                if in_file.role != "tutor":
                    problems.append(f"line {row.line}: tutor {row.tutor} is a {in_file.role} "
                                    f"(line {in_file.line}), not a tutor")
                continue
            if row.tutor in lines_of:
                continue        # the tutor's own row failed its checks and says why; don't report it twice
            tutor = get_person(db, row.tutor)
            if tutor is None:
                problems.append(f"line {row.line}: tutor {row.tutor} not found — they aren't in this file "
                                "or in the records")
            elif tutor.role != "tutor":
                problems.append(f"line {row.line}: tutor {row.tutor} is a {tutor.role or 'person with no role'} "
                                "in the records, not a tutor")


# -- writing --------------------------------------------------------------------------------------
def _centre_id(db: Database, name: str, report: RosterReport) -> int:
    # Matched case-insensitively so "Leeds" and "leeds" stay one centre.
    rows = list(db.query("SELECT id FROM centres WHERE lower(name) = lower(?)", [name]))
    if rows:
        return rows[0]["id"]
    report.centres_created += 1
    return int(db["centres"].insert({"name": name}).last_pk)


def _cohort_id(db: Database, centre_id: int, name: str, report: RosterReport) -> int:
    rows = list(db.query("SELECT id FROM cohorts WHERE centre_id = ? AND lower(name) = lower(?)",
                         [centre_id, name]))
    if rows:
        return rows[0]["id"]
    report.cohorts_created += 1
    return int(db["cohorts"].insert({"centre_id": centre_id, "name": name}).last_pk)


def _save_person(db: Database, values: dict[str, object], now: datetime, actor: str | None,
                 report: RosterReport) -> None:
    """Create the person or update the fields that differ; an identity for a platform id."""
    person_id = str(values["id"])
    rows = list(db.query("SELECT * FROM people WHERE id = ?", [person_id]))
    if not rows:
        db["people"].insert({**values, "created_at": now.isoformat()})
        record(db, now, actor, "roster_add", person_id, role=values.get("role"))
        report.people_created += 1
    else:
        changed = {k: v for k, v in values.items() if rows[0].get(k) != v}
        if changed:
            db["people"].update(person_id, changed)
            record(db, now, actor, "roster_update", person_id, fields=sorted(changed))
            report.people_updated += 1
        else:
            report.people_unchanged += 1
    platform = platform_prefix(person_id)
    if platform and not list(db.query("SELECT 1 FROM identities WHERE id = ?", [person_id])):
        db["identities"].insert({"id": person_id, "person_id": person_id, "platform": platform, "active": 1,
                                 "created_at": now.isoformat()})
        report.identities_created += 1


def _write(db: Database, kb: KnowledgeBase, rows: list[RosterRow], now: datetime, actor: str | None,
           report: RosterReport) -> None:
    for row in rows:
        centre_id = _centre_id(db, row.centre, report) if row.centre else None
        cohort_id = _cohort_id(db, centre_id, row.cohort, report) if row.cohort and centre_id else None
        _save_person(db, {"id": row.id, "name": row.name, "email": row.email, "role": row.role,
                          "centre_id": centre_id, "cohort_id": cohort_id}, now, actor, report)
    for row in rows:
        if row.email:
            _merge_first_contact(db, row, now, actor)
    # Links and registrations after every person exists: a tutor may come after their learners.
    for row in rows:
        _set_tutor(db, row, now, actor, report)
        if row.role == "learner":
            _register(db, kb, row, now, actor, report)


def _merge_first_contact(db: Database, row: RosterRow, now: datetime, actor: str | None) -> None:
    """Fold a person created on first contact (same e-mail, no role) into the roster entry: their
    platform identities, evidence and conversations move over, so nothing they did is lost."""
    for other in list(db.query("SELECT id FROM people WHERE lower(email) = ? AND id != ? AND role IS NULL "
                               "AND erased_at IS NULL", [row.email, row.id])):
        old = other["id"]
        db.execute("UPDATE identities SET person_id = ? WHERE person_id = ?", [row.id, old])
        db.execute("UPDATE evidence SET person_id = ? WHERE person_id = ?", [row.id, old])
        db.execute("UPDATE conversations SET person = ? WHERE person = ?", [row.id, old])
        if not list(db.query("SELECT 1 FROM registrations WHERE person_id = ?", [old])):
            db.execute("DELETE FROM tutor_learners WHERE tutor_id = ? OR learner_id = ?", [old, old])
            db.execute("DELETE FROM people WHERE id = ?", [old])
        record(db, now, actor, "roster_merge_first_contact", row.id, merged=old)


def _set_tutor(db: Database, row: RosterRow, now: datetime, actor: str | None, report: RosterReport) -> None:
    """The roster says who a learner's tutor is (nobody, for staff): add and remove links to match."""
    wanted = {row.tutor} if row.tutor else set()
    have = {r["tutor_id"] for r in db.query("SELECT tutor_id FROM tutor_learners WHERE learner_id = ?", [row.id])}
    for tutor_id in sorted(wanted - have):
        db["tutor_learners"].insert({"tutor_id": tutor_id, "learner_id": row.id})
        record(db, now, actor, "roster_tutor_link", row.id, tutor=tutor_id)
        report.tutor_links_added += 1
    for tutor_id in sorted(have - wanted):
        db.execute("DELETE FROM tutor_learners WHERE tutor_id = ? AND learner_id = ?", [tutor_id, row.id])
        record(db, now, actor, "roster_tutor_unlink", row.id, tutor=tutor_id)
        report.tutor_links_removed += 1


def _register(db: Database, kb: KnowledgeBase, row: RosterRow, now: datetime, actor: str | None,
              report: RosterReport) -> None:
    assert row.qualification_id is not None and row.registered_on is not None    # checked in _parse_rows
    expires = expiry(kb, row.qualification_id, row.registered_on)
    existing = list(db.query("SELECT registered_on, expires_on FROM registrations "
                             "WHERE person_id = ? AND qualification_id = ?", [row.id, row.qualification_id]))
    wanted = (row.registered_on.isoformat(), expires.isoformat() if expires else None)
    if existing and (existing[0]["registered_on"], existing[0]["expires_on"]) == wanted:
        return          # enrol would write an audit row for nothing; re-importing must change nothing
    enrol(db, kb, row.id, row.qualification_id, row.registered_on, now, actor)
    if existing:
        report.registrations_updated += 1
        return
    report.registrations_created += 1
    others = list(db.query("SELECT qualification_id FROM registrations WHERE person_id = ? "
                           "AND qualification_id != ? AND status IN ('active', 'on_break')",
                           [row.id, row.qualification_id]))
    if others:
        # Whether the old one was completed or withdrawn is for a person to say, not the importer.
        notes = ", ".join(r["qualification_id"] for r in others)
        report.notes.append(f"line {row.line}: {row.id} is also still registered on {notes}; "
                            "that registration was left as it is")


def import_roster(db: Database, kb: KnowledgeBase, source: TextIO | str | Path, now: datetime,
                  actor: str | None) -> RosterReport:
    """Import a roster CSV (a path or an open text file): all of it, or — if any row is bad — none of it.

    Raises :class:`RosterError` listing every problem as "line N: …" (the header is line 1), having
    written nothing.
    """
    name, text = _read(source)
    rows, lines_of, problems, notes = _parse_rows(text, kb, now.date())
    report = RosterReport(source=name, rows=len(rows), notes=notes)
    # One transaction: the records checked are the records written to, and anything failing part-way
    # (a bug, a full disk) rolls the whole import back.
    with db.atomic():
        _cross_check(db, rows, lines_of, problems)
        if problems:
            raise RosterError(sorted(problems, key=_line_of))
        _write(db, kb, rows, now, actor, report)
        record(db, now, actor, "import_roster", None, source=name, **report.counts())
    return report


def _line_of(problem: str) -> int:
    match = re.match(r"line (\d+):", problem)
    return int(match.group(1)) if match else 0


# -- one person at a time (``assessbot admin add-person``) ----------------------------------------
def add_person(db: Database, person_id: str, name: str, now: datetime, actor: str | None,
               email: str | None = None, role: str | None = None, centre: str | None = None) -> bool:
    """Add a person, or update the fields given for one who exists; True when the person is new.

    The same checks as the roster, without line numbers; raises :class:`RosterError` listing them.
    """
    person_id, name = person_id.strip(), name.strip()
    email = email.strip().lower() if email and email.strip() else None
    role = role.strip().lower() if role and role.strip() else None
    centre = centre.strip() if centre and centre.strip() else None
    problems = [p for p in (check_id(person_id), None if name else "name is missing",
                            check_email(email) if email else None, check_role(role) if role else None) if p]
    existing = list(db.query("SELECT * FROM people WHERE id = ?", [person_id])) if person_id else []
    if existing and existing[0]["erased_at"]:
        problems.append(f"{person_id} was removed (their personal data erased) and can't be re-used — "
                        "give them a new id")
    if email:
        for other in db.query("SELECT id FROM people WHERE lower(email) = ? AND id != ? AND erased_at IS NULL",
                              [email, person_id]):
            problems.append(f"e-mail {email} already belongs to {other['id']}")
    if problems:
        raise RosterError(problems)
    report = RosterReport(source="add-person")
    with db.atomic():
        values: dict[str, object] = {"id": person_id, "name": name}
        # On an update only what was given changes: leaving --role out keeps the person's role.
        for key, value in (("email", email), ("role", role)):
            if value is not None or not existing:
                values[key] = value
        if centre is not None:
            values["centre_id"] = _centre_id(db, centre, report)
            cohort_id = existing[0]["cohort_id"] if existing else None
            if cohort_id is not None and db["cohorts"].get(cohort_id)["centre_id"] != values["centre_id"]:
                values["cohort_id"] = None      # a cohort belongs to one centre; it doesn't move with the person
        _save_person(db, values, now, actor, report)
    return report.people_created == 1
