"""Qualification-rule answers: printed lists come whole, the qualification's name ranks nothing, and
citations give line ranges."""

from __future__ import annotations

from bot.cite import cite_rules
from bot.nlu.refs import extract
from intents.rule_search import _list_around, search_words
from knowledge.model import Rule, Source


def _rule(line: int, text: str, topic: str = "grading", document: str = "d.txt") -> Rule:
    return Rule("q", topic, text, Source(document, line))


def test_a_short_item_brings_its_whole_list_and_nothing_beyond_it() -> None:
    rules = [_rule(10, "Grades are awarded per outcome."), _rule(11, "Referral 0 – 49%"), _rule(12, "Pass 50 – 59%"),
             _rule(13, "Good Pass 60 – 69%"), _rule(14, "Something else", topic="referral"),
             _rule(15, "Merit 70%")]
    assert [r.source.line for r in _list_around(rules, rules[2])] == [11, 12, 13]
    assert _list_around(rules, rules[0]) == [rules[0]]               # an ordinary statement stands alone
    assert _list_around(rules, rules[5]) == [rules[5]]               # the topic change ends the list


def test_flattened_bullets_group_by_their_lead_in() -> None:
    lead = "Types of evidence could be: Work products, such as: · "
    rules = [_rule(1, lead + "Reports.", "evidence_types"), _rule(2, lead + "Minutes of meetings.", "evidence_types"),
             _rule(3, "Other evidence, such as: · Witness testimony.", "evidence_types")]
    assert _list_around(rules, rules[1]) == rules[:2]
    assert _list_around(rules, rules[2]) == [rules[2]]


def test_search_words_drop_what_only_names_the_qualification(kb) -> None:
    sbm = kb.qualifications["l6-sbm-diploma"]
    refs = extract("what are the grade bands on the level 6 school business management diploma?", kb)
    assert refs.qualifications == ["l6-sbm-diploma"]
    assert "level 6" not in refs.without_hints and "school business" not in refs.without_hints   # every hint out
    words = search_words(refs.without_hints, sbm).split()
    assert "grade" in words and "bands" in words
    assert not {"level", "6", "school", "business", "management", "diploma"} & set(words)
    assert search_words("School Business Management diploma", sbm) == "School Business Management diploma"


def test_citations_give_consecutive_lines_as_ranges(kb) -> None:
    q = kb.qualifications["l6-sbm-diploma"]
    rules = [_rule(n, "x") for n in (976, 973, 974, 975, 994, 1101)]
    assert cite_rules(q, rules) == f"{q.title}, specification lines 973–976, 994, 1101"
    assert cite_rules(q, rules[:1]) == f"{q.title}, specification line 976"


def test_a_question_about_one_grade_band_gets_every_band(bot_say, kb) -> None:
    bands = [r for r in kb.rules_for("l6-sbm-diploma", "grading") if r.text.endswith("%") and len(r.text) < 30]
    assert len(bands) >= 3
    reply = bot_say("what percentage is a good pass on the sbm diploma?")
    assert reply.kind == "answer"
    assert all(band.text in reply.text() for band in bands)


def test_a_lead_in_brings_the_lines_that_follow_it() -> None:
    topic = "assessor_requirements"
    rules = [_rule(31, "The team will be comprised of individuals who have:", topic),
             _rule(32, "Qualifications at Level 6 or above.", topic),
             _rule(33, "Experience of managing a budget.", topic),
             _rule(34, "Trainer status is desirable but not essential.", topic),
             _rule(35, "Assessments are internally quality assured.", "internal_verification")]
    assert [r.source.line for r in _list_around(rules, rules[0])] == [31, 32, 33, 34]
    assert _list_around(rules, rules[1]) == [rules[1]]


def test_a_narrower_rule_topic_named_leads_a_facet_answer(bot_say, kb) -> None:
    from bot.nlu.topics import detect_topics, more_specific
    assert detect_topics("how is the level 7 end-point assessment assessed") == ["assessment_method", "epa"]
    assert more_specific("epa", ("assessment_method", "portfolio", "assignment"))
    assert not more_specific("assignment", ("grading", "marking", "referral"))   # broader: no lead
    reply = bot_say("how is the level 7 end-point assessment assessed")
    epa = {r.text for r in kb.rules_for("l7-senior-leaders-diploma", "epa")}
    assert reply.kind == "answer" and any(line in reply.text() for line in epa)


