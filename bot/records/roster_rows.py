"""Reading and checking a roster file, before anything is written: the CSV, each row's values (ids,
e-mail addresses, roles, dates, qualifications) and the rows against each other and the store. Every
problem is collected, "line N: …", so the person fixing the file sees them all at once."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from bot.dates import DateError, parse_date
from bot.db import Database
from bot.records.people import ROLES, get_person
from bot.records.qualification_names import resolve_qualification
from knowledge.kb import KnowledgeBase

COLUMNS = ("id", "name", "email", "role", "centre", "cohort", "tutor", "qualification", "registered_on")


PLATFORMS = ("console", "slack", "teams")


# Columns that only mean something for a learner; on a staff row they are ignored (with a note).
LEARNER_ONLY = ("tutor", "qualification", "registered_on")


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RosterError(ValueError):
    """A roster that can't be imported; ``problems`` lists every one, "line N: …", for the person fixing it."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


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


# -- reading and checking ---------------------------------------------------------------------
def read_source(source: TextIO | str | Path) -> tuple[str, str]:
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


def check_date(text: str, today: date) -> tuple[date | None, str | None]:
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


def parse_rows(text: str, kb: KnowledgeBase,
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
                registered_on, why = check_date(value["registered_on"], today)
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


def cross_check(db: Database, rows: list[RosterRow], lines_of: dict[str, list[int]], problems: list[str]) -> None:
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


def line_of(problem: str) -> int:
    match = re.match(r"line (\d+):", problem)
    return int(match.group(1)) if match else 0
