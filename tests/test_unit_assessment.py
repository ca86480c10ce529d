"""Unit assessment answers lead with the specification's own sentence on the method."""

from __future__ import annotations

from intents.unit_parts import _method_notes


def test_the_method_sentence_leads_the_assessment_answer(bot_say, kb) -> None:
    unit = kb.unit("8631-600")
    method = next(n for n in unit.assessment_notes if "assessed" in n or "Assessment for" in n)
    reply = bot_say("unit 8631-600 how is it assessed")
    assert reply.kind == "answer" and reply.refs[0].unit == "8631-600"
    # It comes before the summary of the parts, not behind "more".
    assert method in reply.paragraphs[1]


def test_a_method_lead_in_brings_its_items_and_stops_at_a_note_of_its_own() -> None:
    notes = ["There are two parts to the assessment of this module:", "A critical evaluation.",
             "Design of a training session.", "Assessment Criterion 3.2 requires " + "evidence " * 40]
    assert _method_notes(notes) == notes[:3]
    assert _method_notes(["Assessors must assess against the criteria.", "Total 50 + overall"]) == []
    # A restatement under older unit numbers is not repeated.
    twice = ["Units 602 and 604 can also be assessed by an integrated assignment.",
             "Units M6.01 and M6.02 can also be assessed by an integrated assignment."]
    assert _method_notes(twice) == twice[:1]


def test_depth_lines_that_share_most_of_the_subject_and_a_lead_in_with_its_items(kb) -> None:
    from intents.unit_parts import depth_lines_about
    unit = kb.unit("8431-705")
    lines = [line for _, line in depth_lines_about(unit, "non-financial information elements")]
    depth = kb.criterion("8431-705", "2.1").depth
    start = depth.index("Non-financial information elements:")
    end = next(n for n in range(start + 1, len(depth)) if depth[n].endswith(":") or n == len(depth) - 1)
    assert lines[:end - start] == list(depth[start:end])
    # A line sharing fewer of the subject words is left out.
    assert depth[0] not in lines


def test_an_evidence_question_on_a_unit_without_an_evidence_list_is_answered_from_its_own_lines(bot_say, kb) -> None:
    unit = kb.unit("8316-607")
    assert not unit.evidence
    note = next(n for n in unit.assessment_notes if "literature review" in n)
    # "lit" is used by no line of any unit: a clipped "literature".
    reply = bot_say("what evidence of a lit search does 8316-607 want")
    assert reply.kind == "answer" and note in reply.text()


def test_a_part_named_inside_a_brief_gets_the_brief_s_own_size_for_it(bot_say, kb) -> None:
    unit = kb.unit("8631-602")
    line = next(t for a in unit.assessment for t in a.text if "reflective commentary" in t and "500 words" in t)
    reply = bot_say("for 8631-602, how long is the reflective commentary meant to be?")
    # It leads: the parts' own figures (2,500 words, 20 minutes) are not what was asked.
    assert reply.kind == "answer" and reply.bullets[0].items[0] == line
    # A part named by its own title still gets that part's figures.
    assert "20" in bot_say("how long is the structured interview for 8631-602?", conversation="2").text()


def test_a_unit_question_that_says_more_than_the_name_is_answered_from_the_units_lines(bot_say, kb) -> None:
    # Read as "tell me about the unit", but it asks about one thing its brief prints: those lines, not the card.
    line = next(line for _, line in kb.unit("8631-600").own_lines() if "executive summary" in line.lower())
    reply = bot_say("8631-600 enabling learning: does the report need an executive summary?")
    assert reply.kind == "answer" and line in reply.text() and "credits" not in reply.text()
    # The name alone is still the unit's card.
    assert "credits" in bot_say("tell me about 8631-600").text()


def test_which_qualification_a_unit_is_part_of_says_whether_it_is_mandatory_or_optional_there(bot_say) -> None:
    reply = bot_say("which qualification is 8316-602 in?")
    text = reply.text()
    assert reply.kind == "answer"
    assert "Level 6 Award in Management (mandatory)" in text
    assert "Level 6 Diploma in Management (optional, Group A, Group B)" in text


def _listed(kb, code: str, lead_word: str, question: str) -> tuple[list[str], int, list[str]]:
    """The unit's own lines, the index of its lead-in holding ``lead_word``, and what ``search_unit`` shows."""
    from types import SimpleNamespace

    from intents.unit_search import search_unit
    unit = kb.unit(code)
    lines = [line for _, line in unit.own_lines()]
    lead = next(i for i, line in enumerate(lines) if line.rstrip().endswith(":") and lead_word in line)
    reply = search_unit(SimpleNamespace(kb=kb), unit, question)
    assert reply is not None
    return lines, lead, [item for b in reply.bullets for item in b.items]


def test_a_unit_question_answered_by_a_printed_list_quotes_its_lead_in_and_items(kb) -> None:
    # The lead-in alone and the item alone each carry too little of the question; together they answer it.
    lines, lead, shown = _listed(kb, "8631-604", "questions",
                                 "which questions does the evaluation cover - is value for money one of them?")
    assert shown[0] == lines[lead] and any("value for money" in item for item in shown[1:])


def test_a_lead_in_that_says_all_the_question_does_comes_with_its_items(kb) -> None:
    lines, lead, shown = _listed(kb, "8631-602", "aspects",
                                 "what aspects of organisational change may my practitioner research choose from?")
    assert shown[0] == lines[lead] and shown[1] == lines[lead + 1] and len(shown) > 3
