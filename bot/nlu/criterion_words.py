"""A criterion named by what it is about, not by its number: "<unit>: can my initiative involve only my own
school?" is a question about the criterion of that unit that speaks of partners, "which criterion of <unit> is
the one about <a subject>?" about the one that names it.

Each criterion of the unit is scored by the question's content words (the unit's title and the words every
criterion question uses aside) found in its wording, requirements, depth and suggested evidence; one is taken
only when it shares ``SHARED`` of them and more than any other criterion does.

A message that points at one criterion ("the bit where you …", "the one about …", "the <subject> one") says
which words name it: one of those found in a criterion is enough, when no other criterion has as many.
"""

from __future__ import annotations

import functools
import re

from knowledge.kb import KnowledgeBase
from knowledge.search import stem
from knowledge.stopwords import STOP_WORDS

SHARED = 2          # content words the criterion must share with the question …
AHEAD = 1           # … this many more than the next criterion of the unit does
# Words any criterion question uses: they point at no criterion in particular.
_GENERIC = frozenset(stem(w) for w in (
    "criterion criteria assessment evidence enough sufficient count counts would could should have need needs "
    "needed must allowed okay unit units learning outcome which what does about just only really actually "
    "covers cover covered one thing things mine able instead work write written").split())
_WORD = re.compile(r"[a-z]{3,}")      # three letters: short forms ("ICT") name what a criterion is about
_THING = r"(?:bit|part|one|criterion|crit|ac|section|task|question)"
# A criterion pointed at: by what follows "the one/bit/criterion about …", or by what precedes "… one/criterion".
_POINTER = re.compile(
    r"\b(?:the|that|this)\s+" + _THING + r"\s+(?:about|on|where|with|that|which|for|covering|asking|around|re)\s+"
    r"(?P<after>(?:(?!\s[-–]\s)[^,.;:?!()\n]){3,60})"
    r"|\b(?:the|that|this|\d{3}|\d{4}-\d{3})\s+(?P<before>[a-z][a-z' -]{2,40}?)\s+" + _THING + r"\b", re.IGNORECASE)
# Words that point by position or context, not by subject ("the next one", "the same one").
_NOT_SUBJECT = frozenset(stem(w) for w in (
    "first second third fourth fifth sixth last final next previous following same other another whole "
    "main big new old right wrong asking ask asks criterion criteria one bit part unit").split())


def _all_stems(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_WORDS}


def _stems(text: str) -> set[str]:
    return _all_stems(text) - _GENERIC


@functools.cache
def _unit_stems(kb: KnowledgeBase, code: str) -> tuple[frozenset[str], frozenset[str],
                                                       tuple[tuple[str, frozenset[str], frozenset[str]], ...]]:
    """A unit's words, computed once: its title's, its notes' and aim's, and for each criterion (AC, the words
    of all it prints, the words of its wording)."""
    unit = kb.units[code]
    return (frozenset(stem(w) for w in _WORD.findall(unit.title.lower())),
            frozenset(_stems(" ".join([*unit.assessment_notes, unit.aim or ""]))),
            # All their words: the question's side leaves out the generic ones, a pointer's keeps them.
            tuple((c.id, frozenset(_all_stems(" ".join([c.text, *c.requirements, *c.depth, *c.evidence]))),
                   frozenset(_all_stems(c.text))) for c in unit.criteria))


def pointed_words(text: str) -> frozenset[str]:
    """The subject words of the phrases that point at one criterion ("the bit where you critique leaders")."""
    words: set[str] = set()
    for m in _POINTER.finditer(text):
        # Words every question uses count here: in "the space needs one" the need is the subject.
        words |= _all_stems(m.group("after") or m.group("before")) - _NOT_SUBJECT
    return frozenset(words)


def criterion_by_words(kb: KnowledgeBase, text: str, units: list[str]) -> tuple[str, str] | None:
    """(unit code, AC) of the one criterion of ``units`` that the question's words point at, or None."""
    units = [code for code in units if code in kb.units]
    title_words = {w for code in units for w in _unit_stems(kb, code)[0]}
    pointed = pointed_words(text) - title_words
    if pointed:
        found = _pointed_at(kb, pointed, _stems(text) - title_words, units)
        if found is not None:
            return found
    asked = _stems(text) - title_words
    if len(asked) < SHARED:
        return None
    # Ranked by the words shared with all it prints plus those shared with its wording (a criterion is about
    # what it says more than about what its depth mentions on the way); the unit's notes compete on the first.
    scored = sorted(((len(asked & printed), len(asked & wording), code, ac)
                     for code in units for ac, printed, wording in _unit_stems(kb, code)[2]),
                    key=lambda s: (-(s[0] + s[1]), s[2], s[3]))
    if not scored or scored[0][0] < SHARED or (len(scored) > 1 and sum(scored[0][:2]) - sum(scored[1][:2]) < AHEAD):
        return None
    # What the unit says of its assessment as a whole may speak of it as much (the themes its brief lists for a
    # piece of research): then the unit answers.
    if len(asked & _unit_stems(kb, scored[0][2])[1]) >= scored[0][0]:
        return None
    return scored[0][2], scored[0][3]


def _pointed_at(kb: KnowledgeBase, pointed: frozenset[str], asked: set[str], units: list[str]
                ) -> tuple[str, str] | None:
    """The criterion the pointing words name: ranked by them, then by all the question's words."""
    scored = sorted(((len(pointed & printed) + len(pointed & wording), len(asked & printed) + len(asked & wording),
                      code, ac) for code in units for ac, printed, wording in _unit_stems(kb, code)[2]),
                    key=lambda s: (-s[0], -s[1], s[2], s[3]))
    if not scored or scored[0][0] < 1:
        return None
    if len(scored) > 1 and scored[0][0] == scored[1][0] and scored[0][1] - scored[1][1] < AHEAD:
        return None
    return scored[0][2], scored[0][3]


def criteria_saying(kb: KnowledgeBase, text: str, units: list[str], limit: int = 4) -> list[tuple[str, str]]:
    """The criteria of ``units`` whose wording says the most of the question's words (at least ``SHARED``, all
    of them when fewer), when no more than ``limit`` say that much: where something is, when several places
    print it ("which unit has the <subject> in it?"). Title words count here: nothing is named, all is sought."""
    asked = _stems(text)
    scored = [(len(asked & wording), code, ac) for code in units if code in kb.units
              for ac, _, wording in _unit_stems(kb, code)[2]]
    top = max((s for s, _, _ in scored), default=0)
    if top < min(SHARED, len(asked)) or not asked:
        return []
    found = [(code, ac) for s, code, ac in scored if s == top]
    return found if len(found) <= limit else []
