"""The README's recipe "Add an intent", followed: one file, one registration line, ``make model``. (The
recipe "Add a qualification" is followed in tests/test_recipe_qualification.py.)"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from adapters.compose import make_dialogue
from bot.dialogue import Dialogue
from bot.nlu.generate import generate
from bot.nlu.train import fit_examples
from bot.types import Message
from intents import INTENTS
from tests.conftest import NOW
from tests.recipes import my_tutor
from tests.records_fixture import seed

# The training data is cut to the new intent and some neighbours it must be told from, PER_LABEL sentences
# each, so that the test retrains in seconds; `make model` trains on all of it.
NEIGHBOURS = {"my_tutor", "targets", "registration_expiry", "show_plan", "progress_overall", "evidence", "credits",
              "wording", "rules", "none", "greeting", "help", "reminder_set"}
PER_LABEL = 120


def test_add_an_intent(kb, search_index, store, tmp_path: Path) -> None:
    intents = (*INTENTS, *my_tutor.INTENTS)                 # the registration line in intents/__init__.py
    examples, taken = [], Counter[str]()
    for e in generate(kb, intents):
        if e.label in NEIGHBOURS and taken[e.label] < PER_LABEL:
            examples.append(e)
            taken[e.label] += 1
    assert set(taken) == NEIGHBOURS
    model = fit_examples(kb, examples, tmp_path / "model", tol=1e-3)   # `make model`
    seed(store, kb, NOW)
    bot = Dialogue(kb, store, intents, clock=lambda: NOW, search=search_index, model=model)

    def say(text: str) -> str:
        [reply] = bot.handle(Message("console:alice", "c", text, "console"))
        assert reply.intent == "my_tutor", (text, reply.intent, reply.text())
        return reply.text()

    assert say("who's my tutor?") == "Your tutor is Tess Tutor."
    assert "Tess Tutor" in say("could you tell me who my tutor is")      # not one of its examples
    # The product's own registry doesn't have it: the example is only the tests'.
    assert "my_tutor" not in make_dialogue(kb, store, search=search_index).intents