def test_a_quantity_asked_needs_a_quantity_of_that_kind_not_a_number_that_names_something() -> None:
    from intents.quantity import gives_quantity as _gives_quantity
    assert not _gives_quantity("how long is the discussion", "The Level 7 Senior Leader Apprenticeship (ST0480/AP03) "
                                                             "has two assessment methods.")
    assert _gives_quantity("how long is the discussion", "The discussion lasts up to 30 minutes.")
    assert _gives_quantity("how long should it be", "It should be about 2,000 words.")
    assert not _gives_quantity("how many learners per group", "See unit 8431-704 AC2.2 and Level 7.")
    assert _gives_quantity("how many times can I resubmit", "Learners may resubmit once, within two months.")
    # A duration or a length asked is a number with its measure: "all" gives no number of hours.
    assert not _gives_quantity("how many hours should I spend on it", "Include all the component parts.")
    assert _gives_quantity("how many hours should I spend on it", "Allow about 40 hours for it.")



def test_a_broad_facet_is_answered_by_a_statement_of_another_topic_that_speaks_to_it(bot_say, kb) -> None:
    from intents.rules import FACET_OTHER_TOPICS
    assert {"evidence", "sufficiency", "assessment"} <= FACET_OTHER_TOPICS and "age" not in FACET_OTHER_TOPICS
    # Asked as an evidence question; answered by a statement filed under another topic (the words decide).
    line = next(r.text for r in kb.rules_for("l6-sbm-diploma") if "techniques of strategic analysis" in r.text)
    reply = bot_say("L6 SBM diploma - do I need to use strategic analysis tools like SWOT or PESTLE anywhere?")
    assert reply.kind == "answer" and line in reply.text()
    # A specific fact stays its topic's: no age statement, no answer.
    assert bot_say("is there a minimum age for the level 6 award in management?", conversation="2").kind == "decline"


def test_a_fact_question_that_asks_more_gets_the_statements_that_speak_to_the_rest(bot_say, kb) -> None:
    q = kb.qualifications["l5-sbl-diploma"]
    tutorial = next(r for r in kb.rules_for(q.id, "tutorial_support"))
    reply = bot_say("level 5 SBL - is the 1:1 tutor time on top of the guided learning hours?")
    assert f"has {q.glh}" in reply.text() and tutorial.text in reply.text()      # "150–155", as printed
    assert f"line {tutorial.source.line}" in reply.citation or f"{tutorial.source.line}" in reply.citation
    # The fact alone when the fact is all that is asked.
    plain = bot_say("how many credits is the level 5 SBL diploma?", conversation="2")
    assert "also says" not in plain.text()


def test_every_path_quoting_statements_says_when_they_give_no_number_asked_for(kb) -> None:
    from intents.rules import _quoted
    q = kb.qualifications["l7-senior-leaders-diploma"]
    methods = [r for r in kb.rules_for(q.id, "epa") if "two assessment methods" in r.text]
    assert methods
    assert _quoted(q, methods, "assessment", "how long is the professional discussion?").kind == "decline"
    assert _quoted(q, methods, "assessment", "what are the assessment methods?").kind == "answer"


def test_a_unit_fact_asked_of_no_unit_goes_to_the_statements_only_when_it_asks_more(bot_say, kb) -> None:
    """Nothing points at a unit: a question about the depth as such is answered from the qualification's
    statements; asking for the depth itself still asks which unit (every unit listed, none "fitting")."""
    reply = bot_say("level 7 senior leaders - can a centre teach more than the depth gives?")
    assert reply.kind == "answer" and reply.intent == "qualification_rules"
    assert "Depth defines the minimum breadth or scope" in reply.text()

    reply = bot_say("level 7 senior leaders - what does the depth say?")
    assert reply.kind == "clarify" and reply.text().startswith("Which unit do you mean?")
    assert len(reply.choices) == len(kb.qualifications["l7-senior-leaders-diploma"].units)


def test_units_half_named_by_title_words_give_way_to_statements_only_for_a_question_beyond_them(bot_say) -> None:
    """"Procurement" and "finance" each name a unit of the level 5, but the question asks what the course
    builds: the statements answer. "The managing unit" asks of units, whichever it is: which unit?"""
    reply = bot_say("level 5 school business leaders - will the course build specialist expertise in procurement "
                    "and finance?")
    assert reply.kind == "answer" and reply.intent == "qualification_rules"
    assert "specialist expertise" in reply.text()

    reply = bot_say("level 5 school business leaders - what does the managing unit cover?")
    assert reply.kind == "clarify" and reply.intent != "qualification_rules"


