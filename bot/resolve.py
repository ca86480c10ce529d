"""Resolution: turn a message's references into one unit, criterion or qualification — or say why not.

Every candidate unit is scored from all the evidence at once (``score_units``): the codes and title
words the message uses, the qualification or level it names, whether the criterion or learning
outcome it names exists in that unit, whether the unit holds the fact asked for, the speaker's own
qualification and plan, and the conversation. The bot asks only when candidates stay within
``MARGIN`` of each other after all of it, listing exactly those; when none fits, it says so.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

from bot.facets import unit_has
from bot.intent import Slots, Turn
from bot.nlu.refs import References, fits_hints
from knowledge.kb import KnowledgeBase
from knowledge.model import Unit
from knowledge.stopwords import STOP_WORDS

MARGIN = 1.0              # evidence points a unit must lead by to be chosen without asking
CODE, TITLE, PLACE = 6.0, 4.0, 6.0
HINT_FITS, HINT_MISSES = 3.0, -4.0
HAS_AC, LACKS_AC = 2.0, -8.0
LACKS_FACT = -1.5
# "How long is it?" is a length in words or in minutes: a unit printing either has the fact asked.
_LENGTHS = frozenset({"word_count", "timing"})
WORDING = 3.0
WHOLE_TITLE = 2.0         # a unit's whole title typed word for word
STRONG_TITLE = 0.5        # a message that mentions half a title (by word weight) names that unit
ECHOED = 0.5              # a message echoing this share of a criterion's wording quotes it
MIN_WORDING_EVIDENCE = 4.0     # summed rarity of shared words: two uncommon words, or one rare one
_STOP = frozenset("the a an and of in on for to with is it its this that one what which how do does i my me "
                  "about bit part need needs want what's whats".split())
OWN_QUALIFICATION, OWN_PLAN = 1.5, 1.0
CONTEXT_UNIT, CONTEXT_FOLLOW_UP, CONTEXT_QUALIFICATION = 0.5, 3.0, 1.5
# Topics whose answer differs between qualifications printed in one specification.
PER_QUALIFICATION = frozenset({"structure", "registration", "age", "induction", "tutorial", "tutorial_support",
                               "credits", "glh", "tqt", "number", "optional", "level"})


@dataclass
class Resolution:
    """``status``: ``ok`` (slots filled), ``ask`` (candidates to choose from), ``none`` (nothing fits),
    or ``unit_only`` (a criterion intent that named a unit but no criterion). ``unnamed``: asking among
    every unit of the qualification, because nothing in the message or the conversation points at one."""

    status: str
    what: str = "unit"
    candidates: list[str] = field(default_factory=list)
    message: str = ""
    unnamed: bool = False
    # Asking among units that only words of their titles point at ("procurement", "effective"): the question
    # may be about the qualification instead.
    loose: bool = False


def _has(unit: Unit, acs: list[str], lo: int | None) -> bool:
    if acs:
        return all(unit.criterion(a) for a in acs)
    return lo is not None and unit.learning_outcome(lo) is not None


def _content(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2 and w not in _STOP}


@functools.cache
def _criterion_idf(kb: KnowledgeBase) -> dict[str, float]:
    """How rare each word (by 5-letter stem) is across all criteria and outcomes: "risks" says more
    about which criterion is meant than "evaluate"."""
    texts = [c.text for u in kb.units.values() for c in u.criteria]
    texts += [lo.text for u in kb.units.values() for lo in u.learning_outcomes]
    df: dict[str, int] = {}
    for t in texts:
        for w in _content(t):
            df[w] = df.get(w, 0) + 1
    return {w: math.log((len(texts) + 1) / (n + 0.5)) for w, n in df.items()}


def _wording_overlap(kb: KnowledgeBase, unit: Unit, refs: References) -> float:
    """How much (0–1, by rarity) of the message's remaining words is found in the wording of the criteria
    it names, or of that wording in the message; nothing unless the shared words are rare enough to mean
    something. Words of the titles the message names a unit by are not counted again ("<unit title> 3.3")."""
    titled = set().union(*(_content(kb.units[c].title) for c, _ in refs.title_units)) if refs.title_units else set()
    words = _content(refs.remainder) - titled
    idf = _criterion_idf(kb)
    if not words:
        return 0.0
    texts = " ".join(c.text for a in refs.acs if (c := unit.criterion(a)))
    if refs.lo and (lo := unit.learning_outcome(refs.lo)):
        texts += " " + lo.text
    shared = words & _content(texts)
    weight = sum(idf.get(w, 0.0) for w in shared)
    if weight < MIN_WORDING_EVIDENCE:
        return 0.0
    rare = max(idf.values(), default=1.0)
    # Either side may be the short one: a long question that quotes a criterion's few words names it as well
    # as a short question made of a long criterion's words.
    return max(weight / sum(idf.get(w, rare) for w in words),
               weight / sum(idf.get(w, rare) for w in _content(texts) - titled))


@functools.cache
def _unit_words(kb: KnowledgeBase, code: str) -> frozenset[str]:
    """Every word (by 5-letter stem) a unit's own text uses: its printed lines (``Unit.own_lines``) with its
    title, outcomes, criteria's advice, assessment titles and suggested evidence."""
    u = kb.units[code]
    parts = [u.title, *(line for _, line in u.own_lines()), *(lo.text for lo in u.learning_outcomes), *u.evidence,
             *(a.title for a in u.assessment), *(advice for c in u.criteria for advice in c.advice)]
    return frozenset(_content(" ".join(parts)))


