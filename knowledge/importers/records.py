"""The records an importer returns, with every key of ``knowledge/SCHEMA.md`` in schema order.

The order matters: ``kb build`` writes keys as given, so the committed YAML (and ``kb check``'s
comparison with a fresh build) depends on it. A document's own facts (``average_glh``,
``pass_descriptor`` …) follow the schema keys.
"""

from __future__ import annotations

from typing import Any

from knowledge.importers.common import may_statements, min_counts


def rules_of_combination(**facts: Any) -> dict[str, Any]:
    """A RulesOfCombination record; ``facts`` override the defaults (nothing required)."""
    return {
        "text": [], "all_units_required": False, "mandatory": [], "optional": [],
        "min_optional_units": None, "min_credits": None, "groups": [],
        "group_exclusive": False, "min_share_at_level": None, **facts,
    }


def qualification(qid: str, title: str, src: dict[str, Any], **facts: Any) -> dict[str, Any]:
    """A Qualification record: schema keys (null / empty unless given), then the document's extras."""
    record: dict[str, Any] = {
        "id": qid, "title": title, "awarding_body": None, "numbers": [], "level": None,
        "credits": None, "glh": None, "tqt": None, "registration_validity_months": None,
        "registration_validity_text": None, "minimum_age": None, "induction_hours": None,
        "tutorial_hours": None, "entry_requirements": None, "units": [],
        "rules_of_combination": facts.pop("rules_of_combination", None) or rules_of_combination(),
        "source": src,
    }
    extras = {key: value for key, value in facts.items() if key not in record}
    record.update({key: value for key, value in facts.items() if key not in extras})
    return {**record, **extras}


def insert_after(record: dict[str, Any], key: str, new_key: str, value: Any) -> dict[str, Any]:
    """``record`` with ``new_key`` placed straight after ``key`` (an extra that belongs beside it)."""
    out: dict[str, Any] = {}
    for k, v in record.items():
        out[k] = v
        if k == key:
            out[new_key] = value
    return out


def unit(code: str, title: str, src: dict[str, Any], **facts: Any) -> dict[str, Any]:
    """A Unit record: schema keys (null / empty unless given), then the document's extras."""
    record: dict[str, Any] = {
        "code": code, "title": title, "level": None, "credits": None, "glh": None, "aim": None,
        "reference_numbers": [], "standards": [], "qualifications": [], "learning_outcomes": [],
        "criteria": [], "evidence": [], "assessment": [], "assessment_notes": [], "source": src,
    }
    extras = {key: value for key, value in facts.items() if key not in record}
    record.update({key: value for key, value in facts.items() if key not in extras})
    return {**record, **extras}


def outcome(number: int, text: str, src: dict[str, Any]) -> dict[str, Any]:
    """A learning outcome: ``{number, text, source}``."""
    return {"number": number, "text": text, "source": src}


def criterion(ac_id: str, lo: int, text: str, src: dict[str, Any] | None, **extras: Any) -> dict[str, Any]:
    """A Criterion record; depth, requirements and the rest are filled while reading."""
    return {"id": ac_id, "lo": lo, "text": text, "depth": [], "requirements": [], "advice": [],
            "min_counts": [], "ksbs": [], "evidence": [], "source": src, **extras}


def finish_criterion(crit: dict[str, Any], advice: list[str] | None = None) -> None:
    """Derive advice ("may" sentences) and minimum counts from the requirements read so far."""
    crit["advice"] = may_statements(crit["requirements"]) if advice is None else advice
    crit["min_counts"] = min_counts(crit["requirements"])


def rule(qid: str, topic: str, text: str, src: dict[str, Any]) -> dict[str, Any]:
    """A Rule record: one printed statement and the topic it answers."""
    return {"qualification": qid, "topic": topic, "text": text, "source": src}


def assessment(title: str, kind: str, src: dict[str, Any]) -> dict[str, Any]:
    """An Assessment record with every key present (see SCHEMA.md)."""
    return {
        "title": title, "kind": kind, "text": [], "weighting": None,
        "word_count": {"nominal": None, "min": None, "max": None},
        "timing_minutes": None, "marks_available": None, "min_marks": None,
        "pass_rule": None, "source": src,
    }