def test_what_is_shown_brings_its_printed_neighbours_and_theirs(kb) -> None:
    """Ranked items 11 and 12 of a list shown first bring 13 and, through it, 14; the lead-in at 10, ranked
    last, comes too (it was left behind "more" when neighbours were looked for once, in rank order)."""
    from intents.rules import _rules_reply

    lead = _rule(10, "Each programme must start with an induction that covers:", "induction")
    items = [_rule(n, f"Item {n}.", "induction") for n in (11, 12, 13, 14)]
    other = _rule(40, "Something printed far away.", "induction")
    q = kb.qualifications["l5-sbl-diploma"]
    reply = _rules_reply(q, [items[0], items[1], other, items[3], items[2], lead])
    shown = [line for b in reply.bullets for line in b.items]
    assert shown == [lead.text] + [i.text for i in items]
    assert reply.more is not None and [line for b in reply.more.bullets for line in b.items] == [other.text]


def test_a_qualification_fact_is_given_as_printed(bot_say) -> None:
    """The printed line is quoted when it says more than the figure ("(minimum)"), a printed range is given
    as a range, and a line that only repeats the figure ("TQT: 435") is not quoted again."""
    reply = bot_say("how many GLH is the level 5 diploma for school business leaders?")
    assert reply.text().startswith("The Level 5 Diploma for School Business Leaders has 150–155 guided learning")
    reply = bot_say("how many credits is the level 6 diploma in management?")
    assert "Credit Value: 42 (minimum)" in reply.text() and "also line" in (reply.citation or "")
    reply = bot_say("what's the TQT of the level 5 diploma for school business leaders?")
    assert "435" in reply.paragraphs[0] and "TQT: 435" not in reply.text()


def test_someone_with_no_records_asking_what_could_be_a_records_question_gets_the_specification(bot_say) -> None:
    """Read as a request about their plan, but they have none: the specification's answer, not "no
    registration". A plain records request still gets the records' answer."""
    reply = bot_say("level 5 SBL - will i get a copy of my assessment plan?")
    assert reply.kind == "answer" and reply.intent == "qualification_rules"
    assert "Copies of the Plan should be held by the learner" in reply.text()
    reply = bot_say("show my plan")
    assert reply.kind == "decline" and reply.intent == "show_plan"


def test_a_fact_reading_that_its_statements_dont_speak_to_gives_way_to_those_that_do(bot_say) -> None:
    """Read as entry requirements, the question is about a verifier's experience: the statements on that
    answer. A question about entry requirements still gets them."""
    reply = bot_say("level 5 school business leaders - does our IV need school management experience?")
    assert reply.kind == "answer" and reply.facet == "rules"
    assert "Internal Verifier and/or Centre Assessor occupational" in reply.text()
    reply = bot_say("level 5 school business leaders - are there entry requirements?")
    assert reply.facet == "entry" and reply.text().startswith("Entry requirements for the Level 5")


def test_a_rules_answer_keeps_the_unit_its_title_named(bot_say) -> None:
    reply = bot_say("level 7 senior leaders - can I use witness testimony in the strategic influencing and "
                    "negotiating unit?")
    assert reply.intent == "qualification_rules" and [r.unit for r in reply.refs] == ["8431-704"]
    reply = bot_say("level 7 senior leaders - can I use witness testimony?")
    assert reply.intent == "qualification_rules" and reply.refs == []


def test_a_facet_with_nothing_filed_under_its_topics_is_answered_by_a_statement_that_speaks_to_it(bot_say) -> None:
    """No statement of the L6 Diploma in Management is filed as its purpose, and none of the L6 SBM as entry
    requirements; the statements that speak to the question answer it."""
    reply = bot_say("level 6 diploma in management - who is it aimed at?")
    assert reply.kind == "answer" and "Purpose of the qualification" in reply.text()
    reply = bot_say("level 6 school business management - do the people delivering it need experience of school "
                    "budgets?")
    assert reply.kind == "answer" and "Qualifications and/or substa" in reply.text()


