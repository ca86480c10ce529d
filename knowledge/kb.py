"""The loaded knowledge base: qualifications, units, criteria and rules, with lookups.

Loaded once from the curated YAML files (never from the source documents). Lookups by full
code, short code and fuzzy title are here; search by words lives in ``knowledge.search``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from knowledge.asked import Asked, document_number, read_asked
from knowledge.model import (
    Criterion,
    Qualification,
    Rule,
    Unit,
    qualification_from,
    rule_from,
    unit_from,
)
from knowledge.titles import TitleMatcher

_LETTERS = re.compile(r"[a-z]{4,}")
SPECS_DIR = Path(__file__).resolve().parent / "specs"

# The C loader is ~10x faster than the pure-Python one (LIBRARIES.md addenda); fall back if absent.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_FULL_CODE = re.compile(r"\b(\d{4})\s*[-/ ]\s*(\d{3})\b")
_SHORT_CODE = re.compile(r"\b(\d{3})\b")


class KnowledgeBase:
    """Read-only KB built from the documents' curated data (one dict per specification file)."""

    def __init__(self, documents: Iterable[dict[str, Any]]):
        self._documents = list(documents)
        self.qualifications: dict[str, Qualification] = {}
        self.units: dict[str, Unit] = {}
        self.rules: list[Rule] = []
        for doc in self._documents:
            for raw in doc.get("qualifications") or ():
                q = qualification_from(raw)
                self.qualifications[q.id] = q
            for raw in doc.get("units") or ():
                u = unit_from(raw)
                self.units[u.code] = u
            self.rules.extend(rule_from(r) for r in doc.get("rules") or ())
        # Per qualification, built once: every rules question asks for a qualification's statements.
        self._rules_by_qualification: dict[str, list[Rule]] = {}
        for r in self.rules:
            self._rules_by_qualification.setdefault(r.qualification, []).append(r)
        self._rule_texts = {q: tuple(r.text for r in rules) for q, rules in self._rules_by_qualification.items()}
        self._by_short: dict[str, list[Unit]] = {}
        for u in self.units.values():
            self._by_short.setdefault(u.short_code, []).append(u)
        self._titles = TitleMatcher({code: u.title for code, u in self.units.items()}, known=self._known_words())
        # Printed reference numbers (ILM unit codes such as M6.03, UANs such as M/615/9089) name units too.
        self._by_reference: dict[str, Unit] = {}
        for u in self.units.values():
            for ref in u.reference_numbers:
                value = _reference_key(ref.get("value") or "")
                if re.fullmatch(r"[A-Z]\d\.\d{2}|[A-Z]/\d{3}/\d{4}", value):
                    self._by_reference[value] = u

    # -- units --------------------------------------------------------------------------
    def unit(self, code: str) -> Unit | None:
        """The unit with this full code (``8391-501``), or None."""
        return self.units.get(code.strip())

    def units_by_short_code(self, short: str) -> list[Unit]:
        """Every unit whose number is ``short`` (``700`` → 8316-700 and 8431-700)."""
        return list(self._by_short.get(short.strip(), ()))

    def unit_by_reference(self, number: str) -> Unit | None:
        """The unit printed with this reference number (``M6.03``, ``M/615/9089``), or None."""
        return self._by_reference.get(_reference_key(number))

    def units_of(self, qualification_id: str) -> list[Unit]:
        q = self.qualifications.get(qualification_id)
        return [self.units[c] for c in q.units if c in self.units] if q else []

    def _known_words(self) -> frozenset[str]:
        """Words used as themselves: the specifications' own, and those learners used twice or more in the
        questions asked of them (once may be a typo)."""
        texts = [r.text for r in self.rules] + [t for u in self.units.values() for c in u.criteria
                                                for t in (c.text, *c.requirements, *c.depth)]
        words = set(_LETTERS.findall(" ".join(texts).lower()))
        asked = Counter(w for a in read_asked() for w in set(_LETTERS.findall(a.question.lower())))
        return frozenset(words | {w for w, n in asked.items() if n >= 2})

    def find_units(self, text: str, limit: int = 5, cutoff: float = 60.0) -> list[tuple[Unit, float]]:
        """Candidate units for free text, best first, with a 0–100 score.

        A full code wins outright (100); a short code lists every unit with that number (95);
        otherwise unit titles are matched word by word (``knowledge.titles``), forgiving
        misspellings and partial titles.
        """
        full = _FULL_CODE.search(text)
        if full:
            unit = self.unit(f"{full.group(1)}-{full.group(2)}")
            return [(unit, 100.0)] if unit else []
        shorts = [u for m in _SHORT_CODE.finditer(text) for u in self.units_by_short_code(m.group(1))]
        if shorts:
            return [(u, 95.0) for u in shorts][:limit]
        scores = self._titles.score(text, cutoff=cutoff)
        ranked = sorted(((score, code) for code, score in scores.items()), key=lambda pair: (-pair[0], pair[1]))
        return [(self.units[code], score) for score, code in ranked[:limit]]

    def names_weakly(self, text: str, code: str) -> bool:
        """Whether ``text`` shares only everyday or common words with unit ``code``'s title."""
        return self._titles.weak(text, code)

    def title_coverage(self, text: str, code: str) -> float:
        """How much of unit ``code``'s title the text mentions (0–1)."""
        return self._titles.coverage(text, code)

    def resolve_unit(self, text: str, margin: float = 8.0) -> tuple[str, list[Unit]]:
        """Decide what ``text`` names: ``("answer", [unit])``, ``("clarify", candidates)`` or
        ``("decline", [])``.

        A best candidate wins only when it leads the next by ``margin`` points; otherwise the
        caller should ask, listing the candidates, rather than guess.
        """
        found = self.find_units(text)
        if not found:
            return "decline", []
        if len(found) == 1 or found[0][1] - found[1][1] >= margin:
            return "answer", [found[0][0]]
        best = found[0][1]
        return "clarify", [u for u, score in found if best - score < margin]

    # -- criteria -------------------------------------------------------------------------
    def criterion(self, unit_code: str, ac_id: str) -> Criterion | None:
        """The criterion ``ac_id`` (``"2.2"``, "AC2.2" also accepted) of a unit, or None."""
        unit = self.unit(unit_code)
        return unit.criterion(normalise_ac(ac_id)) if unit else None

    def units_with_criterion(self, ac_id: str) -> list[Unit]:
        """Every unit that has criterion ``ac_id`` (used to ask "which unit?")."""
        ac = normalise_ac(ac_id)
        return [u for u in self.units.values() if u.criterion(ac)]

    def all_criteria(self) -> list[Criterion]:
        return [c for u in self.units.values() for c in u.criteria]

    # -- rules ----------------------------------------------------------------------------
    def rules_for(self, qualification_id: str, topic: str | None = None) -> list[Rule]:
        rules = self._rules_by_qualification.get(qualification_id, ())
        return [r for r in rules if topic is None or r.topic == topic]

    def rule_texts(self, qualification_id: str) -> tuple[str, ...]:
        """The qualification's statements as text, one tuple per qualification (word statistics key on it)."""
        return self._rule_texts.get(qualification_id, ())

    def asked_of(self, asked: Asked) -> str:
        """The qualification a question was asked of: the one holding its first statement; for a near miss, the
        diploma of its specification."""
        quals = [r.qualification for r in self.rules
                 if r.source and document_number(r.source.document) == asked.document
                 and (not asked.lines or r.source.line in asked.lines)]
        diplomas = [q for q in quals if "diploma" in q]
        return (diplomas or quals)[0]

    # -- export ---------------------------------------------------------------------------
    def as_json(self) -> dict[str, Any]:
        """The whole KB as plain data (the ``kb dump`` shape of ARCHITECTURE.md)."""
        out: dict[str, list[Any]] = {"qualifications": [], "units": [], "rules": []}
        for doc in self._documents:
            for key in out:
                out[key].extend(doc.get(key) or ())
        return out


