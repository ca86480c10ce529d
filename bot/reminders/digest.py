"""The tutor's Monday digest, built from the same cohort queries a tutor's questions use.

One ``standings`` call covers every tutor in the batch, so the digest costs what "who's behind?" costs
for those learners together; one more query finds what each tutor's learners asked about. Per learner,
one line with every reason for a word this week, by the same rules as the chat answers: Red or Amber
(the standing's summary, with its projected finish), registration expiring within three months, three
weeks without activity. Then what the tutor's learners asked about most that week, by topic (never
message text), and the RAG rule.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from bot.cite import unit_label
from bot.dates import uk_date
from bot.db import Database
from bot.records.cohort import Scope, expiring, gone_quiet, standings
from bot.records.questions import top_topics_by_tutor
from bot.records.standing import RAG_RULE
from knowledge.kb import KnowledgeBase

EXPIRING_MONTHS = 3
QUIET_DAYS = 21
TOPICS_LISTED = 3


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
    rows = standings(db, kb, scope, now.date())
    # "Whose registration expires …?" and "who has gone quiet?", asked of the same standings.
    expires = {s.person_id: s.registration.expires_on for s in expiring(rows, now.date(), EXPIRING_MONTHS)}
    quiet = {s.person_id for s in gone_quiet(rows, now, QUIET_DAYS) if s.rag != "on a break"}
    lines: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for s in rows:
        reasons = [s.summary()] if s.rag in ("red", "amber") else []
        if s.person_id in expires:
            reasons.append(f"registration expires on {uk_date(expires[s.person_id])}")
        if s.person_id in quiet and s.last_active is not None:
            reasons.append(f"no activity since {uk_date(s.last_active.date())}")
        if not reasons:
            continue
        order = {"red": 0, "amber": 1}.get(s.rag, 2)      # Red first, then Amber, then the rest by name
        for tutor in learners_of.get(s.person_id, ()):
            lines[tutor].append((order, s.name or s.person_id, f"• {s.name or s.person_id}: {'; '.join(reasons)}"))
    topics = top_topics_by_tutor(db, list(lines), now - timedelta(days=7), TOPICS_LISTED)
    out = {}
    for tutor, entries in lines.items():
        text = ["Your Monday digest — learners who may need a word this week:"]
        text += [line for _, _, line in sorted(entries)]
        asked = topics.get(tutor)
        if asked:
            text.append("Asked about most last week: " + ", ".join(
                f"{unit_label(kb.units[what]) if what in kb.units else what} ({n})" for what, n in asked) + ".")
        if any(order < 2 for order, _, _ in entries):
            text.append(RAG_RULE)
        out[tutor] = "\n".join(text)
    return out
