"""The tutor's Monday digest, built from the same cohort queries a tutor's questions use.

One ``standings`` call covers every tutor in the batch, so the digest costs what "who's behind?" costs
for those learners together, not one query per tutor. Per learner, one line with every reason for a
word this week: Red or Amber (with the numbers), registration expiring within 90 days (with the
projected finish when it falls after expiry), three weeks without activity. Then what the tutor's
learners asked about most that week, by topic (never message text), and the RAG rule in plain words.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.cite import unit_label
from bot.dates import uk_date
from bot.records.cohort import Scope, standings
from bot.records.questions import top_topics
from bot.records.standing import RAG_RULE, Standing
from knowledge.kb import KnowledgeBase

EXPIRING_WITHIN = timedelta(days=90)
QUIET_AFTER = timedelta(days=21)
TOPICS_LISTED = 3


def _reasons(s: Standing, now: datetime) -> list[str]:
    today = now.date()
    reasons = []
    if s.rag in ("red", "amber"):
        line = f"{s.rag.title()} — {s.met} of {s.total} criteria met ({s.percent:.0f}%)"
        if s.expected_percent is not None:
            line += f", expected {s.expected_percent:.0f}% by now"
        reasons.append(line)
    expires = s.registration.expires_on
    if expires and today <= expires <= today + EXPIRING_WITHIN and s.met < s.total:
        line = f"registration expires on {uk_date(expires)}"
        if s.projected_finish and s.projected_finish > expires:
            line += f" (on course to finish around {uk_date(s.projected_finish)})"
        reasons.append(line)
    if s.rag != "on a break" and s.last_active is not None and s.last_active < now - QUIET_AFTER:
        reasons.append(f"no activity since {uk_date(s.last_active.date())}")
    return reasons


def digest_texts(db: Database, kb: KnowledgeBase, tutors: list[str], now: datetime) -> dict[str, str]:
    """The digest for each tutor with something to say; tutors with nothing this week are left out."""
    if not tutors:
        return {}
    marks = ",".join("?" * len(tutors))
    learners_of: dict[str, list[str]] = defaultdict(list)
    for tutor, learner in db.execute(
            f"SELECT tutor_id, learner_id FROM tutor_learners WHERE tutor_id IN ({marks})", tutors):
        learners_of[learner].append(tutor)
    scope = Scope(f"p.id IN (SELECT learner_id FROM tutor_learners WHERE tutor_id IN ({marks}))", tuple(tutors),
                  "digest")
    lines: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for s in standings(db, kb, scope, now.date()):
        reasons = _reasons(s, now)
        if not reasons:
            continue
        order = {"red": 0, "amber": 1}.get(s.rag, 2)      # Red first, then Amber, then the rest by name
        for tutor in learners_of.get(s.person_id, ()):
            lines[tutor].append((order, s.name or s.person_id, f"• {s.name or s.person_id}: {'; '.join(reasons)}"))
    out = {}
    for tutor, entries in lines.items():
        text = ["Your Monday digest — learners who may need a word this week:"]
        text += [line for _, _, line in sorted(entries)]
        asked = top_topics(db, Scope("p.id IN (SELECT learner_id FROM tutor_learners WHERE tutor_id = ?)",
                                     (tutor,), "your learners"), now - timedelta(days=7), TOPICS_LISTED)
        if asked:
            text.append("Asked about most last week: " + ", ".join(
                f"{unit_label(kb.units[what]) if what in kb.units else what} ({n})" for what, n in asked) + ".")
        if any(order < 2 for order, _, _ in entries):
            text.append(RAG_RULE)
        out[tutor] = "\n".join(text)
    return out
