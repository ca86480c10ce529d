"""Suggestions for one person's piece of work: scoped to their qualification (its planned units lifted,
the rest never excluded) or, with no registration, to every qualification; each with its reasons.
Shared by the dialogue (intents.evidence_suggest) and the command line (``assessbot evidence suggest``)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db import Database
from bot.records.plan import plan_of
from bot.records.registration import current_registration
from bot.suggest.explain import how, missing, reasons
from bot.suggest.index import index_for
from bot.suggest.rank import Suggestion, rank
from bot.suggest.verbs import shown
from knowledge.kb import KnowledgeBase

MIN_MATCHED = 2          # fewer words shared with the best criterion and its unit: no honest suggestion


@dataclass(frozen=True)
class Suggested:
    suggestion: Suggestion
    why: str                  # the sentence of the work that ties it to the criterion
    missing: str | None       # what the criterion asks that the work doesn't show yet
    how: str | None           # what showing it would take

    @property
    def unit(self) -> str:
        return self.suggestion.unit

    @property
    def ac(self) -> str:
        return self.suggestion.ac


@dataclass(frozen=True)
class Scope:
    units: list[str]
    plan: list[str]
    qualification: str | None     # its title, when the person is registered


def scope_of(kb: KnowledgeBase, db: Database, person_id: str | None) -> Scope:
    """``person_id``'s qualification, or every qualification's units (nobody, or not registered)."""
    reg = current_registration(db, person_id) if person_id else None
    if reg is None:
        return Scope(list(kb.units), [], None)
    q = kb.qualifications[reg.qualification_id]
    return Scope(list(q.units), [u.code for u in plan_of(db, reg.id)], q.title)


def suggest_work(kb: KnowledgeBase, scope: Scope, text: str) -> list[Suggested]:
    """The 3–6 criteria ``text`` most plausibly evidences, best first, grouped by unit; [] when it shares
    too little with any of them to say."""
    index = index_for(kb)
    acts = shown(text)
    found = rank(index, text, scope.units, scope.plan, acts=acts)
    if not found or len(found[0].matched) < MIN_MATCHED:
        return []
    return [Suggested(s, why, missing(s, acts), how(s)) for s, why in zip(found, reasons(index, text, found),
                                                                          strict=True)]