def test_how_many_units_leads_with_the_count_when_every_unit_is_required(bot_say, kb) -> None:
    q = kb.qualifications["l6-sbm-diploma"]
    assert len(q.units) == 6 and q.rules_of_combination.get("all_units_required")
    reply = bot_say("how many units does the level 6 SBM diploma have?")
    assert reply.kind == "answer"
    assert reply.text().startswith(f"The {q.title} has six units, and every one is required.")
    # Asked only which units: no count put first.
    assert not bot_say("which units are on the level 6 SBM diploma?", conversation="c2").text().startswith(
        f"The {q.title} has six")


def test_a_question_every_specification_is_silent_on_is_declined_without_asking_which(bot_say) -> None:
    reply = bot_say("is there a charge to resubmit a referred unit?")
    assert reply.kind == "decline" and "None of the qualification specifications" in reply.text()
    # One that some specification answers: which qualification is asked first.
    assert bot_say("can witness testimony be used as evidence?", conversation="c2").kind == "clarify"


def test_how_often_is_answered_by_a_statement_that_says_continually(bot_say, kb) -> None:
    statement = next(r.text for r in kb.rules_for("l5-sbl-diploma") if "continually reviewed" in r.text)
    reply = bot_say("on the level 5 SBL how often does my assessment plan get reviewed?")
    assert reply.kind == "answer" and statement in reply.text()


def test_a_unit_fact_asked_of_no_qualification_is_asked_about_not_declined(bot_say) -> None:
    # Every qualification's statements are silent on a business case's word count; a unit prints it.
    reply = bot_say("what is the word count for the business case?")
    assert reply.kind == "clarify"


def test_what_a_qualification_is_gets_its_card_where_no_statement_of_purpose_is_printed(bot_say, kb) -> None:
    q = kb.qualifications["l7-senior-leaders-diploma"]
    assert not kb.rules_for(q.id, "purpose") and q.entry_requirements
    reply = bot_say("what is the level 7 senior leaders diploma?")
    assert reply.kind == "answer" and f"{q.glh:,} GLH" in reply.text() and q.entry_requirements in reply.text()


def test_asked_to_write_or_mark_the_work_the_bot_declines_kindly(bot_say) -> None:
    for text in ("can you just write my 500 word reflective commentary for 8631-602?",
                 "could you proofread my business case for managing programmes",
                 "would you draft the witness testimony my line manager signs for the level 7?",
                 "please write me an essay on procurement for 8391-502, I've run out of time"):
        reply = bot_say(text)
        assert reply.kind == "decline" and "your own" in reply.text(), text
    # Asking what the work needs is still answered.
    assert bot_say("what's the word count for the reflective commentary in 8631-602?").kind == "answer"


def test_a_qualifications_printed_fact_asked_by_its_name_ignores_a_title_word_in_passing(bot_say, kb) -> None:
    q = kb.qualifications["l6-sbm-diploma"]
    reply = bot_say("what's the ofqual number for the level 6 diploma in school business management? our finance "
                    "office needs it")
    assert reply.kind == "answer" and "601/5773/2" in str(q.numbers) and "601/5773/2" in reply.text()
    assert not reply.refs or all(r.unit is None for r in reply.refs)


def test_someones_age_given_asks_the_minimum_age(bot_say, kb) -> None:
    q = kb.qualifications["l5-sbl-diploma"]
    assert q.minimum_age is not None
    reply = bot_say("our new office manager is 17, can she register on the level 5 school business leaders diploma?")
    assert reply.kind == "answer" and f"minimum age for the {q.title} is {q.minimum_age}" in reply.text()
    # However the rest of the message reads, an age and joining ask the minimum age.
    reply = bot_say("my daughter is 18 and helps in our school office, could she join the level 5 school business "
                    "leaders diploma alongside me?", conversation="c3")
    assert reply.kind == "answer" and f"minimum age for the {q.title} is {q.minimum_age}" in reply.text()
    # A number of credits is not an age.
    assert "minimum age" not in bot_say("unit 8391-504 is 11 credits, is that right?", conversation="c2").text()


