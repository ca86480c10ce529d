"""The README's recipe "Add a qualification", followed with a fictional one: a source text, an importer that
configures the shared reader, its SpecSource line, a curation file, the build, ``kb check``'s validation,
and the bot answering from it beside the real qualifications.

Everything lives in tests/recipes/example_qualification/ and is built in memory: knowledge/ is not written,
and the bundled KB and the product's SPECS stay as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from adapters.compose import make_dialogue
from bot.db import Database
from bot.types import Message, Reply
from knowledge.build import render_yaml
from knowledge.check import validate
from knowledge.curation import apply_corrections, load_corrections
from knowledge.importers import SPECS, SpecSource
from knowledge.kb import KnowledgeBase, read_documents
from knowledge.search import SearchIndex
from tests.recipes.example_qualification import importer

HERE = Path(__file__).resolve().parent / "recipes" / "example_qualification"
# The line the recipe adds to SPECS in knowledge/importers/__init__.py. ``build.py`` imports importers from
# knowledge.importers only, so ``_build`` below does what ``build_spec`` does with this folder instead.
SPEC = SpecSource("l4_example_award", "spec.txt", "example_qualification", (importer.QUALIFICATION_ID,))
QUALIFICATION = "Level 4 Award in Example Studies"
UNIT = "9999-401"
# As printed: AC1.2 is wrapped over two lines of the source and read back as one sentence.
WORDING = {
    "1.1": "Explain why a specification includes worked examples.",
    "1.2": "Describe the features of a clear worked example, using at least two examples from own practice.",
    "2.1": "Prepare a worked example for a topic agreed with the tutor.",
    "2.2": "Evaluate the worked example against feedback from at least one peer.",
}


def _build(spec: SpecSource) -> dict[str, Any]:
    """``build_spec`` for this folder: importer → curation → the YAML text ``make kb`` would commit → data.

    Reading the rendered YAML back makes the test see what the bot sees at run time, not the importer's
    Python objects."""
    data = importer.parse(HERE / spec.document)
    curated = apply_corrections(data, load_corrections(HERE / f"{spec.name}.yaml"))
    return yaml.safe_load(render_yaml(curated))


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return _build(SPEC)


@pytest.fixture(scope="module")
def example_kb(example: dict[str, Any]) -> KnowledgeBase:
    """The bundled documents as ``load_kb`` reads them, plus the example: a new qualification joins the others."""
    return KnowledgeBase([*read_documents(), example])


def test_the_importer_reads_the_records_as_printed(example: dict[str, Any]) -> None:
    [qual] = example["qualifications"]
    assert [q["id"] for q in example["qualifications"]] == list(SPEC.qualification_ids)
    assert example["document"] == {"file": "spec.txt", "title": QUALIFICATION}
    assert {k: qual[k] for k in ("title", "level", "credits", "glh", "tqt", "units")} == {
        "title": QUALIFICATION, "level": 4, "credits": 6, "glh": 30, "tqt": 60, "units": [UNIT]}
    assert qual["numbers"] == [{"kind": "ofqual", "value": "999/9999/9", "note": None}]
    assert qual["registration_validity_months"] == 24          # "valid for two years"
    assert qual["registration_validity_text"] == "A learner's registration is valid for two years."
    assert qual["rules_of_combination"]["all_units_required"] and qual["rules_of_combination"]["mandatory"] == [UNIT]

    [unit] = example["units"]
    assert {k: unit[k] for k in ("code", "title", "level", "credits", "glh", "qualifications")} == {
        "code": UNIT, "title": "Practising Example Studies", "level": 4, "credits": 6, "glh": 30,
        "qualifications": [importer.QUALIFICATION_ID]}
    assert [(lo["number"], lo["text"]) for lo in unit["learning_outcomes"]] == [
        (1, "Understand the purpose of worked examples"), (2, "Be able to prepare a worked example")]
    assert {c["id"]: c["text"] for c in unit["criteria"]} == WORDING
    assert [c["lo"] for c in unit["criteria"]] == [1, 1, 2, 2]
    # Every criterion cites the source line its wording starts on.
    source = (HERE / "spec.txt").read_text(encoding="utf-8").splitlines()
    for c in unit["criteria"]:
        assert c["source"]["document"] == "spec.txt"
        assert c["text"].startswith(source[c["source"]["line"] - 1].strip()), c["id"]
    # The curation file's one correction is applied.
    assert unit["criteria"][1]["min_counts"] == [{"n": 2, "what": "examples from own practice"}]

    # One rule per sentence of the prose sections, moved to a narrower topic where its words say so.
    assert [(r["topic"], r["text"], r["source"]["line"]) for r in example["rules"]] == [
        ("entry", "The Level 4 Award in Example Studies is for people who write or use worked examples in their "
                  "work and want to make them clearer.", 6),
        ("portfolio", "Learners must submit a portfolio of evidence that covers every assessment criterion of the "
                      "unit.", 81),
        ("grading", "The portfolio is graded Pass or Refer.", 82),
        ("resubmission", "A referred portfolio may be resubmitted once, within three months of the result.", 82),
    ]


def test_the_kb_accepts_it_beside_the_real_qualifications(example_kb: KnowledgeBase) -> None:
    assert validate(example_kb) == []                          # `assessbot kb check`'s model checks
    real = {q for spec in SPECS for q in spec.qualification_ids}
    assert set(example_kb.qualifications) == real | set(SPEC.qualification_ids)
    assert example_kb.units_by_short_code("401") == [example_kb.units[UNIT]]     # its short code is its own
    assert example_kb.criterion(UNIT, "AC1.2").text == WORDING["1.2"]


def test_the_bot_answers_from_it(example_kb: KnowledgeBase, store: Database) -> None:
    bot = make_dialogue(example_kb, store, search=SearchIndex(example_kb))

    def say(text: str) -> Reply:
        [reply] = bot.handle(Message("console:learner", "recipe", text, "console"))
        assert reply.kind == "answer", (text, reply.intent, reply.text())
        return reply

    need = say("what does 9999-401 AC1.2 need?")
    assert need.intent == "criterion_evidence"
    assert need.title == f"{UNIT} Practising Example Studies — AC1.2"
    assert f"“{WORDING['1.2']}”" in need.paragraphs                # quoted exactly, as a paragraph of its own
    assert need.citation == f"{QUALIFICATION}, {UNIT} AC1.2, line 69"
    # The curated count is part of the detail behind "more".
    assert "at least 2 examples from own practice" in say("more").text()

    credits = say("how many credits is 9999-401?")
    assert credits.paragraphs[0] == f"{UNIT} Practising Example Studies carries 6 credits."
    assert credits.citation == f"{QUALIFICATION}, unit {UNIT}, line 47"
    assert say("and the GLH?").paragraphs[0] == f"{UNIT} Practising Example Studies has 30 guided learning hours (GLH)."
