"""Several units named apart in one message (``bot.together``): each is meant, so the bot doesn't ask which."""

from __future__ import annotations


def test_a_fact_asked_of_two_units_is_answered_for_each(bot_say, kb) -> None:
    reply = bot_say("level 6 diploma in management: credits for 602 and 604?")
    assert reply.kind == "answer"
    assert {r.unit for r in reply.refs} == {"8316-602", "8316-604"}
    for code in ("8316-602", "8316-604"):
        assert f"{code} {kb.unit(code).title} carries {kb.unit(code).credits} credits" in reply.text()
    # Asked again in the same conversation, the qualification being discussed still settles each number.
    again = bot_say("credits for 602 and 604?")
    assert {r.unit for r in again.refs} == {"8316-602", "8316-604"}


def test_units_asked_about_together_are_answered_by_the_assessment_they_share(bot_say, kb) -> None:
    shared = [a for a in kb.unit("8316-602").assessment if " – " not in a.title
              and any(b.title == a.title for b in kb.unit("8316-604").assessment)]
    assert len(shared) == 1 and shared[0].word_count["nominal"] == 5000
    bot_say("level 6 diploma in management please")
    reply = bot_say("could 602 and 604 be handed in as one piece of work?")
    assert reply.kind == "answer" and {r.unit for r in reply.refs} >= {"8316-602", "8316-604"}
    assert shared[0].title in reply.text() and "5,000 words" in reply.text()


def test_short_codes_that_stay_ambiguous_apart_are_still_asked_about(bot_say) -> None:
    # Nothing says which 602 or which 604 (two specifications print each): ask, don't guess.
    reply = bot_say("credits for 602 and 604?")
    assert reply.kind == "clarify"