def _about_unit_in_context(kb: KnowledgeBase, refs: References, named: dict[str, float], code: str) -> bool:
    """Whether words that only half-name other units (less than ``STRONG_TITLE`` of any title) are found
    more fully in the text of the unit under discussion than in any of theirs: then they are about it."""
    if max(kb.title_coverage(refs.remainder, c) for c in named) >= STRONG_TITLE:
        return False
    words = _content(refs.remainder) - STOP_WORDS
    mine = len(words & _unit_words(kb, code))
    return bool(words) and all(mine > len(words & _unit_words(kb, c)) for c in named)


def _words_of_the_criterion(kb: KnowledgeBase, refs: References, code: str) -> bool:
    """Whether the words that touch ``code``'s title are words of the criterion asked, as another unit words it
    ("3.2 adapt own leadership style" quotes a criterion, it doesn't name a unit with "Leadership" in its
    title): then they say which criterion, not which unit."""
    if not refs.acs:
        return False
    hits = _content(refs.remainder) & _content(kb.units[code].title)
    if not hits:
        return False
    # Only a unit the message names by code, or whose criterion the message echoes, words it.
    others = [u for u in kb.units.values() if u.code != code and _has(u, refs.acs, None)
              and (u.code in refs.units or _wording_overlap(kb, u, refs) >= ECHOED)]
    wording = set().union(*(_content(" ".join(c.text for a in refs.acs if (c := u.criterion(a)))) for u in others))
    return hits <= wording


def _quoting_titles(kb: KnowledgeBase, refs: References) -> frozenset[str]:
    """The units matched by title words that only quote the criterion asked (``_words_of_the_criterion``)."""
    return frozenset(code for code, _ in refs.title_units if _words_of_the_criterion(kb, refs, code))


def placed_units(kb: KnowledgeBase, refs: References, turn: Turn) -> list[str]:
    """"Unit 3": the third unit of each qualification the message, the speaker or the conversation names."""
    if not refs.position:
        return []
    quals = (refs.qualifications or turn.own_qualifications
             or ([turn.context.qualification] if turn.context.qualification else []) or list(kb.qualifications))
    out = []
    for q in quals:
        units = kb.qualifications[q].units
        if 1 <= refs.position <= len(units) and units[refs.position - 1] not in out:
            out.append(units[refs.position - 1])
    return out


