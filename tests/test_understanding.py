"""Understanding questions: the intent model, references, facets, several questions at once, and what the
specifications don't cover. Phrasings here are the project's own, not the held-out sets'."""

from __future__ import annotations

import pytest

from bot.facets import KNOWLEDGE_FACETS
from bot.nlu.features import delexicalise
from bot.nlu.model import load_model
from bot.nlu.refs import extract


def test_the_model_reads_facets_from_the_words_around_references(kb) -> None:
    model = load_model()
    assert set(model.classes) >= KNOWLEDGE_FACETS | {"none", "bare", "reminder_set", "evidence_log", "decision"}
    cases = {
        "how many credits is 8391-502": "credits",
        "what's the UAN of unit 504": "number",
        "how long is the presentation for 8631-601": "timing",
        "is unit 505 optional": "optional",
        "can I use a video recording as evidence on the level 5": "rules",
        "what's the weather like in Leeds": "none",
        "remind me every Tuesday at 8pm to write up my log": "reminder_set",
    }
    for text, label in cases.items():
        got = model.predict(delexicalise(text, extract(text, kb), "learner"))[0]
        assert got.label == label, (text, got)


def test_delexicalising_replaces_every_reference_with_its_placeholder(kb) -> None:
    text = "is AC2.2 of 8391-501 on the level 5 the same as M6.03 LO1?"
    assert delexicalise(text, extract(text, kb), "tutor").split() == [
        "is", "zac", "of", "zunit", "on", "the", "zqual", "the", "same", "as", "zunit", "zlo", "?", "zroletutor"]


def test_references_in_every_form(kb) -> None:
    refs = extract("M6.03 criteria 2.1, 2.2 and 2.4", kb)
    assert refs.units == ["8316-605"] and refs.acs == ["2.1", "2.2", "2.4"]
    assert extract("2.1-2.3 of 8391-501", kb).acs == ["2.1", "2.2", "2.3"]
    lo_ac = extract("LO2 AC3 in 8391-501", kb)
    assert lo_ac.acs == ["2.3"] and lo_ac.lo == 2
    assert extract("unit 3 of the level 5", kb).position == 3
    assert extract("the last one in LO2", kb).relative == "last"
    assert extract("school business management diploma", kb).qualifications == ["l6-sbm-diploma"]
    # A level describes units as well as qualifications; the name of a qualification only qualifications.
    level = extract("the level 7 change unit", kb)
    assert level.levels == [7] and level.named_qualifications == []


def test_an_ilm_unit_number_names_its_unit(bot_say) -> None:
    reply = bot_say("what does M6.03 2.1 ask for?")
    assert reply.kind == "answer" and reply.refs[0].unit == "8316-605" and reply.refs[0].ac == "2.1"


def test_the_criterion_existing_in_one_candidate_decides_a_shared_short_code(bot_say, kb) -> None:
    # 602 is 8316-602 and 8631-602; only one of them has a criterion 3.2.
    has = [u.code for u in kb.units_by_short_code("602") if u.criterion("3.2")]
    assert len(has) == 1
    reply = bot_say("602 AC 3.2 - what do they want?")
    assert reply.kind == "answer" and reply.refs[0].unit == has[0]


def test_words_of_the_criterion_decide_between_units_that_share_it(bot_say, kb) -> None:
    both = [u for u in kb.units_by_short_code("700") if u.criterion("2.4")]
    assert len(both) == 2
    target = next(u for u in both if "risk" in u.criterion("2.4").text.lower())
    reply = bot_say("unit 700 2.4, the one about taking risks - what do I need?")
    assert reply.kind == "answer" and reply.refs[0].unit == target.code


def test_a_long_question_quoting_a_short_criterion_is_about_that_criterion(bot_say, kb) -> None:
    # AC5.3 is in three units of the Level 5; the question quotes one's whole wording among many other words.
    assert len([u for u in kb.qualifications["l5-sbl-diploma"].units if kb.units[u].criterion("5.3")]) > 1
    wording = kb.criterion("8391-500", "5.3").text
    reply = bot_say(f"level 5 - {wording.lower()} (5.3): my school's timetable means it runs over two terms and "
                    "I worry the review happens after I finish, what do they need to see?")
    assert reply.kind == "answer" and ("8391-500", "5.3") in [(r.unit, r.ac) for r in reply.refs]


