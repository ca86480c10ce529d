"""One importer per specification-document layout.

Each importer module exposes ``parse(path: Path) -> dict`` returning
``{"document", "qualifications", "units", "rules"}`` as described in ``knowledge/SCHEMA.md``.
``SPECS`` ties each source document to its importer, its curation file and its output file.

The importers share one reader of the flattened layout and configure it with data:

* ``reader``: ``Document`` (raw and cleaned lines, cells, blocks, finding lines) and ``spans``;
* ``tables``: label/value rows, key/value tables, unit overview rows, cells and table rows;
* ``outcomes``: LO/AC tables printed column by column (``ColumnTable``: patterns and pairing);
* ``statements``: rule sections (``Section``: heading, topic, how the body reads), topic
  classification of sentences, paragraphs with bullet lists;
* ``records``: the SCHEMA records in schema order; ``common``: text helpers; ``matching``:
  the criteria that task lines restate.

A new document is mostly its patterns, section table and label names, plus code only for
what its layout does differently (e.g. 001's per-AC depth and guidance blocks).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SpecSource:
    """One specification document and where its importer, curation and KB file live."""

    name: str            # stem of knowledge/specs/<name>.yaml and knowledge/curation/<name>.yaml
    document: str        # file name in knowledge/sources/
    importer: str        # module in knowledge.importers
    qualification_ids: tuple[str, ...]


SPECS: tuple[SpecSource, ...] = (
    SpecSource("l6_sbm_diploma", "000_b959ca0e6af756da.txt", "ilm_sbm_l6", ("l6-sbm-diploma",)),
    SpecSource("l5_sbl_diploma", "001_cbb9d13f556bc247.txt", "ilm_sbl_l5", ("l5-sbl-diploma",)),
    SpecSource("l6_management", "002_53f5949d7c70dc30.txt", "ilm_vrq_8316",
               ("l6-management-award", "l6-management-diploma")),
    SpecSource("l7_senior_leaders", "004_b41f7af1a8dc27ae.txt", "cg_senior_leaders_l7",
               ("l7-senior-leaders-diploma",)),
)