def score_units(turn: Turn, refs: References, facet: str | None = None, follow_up: bool = True,
                quoting: frozenset[str] | None = None) -> tuple[dict[str, float], bool]:
    """Every candidate unit with its evidence score, and whether the message itself named units.

    ``follow_up``: a message that names no unit may mean the unit being discussed. ``quoting``: the titles
    whose words only quote the criterion asked (``_quoting_titles``), when the caller has them already."""
    kb, context = turn.kb, turn.context
    named: dict[str, float] = {}
    for code in refs.units:
        named[code] = named.get(code, 0.0) + CODE
    said = f' {" ".join(re.findall(r"[a-z]+", refs.remainder.lower()))} '
    quoting = _quoting_titles(kb, refs) if quoting is None else quoting
    for code, score in refs.title_units:
        if code in quoting:
            continue
        named[code] = named.get(code, 0.0) + TITLE * score / 100 + kb.title_coverage(refs.remainder, code)
        if f' {" ".join(re.findall(r"[a-z]+", kb.units[code].title.lower()))} ' in said:
            # The whole title, word for word ("strategic leadership - the one about boards"): named outright,
            # whatever other titles its words also touch.
            named[code] += WHOLE_TITLE
    for code in placed_units(kb, refs, turn):
        named[code] = named.get(code, 0.0) + PLACE
    wants_criterion = bool(refs.acs or refs.lo)
    if named and wants_criterion and not refs.units and not refs.position \
            and not any(_has(kb.units[c], refs.acs, refs.lo) for c in named) \
            and max(kb.title_coverage(refs.remainder, c) for c in named) < STRONG_TITLE:
        # Title words shared with units none of which has the criterion: they were probably not naming a
        # unit ("AC 6.1 - can I use our H&S policy?"), so look the criterion up instead.
        named = {}
    by_message = bool(named)
    scores = dict(named)
    if follow_up and named and not refs.units and not refs.position and context.unit in kb.units:
        if context.unit in scores:
            # The unit under discussion, named again by words of its title, is that unit.
            scores[context.unit] += CONTEXT_FOLLOW_UP
        elif all(kb.names_weakly(refs.remainder, c) for c in named) or _about_unit_in_context(kb, refs, named,
                                                                                               context.unit):
            # Only everyday title words ("review", "managing"), or words the unit under discussion uses
            # more of than the units they half-name (a word of its brief that is also a word of other
            # titles): that unit is still the one meant.
            scores[context.unit] = CONTEXT_FOLLOW_UP + TITLE
    if not scores:
        if wants_criterion:
            scores = {u.code: 0.0 for u in kb.units.values() if _has(u, refs.acs, refs.lo)}
            if follow_up and context.unit in scores:
                scores[context.unit] += CONTEXT_FOLLOW_UP
        elif follow_up and context.unit and context.unit in kb.units:
            scores = {context.unit: 0.0}
    # The qualifications being discussed: the one named last, and those of the unit under discussion
    # (a bare "604" right after an answer about 8316-602 means 8316-604, not 8631-604).
    in_context = {context.qualification} if context.qualification else set()
    if context.unit in kb.units:
        in_context |= set(kb.units[context.unit].qualifications)
    for code in scores:
        unit = kb.units[code]
        if wants_criterion and refs.remainder:
            # Words the message shares with the criterion's own wording ("2.4 — the taking risks one").
            scores[code] += WORDING * _wording_overlap(kb, unit, refs)
        if refs.named_qualifications or refs.levels:
            scores[code] += HINT_FITS if fits_hints(kb, code, refs) else HINT_MISSES
        if wants_criterion:
            scores[code] += HAS_AC if _has(unit, refs.acs, refs.lo) else LACKS_AC
        if facet and not unit_has(unit, facet) and not (facet in _LENGTHS and any(unit_has(unit, f) for f in _LENGTHS)):
            scores[code] += LACKS_FACT
        if set(unit.qualifications) & set(turn.own_qualifications):
            scores[code] += OWN_QUALIFICATION
        if code in turn.own_units:
            scores[code] += OWN_PLAN
        if code == context.unit:
            scores[code] += CONTEXT_UNIT
        if set(unit.qualifications) & in_context:
            # The unit under discussion is in the qualification being discussed too.
            scores[code] += CONTEXT_QUALIFICATION
    return scores, by_message


def best(scores: dict[str, float]) -> list[str]:
    """The units within ``MARGIN`` of the best score, best first."""
    if not scores:
        return []
    top = max(scores.values())
    return sorted((c for c, s in scores.items() if top - s < MARGIN), key=lambda c: (-scores[c], c))


def _unknown_unit_message(named: str) -> str:
    return (f"I can't find a unit {named} in the qualifications I know. Units are numbered like "
            f"8391-501; you can ask me “what units are in the level 5?” or give me the title.")


def _missing_criterion(kb: KnowledgeBase, codes: list[str], acs: list[str], lo: int | None) -> Resolution:
    what = f"criterion {', '.join(acs)}" if acs else f"learning outcome {lo}"
    if len(codes) == 1:
        unit = kb.units[codes[0]]
        listing = (", ".join(c.id for c in unit.criteria) if acs
                   else ", ".join(f"LO{x.number}" for x in unit.learning_outcomes))
        return Resolution("none", message=f"Unit {unit.code} ({unit.title}) has no {what}. "
                                          f"Its {'criteria' if acs else 'learning outcomes'} are {listing}.")
    return Resolution("none", message=f"None of {', '.join(codes)} has {what}.")