def test_a_short_code_with_nothing_else_to_go_on_is_asked(bot_say) -> None:
    reply = bot_say("unit 603 credits?")
    assert reply.kind == "clarify" and {c.value for c in reply.choices} == {"8316-603", "8631-603"}


@pytest.mark.parametrize("text, facet, fact", [
    ("what is the UAN for 8391-503", "number", "K/615/9091"),
    ("ILM unit code for 8316-605?", "number", "M6.03"),
    ("which KSBs does 8431-700 AC1.4 map to?", "ksbs", "S18"),
    ("is 8391-503 optional?", "optional", "optional"),
    ("how many guided learning hours is 8431-704", "glh", "46"),
])
def test_one_fact_of_a_unit_leads_the_answer(bot_say, text, facet, fact) -> None:
    reply = bot_say(text)
    assert reply.kind == "answer" and reply.facet == facet
    assert fact in reply.text().split("\n\n")[0], reply.text()


def test_a_fact_the_specification_does_not_print_is_declined_with_what_it_does_give(bot_say, kb) -> None:
    unit = kb.unit("8431-701")
    assert unit.credits is None and unit.glh is not None
    reply = bot_say("how many credits is 8431-701?")
    assert reply.kind == "decline" and "doesn't give a credit value" in reply.text()
    assert str(unit.glh) in reply.text()


def test_every_part_of_a_question_is_answered(bot_say, kb) -> None:
    unit = kb.unit("8391-501")
    reply = bot_say("how many credits is 8391-501 and what are its guided learning hours?")
    assert reply.kind == "answer"
    assert f"{unit.credits} credits" in reply.text() and f"{unit.glh} guided learning hours" in reply.text()
    assert reply.text().count("Source:") == 2


def test_a_statement_after_a_question_is_its_context_not_a_second_question(bot_say) -> None:
    reply = bot_say("is one example enough for 8391-502 1.1? I was going to use the procurement act")
    assert reply.intent == "sufficiency" and reply.text().count("Source:") == 1


@pytest.mark.parametrize("text", [
    "how much does the level 5 diploma cost?",
    "what's the pass rate for unit 501?",
    "is there a level 4 version of the school business qualification?",
    "can you write my assignment for 8431-702?",
    "how long does marking usually take for the level 7?",
])
def test_what_the_specifications_do_not_cover_is_declined(bot_say, text) -> None:
    assert bot_say(text).kind == "decline", text


def test_a_rules_question_quotes_the_statements_that_answer_it(bot_say, kb) -> None:
    reply = bot_say("level 6 school business management: if a unit is referred can I resubmit it?")
    assert reply.kind == "answer"
    statement = next(r for r in kb.rules_for("l6-sbm-diploma", "resubmission"))
    assert statement.text in reply.text()


def test_answers_are_short_with_the_detail_behind_more(bot_say, kb) -> None:
    reply = bot_say("what evidence does 8391-503 AC1.2 need?")
    c = kb.criterion("8391-503", "1.2")
    assert reply.more is not None and "more" in reply.text()
    assert c.depth[0] not in reply.text()
    more = bot_say("more")
    assert c.depth[0] in more.text()
    assert bot_say("more").paragraphs[0].startswith("There's nothing more")


def test_a_question_about_the_unit_in_context_is_answered_from_its_own_lines(bot_say, kb) -> None:
    unit = kb.unit("8316-609")
    line = next(c for c in unit.criteria if "budget" in c.text.lower())
    bot_say("tell me about 8316-609")
    reply = bot_say("which criterion is about the budget?")
    assert reply.kind == "answer" and (unit.code, line.id) in [(r.unit, r.ac) for r in reply.refs]


