"""Reading a message: its references, what it asks (the intent model), and its parts.

A message can ask several things at once ("<fact> and <fact> for <unit>?", "is <unit> optional, and how
is it assessed?"). It is cut where people join questions (and, also, "?", ";") into parts the model reads
on their own; a cut stands only when each side confidently asks a *different* fact. A part that names
no unit, criterion or qualification of its own shares the message's.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from bot.facets import KNOWLEDGE_FACETS
from bot.nlu.features import delexicalise
from bot.nlu.model import IntentModel
from bot.nlu.refs import References, extract
from knowledge.kb import KnowledgeBase
from knowledge.stopwords import STOP_WORDS

PART_CONFIDENCE = 0.55      # a part's own reading must be at least this sure to stand alone …
WHOLE_SUPPORT = 0.01        # … and the whole message must show some sign of asking it too (0.02 left
# a question asking two hour counts at once as one question: the whole read as the second at 0.99)
# Words that carry no fact of their own: a piece made only of these and references ("what do 2.1")
# is not a question by itself.
_EMPTY = STOP_WORDS | frozenset("ask asks asking say says said mean means tell give show please pls thanks "
                                "ok okay so also just again exactly actually".split())
_CUT = re.compile(r"\?+\s+|;\s*|\.\s+(?=[A-Za-z])|\s+(?:and also|and|also|plus|as well as)\s+|"
                  r",\s*(?:and\s+)?", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]{2,}")


_INTERROGATIVE = frozenset("what whats what's how is are can could do does did which when who whom whose will would "
                           "should must may tell give list show explain".split())


_JOINING = frozenset({"and", "also", "plus", "but", "or", "then", "so", "&"})


# Words that name a qualification or a part of one rather than ask about it.
_NAMING = frozenset({"level", "diploma", "award", "certificate", "qualification", "unit", "units", "outcome",
                     "learning", "criterion", "criteria"})


def naming_words(kb: KnowledgeBase, refs: References) -> frozenset[str]:
    """The words that name what ``refs`` point at: unit titles, qualification titles, "diploma"."""
    titles = _title_words(kb)
    named = [*refs.units, *(code for code, _ in refs.title_units), *refs.qualifications]
    return _NAMING.union(*(titles.get(n, frozenset()) for n in named))


@functools.cache
def _title_words(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    """Every unit's and qualification's title words, lower case, by code or id."""
    titles = {**{c: u.title for c, u in kb.units.items()}, **{q.id: q.title for q in kb.qualifications.values()}}
    return {key: frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", title)) for key, title in titles.items()}


def _asks(piece: str, refs: References, naming: frozenset[str] = frozenset()) -> bool:
    """A piece that asks something of its own: a question, a request, or a bare fact named ("GLH?", "<fact> for
    <a qualification's full title>": short once what it names is set aside). "I was going to do PCR 2015"
    after a question is context for it, not a second question."""
    words = piece.strip().lower().split()
    while words and words[0] in _JOINING:
        words = words[1:]      # "… word count? and how long …": the cut at "?" leaves the "and"
    said = [w for w in _WORD.findall(_without_references(piece, refs)) if _said(w.lower()) and w.lower() not in naming]
    return piece.rstrip().endswith("?") or bool(words and words[0] in _INTERROGATIVE) or len(said) <= 2


def _without_references(piece: str, refs: References) -> str:
    rest = piece
    for span in sorted(refs.spans, key=lambda s: -s.start):
        rest = rest[:span.start] + " " + rest[span.end:]
    return rest


def has_content(piece: str, refs: References, naming: frozenset[str] = frozenset()) -> bool:
    """Whether the piece says anything beyond what it names ("in my <unit> whats <AC>" does not); ``naming``:
    more words that only name something (a unit's title words, "diploma")."""
    return any(_said(w.lower()) and w.lower() not in naming
               for w in _WORD.findall(_without_references(piece, refs)))


def _said(word: str) -> bool:
    # "whats", "hows": a question word with its "is" run on, typed without the apostrophe.
    return word not in _EMPTY and not (word.endswith("s") and word[:-1] in _INTERROGATIVE)


@dataclass
class Reading:
    """One question of a message: its text and references, and the model's labels, most probable first."""

    text: str
    refs: References
    labels: list[tuple[str, float]]

    @property
    def label(self) -> str:
        return self.labels[0][0]

    @property
    def probability(self) -> float:
        return self.labels[0][1]

    def runner_up(self) -> tuple[str, float]:
        return self.labels[1] if len(self.labels) > 1 else ("", 0.0)


def classify(model: IntentModel, text: str, refs: References, role: str | None = None,
             people: tuple[str, ...] | list[str] = ()) -> list[tuple[str, float]]:
    return [(p.label, p.probability) for p in model.predict(delexicalise(text, refs, role, people))]


def _inherit(part: References, whole: References) -> References:
    """A part's references, with what it leaves out taken from the whole message."""
    out = replace(part)
    if not (part.units or part.title_units or part.position or part.unknown_units):
        out.units, out.title_units, out.position = list(whole.units), list(whole.title_units), whole.position
        out.unknown_units = list(whole.unknown_units)
    if not part.acs and part.lo is None:
        out.acs, out.lo = list(whole.acs), whole.lo
    if not part.qualifications:
        out.qualifications, out.named_qualifications = list(whole.qualifications), list(whole.named_qualifications)
        out.levels = list(whole.levels)
    return out


def _the_question(text: str, kb: KnowledgeBase, model: IntentModel, question_words: frozenset[str],
                  role: str | None, whole: References) -> Reading | None:
    """The one question of a message that also says things around it ("RPL on the level 7? I already did an
    MBA module"): read alone, when it is surely about the specifications, it is what is asked, and the rest
    is context. None when the message has no such single question."""
    pieces = [p.strip() for p in re.split(r"(?<=\?)\s+", text) if p.strip()]
    questions = [p for p in pieces if p.endswith("?")]
    if len(pieces) < 2 or len(questions) != 1:
        return None
    piece_refs = [extract(p, kb, question_words) for p in pieces]
    if any(_asks(p, r) and not p.endswith("?") for p, r in zip(pieces, piece_refs, strict=True)):
        return None
    question = questions[0]
    refs = _inherit(piece_refs[pieces.index(question)], whole)
    labels = classify(model, question, refs, role)
    if labels[0][0] in KNOWLEDGE_FACETS and labels[0][1] >= PART_CONFIDENCE:
        return Reading(question, refs, labels)
    return None


def read(text: str, kb: KnowledgeBase, model: IntentModel, question_words: frozenset[str],
         role: str | None = None, people: tuple[str, ...] | list[str] = ()) -> list[Reading]:
    """The message's questions: one reading, or one per part when it asks several facts. ``people``: the
    roster's names the message contains (read as "zperson")."""
    refs = extract(text, kb, question_words)
    whole = Reading(text, refs, classify(model, text, refs, role, people))
    if whole.label == "none":
        asked = _the_question(text, kb, model, question_words, role, refs)
        if asked is not None:
            return [asked]
    if whole.label not in KNOWLEDGE_FACETS and whole.label != "bare":
        return [whole]
    pieces = [p for p in _CUT.split(text) if p and p.strip()]
    if len(pieces) < 2:
        return [whole]
    groups: list[tuple[str, str]] = []          # (label, text) of each standing part
    loose: list[str] = []                       # pieces that don't stand alone join their neighbour
    for piece in pieces:
        piece_refs = extract(piece, kb, question_words)
        labels = classify(model, piece, piece_refs, role)
        label, p = labels[0]
        support = dict(whole.labels).get(label, 0.0)
        stands = (label in KNOWLEDGE_FACETS and p >= PART_CONFIDENCE and support >= WHOLE_SUPPORT
                  and has_content(piece, piece_refs)
                  and (not groups or _asks(piece, piece_refs, naming_words(kb, piece_refs))))
        if not stands:
            if groups:
                groups[-1] = (groups[-1][0], f"{groups[-1][1]} {piece}")
            else:
                loose.append(piece)
            continue
        if groups and groups[-1][0] == label:
            groups[-1] = (label, f"{groups[-1][1]} {piece}")
        else:
            groups.append((label, " ".join([*loose, piece])))
            loose = []
    if len(groups) < 2:
        return [whole]
    out = []
    for label, part in groups:
        part_refs = _inherit(extract(part, kb, question_words), refs)
        labels = classify(model, part, part_refs, role)
        # The part was cut because it asks ``label``; keep that reading first.
        labels = [(label, dict(labels).get(label, 0.0))] + [lp for lp in labels if lp[0] != label]
        out.append(Reading(part, part_refs, labels))
    return out
