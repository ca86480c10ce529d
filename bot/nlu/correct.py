"""Corrections: "no, I meant 503", "oops, I meant referred — the figures are missing", "no wait,
Sam Whitfield's", "make that Tuesdays". The request being corrected is re-read with what the correction
names put in place of what it replaces; nothing else of it changes."""

from __future__ import annotations

import re

from bot.nlu.refs import extract
from knowledge.kb import KnowledgeBase

_OUTCOME = re.compile(r"\b(met|achieved|passed|approved?|sign(?:ed)? (?:it |them )?off|referred|refer|not met|"
                      r"not yet met|(?:is|are|looks?|it's|its|all) (?:fine|good|ok|okay|great)|fine now)\b",
                      re.IGNORECASE)
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_WEEKDAY = re.compile(rf"\b({_DAYS})s?\b", re.IGNORECASE)
_FEEDBACK = re.compile(r"\s[-–—:]\s*(.+)$")
_NAME = re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)['’]s\b|\bmean[t]?\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b")


def corrected(original: str, correction: str, kb: KnowledgeBase, names: dict[str, str] | None = None) -> str | None:
    """``original`` with what ``correction`` names in place of what it replaces, or None when the correction
    names nothing to replace (a plain "undo that"). ``names`` maps a name as typed to the full name it
    stands for in the roster (so "Sam Jones's" is replaced by "Sam Whitfield's")."""
    text = original
    changed = False
    new = extract(correction, kb)
    old = extract(original, kb)
    new_units = [s for s in new.spans if s.kind == "unit"]
    old_units = [s for s in old.spans if s.kind == "unit"]
    if new_units and old_units:
        span = old_units[0]
        codes = " and ".join(correction[s.start:s.end] for s in new_units)
        text = text[:span.start] + codes + text[span.end:]
        changed = True
    outcome = _OUTCOME.search(correction)
    if outcome and _OUTCOME.search(text):
        # Every way the request said the outcome gives way to the corrected one ("is fine … sign it off").
        text = _OUTCOME.sub(outcome.group(1), text)
        feedback = _FEEDBACK.search(correction[outcome.end():])
        if feedback and not _FEEDBACK.search(text):
            text = f"{text} - {feedback.group(1)}"
        elif feedback:
            text = _FEEDBACK.sub(f" - {feedback.group(1)}", text, count=1)
        changed = True
    day = _WEEKDAY.search(correction)
    if day and _WEEKDAY.search(text):
        text = _WEEKDAY.sub(day.group(1).capitalize(), text, count=1)
        changed = True
    for old_name, new_name in (names or {}).items():
        if old_name and new_name and old_name.lower() in text.lower() and old_name.lower() != new_name.lower():
            text = re.sub(re.escape(old_name), new_name, text, count=1, flags=re.IGNORECASE)
            changed = True
    return text if changed else None


def named_in(text: str) -> list[str]:
    """Names as typed in a correction or request ("Sam Whitfield's" → "Sam Whitfield")."""
    return [m.group(1) or m.group(2) for m in _NAME.finditer(text)]