def test_whether_a_unit_is_optional_comes_with_its_group_rules(bot_say, kb) -> None:
    q = kb.qualifications["l6-management-diploma"]
    group_rules = [t for t in q.rules_of_combination["text"] if "group" in t.lower()]
    reply = bot_say("is 8316-607 optional on the diploma in management?")
    assert reply.kind == "answer" and "optional" in reply.text()
    assert all(t in reply.text() for t in group_rules)


def test_the_occupational_standard_printed_outside_the_unit_tables(bot_say, kb) -> None:
    standard = kb.qualifications["l7-senior-leaders-diploma"].extra["apprenticeship_standard"]
    reply = bot_say("which apprenticeship standard does the senior leaders diploma map to?")
    assert reply.kind == "answer" and standard in reply.text()


@pytest.mark.parametrize("text", ["in my 8391-502 whats 3.1", "8391-502 3.1 whats that", "my 8391-502 3.1 pls"])
def test_a_criterion_named_with_nothing_else_asked_is_about_that_criterion(bot_say, kb, text) -> None:
    reply = bot_say(text, conversation=text)
    assert reply.kind == "answer", reply.text()
    assert ("8391-502", "3.1") in [(r.unit, r.ac) for r in reply.refs]
    assert kb.criterion("8391-502", "3.1").text in reply.text()


def test_a_second_fact_named_before_what_it_is_of_is_asked_too(bot_say, kb) -> None:
    unit = kb.unit("8316-603")
    reply = bot_say("guided learning hours and credits of 8316-603 on the level 6 diploma in management please")
    assert f"{unit.credits} credits" in reply.text() and f"{unit.glh} guided learning hours" in reply.text()


def test_chat_shorthand_reads_as_the_words_it_stands_for(kb) -> None:
    model = load_model()
    for typed, meant in [("whats the word count for 8391-502 pls", "what's the word count for 8391-502 please"),
                         ("im not sure u can tell me the glh of 8391-504", "i'm not sure you can tell me the glh of "
                                                                             "8391-504")]:
        assert delexicalise(typed, extract(typed, kb)) == delexicalise(meant, extract(meant, kb))
        assert model.predict(delexicalise(typed, extract(typed, kb)))[0].label == \
            model.predict(delexicalise(meant, extract(meant, kb)))[0].label
    # A word that could stand for two is left as typed.
    assert "min" in delexicalise("is it a 30 min presentation", extract("is it a 30 min presentation", kb))


def test_the_one_question_among_asides_is_what_is_asked(bot_say, kb) -> None:
    reply = bot_say("can I claim RPL on the level 5 SBL? I already did a CIPD course module on HR")
    rpl = [r.text for r in kb.rules_for("l5-sbl-diploma", "rpl")]
    assert reply.kind == "answer" and any(t in reply.text() for t in rpl)
    # An aside that asks for something the specifications don't cover still gets declined.
    assert bot_say("how much does the level 5 cost? my school is paying", conversation="2").kind == "decline"


def test_out_of_scope_yields_to_a_statement_of_the_named_qualification_that_shares_its_words(bot_say) -> None:
    import bot.readings as readings
    assert readings.SHARED_WORDS >= 3        # enough shared words that chance overlap doesn't count
    reply = bot_say("level 5 SBL - how will the verifiers know how my assessor reached the decision?")
    assert reply.kind == "answer" and reply.intent == "qualification_rules"
    # Naming no qualification, nothing to look in: still declined.
    assert bot_say("what's the weather like for my assessment decision day?", conversation="2").kind == "decline"


@pytest.mark.parametrize(("text", "unit", "lo"), [
    ("L6 SBM diploma - LO1 of transforming schools as organisations?", "8631-602", 1),
    ("level 5 SBL, LO3 of 8391-502?", "8391-502", 3)])
def test_an_outcome_named_with_its_qualification_and_nothing_else_asked_is_its_wording(bot_say, kb, text, unit,
                                                                                        lo) -> None:
    # The qualification's name made the message sound like "which qualifications is the unit in?".
    reply = bot_say(text, conversation=text)
    outcome = next(o for o in kb.unit(unit).learning_outcomes if o.number == lo)
    assert reply.kind == "answer" and outcome.text in reply.text(), reply.text()