def _step(unit: Unit, ac: str | None, relative: str, lo: int | None) -> str | None:
    """The criterion ``relative`` to ``ac`` ("next", "previous") or to an LO ("first"/"last" in LO2)."""
    ids = [c.id for c in unit.criteria]
    if relative in ("first", "last"):
        in_lo = [c.id for c in unit.criteria if lo is None or c.lo == lo] if (lo or ac is None) else \
            [c.id for c in unit.criteria if c.lo == int(ac.split(".")[0])]
        return (in_lo[0] if relative == "first" else in_lo[-1]) if in_lo else None
    if ac not in ids:
        return None
    i = ids.index(ac) + (1 if relative == "next" else -1)
    return ids[i] if 0 <= i < len(ids) else None


def _settle(slots: Slots, unit: Unit, ac: str) -> None:
    """The slots of one criterion of ``unit``: the unit, the criterion and its learning outcome."""
    slots.unit, slots.criterion = unit, unit.criterion(ac)
    slots.criteria = [slots.criterion] if slots.criterion else []
    slots.lo = unit.learning_outcome(slots.criterion.lo) if slots.criterion else None


def resolve_criterion(turn: Turn, slots: Slots, facet: str | None = None) -> Resolution:
    """One unit and the criteria (or learning outcome) the message asks about."""
    kb, context = turn.kb, turn.context
    refs = slots.refs
    acs, lo = list(refs.acs), refs.lo
    # Title words of the unit under discussion ("our school procurement policy … the next one") don't leave it.
    names_another = refs.names_a_unit and context.unit not in [*refs.units, *(c for c, _ in refs.title_units)]
    if refs.relative and not acs and not names_another and context.unit in kb.units:
        # "the next one", "the last one in LO2": a step from the criterion being discussed.
        unit = kb.units[context.unit]
        ac = _step(unit, context.ac, refs.relative, lo)
        if ac is None:
            if refs.relative in ("next", "previous") and context.ac:
                edge = "last" if refs.relative == "next" else "first"
                return Resolution("none", message=f"AC{context.ac} is the {edge} criterion of unit {unit.code}.")
            return Resolution("none", message=f"Unit {unit.code} has no learning outcome {lo}.")
        _settle(slots, unit, ac)
        return Resolution("ok")
    if refs.relative in ("first", "last") and not acs and refs.names_a_unit:
        # "<unit>, the first criterion": a place in the unit the message names.
        top = best(score_units(turn, refs, facet)[0])
        if len(top) == 1 and (ac := _step(kb.units[top[0]], None, refs.relative, lo)) is not None:
            _settle(slots, kb.units[top[0]], ac)
            return Resolution("ok")
    if not acs and lo is None:
        if context.ac and context.unit in kb.units and not refs.names_a_unit and kb.units[context.unit].criterion(
                context.ac):
            # A follow-up about "that": the criterion being discussed.
            unit = kb.units[context.unit]
            _settle(slots, unit, context.ac)
            return Resolution("ok")
        return Resolution("unit_only")
    if not refs.names_a_unit and refs.unknown_units:
        return Resolution("none", message=_unknown_unit_message(refs.unknown_units[0]))
    if refs.unknown_units and not refs.units:
        return Resolution("none", message=_unknown_unit_message(refs.unknown_units[0]))
    quoting = _quoting_titles(kb, refs)
    scores, by_message = score_units(turn, refs, facet, quoting=quoting)
    # Titles matched equally well by their words are told apart by how much of each the message covers.
    titled = [t for t in refs.title_units if t[0] not in quoting]
    strongest = max(titled, key=lambda t: (t[1], kb.title_coverage(refs.remainder, t[0])))[0] \
        if titled and not refs.units else None
    if strongest and kb.title_coverage(refs.remainder, strongest) >= STRONG_TITLE \
            and not _has(kb.units[strongest], acs, lo):
        # The message names this unit plainly ("optimising organisational capacity 1.2"): it has no such
        # criterion, and a weaker match that has one is not what was meant.
        return _missing_criterion(kb, [strongest], acs, lo)
    if by_message and not any(_has(kb.units[c], acs, lo) for c in scores):
        return _missing_criterion(kb, best(scores) or sorted(scores), acs, lo)
    if not scores:
        what = f"a criterion {acs[0]}" if acs else f"a learning outcome {lo}"
        return Resolution("none", message=f"No unit I know has {what}.")
    fitting = {c: s for c, s in scores.items() if _has(kb.units[c], acs, lo)}
    if not fitting and acs and len(acs) > 1:
        # Several criteria, not all in one unit: keep the units that have the first.
        fitting = {c: s for c, s in scores.items() if kb.units[c].criterion(acs[0])}
        acs = [a for a in acs if all(kb.units[c].criterion(a) for c in fitting)] or acs[:1]
    top = best(fitting)
    if len(top) > 1:
        return Resolution("ask", candidates=top)
    unit = kb.units[top[0]]
    slots.unit = unit
    slots.criteria = [c for a in acs if (c := unit.criterion(a))]
    slots.criterion = slots.criteria[0] if slots.criteria else None
    slots.lo = unit.learning_outcome(slots.criterion.lo if slots.criterion else lo)  # type: ignore[arg-type]
    return Resolution("ok")


