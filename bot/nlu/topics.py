"""Which qualification rule a question is about ("can I use witness testimony?" → witness_testimony).

Topic names are the KB's rule topics (knowledge/SCHEMA.md). Patterns are ordered from the most
specific to the most general; the first that matches wins.
"""

from __future__ import annotations

import re

_TOPIC_PATTERNS: tuple[tuple[str, str], ...] = (
    ("evidence_header_footer", r"\bheaders?\b|\bfooters?\b"),
    ("evidence_matrix", r"\bmatrix\b|\bmatrices\b|\btracker\b|mapping (?:grid|sheet|document)|assessment record sheet"),
    ("witness_testimony", r"\bwitness|\btestimon"),
    ("professional_discussion", r"professional discussion|\bdiscussion\b"),
    ("simulation", r"\bsimulat|\brole[ -]?play|\bscenario|\bcase stud"),
    ("reflective_account", r"\breflective|\breflection|\breflect\b|\bjournal\b|\blearning log\b"),
    ("recordings", r"\brecord(?:ing|ings|ed)\b|\bvideos?\b|\baudio\b|\bvoice note|\bphotos?\b|\bfilm"),
    ("rpl", r"\brpl\b|prior learning|previous qualification|\bexempt|credit transfer|already (?:done|have|got)"),
    ("plagiarism", r"\bplagiar|\bchat ?gpt\b|\bcopy(?:ing)?\b|\bcheat"),
    ("authenticity", r"\bauthentic|\bown work\b|\bsign(?:ed)? (?:off|declaration)|\bdeclaration\b"),
    ("epa", r"\bepa\b|end[ -]?point|\bgateway\b|\bapprentice"),
    ("registration", r"\bregist|\bexpir|\brun(?:s|ning)? out\b|how long (?:do i have|have i got|have i|do we have|"
                     r"is (?:my|the) registration|does (?:my|the) registration|to (?:finish|complete))|\bvalid\b|"
                     r"\bvalidity\b|time limit|years? to (?:finish|complete)|\bdeadline for (?:finishing|completing)"),
    ("age", r"\bage\b|how old|\bminimum age\b|\b1[6-9] year"),
    ("entry", r"entry requirement|who can (?:do|take|join|enrol)|\beligib|\bcan i (?:join|enrol|sign up)"),
    ("induction", r"\binduction"),
    ("tutorial_support", r"\btutorials?\b|tutor support|support hours|hours of support"),
    ("special_considerations", r"reasonable adjustment|special consideration|\bdyslexi|\bextension\b"),
    ("referral", r"\brefer(?:red|ral|rals)?\b|\bfail(?:ed|s)?\b|\bresubmi|not yet competent|\bre-?sit\b|"
                 r"\bre-?submit"),
    ("grading", r"\bgrad(?:e|es|ed|ing)\b|\bmerit\b|\bdistinction\b|good pass|excellent pass|pass mark"),
    ("structure", r"\boptional\b|\bmandatory\b|\bcompulsory\b|rules? of combination|\bstructure\b|"
                  r"how many units|which units|\bgroup [ab]\b|credits? (?:do|will) i need|how many credits|"
                  r"\bchoose\b|\bpick\b|total credits|\bunits do i\b|all (?:the |of the )?units|every unit|"
                  r"\bset order\b|\bany order\b|\bat level \d\b|what units|units (?:are )?in (?:it|this|the)"),
    ("sufficiency", r"\bsufficien|how much evidence"),
    ("evidence_types", r"(?:types?|kinds?|forms?|sorts?) of evidence|what (?:counts|can i use) as evidence|"
                       r"\bcounts? as evidence\b|\bwork[ -]products?\b|\bproduct evidence\b|\bobservation"),
    ("word_count", r"word count|how many words|word limit|\bwords?\b"),
    ("assessment_method", r"how (?:is|are|will)\b.*\bassessed|assessment method|how (?:am i|are we) assessed"),
    ("portfolio", r"\bportfolio"),
    ("assignment", r"\bassignments?\b"),
    ("certification", r"\bcertificat|\bcredential|\bdigital badge"),
    ("purpose", r"\baimed at\b|who is (?:it|this|the (?:qualification|diploma|award)) (?:for|aimed)|"
                r"purpose of the (?:qualification|diploma|award)|what is the (?:qualification|diploma) for"),
    ("progression", r"\bprogress(?:ion)? (?:to|route|onto)|\bafter (?:this|the) (?:qualification|diploma)"),
    ("internal_verification", r"\binternal(?:ly)? (?:verif|quality)|\biqa\b|\biv\b"),
    ("external_verification", r"\bexternal(?:ly)? (?:verif|quality)|\beqa\b|\bev\b"),
    ("assessor_requirements", r"who can assess|assessor (?:requirement|qualification)s?"),
    ("language", r"\bwelsh\b|\blanguage\b"),
)
TOPICS = tuple((topic, re.compile(pattern, re.IGNORECASE)) for topic, pattern in _TOPIC_PATTERNS)

# Qualification facts asked as such ("<fact> of <a qualification>?") are answered from fields.
FACT_PATTERNS = (
    ("number", re.compile(r"\bofqual\b|\bqan\b|qualification (?:number|code)|accreditation number|"
                          r"\bilm number\b", re.IGNORECASE)),
    ("tqt", re.compile(r"\btqt\b|total qualification time", re.IGNORECASE)),
    ("glh", re.compile(r"\bglh\b|guided learning", re.IGNORECASE)),
    ("credits", re.compile(r"\bcredits?\b", re.IGNORECASE)),
)


def detect_topics(text: str) -> list[str]:
    """Every rule topic the message names, in the order it names them."""
    found = sorted((m.start(), rank, topic) for rank, (topic, pattern) in enumerate(TOPICS)
                   if (m := pattern.search(text)))
    return [topic for _, _, topic in found]


_RANK = {topic: n for n, (topic, _) in enumerate(TOPICS)}


def more_specific(topic: str, than: tuple[str, ...] | list[str]) -> bool:
    """Whether ``topic`` comes before all of ``than`` in the patterns' order (most specific first)."""
    return topic in _RANK and all(_RANK[topic] < _RANK.get(t, len(_RANK)) for t in than)


def detect_topic(text: str) -> str | None:
    """The rule topic a question is about, or None.

    The topic named first in the message wins ("an age limit … for my 18 yr old apprentice" is about
    age); between topics named at the same place, the more specific (earlier in the list) does.
    """
    return next(iter(detect_topics(text)), None)


def detect_fact(text: str) -> str | None:
    """A qualification fact (``tqt``, ``glh``, ``credits``) the question asks for, or None."""
    for fact, pattern in FACT_PATTERNS:
        if pattern.search(text):
            return fact
    return None
