"""The intent registry: every intent family's declarations, in one tuple for the router.

Only the dialogue router imports this package (ARCHITECTURE.md); intent modules import the
``bot`` types and the KB, never the router.
"""

from __future__ import annotations

from bot.intent import Intent
from intents import (
    cohort,
    compare,
    criteria,
    decisions,
    evidence,
    evidence_suggest,
    help,
    ksb_criteria,
    my_people,
    plan,
    records,
    reminders,
    rules,
    targets,
    undo,
    units,
)

INTENTS: tuple[Intent, ...] = (*criteria.INTENTS, *units.INTENTS, *rules.INTENTS, *compare.INTENTS,
                               *ksb_criteria.INTENTS,
                               *records.INTENTS, *my_people.INTENTS,
                               *plan.INTENTS, *targets.INTENTS, *evidence.INTENTS, *evidence_suggest.INTENTS,
                               *reminders.INTENTS, *cohort.INTENTS,
                               *decisions.INTENTS,
                               *undo.INTENTS, *help.INTENTS)
