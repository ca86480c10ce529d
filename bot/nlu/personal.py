"""Questions about the asker's own people, results and deadlines: facts no specification holds.

"Who is my tutor for <a unit title>?" names a unit, and "what marks did I get for <unit>?" asks for
marks, but neither is answered by the specification: the first is about a person, the second about
one learner's result. Such a question goes to the records (where the bot holds the learner's tutor,
plan and assessment decisions), and is declined there when they hold nothing, never answered from the
specification's text.
"""

from __future__ import annotations

import re

# Roles a person holds for a learner; the specification names none of them.
_ROLE = r"(?:tutors?|assessors?|verifiers?|iqas?|eqas?|mentors?|facilitators?|coach(?:es)?|trainers?|contact)"
_PEOPLE = re.compile(rf"\bwho(?:'s|s| is| are| will be| was)\s+(?:my|our)\s+(?:\w+\s+)?(?P<role>{_ROLE})\b|"
                     # "who is the <role> at our …?", "what's my <role>'s phone number?"
                     rf"\bwho(?:'s|s| is| are| will be| was)\s+the\s+(?:\w+\s+)?(?P<the_role>{_ROLE})\s+"
                     rf"(?:for|at|of|in)\s+(?:my|our)\b|\b(?:my|our)\s+(?:\w+\s+)?(?P<whose>{_ROLE})['’]s\s+(?:e-?mail|phone|number|name|"
                     rf"contact|details|address)\b", re.IGNORECASE)
_STATUS = r"(?:marked|verified|assessed|moderated|graded|ratified|signed off)\b"
# Quality assurance of one piece of work: the records hold assessment decisions, not their verification.
_VERIFIED = re.compile(r"\b(?:has|have|is|are)\s+(?:my|our)\b[^?.]{0,40}?\b(?:verified|moderated|ratified)\b",
                       re.IGNORECASE)
# A result already given: "what marks did I get", "the grade I received for 605" (not "what marks do I need").
_RESULTS = re.compile(r"\b(?:marks?|grades?|results?|scores?)\s+(?:did\s+|have\s+)?(?:i|we)\s+(?:got|get|"
                      r"receive[d]?|achieve[d]?|score[d]?)\b|\b(?:i|we)\s+(?:got|received|achieved|scored)\s+"
                      r"(?:for|on|in)\b|\bdid (?:i|we) pass\b|"
                      # Where one piece of work has got to ("has my 502 been marked yet?"), or someone's result
                      # ("what grade did <a learner> get …").
                      r"\b(?:has|have)\s+(?:my|our)\b[^?.]{0,40}?\bbeen\s+(?:[a-z]+\s+)?" + _STATUS + r"|"
                      r"\b(?:is|are)\s+(?:my|our)\b[^?.]{0,40}?\b" + _STATUS + r"\s+(?:yet|already)\b|"
                      r"\b(?:marks?|grades?|results?|scores?)\s+did\s+[a-z]+(?:\s+[a-z]+)?\s+get\b", re.IGNORECASE)
# A deadline: the centre's or the learner's plan sets it, never a specification ("when is 501 AC2.2 due in?").
_DUE = re.compile(r"\bwhen(?:'s|s| is| are)\s+(?:my|the|our|this|that|it|\d{3}|\d{4}-\d{3}|unit|ac)\b[^?]*\bdue\b|"
                  r"\bmy\b[^?.]*\bdue (?:date|in|by|on)\b", re.IGNORECASE)
_REGISTRATION = re.compile(r"\bregist|\bexpir", re.IGNORECASE)


def role_asked(text: str) -> str | None:
    """The role a "who is my …" question asks about, as a reply names it ("tutor", "assessor", "IQA")."""
    m = _PEOPLE.search(text)
    if m is None:
        return None
    role = re.sub(r"(?<=ch)es$|(?<!s)s$", "", (m.group("role") or m.group("the_role") or m.group("whose")).lower())
    return role.upper() if len(role) <= 3 else role


def personal_fact(text: str) -> str | None:
    """``people`` (who is my tutor …), ``verification`` (has my … been verified), ``results`` (what marks did
    I get …), ``due`` (when is my … due), or None for a question the specifications may answer."""
    # A message that tells a story around its question ("my dad died the week 501 was due in. Is there …?")
    # is asking its question: the rest is context.
    text = " ".join(p for p in re.split(r"(?<=[.!?])\s+", text) if p.rstrip().endswith("?")) or text
    if _PEOPLE.search(text):
        return "people"
    if _VERIFIED.search(text):
        return "verification"
    if _RESULTS.search(text):
        return "results"
    if _DUE.search(text) and not _REGISTRATION.search(text):
        return "due"
    return None
