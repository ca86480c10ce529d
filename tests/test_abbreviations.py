"""Abbreviations the specifications define are found and used to search in the documents' own words."""

from knowledge.abbreviations import expand, find_abbreviations
from knowledge.search import SearchIndex


def test_long_forms_are_the_words_that_spell_the_short_form() -> None:
    found = find_abbreviations([
        "The qualification has 60 Guided Learning Hours (GLH) and a Total Qualification Time (TQT) of 200.",
        "Apprentices complete the End-Point Assessment (EPA) after Gateway.",
        "Knowledge, Skills and Behaviours (KSBs) are mapped below.",
        "Ask your tutor (see) or the centre (Level) for help.",
    ])
    assert found["glh"] == "guided learning hours"
    assert found["tqt"] == "total qualification time"
    assert found["epa"] == "end-point assessment"
    assert found["ksb"] == found["ksbs"] == "knowledge skills and behaviours"
    assert "see" not in found and "level" not in found


def test_expansion_keeps_the_short_form_and_leaves_references_alone() -> None:
    spelt = {"ac": "assessment criteria"}
    assert expand("can one piece count for more than one AC?", spelt) == \
        "can one piece count for more than one AC (assessment criteria)?"
    assert expand("what does AC1.2 need", spelt) == "what does AC1.2 need"


def test_the_bundled_kb_spells_out_only_what_its_statements_spell_out(kb) -> None:
    index = SearchIndex(kb)
    assert index.abbreviations["ac"] == "assessment criteria"
    assert "assessment criteria" in index.expand("more than one AC")
    # The statements say "EPA" more often than "end-point assessment": the question is searched as asked.
    assert index.expand("the EPA gateway") == "the EPA gateway"