def _reference_key(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def normalise_ac(ac_id: str) -> str:
    """``"AC 2.2"`` / ``"ac2.2"`` / ``" 2.2 "`` → ``"2.2"``."""
    return re.sub(r"^(?:ac|a\.c\.)\s*", "", ac_id.strip(), flags=re.IGNORECASE)


CACHE_FOLDER = ".cache"


def read_document(path: Path) -> dict[str, Any]:
    """One curated KB file. Parsing 670 KB of YAML takes a fifth of a second, a process's whole start-up
    budget, so each file's parse is kept as JSON (4 ms to read) beside it, under the hash of its text:
    an edited file is parsed afresh and never read stale. A folder that can't be written only costs the
    time."""
    text = path.read_bytes()
    cached = path.parent / CACHE_FOLDER / f"{path.stem}.{hashlib.sha256(text).hexdigest()[:20]}.json"
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    document = yaml.load(text.decode("utf-8"), Loader=_Loader)
    try:
        cached.parent.mkdir(exist_ok=True)
        for old in cached.parent.glob(f"{path.stem}.*.json"):
            old.unlink(missing_ok=True)
        # Written aside and renamed, so a process starting meanwhile never reads half a file.
        partial = cached.with_suffix(f".{os.getpid()}.part")
        partial.write_text(json.dumps(document), encoding="utf-8")
        os.replace(partial, cached)
    except OSError:
        pass
    return document


def read_documents(specs_dir: Path = SPECS_DIR) -> list[dict[str, Any]]:
    """The curated KB files, in name order."""
    return [read_document(path) for path in sorted(specs_dir.glob("*.yaml"))]


@functools.cache
def _cached(specs_dir: Path) -> KnowledgeBase:
    return KnowledgeBase(read_documents(specs_dir))


def load_kb(specs_dir: Path | str | None = None) -> KnowledgeBase:
    """The KB from ``specs_dir`` (default: the bundled curated files), loaded once per process."""
    return _cached(Path(specs_dir).resolve() if specs_dir else SPECS_DIR)
