"""Hand corrections applied to an importer's output before it is written to ``knowledge/specs``.

A curation file (``knowledge/curation/<spec>.yaml``) is a list of corrections, each with a
one-line ``reason``::

    corrections:
      - target: {unit: 8316-602, criterion: "2.1"}   # or {unit: …} / {qualification: …} / {rule: N}
        field: lo            # the key to change on the target
        set: 1               # new value ("set"), or
        # append: "…"        # add to a list field, or
        # remove: true       # delete the target object itself
        reason: "the Diploma copy prints LO '2' for the Award's LO 1"

Corrections are explicit and few: an importer fixes what its layout makes systematic, the
curation file what is a one-off in the document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class CurationError(ValueError):
    """A correction that does not apply (unknown target, missing reason, bad operation)."""


def load_corrections(path: Path) -> list[dict[str, Any]]:
    """The corrections in a curation file (an absent file means none)."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    corrections = data.get("corrections") or []
    for i, c in enumerate(corrections):
        if not str(c.get("reason", "")).strip():
            raise CurationError(f"{path.name}: correction {i + 1} has no reason")
    return corrections


def _find_target(spec: dict[str, Any], target: dict[str, Any]) -> tuple[list[Any], int]:
    """The list holding the targeted object and its index there."""
    if "qualification" in target:
        items = spec["qualifications"]
        for i, q in enumerate(items):
            if q["id"] == target["qualification"]:
                return items, i
        raise CurationError(f"no qualification {target['qualification']}")
    if "rule" in target:
        items = spec["rules"]
        i = int(target["rule"])
        if not 0 <= i < len(items):
            raise CurationError(f"no rule {i}")
        return items, i
    if "unit" in target:
        units = spec["units"]
        for ui, unit in enumerate(units):
            if unit["code"] != str(target["unit"]):
                continue
            if "criterion" not in target:
                return units, ui
            for ci, crit in enumerate(unit["criteria"]):
                if crit["id"] == str(target["criterion"]):
                    return unit["criteria"], ci
            raise CurationError(f"no criterion {target['criterion']} in {target['unit']}")
        raise CurationError(f"no unit {target['unit']}")
    raise CurationError(f"unknown target {target}")


def apply_corrections(spec: dict[str, Any], corrections: list[dict[str, Any]]) -> dict[str, Any]:
    """Apply corrections in order to ``spec`` (modified in place and returned)."""
    for c in corrections:
        items, index = _find_target(spec, c.get("target") or {})
        if c.get("remove"):
            del items[index]
            continue
        obj = items[index]
        field = c.get("field")
        if not field:
            raise CurationError(f"correction without field: {c}")
        if "set" in c:
            obj[field] = c["set"]
        elif "append" in c:
            obj.setdefault(field, []).append(c["append"])
        else:
            raise CurationError(f"correction without set/append/remove: {c}")
    return spec
