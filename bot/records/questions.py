"""What people ask about, by topic — never the message text (privacy: nothing kept longer than needed).

The dialogue logs each answered question as (person, when, intent, unit, topic); tutors and managers
see the most asked-about topics of the learners in their scope.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot.db import Database
from bot.records.cohort import Scope

# Intents that are questions about the qualification (not actions or small talk).
ASKED_INTENTS = frozenset({"criterion_evidence", "sufficiency", "criterion_wording", "unit_overview",
                           "qualification_rules"})


def log_question(db: Database, person_id: str, intent: str, unit: str | None, topic: str | None,
                 now: datetime) -> None:
    if intent not in ASKED_INTENTS:
        return
    db.execute("INSERT INTO question_log (person_id, asked_at, intent, unit_code, topic) VALUES (?, ?, ?, ?, ?)",
               [person_id, now.isoformat(), intent, unit, topic])


def top_topics(db: Database, scope: Scope, since: datetime, limit: int = 8) -> list[tuple[str, int]]:
    """(what was asked about, how often) for learners in scope since ``since``: a unit or a rule topic."""
    counts: Counter[str] = Counter()
    for unit, topic, n in db.execute(
            "SELECT q.unit_code, q.topic, count(*) FROM question_log q JOIN people p ON p.id = q.person_id "
            f"WHERE q.asked_at >= ? AND {scope.where} GROUP BY q.unit_code, q.topic",
            (since.isoformat(), *scope.params)):
        counts[_what(unit, topic)] += n
    return counts.most_common(limit)


def top_topics_by_tutor(db: Database, tutors: list[str], since: datetime,
                        limit: int = 8) -> dict[str, list[tuple[str, int]]]:
    """``top_topics`` for each tutor's learners, in one query for all the tutors (the Monday digest)."""
    counts: dict[str, Counter[str]] = {}
    if not tutors:
        return {}
    marks = ",".join("?" * len(tutors))
    for tutor, unit, topic, n in db.execute(
            "SELECT t.tutor_id, q.unit_code, q.topic, count(*) FROM question_log q JOIN tutor_learners t "
            f"ON t.learner_id = q.person_id WHERE q.asked_at >= ? AND t.tutor_id IN ({marks}) "
            "GROUP BY t.tutor_id, q.unit_code, q.topic", (since.isoformat(), *tutors)):
        counts.setdefault(tutor, Counter())[_what(unit, topic)] += n
    return {tutor: c.most_common(limit) for tutor, c in counts.items()}


def _what(unit: str | None, topic: str | None) -> str:
    """What a question was about: its unit, else its rule topic in words."""
    return unit or (topic or "other").replace("_", " ")
