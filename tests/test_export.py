"""The evidence matrix: one row per planned criterion, exact KB wording, status from the records."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlite_utils import Database

from bot.records.evidence import log_evidence
from bot.records.export import MATRIX_COLUMNS, ExportError, matrix_rows, write_matrix
from bot.records.plan import set_target
from bot.records.progress import mark_ready
from bot.records.registration import current_registration
from bot.records.roster import import_roster
from tests.test_roster import NOW, ROSTER

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

L5_UNITS = ("8391-500", "8391-501", "8391-502")


@pytest.fixture
def db(kb, store) -> Database:
    import_roster(store, kb, io.StringIO(ROSTER), NOW, "test")
    return store


def test_one_row_per_criterion_of_every_planned_unit_with_exact_wording(db, kb) -> None:
    rows = matrix_rows(db, kb, "console:alice")
    assert all(tuple(r) == MATRIX_COLUMNS for r in rows)
    assert len(rows) == sum(len(kb.units[code].criteria) for code in L5_UNITS)
    assert [(r["unit"], r["ac"]) for r in rows] == [(c, cr.id) for c in L5_UNITS for cr in kb.units[c].criteria]
    row = next(r for r in rows if (r["unit"], r["ac"]) == ("8391-501", "2.2"))
    assert row["ac_wording"] == kb.criterion("8391-501", "2.2").text == \
        "Prepare the key external financial statements used by a school"
    assert row["unit_title"] == kb.units["8391-501"].title
    assert all(r["ac_wording"] == kb.criterion(r["unit"], r["ac"]).text for r in rows)
    assert {r["status"] for r in rows} == {"todo"} and {r["evidence"] for r in rows} == {""}


def test_csv_has_the_columns_and_the_rows(db, kb) -> None:
    rows = matrix_rows(db, kb, "console:alice")
    out = io.StringIO()
    write_matrix(rows, "csv", out)
    parsed = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert out.getvalue().splitlines()[0] == ",".join(MATRIX_COLUMNS)
    assert len(parsed) == len(rows)
    assert parsed[0]["ac_wording"] == rows[0]["ac_wording"]


def test_status_evidence_and_iso_dates_follow_the_records(db, kb) -> None:
    reg = current_registration(db, "console:alice")
    log_evidence(db, "console:alice", "Annual accounts pack", [("8391-501", "2.2"), ("8391-501", "2.3")], NOW,
                 "console:alice", location="SharePoint/accounts.pdf")
    log_evidence(db, "console:alice", "Budget monitoring report", [("8391-501", "2.2")], NOW, "console:alice")
    log_evidence(db, "console:alice", "=HYPERLINK(\"http://evil\")", [("8391-500", "1.1")], NOW, "console:alice")
    mark_ready(db, kb, reg, "8391-501", ["2.3"], NOW, "console:alice")
    db["decisions"].insert({"registration_id": reg.id, "unit_code": "8391-500", "ac": "1.1", "outcome": "met",
                            "assessor_id": "console:tom", "decided_at": "2026-01-20T14:30:00+00:00"})
    set_target(db, reg, "8391-501", date(2026, 6, 30), NOW, "console:alice")
    rows = {(r["unit"], r["ac"]): r for r in matrix_rows(db, kb, "console:alice")}
    assert rows[("8391-501", "2.2")]["status"] == "evidence"
    assert rows[("8391-501", "2.2")]["evidence"] == "Annual accounts pack; Budget monitoring report"
    assert rows[("8391-501", "2.2")]["evidence_location"] == "SharePoint/accounts.pdf"
    assert rows[("8391-501", "2.2")]["target_date"] == "2026-06-30"
    assert rows[("8391-501", "2.3")]["status"] == "ready"
    assert rows[("8391-500", "1.1")]["status"] == "met"
    assert rows[("8391-500", "1.1")]["assessed_on"] == "2026-01-20"
    assert rows[("8391-502", "1.1")]["status"] == "todo" and rows[("8391-502", "1.1")]["target_date"] is None
    out = io.StringIO()
    write_matrix(list(rows.values()), "csv", out)
    assert "'=HYPERLINK" in out.getvalue()          # a typed title never becomes a spreadsheet formula


def test_xlsx_opens_with_a_bold_frozen_header_and_iso_dates(db, kb, tmp_path) -> None:
    reg = current_registration(db, "console:alice")
    set_target(db, reg, "8391-501", date(2026, 6, 30), NOW, "console:alice")
    log_evidence(db, "console:alice", "=1+1", [("8391-501", "1.1")], NOW, "console:alice")
    rows = matrix_rows(db, kb, "console:alice")
    path = tmp_path / "matrix.xlsx"
    write_matrix(rows, "xlsx", path)
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    assert header == list(MATRIX_COLUMNS)
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == len(rows) + 1
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert values[0][:4] == [rows[0]["unit"], rows[0]["unit_title"], rows[0]["ac"], rows[0]["ac_wording"]]
    target = sheet.cell(row=1 + next(i for i, r in enumerate(rows, 1) if r["unit"] == "8391-501"),
                        column=MATRIX_COLUMNS.index("target_date") + 1)
    assert target.value.date() == date(2026, 6, 30) and target.number_format == "yyyy-mm-dd"
    formula_like = next(c for r in sheet.iter_rows(min_row=2) for c in r if c.value == "=1+1")
    assert formula_like.data_type == "s"
    width = sheet.column_dimensions["D"].width
    assert 20 < width <= 80


def test_xlsx_needs_a_file_and_the_format_must_be_known(db, kb) -> None:
    rows = matrix_rows(db, kb, "console:alice")
    with pytest.raises(ExportError, match="can't go to the screen"):
        write_matrix(rows, "xlsx", io.StringIO())
    with pytest.raises(ExportError, match="Unknown format “pdf”"):
        write_matrix(rows, "pdf", io.StringIO())


def test_unknown_removed_and_unregistered_people(db, kb) -> None:
    with pytest.raises(LookupError, match="There is no person “console:nobody” in the records."):
        matrix_rows(db, kb, "console:nobody")
    with pytest.raises(ExportError, match="console:mary isn't registered on a qualification"):
        matrix_rows(db, kb, "console:mary")
    from bot.records.people import remove_person

    remove_person(db, "console:bob", datetime(2026, 2, 1, tzinfo=UTC), "test")
    with pytest.raises(LookupError):
        matrix_rows(db, kb, "console:bob")