def test_a_second_question_joined_by_and_after_a_question_mark_is_answered_too(bot_say, kb) -> None:
    unit = kb.unit("8391-502")
    reply = bot_say("credits for 8391-502? and how many guided learning hours does it have in total")
    assert f"{unit.credits} credits" in reply.text() and f"{unit.glh} guided learning hours" in reply.text()


def test_suggested_evidence_comes_first_when_examples_are_asked_for(bot_say, kb) -> None:
    suggested = kb.criterion("8391-501", "2.2").evidence[0]
    plain = bot_say("what evidence does 8391-501 AC2.2 need?", conversation="c1")
    assert suggested not in plain.text() and suggested in plain.more.text()
    asked = bot_say("8391-501 AC2.2 - what kinds of evidence could I put in?", conversation="c2")
    assert asked.kind == "answer" and "Suggested evidence" in asked.text() and suggested in asked.text()
    assert kb.criterion("8391-501", "2.2").text in asked.text()


def test_two_facts_named_together_are_both_answered_though_the_whole_reads_as_one(bot_say, kb) -> None:
    q = kb.qualifications["l7-senior-leaders-diploma"]
    reply = bot_say("how much induction and tutorial support is there on the level 7 senior leaders?")
    assert f"Induction on the {q.title}" in reply.text() and f"Tutorial support on the {q.title}" in reply.text()


def test_a_qualification_titled_as_none_here_is_declined_with_the_ones_that_are(bot_say, kb) -> None:
    refs = extract("is the level 3 certificate in team leading any good?", kb)
    assert refs.other_qualification == "level 3 certificate in team leading"
    # Titles of the qualifications here, typed loosely, are not another qualification.
    for text in ("credits of the diploma for school business leadership?", "the level 6 diploma in management",
                 "will I get a certificate for each unit?", "the level 6 award in management, how long?"):
        assert extract(text, kb).other_qualification is None
    # The subject of one here, but not at that level as that kind: a Level 6 Certificate in Management.
    assert extract("is there a level 6 certificate in management as well?", kb).other_qualification == \
        "level 6 certificate in management"
    reply = bot_say("how many credits is the level 7 diploma in strategic management and leadership?")
    assert reply.kind == "decline" and "level 7 diploma in strategic management and leadership" in reply.text()
    assert all(q.title in reply.text() for q in kb.qualifications.values())


@pytest.mark.parametrize(("text", "unit"), [
    ("604 critical thinking and research skills - how many credits?", "8316-604"),
    ("credits for 604, the strategic finances one?", "8631-604")])
def test_title_words_settle_a_short_code_two_units_share(bot_say, kb, text, unit) -> None:
    reply = bot_say(text, conversation=text)
    assert reply.kind == "answer" and [r.unit for r in reply.refs][:1] == [unit], reply.text()
    assert f"{kb.unit(unit).credits} credits" in reply.text()


def test_a_fact_of_two_qualifications_named_apart_is_answered_for_each(bot_say, kb) -> None:
    diploma, award = kb.qualifications["l6-management-diploma"], kb.qualifications["l6-management-award"]
    reply = bot_say("what's the TQT of the level 6 diploma in management and of the level 6 award?")
    assert reply.kind == "answer"
    assert f"{diploma.title} has {diploma.tqt}" in reply.text() and f"{award.title} has {award.tqt}" in reply.text()
    # A bare level beside a named qualification names no second one ("my CMI level 5").
    assert extract("L6 management diploma - can my CMI level 5 credits count?", kb).each_qualification == []


def test_a_whole_title_typed_word_for_word_names_its_unit(bot_say, kb) -> None:
    # "leadership" and "organisational" also touch "Understanding the Leadership of Organisations".
    reply = bot_say("strategic leadership - what does the criterion about company boards and organisational "
                    "structures ask for?")
    assert reply.kind == "answer" and [r.unit for r in reply.refs][:1] == ["8431-701"], reply.text()


