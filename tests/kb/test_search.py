"""Word search over rules and guidance (FTS5 built from quoted, OR-ed tokens)."""

from __future__ import annotations

from knowledge.search import SearchIndex, match_expression


def test_match_expression_survives_user_text() -> None:
    assert match_expression("what's AC 2.2? %s") == '"ac" OR "2.2"'
    assert match_expression('say "NOT" learner\'s') == '"say" OR "not" OR "learner"'
    assert match_expression("the of and") is None
    assert match_expression("") is None


def test_quotes_and_operators_are_not_syntax(search_index: SearchIndex) -> None:
    # Each of these raised "fts5: syntax error" when passed straight to MATCH.
    for text in ["AC 2.2", "learner's", "NOT OR AND", "\"unbalanced", "%s", "*", "2.2 - 3.1"]:
        search_index.search(text)


def test_rule_questions_find_their_topic(search_index: SearchIndex) -> None:
    hits = search_index.search("can I use witness testimony", kind="rule")
    assert hits and any(h.topic == "witness_testimony" for h in hits[:3])
    hits = search_index.search("simulations", kind="rule")
    assert hits and any(h.topic == "simulation" for h in hits[:3])


def test_criteria_found_by_words(search_index: SearchIndex, kb) -> None:
    hits = search_index.search("working capital management techniques", kind="criterion")
    assert hits[0].unit == "8391-501" and hits[0].ac == "2.3"
    assert hits[0].text == kb.criterion("8391-501", "2.3").text


def test_filter_by_qualification(search_index: SearchIndex) -> None:
    hits = search_index.search("coaching mentoring", qualification="l7-senior-leaders-diploma", limit=10)
    assert hits and all("l7-senior-leaders-diploma" in (h.qualification or "") for h in hits)


def test_nothing_found_for_unrelated_words(search_index: SearchIndex) -> None:
    assert search_index.search("xylophone zeppelin") == []


def test_a_search_repeated_within_a_message_gives_the_same_hits_and_a_list_of_its_own(search_index) -> None:
    first = search_index.search("can I use witness testimony", kind="rule", limit=3)
    first.clear()
    again = search_index.search("can I use witness testimony", kind="rule", limit=3)
    assert len(again) == 3 and again == search_index._search("can I use witness testimony", 3, "rule", None)
    for n in range(40):                                  # only the last few searches are kept
        search_index.search(f"word{n} portfolio", kind="rule")
    assert len(search_index._recent_results) <= 16