def resolve_unit(turn: Turn, slots: Slots, choose_from: str | None = None, facet: str | None = None) -> Resolution:
    kb = turn.kb
    refs = slots.refs
    if refs.unknown_units and not refs.units and not refs.title_units:
        return Resolution("none", message=_unknown_unit_message(refs.unknown_units[0]))
    if refs.position and not placed_units(kb, refs, turn):
        return Resolution("none", message=f"I can't find a unit {refs.position} in the qualifications I know.")
    scores, by_message = score_units(turn, refs, facet, follow_up=choose_from is None or not turn.own_qualifications)
    if not by_message and choose_from and turn.own_qualifications:
        # "I need to add an optional unit": offer the person's own choices, not every unit there is.
        if choose_from == "planned":
            offer = list(turn.own_units)
        else:
            offer = [c for q in turn.own_qualifications for c in kb.qualifications[q].units if c not in turn.own_units]
        if len(offer) == 1:
            slots.unit = kb.units[offer[0]]
            return Resolution("ok")
        if offer:
            return Resolution("ask", candidates=offer)
    top = best(scores)
    if not top:
        hint = refs.qualifications or ([turn.context.qualification] if turn.context.qualification else [])
        if len(hint) == 1:
            return Resolution("ask", candidates=list(kb.qualifications[hint[0]].units), unnamed=True)
        return Resolution("ask", candidates=[])
    if len(top) > 1:
        return Resolution("ask", candidates=top, loose=not (refs.units or refs.acs or refs.lo or refs.position))
    slots.unit = kb.units[top[0]]
    return Resolution("ok")


def _one_specification(kb: KnowledgeBase, qualification_ids: list[str]) -> bool:
    documents = {kb.qualifications[q].source.document for q in qualification_ids if kb.qualifications[q].source}
    return len(documents) == 1


def resolve_qualification(turn: Turn, slots: Slots, covers: list[str], facet: str | None = None) -> Resolution:
    """``covers``: the qualifications whose specification speaks to the question."""
    kb, context = turn.kb, turn.context
    refs = slots.refs
    if refs.qualifications and not refs.named_qualifications and context.qualification in refs.qualifications:
        candidates = [context.qualification]     # "what % has to be at level 6?" of the diploma being discussed
    elif refs.qualifications:
        candidates = list(refs.qualifications)
    else:
        scores, _ = score_units(turn, refs, None, follow_up=False)
        from_units = sorted({q for code in best(scores) for q in kb.units[code].qualifications})
        if from_units:
            candidates = from_units
        elif context.qualification:
            candidates = [context.qualification]
        elif turn.own_qualifications:
            candidates = list(turn.own_qualifications)
        else:
            candidates = covers
    if len(candidates) > 1 and covers and set(candidates) & set(covers):
        candidates = [c for c in candidates if c in covers]
    if not candidates:
        return Resolution("none", what="qualification",
                          message="None of the qualification specifications I know says anything about that, "
                                  "so I can't answer it. Your tutor or centre can tell you.")
    asked = facet or slots.topic
    if len(candidates) > 1 and _one_specification(kb, candidates) and asked not in PER_QUALIFICATION:
        # The Award and Diploma in Management share one specification and its rules: no need to ask.
        candidates = candidates[:1]
    if len(candidates) > 1:
        return Resolution("ask", what="qualification", candidates=candidates)
    slots.qualification = kb.qualifications[candidates[0]]
    return Resolution("ok", what="qualification")
