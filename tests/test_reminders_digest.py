"""The tutor's Monday digest: built from the cohort standings, once per tutor per week, in batches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.records.questions import log_question
from bot.reminders import occurrences
from bot.reminders.dispatch import ConsoleSender, dispatch_due
from tests.conftest import NOW
from tests.records_fixture import seed

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.fixture
def db(kb, store):
    db = store
    seed(db, kb, NOW)
    return db


def _digests(sender: ConsoleSender) -> dict[str, str]:
    return {person: text for person, text, key in sender.sent if key.startswith("digest:")}


def test_the_digest_carries_rag_expiry_quiet_learners_and_topics(db, kb) -> None:
    db.execute("UPDATE people SET last_active_at = ? WHERE id = 'console:bob'", ["2026-10-01T09:00:00+00:00"])
    log_question(db, "console:alice", "criterion_evidence", "8391-501", None, MONDAY - timedelta(days=2))
    log_question(db, "console:alice", "qualification_rules", None, "witness_testimony", MONDAY - timedelta(days=1))
    log_question(db, "console:bob", "sufficiency", "8391-501", None, MONDAY - timedelta(days=3))
    log_question(db, "console:alice", "criterion_evidence", "8391-502", None, MONDAY - timedelta(days=30))
    sender = ConsoleSender()
    dispatch_due(db, kb, sender, MONDAY)
    text = _digests(sender)["console:tess"]
    alice = next(line for line in text.splitlines() if line.startswith("• Alice Able"))
    assert "Alice Able: 0 of 51 criteria met (0%), expected" in alice and "by now — Red;" in alice
    assert "registration expires on 15 January 2027" in alice
    bob = next(line for line in text.splitlines() if line.startswith("• Bob Baker"))
    assert "no activity since 1 October 2026" in bob
    assert "Carol" not in text and "Eve" not in text                 # not Tess's learners
    assert "Asked about most last week: 8391-501 Managing School Finances (2), witness testimony (1)." in text
    assert "Green: on or ahead of expected progress" in text
    # Once a week: later sweeps that Monday and that week add nothing.
    for hours in (1, 30, 80):
        dispatch_due(db, kb, sender, MONDAY + timedelta(hours=hours))
    assert [k for _, _, k in sender.sent].count("digest:console:tess:2026-W48") == 1


def test_a_tutor_with_nothing_to_report_gets_no_message_and_batches_move_on(db, kb, monkeypatch) -> None:
    monkeypatch.setattr(occurrences, "DIGEST_BATCH", 1)
    # "console:ann" sorts before Tess and has no learners: her empty digest must not block Tess's.
    db["people"].insert({"id": "console:ann", "name": "Ann Other", "role": "tutor", "centre_id": 1,
                         "created_at": NOW.isoformat()})
    sender = ConsoleSender()
    dispatch_due(db, kb, sender, MONDAY)
    assert _digests(sender) == {}
    assert db.execute("SELECT status FROM reminder_occurrences WHERE key = 'digest:console:ann:2026-W48'"
                      ).fetchone() == ("skipped",)
    dispatch_due(db, kb, sender, MONDAY + timedelta(minutes=1))
    assert list(_digests(sender)) == ["console:tess"]


def test_cohort_views_leave_no_transaction_open(kb, new_store) -> None:
    from bot.records.cohort import Scope, standings

    db = new_store("store")
    seed(db, kb, NOW)
    standings(db, kb, Scope("1 = 1", (), "all"), NOW.date())
    other = new_store("store")
    if other.engine == "sqlite":
        other.execute("PRAGMA busy_timeout = 0")
    else:
        other.execute("SET lock_timeout = 1")
    other.execute("UPDATE people SET name = 'Alice A' WHERE id = 'console:alice'")   # not "database is locked"
    assert db["people"].get("console:alice")["name"] == "Alice A"


def test_a_learner_on_a_break_is_not_called_quiet(db, kb) -> None:
    db.execute("UPDATE people SET last_active_at = ? WHERE id = 'console:bob'", ["2026-10-01T09:00:00+00:00"])
    db.execute("UPDATE registrations SET status = 'on_break' WHERE person_id = 'console:bob'")
    sender = ConsoleSender()
    dispatch_due(db, kb, sender, MONDAY)
    text = _digests(sender)["console:tess"]
    assert "Alice Able" in text and "Bob Baker" not in text


def test_topics_are_counted_per_tutor_in_one_pass(db) -> None:
    from bot.records.questions import top_topics_by_tutor

    db["people"].insert({"id": "console:tom", "name": "Tom Tutor", "role": "tutor", "centre_id": 1,
                         "created_at": NOW.isoformat()})
    db["tutor_learners"].insert({"tutor_id": "console:tom", "learner_id": "console:carol"})
    log_question(db, "console:alice", "criterion_evidence", "8391-501", None, MONDAY - timedelta(days=1))
    log_question(db, "console:carol", "qualification_rules", None, "witness_testimony", MONDAY - timedelta(days=1))
    log_question(db, "console:carol", "qualification_rules", None, "witness_testimony", MONDAY - timedelta(days=2))
    counts = top_topics_by_tutor(db, ["console:tess", "console:tom"], MONDAY - timedelta(days=7))
    assert counts == {"console:tess": [("8391-501", 1)], "console:tom": [("witness testimony", 2)]}
