"""``assessbot kb check``: is the KB consistent, and do the committed files equal a fresh build?"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

from knowledge.asked import Asked, document_number, read_asked
from knowledge.build import SPECS_DIR, build_all
from knowledge.kb import KnowledgeBase, read_documents

ROC_UNIT_KEYS = ("mandatory", "optional")


def validate(kb: KnowledgeBase) -> list[str]:
    """Problems in the model: duplicate ids, LOs and AC ids out of step, missing units."""
    problems: list[str] = []
    for q in kb.qualifications.values():
        if not q.units:
            problems.append(f"{q.id}: lists no units")
        for code in q.units:
            unit = kb.unit(code)
            if unit is None:
                problems.append(f"{q.id}: unit {code} is not in the KB")
            elif q.id not in unit.qualifications:
                problems.append(f"{q.id}: unit {code} does not name the qualification back")
        roc = q.rules_of_combination
        named = [c for key in ROC_UNIT_KEYS for c in roc.get(key) or ()]
        named += [c for g in roc.get("groups") or () for c in g.get("units") or ()]
        problems += [f"{q.id}: rules of combination name {c}, not one of its units"
                     for c in named if c not in q.units]
        months = q.registration_validity_months
        if months is not None and not q.registration_validity_text:
            problems.append(f"{q.id}: registration validity {months} months without its printed source")
    for unit in kb.units.values():
        problems += _unit_problems(kb, unit)
    for r in kb.rules:
        if r.qualification not in kb.qualifications:
            problems.append(f"rule for unknown qualification {r.qualification}: {r.text[:40]}")
        if not r.text.strip() or r.source is None:
            problems.append(f"{r.qualification}: rule without text or source ({r.topic})")
    return problems + asked_problems(kb, read_asked())


def asked_problems(kb: KnowledgeBase, asked: Sequence[Asked]) -> list[str]:
    """Questions asked of statements (``knowledge/asked``) that name a line holding no statement (of the
    specifications this KB was built from)."""
    lines = {(document_number(r.source.document), r.source.line) for r in kb.rules if r.source}
    documents = {document for document, _ in lines}
    return [f"asked: {a.question!r} names {a.document}:L{line}, which holds no statement"
            for a in asked if a.document in documents for line in a.lines if (a.document, line) not in lines]


def _unit_problems(kb: KnowledgeBase, unit) -> list[str]:
    problems = []
    where = unit.code
    if not unit.criteria:
        problems.append(f"{where}: no criteria")
    for qid in unit.qualifications:
        q = kb.qualifications.get(qid)
        if q is None or unit.code not in q.units:
            problems.append(f"{where}: claims qualification {qid}, which does not list it")
    lo_numbers = [lo.number for lo in unit.learning_outcomes]
    if len(set(lo_numbers)) != len(lo_numbers):
        problems.append(f"{where}: duplicate learning outcome numbers {lo_numbers}")
    seen: set[str] = set()
    for c in unit.criteria:
        if c.id in seen:
            problems.append(f"{where}: duplicate criterion {c.id}")
        seen.add(c.id)
        if c.id.split(".")[0] != str(c.lo):
            problems.append(f"{where} {c.id}: id does not start with its LO {c.lo}")
        if c.lo not in lo_numbers:
            problems.append(f"{where} {c.id}: LO {c.lo} is not a learning outcome of the unit")
        if not c.text.strip():
            problems.append(f"{where} {c.id}: empty wording")
        if c.source is None:
            problems.append(f"{where} {c.id}: no source")
    for lo in lo_numbers:
        if not any(c.lo == lo for c in unit.criteria):
            problems.append(f"{where}: LO {lo} has no criteria")
    return problems


def stale_files(specs_dir: Path = SPECS_DIR) -> list[str]:
    """Differences between the committed KB files and a fresh build (empty when equal)."""
    problems = []
    fresh = build_all(write=False)
    committed = {p.name for p in specs_dir.glob("*.yaml")}
    for extra in sorted(committed - set(fresh)):
        problems.append(f"{extra}: committed but not produced by any importer")
    for name, text in fresh.items():
        path = specs_dir / name
        if not path.exists():
            problems.append(f"{name}: missing; run `assessbot kb build`")
            continue
        current = path.read_text(encoding="utf-8")
        if current != text:
            diff = list(difflib.unified_diff(current.splitlines(), text.splitlines(),
                                             f"committed/{name}", f"fresh/{name}", lineterm="", n=0))
            problems.append(f"{name}: differs from a fresh build ({len(diff)} diff lines), first:\n  "
                            + "\n  ".join(diff[:12]))
    return problems


def check(specs_dir: Path = SPECS_DIR) -> list[str]:
    """Every problem ``kb check`` reports (an empty list means the KB is sound)."""
    kb = KnowledgeBase(read_documents(specs_dir))
    return validate(kb) + stale_files(specs_dir)