def test_a_second_fact_named_then_a_title_is_asked_too(bot_say, kb) -> None:
    # "glh is the procurement unit": what is left once the title's words are set aside is a fact named.
    unit = kb.unit("8391-502")
    reply = bot_say("how many credits and glh is the procurement unit")
    assert f"{unit.credits} credits" in reply.text() and f"{unit.glh} guided learning hours" in reply.text()


def test_not_covered_yields_to_the_criterion_named_that_speaks_of_it(bot_say, kb) -> None:
    criterion = kb.criterion("8391-500", "3.3")
    assert "staff" in " ".join(criterion.requirements)
    reply = bot_say("8391-500 AC3.3 - how many development opportunities per staff member?")
    assert reply.kind == "answer" and ("8391-500", "3.3") in [(r.unit, r.ac) for r in reply.refs]


def test_a_staff_request_refused_to_a_learner_gives_way_to_the_specification(bot_say) -> None:
    # Read as "whose registrations expire" (for tutors and managers), it asks what the specification says.
    reply = bot_say("what happens if my 3 year registration runs out before I finish on the level 5 SBL?")
    assert reply.kind in ("answer", "decline") and reply.intent == "qualification_rules"


def test_a_rules_question_about_a_named_criterion_is_answered_from_that_criterion(bot_say, kb) -> None:
    # Read as a rules question ("am I allowed …"), but it names the criterion it is about.
    reply = bot_say("8631-603 1.3 - am I allowed to pick two leaders from outside education?")
    assert reply.kind == "answer" and ("8631-603", "1.3") in [(r.unit, r.ac) for r in reply.refs]
    assert kb.criterion("8631-603", "1.3").text in reply.text()


def test_titles_matched_equally_are_told_apart_by_how_much_of_each_the_message_covers(bot_say, kb) -> None:
    # "project" and "leading" touch 8316-609's title as fully as "leading support services" touches 8391-500's;
    # only 8391-500 has a criterion 5.3, and its title is the one the message spells out.
    assert kb.unit("8316-609").criterion("5.3") is None and kb.unit("8391-500").criterion("5.3") is not None
    reply = bot_say("our project for 5.3 in Leading Support Services, can it be simulated? the real project runs late")
    assert reply.kind == "answer" and ("8391-500", "5.3") in [(r.unit, r.ac) for r in reply.refs]


def test_words_quoting_a_criterion_are_not_read_as_another_units_title(bot_say, kb) -> None:
    # "leadership style" touches titles with "Leadership" in them, but it quotes 8391-500 AC3.2.
    assert "leadership style" in kb.criterion("8391-500", "3.2").text.lower()
    reply = bot_say("3.2 adapt own leadership style - how many situations do i need?")
    assert reply.kind == "answer" and ("8391-500", "3.2") in [(r.unit, r.ac) for r in reply.refs]
    # "organisational" touches 8316-701's title, but of the two 701s only 8431-701's AC1.1 speaks of
    # organisational structures: not enough to choose, but no reason to choose 8316-701 either.
    assert "organisational structures" in kb.criterion("8431-701", "1.1").text
    assert bot_say("701 1.1 - how many examples of organisational structures?", conversation="b").kind == "clarify"


def test_how_long_is_a_length_in_words_or_minutes_when_choosing_the_unit(bot_say, kb) -> None:
    # 8316-602 prints a word count and no timing, 8631-602 both: "how long" counts either, so the
    # qualification named decides, not which of them prints minutes.
    from bot.facets import unit_has
    assert not unit_has(kb.unit("8316-602"), "timing") and unit_has(kb.unit("8316-602"), "word_count")
    bot_say("what is the level 6 diploma in management?")
    reply = bot_say("how long is the 602 reflective review meant to be?")
    assert reply.kind == "answer" and [r.unit for r in reply.refs][:1] == ["8316-602"]
    assert "2,000 words" in reply.text()
