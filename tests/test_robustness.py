"""Whatever arrives, the core answers with a Reply — never an exception, never a traceback."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.types import KINDS, Message

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check(dialogue, text: str) -> None:
    replies = dialogue.handle(Message("console:fuzz", "fuzz", text, "console"))
    assert replies and all(r.kind in KINDS for r in replies)
    # The catch-all reply for a bug (intent "error"): arbitrary input must never reach it. (An action's own
    # "error" for bad input, such as "cancel" with no reminders to cancel, is a proper answer.)
    assert all(r.intent != "error" for r in replies), (text, replies[0].text())
    assert all(isinstance(r.text(), str) for r in replies)


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_unicode(dialogue, text: str) -> None:
    _check(dialogue, text)


@SETTINGS
@given(st.lists(st.sampled_from(["ac", "AC2.2", "unit", "501", "700", "8391-501", "lo3", "enough", "the",
                                 "finance", "what", "evidence", "?", "level 5", "and", "next", "2", "cancel",
                                 "witness", "\x00", "\u202e", "9.9", "999", "'", '"', ";", "--"]),
                max_size=12).map(" ".join))
def test_reference_soup_in_one_conversation(dialogue, text: str) -> None:
    # Same conversation each time: pending questions and context get exercised too.
    _check(dialogue, text)


def test_control_characters_and_sql(dialogue) -> None:
    for text in ["\x00\x01\x02", "'; DROP TABLE conversations; --", "\" OR 1=1 --", "AC2.2\u0000 of 501",
                 "%s %d {0} ${x}", "\u202eAC2.2", "👍👍👍 501?"]:
        _check(dialogue, text)
    # The store is intact after the SQL-looking text.
    assert dialogue.db["conversations"].count >= 1


def test_a_100000_character_message_is_answered_politely(dialogue) -> None:
    reply = dialogue.handle(Message("console:x", "long", "what evidence does 501 2.2 need? " * 3031))[0]
    assert reply.kind == "clarify" and "long" in reply.text()
    assert len(reply.text()) < 500


ROLE_WORDS = ["remind", "me", "every", "monday", "at", "9am", "to", "friday", "31/02/2027", "pause", "my", "reminders",
              "until", "5 january", "stop", "cancel", "show", "plan", "add", "503", "drop", "501", "evidence", "for",
              "2.2", ":", "alice able's", "bob baker's", "mark", "as met", "refer", "is on a break", "is back",
              "export", "chart", "cohort", "who's behind", "whose registration expires", "left", "unit", "700", "?"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(ROLE_WORDS), max_size=10).map(" ".join),
       st.sampled_from(["console:alice", "console:tess", "console:mo", "console:admin", "slack:UNEW"]), st.booleans())
def test_records_reminders_and_cohort_words_from_every_role(kb, search_index, text: str, person: str,
                                                            shared: bool) -> None:
    from adapters.compose import make_dialogue
    from bot.store import open_store
    from tests.conftest import NOW
    from tests.records_fixture import seed

    db = open_store(None)
    seed(db, kb, NOW)
    replies = make_dialogue(kb, db, clock=lambda: NOW, search=search_index).handle(
        Message(person, "fuzz", text, "console", shared=shared))
    assert replies and all(r.kind != "error" or "something went wrong" not in r.text() for r in replies), text
