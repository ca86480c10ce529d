"""The example intent of the README's recipe "Add an intent", used only by tests/test_recipes.py: a learner
asks who their tutor is. One file like this one, one line in ``intents/__init__.py``, then ``make model``."""

from __future__ import annotations

from bot.intent import Intent, Slots, Turn
from bot.types import Reply


def my_tutor(turn: Turn, slots: Slots) -> Reply:
    assert turn.db is not None and turn.person is not None        # a personal intent runs with both
    names = [row["name"] or row["id"] for row in turn.db.query(
        "SELECT p.id, p.name FROM tutor_learners t JOIN people p ON p.id = t.tutor_id WHERE t.learner_id = ? "
        "ORDER BY p.name", [turn.person.id])]
    if not names:
        return Reply("answer", "my_tutor", paragraphs=["You have no tutor on the roster yet: ask your centre."])
    return Reply("answer", "my_tutor", paragraphs=[f"Your tutor is {' and '.join(names)}."])


INTENTS = (
    Intent("my_tutor", my_tutor, personal=True, examples=(
        "who is my tutor", "who's my tutor?", "which tutor have I got", "who is my assessor",
        "remind me who my tutor is", "who marks my work", "who's assessing me", "what's my tutor called",
        "who am I meant to send my work to", "tutor name please",
    )),
)
