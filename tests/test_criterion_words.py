"""A criterion named by what it is about, not by its number (``bot.nlu.criterion_words``)."""

from __future__ import annotations

from bot.nlu.criterion_words import criterion_by_words, pointed_words


def test_the_one_criterion_whose_words_the_question_uses_is_found_within_the_unit(kb) -> None:
    found = criterion_by_words(kb, "managing programmes: can I pick a policy initiative that only involves my own "
                                   "school?", ["8631-605"])
    assert found is not None and "other schools, agencies and/or partners" in kb.criterion(*found).text
    # A short form is a word too ("ICT").
    found = criterion_by_words(kb, "managing school infrastructure - is an ICT plan on its own enough?", ["8391-504"])
    assert found is not None and "ICT" in kb.criterion(*found).text
    # Nothing but the unit's name and a fact: no criterion.
    assert criterion_by_words(kb, "8631-605 managing programmes how many credits", ["8631-605"]) is None
    # Words no criterion uses point at none.
    assert criterion_by_words(kb, "managing programmes - can I bring biscuits to the tutorial party?",
                              ["8631-605"]) is None


def test_a_unit_question_about_one_criterion_is_answered_from_that_criterion(bot_say, kb) -> None:
    reply = bot_say("managing programmes on the L6 SBM - does the initiative I select have to involve other "
                    "agencies?")
    criterion = next(c for c in kb.unit("8631-605").criteria if "agencies" in c.text)
    assert reply.kind == "answer" and ("8631-605", criterion.id) in [(r.unit, r.ac) for r in reply.refs]
    assert criterion.text in reply.text()


def test_which_criterion_of_a_qualification_covers_something_is_located_by_its_words(bot_say, kb) -> None:
    reply = bot_say("which criterion of the level 7 senior leaders is about delivering a strategic business "
                    "proposal?")
    criterion = kb.criterion("8431-704", "2.2")
    assert "strategic business proposal" in criterion.text
    assert reply.kind == "answer" and ("8431-704", "2.2") in [(r.unit, r.ac) for r in reply.refs]


def test_a_phrase_pointing_at_a_criterion_names_it_by_one_word(kb) -> None:
    # "Feedback" alone is one shared word, below the bar for words in passing; pointed at, it is enough.
    feedback = [c.id for c in kb.unit("8316-602").criteria if "feedback" in c.text.lower()]
    assert len(feedback) == 1
    for text in ("the feedback one - what would count?", "what would count for the bit on feedback?",
                 "developing the executive manager, the criterion about feedback"):
        assert criterion_by_words(kb, text, ["8316-602"]) == ("8316-602", feedback[0]), text
    # Pointing by position or context is not pointing by subject.
    assert pointed_words("and the next one?") == frozenset() and pointed_words("is that one ok?") == frozenset()


def test_a_criterion_pointed_at_in_a_unit_question_is_answered_from_it(bot_say, kb) -> None:
    reply = bot_say("developing the executive manager (8316-602), the feedback criterion - what kinds count?")
    criterion = next(c for c in kb.unit("8316-602").criteria if "feedback" in c.text.lower())
    assert reply.kind == "answer" and ("8316-602", criterion.id) in [(r.unit, r.ac) for r in reply.refs]
    assert criterion.text in reply.text()


def test_which_unit_prints_something_several_criteria_print_lists_each(bot_say, kb) -> None:
    saying = [(u, c.id) for u in kb.qualifications["l7-senior-leaders-diploma"].units
              for c in kb.unit(u).criteria if "strategic business proposal" in c.text.lower()]
    assert len(saying) >= 2
    bot_say("what is the level 7 senior leaders diploma?")
    reply = bot_say("which unit has the strategic business proposal in it?")
    assert reply.kind == "answer" and set(saying) <= {(r.unit, r.ac) for r in reply.refs}
    assert all(kb.criterion(u, ac).text in reply.text() for u, ac in saying)
