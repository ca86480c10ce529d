"""Exports for centres and awarding bodies: a learner's evidence matrix as CSV or XLSX.

One row per criterion of every unit in the learner's plan, with the criterion's wording exactly as
the KB quotes it, the evidence mapped to it and its status. Dates are ISO (``2027-01-15``) in
columns (ARCHITECTURE.md, "Dates"), so spreadsheets sort them and scripts parse them.
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from bot.db import Database
from bot.records.evidence import evidence_of
from bot.records.people import get_person
from bot.records.plan import plan_of
from bot.records.progress import criterion_statuses
from bot.records.registration import Registration, current_registration, registrations_of
from knowledge.kb import KnowledgeBase

MATRIX_COLUMNS = ("unit", "unit_title", "ac", "ac_wording", "evidence", "evidence_location", "status",
                  "target_date", "assessed_on")
DATE_COLUMNS = frozenset({"target_date", "assessed_on", "registered_on", "expires_on"})
COHORT_COLUMNS = ("id", "name", "centre", "cohort", "tutor", "qualification", "registered_on", "expires_on",
                  "progress", "status")
# Free text the learner typed: a title starting with "=" must not become a spreadsheet formula.
_FREE_TEXT_COLUMNS = frozenset({"evidence", "evidence_location"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Column widths in characters: long wording wraps rather than making a sheet a metre wide.
_MAX_WIDTH = {"unit_title": 40, "ac_wording": 70, "evidence": 50, "evidence_location": 40}
_DEFAULT_MAX_WIDTH = 30


class ExportError(ValueError):
    """An export that can't be made; the message says why, for the person who asked."""


def _registration(db: Database, person_id: str) -> Registration:
    reg = current_registration(db, person_id)
    if reg is None:
        # A finished (completed or withdrawn) registration still has a matrix worth exporting.
        regs = registrations_of(db, person_id)
        if not regs:
            raise ExportError(f"{person_id} isn't registered on a qualification, so there is no evidence matrix.")
        reg = regs[-1]
    return reg


def _iso_day(moment: str | None) -> str | None:
    if not moment:
        return None
    try:
        return datetime.fromisoformat(moment).date().isoformat()
    except ValueError:
        return moment[:10]


def matrix_rows(db: Database, kb: KnowledgeBase, person_id: str) -> list[dict[str, Any]]:
    """The learner's evidence matrix: one dict per criterion (keys :data:`MATRIX_COLUMNS`), plan order.

    Raises :class:`LookupError` for a person not in the records (or removed) and
    :class:`ExportError` for one with no registration.
    """
    if get_person(db, person_id) is None:
        raise LookupError(f"There is no person “{person_id}” in the records.")
    reg = _registration(db, person_id)
    plan = {u.code: u for u in plan_of(db, reg.id)}
    progress = criterion_statuses(db, kb, reg, list(plan))
    mapped: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
    for item in evidence_of(db, person_id):
        for link in item.links:
            mapped.setdefault(link, []).append((item.title, item.location))
    assessed: dict[tuple[str, str], str] = {}
    for row in db.query("SELECT unit_code, ac, decided_at FROM decisions WHERE registration_id = ? "
                        "ORDER BY decided_at, id", [reg.id]):
        assessed[(row["unit_code"], row["ac"])] = row["decided_at"]     # the latest decision stands
    rows = []
    for code, unit_progress in progress.items():
        unit = kb.units[code]
        target = plan[code].target_date
        for criterion in unit.criteria:
            items = mapped.get((code, criterion.id), [])
            locations = list(dict.fromkeys(loc for _, loc in items if loc))
            rows.append({
                "unit": code, "unit_title": unit.title, "ac": criterion.id, "ac_wording": criterion.text,
                "evidence": "; ".join(title for title, _ in items),
                "evidence_location": "; ".join(locations),
                "status": unit_progress.statuses[criterion.id],
                "target_date": target.isoformat() if target else None,
                "assessed_on": _iso_day(assessed.get((code, criterion.id))),
            })
    return rows


def _defused(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _write_csv(rows: list[dict[str, Any]], columns: tuple[str, ...], stream: TextIO, lineterminator: str) -> None:
    writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore", lineterminator=lineterminator)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _defused(v) if k in _FREE_TEXT_COLUMNS else v for k, v in row.items()})


def _write_xlsx(rows: list[dict[str, Any]], columns: tuple[str, ...], title: str, out: str | Path | BinaryIO) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {c: len(c) for c in columns}
    for r, row in enumerate(rows, start=2):
        for col, key in enumerate(columns, start=1):
            value = row.get(key)
            cell = sheet.cell(row=r, column=col)
            if key in DATE_COLUMNS and value:
                cell.value = date.fromisoformat(value)
                cell.number_format = "yyyy-mm-dd"      # shown ISO, sorted as dates
            else:
                cell.value = value
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"                # text, as typed — never a formula
            if key in _MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.alignment = Alignment(vertical="top")
            widths[key] = max(widths[key], max((len(line) for line in str(value or "").splitlines()), default=0))
    for col, key in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(widths[key], _MAX_WIDTH.get(
            key, _DEFAULT_MAX_WIDTH)) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(out)


def write_matrix(rows: list[dict[str, Any]], format: str = "csv",
                 out: str | Path | TextIO | BinaryIO | None = None) -> None:
    """Write matrix rows as ``csv`` or ``xlsx`` to a file path or an open stream (None: standard output)."""
    write_table(rows, MATRIX_COLUMNS, "Evidence matrix", format, out)


def write_table(rows: list[dict[str, Any]], columns: tuple[str, ...], title: str, format: str = "csv",
                out: str | Path | TextIO | BinaryIO | None = None) -> None:
    """Write rows as ``csv`` or ``xlsx`` to a file path or an open stream (None: standard output).

    XLSX is binary, so it needs a path or a binary stream, never a text stream such as standard output.
    """
    if format not in ("csv", "xlsx"):
        raise ExportError(f"Unknown format “{format}” — use csv or xlsx.")
    if format == "xlsx":
        if out is None or isinstance(out, io.TextIOBase):
            raise ExportError("An XLSX file can't go to the screen — give a file to write it to (--out FILE.xlsx).")
        _write_xlsx(rows, columns, title, out)      # type: ignore[arg-type]
        return
    if out is None:
        _write_csv(rows, columns, sys.stdout, "\n")
    elif isinstance(out, (str, Path)):
        # newline="" and CRLF: the CSV convention, which Excel expects.
        with Path(out).open("w", encoding="utf-8", newline="") as handle:
            _write_csv(rows, columns, handle, "\r\n")
    else:
        _write_csv(rows, columns, out, "\n")     # type: ignore[arg-type]