def test_a_topic_only_other_specifications_cover_is_declined_when_nothing_found_speaks_to_it(bot_say, kb) -> None:
    from bot.nlu.topics import detect_topic
    text = "do learners get a digital credential for the level 5 school business leaders diploma?"
    topic = detect_topic(text)
    assert topic and not kb.rules_for("l5-sbl-diploma", topic) and kb.rules_for("l7-senior-leaders-diploma", topic)
    assert bot_say(text).kind == "decline"
    # Asked of the specification that covers it, it is answered.
    reply = bot_say("do learners get a digital credential for the level 7 senior leaders diploma?", conversation="b")
    assert reply.kind == "answer" and "digital credential" in reply.text().lower()


def test_asked_to_explain_a_named_model_the_bot_declines_and_says_where_it_is_named(bot_say, kb) -> None:
    named = [(u.code, c.id) for u in kb.units.values() for c in u.criteria
             if "kraljic" in " ".join([c.text, *c.requirements, *c.depth]).lower()]
    assert named
    reply = bot_say("can you explain the four quadrants of the kraljic matrix?")
    assert reply.kind == "decline" and "tutor" in reply.text()
    assert {(r.unit, r.ac) for r in reply.refs} <= set(named) and reply.refs
    # A model no specification names is declined too; a framework the specifications describe is not caught.
    assert bot_say("explain tuckman's model to me", conversation="b").kind == "decline"
    assert "can't teach" not in bot_say("explain the quality assurance framework for the L7", conversation="c").text()
    # A theory asked by its author's name ("what are <name>'s …"), or with a criterion number beside it, is the
    # theory asked, not the criterion.
    assert bot_say("what are belbin's nine team roles?", conversation="d").kind == "decline"
    assert bot_say("how does mintzberg's five p's model work?", conversation="g").kind == "decline"
    reply = bot_say("go through the kraljic matrix with me, procurement 2.2 only names it", conversation="e")
    assert reply.kind == "decline" and {(r.unit, r.ac) for r in reply.refs} <= set(named)
    # A unit's own roles or stages are still asked of the specification.
    assert "can't teach" not in bot_say("what are the assessment stages of the level 7?", conversation="f").text()


def test_a_price_asked_is_declined_as_no_specification_prints_one(bot_say) -> None:
    for n, text in enumerate(("how much does the unit payment route cost for the level 7 senior leaders?",
                              "what is the price of registering on the level 5 school business leaders diploma?")):
        reply = bot_say(text, conversation=str(n))
        assert reply.kind == "decline" and "£" not in reply.text(), text
    # A quantity the specification does print is still answered.
    assert bot_say("how many credits is the level 6 diploma in school business management?",
                   conversation="x").kind == "answer"


def test_a_kind_of_reference_number_asked_by_name_is_that_kind_or_a_decline(bot_say, kb) -> None:
    from bot.facets import reference_numbers
    ilm_only = kb.units["8316-603"]
    assert not reference_numbers(ilm_only, "UAN") and reference_numbers(ilm_only, "ILM unit code")
    reply = bot_say("what's the UAN of 8316-603?")
    code = reference_numbers(ilm_only, "ILM unit code")[0][1]
    assert reply.kind == "decline" and "doesn't give a UAN" in reply.text() and code in reply.text()
    assert bot_say("the ILM code for 8316-603?", conversation="b").kind == "answer"
    uan = reference_numbers(kb.units["8391-502"], "UAN")[0][1]
    reply = bot_say("UAN of 8391-502 please", conversation="c")
    assert reply.kind == "answer" and uan in reply.text()


def test_a_rules_answer_names_its_qualification_once_in_its_source(kb) -> None:
    """The lead-in doesn't repeat the qualification's title: the Source line names it (a shorter answer)."""
    from intents.rules import _rules_reply

    q = kb.qualifications["l5-sbl-diploma"]
    reply = _rules_reply(q, [_rule(10, "Learners must keep a portfolio.", "portfolio", "001_x.txt")])
    assert reply.bullets[0].heading == "The specification says"
    assert reply.text().count(q.title) == 1 and q.title in (reply.citation or "")


def test_a_short_question_whose_words_a_named_criterion_prints_is_about_that_criterion(bot_say, kb) -> None:
    c = kb.units["8431-701"].criterion("1.2")
    assert c is not None and "factors" in " ".join([c.text, *c.requirements])
    reply = bot_say("8431-701 ac 1.2, how many factors is it?")
    assert reply.kind == "answer" and ("8431-701", "1.2") in {(r.unit, r.ac) for r in reply.refs}
    assert c.requirements[0][:40] in reply.text()
