"""Slot extraction: the units, criteria, learning outcomes and qualifications a message names.

Deterministic and fast (regular expressions plus the KB's word-level title matcher), so the same
text always yields the same references. Every reference keeps its span, so the classifier can read
the message with references replaced by placeholders (``bot.nlu.features.delexicalise``): what is
*asked* is learned from the words around the references, not from which unit happened to be named.

What the extractor finds is evidence, not a verdict: ``bot.resolve`` weighs it (with the facet asked,
the speaker's own qualification and the conversation) to decide which unit and criterion are meant.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from bot.nlu.spelling import corrected
from knowledge.kb import KnowledgeBase
from knowledge.stopwords import STOP_WORDS

_FULL_CODE = re.compile(r"\b(\d{4})\s*[-\u2013/ ]\s*(\d{3})\b")
# ILM's own unit numbers in the 8316 specification: "M6.03", "m7.05", "D5.01".
_ILM_CODE = re.compile(r"\b([A-Za-z])\s?(\d)\.(\d{2})\b")
_AC_CUE = r"(?:a\.?c\.?s?|crit(?:erion|eria)?|assessment criteri(?:on|a))"
# "AC2.2", "ac 2.2", "criterion 2.2", "assessment criteria 2,2" (a comma slips in on phones), "ac 2 2".
_AC_CUED = re.compile(_AC_CUE + r"\s*(\d{1,2})\s*(?:[.,]|\s)\s*(\d{1,2})\b", re.IGNORECASE)
# A bare "2.2": not part of a date (14.03.2027), an amount (£2.50), a percentage or a time (9.30am).
_AC_BARE = re.compile(r"(?<![\d.,/:£$])\b(\d{1,2})\.(\d{1,2})\b(?![.,]?\d)(?!\s*(?:%|am\b|pm\b|per\b))",
                      re.IGNORECASE)
# A range "2.1-2.3", "2.1 to 2.3", "2.1–2.3".
_AC_RANGE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\s*(?:-|\u2013|\u2014|to|through)\s*(?:(\d{1,2})\.)?(\d{1,2})\b",
                       re.IGNORECASE)
# "LO2 AC3" / "LO 2 criterion 3" / "outcome 2, ac 3": criterion 3 of learning outcome 2.
_LO_AC = re.compile(r"\b(?:lo|l\.o\.|learning\s+outcome|outcome)\s*(\d{1,2})\s*[,/]?\s*" + _AC_CUE
                    + r"\s*(\d{1,2})\b(?![.,]\d)", re.IGNORECASE)
_LEVEL = re.compile(r"\b(?:level|lvl|l)\s*([1-8])\b", re.IGNORECASE)
_LO = re.compile(r"\b(?:lo|l\.o\.|learning\s+outcome|outcome)\s*(\d{1,2})\b", re.IGNORECASE)
_UNIT_CUE = r"(?:unit|module)"
_SHORT = re.compile(
    r"(?<![\d,.£$])\b(\d{3})\b(?![.,]\d)"
    r"(?!\s*(?:words?\b(?!\s*count)|(?:marks?|minutes?|mins?|hours?|hrs?|pounds|people|learners|k)\b|%))",
    re.IGNORECASE)
_CUED_NUMBER = re.compile(r"\b" + _UNIT_CUE + r"\s*(?:no\.?|number)?\s*(\d{1,4})\b(?![.,]\d)", re.IGNORECASE)
_POSITION_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_CUED_WORD = re.compile(r"\b" + _UNIT_CUE + r"\s+(" + "|".join(_POSITION_WORDS) + r")\b", re.IGNORECASE)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "last": -1}
_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b(?:\s+one)?", re.IGNORECASE)
_CHOICE_NUMBER = re.compile(r"^\s*(?:(?:number|no\.?|option|choice)\s*)?(\d{1,2})\s*[.)!]?\s*$", re.IGNORECASE)
# Phrases that belong to questions although their words appear in unit titles
# ("guided learning hours" is not the "Enabling Learning" unit).
_QUESTION_PHRASES = re.compile(
    r"guided learning(?: hours)?|learning outcomes?|word count|assessment criteri(?:a|on)|"
    r"total qualification time|professional discussion|witness testimony|reflective account|"
    r"prior learning|end[ -]point assessment|tutorial support|support hours|induction|registration|"
    r"rules? of combination|evidence matrix|work products?|occupational standards?|"
    r"(?:indicative|unit) content|unit (?:aim|purpose)", re.IGNORECASE)
_NEXT = re.compile(r"\b(?:one|the) after\b|\bafter that\b|\b(next|following)\b(?!\s+(?:week|month|year|term|monday|"
                   r"tuesday|wednesday|thursday|friday|saturday|sunday|cohort|intake))", re.IGNORECASE)
_PREVIOUS = re.compile(r"\b(previous|one before|before that|prior one)\b", re.IGNORECASE)
_LAST_IN = re.compile(r"\blast (?:one|ac|criterion|crit)\b|\bfinal (?:one|ac|criterion)\b|"
                      r"\blast (?:one )?(?:in|of|under) (?:lo|l\.o\.|learning outcome|outcome)", re.IGNORECASE)
# "The first one" may be a first anything; "the first criterion" is one place in a unit or an outcome.
_FIRST_IN = re.compile(r"\bfirst (?:one|ac|criterion|crit)\b(?= (?:in|of|under)\b)|"
                       r"\bfirst (?:ac|criterion|crit|assessment criterion)\b", re.IGNORECASE)

# Qualification hints, most specific first. Each maps to the qualification ids it narrows to.
QUALIFICATION_HINTS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), ids) for pattern, ids in (
        (r"\b(?:level|lvl|l)\s*6\s+award(?: in (?:management|mgmt|mgt))?\b|\baward in (?:management|mgmt|mgt)\b|"
         r"\b(?:management|mgmt|mgt) award\b",
         ("l6-management-award",)),
        (r"\b(?:level|lvl|l)\s*6\s+diploma in (?:management|mgmt|mgt)\b|\bdiploma in (?:management|mgmt|mgt)\b|"
         r"\b(?:management|mgmt|mgt) diploma\b",
         ("l6-management-diploma",)),
        (r"\b8316\b|\b(?:level|lvl|l)\s*6\s+(?:in\s+)?(?:management|mgmt|mgt)\b",
         ("l6-management-award", "l6-management-diploma")),
        (r"\bschool business management\b|\bsbm\b|\b8631\b|\b(?:level|lvl|l)\s*6\s+sbm\b", ("l6-sbm-diploma",)),
        (r"\bschool business leaders?(?:hip)?\b|\bsbl\b|\b8391\b|\b(?:level|lvl|l)\s*5\b", ("l5-sbl-diploma",)),
        (r"\bsenior leaders?(?:hip)?\b|\b8431\b|\b(?:level|lvl|l)\s*7\b|\bslda\b|\bsenior leader apprenticeship\b",
         ("l7-senior-leaders-diploma",)),
        (r"\b(?:level|lvl|l)\s*6\b",
         ("l6-sbm-diploma", "l6-management-award", "l6-management-diploma")),
    )
)


@dataclass(frozen=True)
class Span:
    """Where a reference was read: ``kind`` is unit, ac, lo or qualification."""

    start: int
    end: int
    kind: str


@dataclass
class References:
    """What a message names. Codes are full unit codes; ``unknown_units`` were named but don't exist."""

    units: list[str] = field(default_factory=list)
    unknown_units: list[str] = field(default_factory=list)
    title_units: list[tuple[str, float]] = field(default_factory=list)
    acs: list[str] = field(default_factory=list)
    lo: int | None = None
    qualifications: list[str] = field(default_factory=list)
    # Qualifications named by name ("senior leaders", "SBM", "8431"), not by a level alone; and the levels
    # named ("level 7", "L5"), which describe units as well as qualifications.
    named_qualifications: list[str] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)
    choice_number: int | None = None
    relative: str | None = None        # "next", "previous", "first" or "last"
    position: int | None = None        # "unit 3": the third unit of a qualification
    remainder: str = ""
    # Qualifications named apart, each by hints of its own ("<fact> of <one qualification> vs <another>"),
    # when there are two or more; else empty.
    each_qualification: list[str] = field(default_factory=list)
    # A qualification named by a title none of the specifications has ("the Level 7 Diploma in Leadership
    # and Management"), as typed.
    other_qualification: str | None = None
    without_hints: str = ""            # the text with qualification hints taken out (for word search)
    spans: list[Span] = field(default_factory=list)

    @property
    def ac(self) -> str | None:
        return self.acs[0] if self.acs else None

    @property
    def names_a_unit(self) -> bool:
        return bool(self.units or self.unknown_units or self.title_units or self.position)


def _blank(text: str, start: int, end: int) -> str:
    """``text`` with ``[start, end)`` replaced by spaces: positions stay valid for later spans."""
    return text[:start] + " " * (end - start) + text[end:]


_ABBREVIATED = {"mgmt": "management", "mgt": "management", "dip": "diploma", "sch": "school", "bus": "business"}
_TITLE_NOISE = frozenset("level ilm city guilds in for the of and".split())


def _by_title_words(kb: KnowledgeBase, text: str, hinted: list[str]) -> list[str]:
    """Narrow the hinted qualifications (or find one when nothing hinted) by the words of their titles the
    message uses: "L6 school business diploma" is the SBM diploma."""
    said = {_ABBREVIATED.get(w, w) for w in re.findall(r"[a-z]+", text.lower())}
    pool = hinted or list(kb.qualifications)
    if len(hinted) == 1:
        return hinted
    scores = {q: len(said & (set(re.findall(r"[a-z]+", kb.qualifications[q].title.lower())) - _TITLE_NOISE))
              for q in pool}
    top = max(scores.values(), default=0)
    best = [q for q in pool if scores[q] == top]
    if top and len(best) == 1 and (hinted or top >= 3):
        return best
    if top and hinted and len(best) < len(hinted):
        return best
    return hinted


_TITLED = re.compile(r"\b((?:level\s*\d+|l\d)\s+(?:diploma|certificate|award)\s+(?:in|for|of)\s+([a-z&' ]+?))"
                     r"(?=\s*[?.,;:!)]|\s+(?:is|are|was|were|be|the|this|that|these|or|if|when|as|at|on|from|with|"
                     r"have|has|do|does|can|could|would|will|should|course|qualification|programme)\b|\s*$)",
                     re.IGNORECASE)


_IN_TITLES = frozenset({"and", "&", "of", "in", "for"})


_KIND = re.compile(r"\b(diploma|certificate|award)\b", re.IGNORECASE)


@functools.cache
def _title_subjects(kb: KnowledgeBase) -> tuple[tuple[int, str, frozenset[str]], ...]:
    """Each qualification's level, kind (diploma, certificate, award) and subject (its title after "in"/"for",
    as word families)."""
    out = []
    for q in kb.qualifications.values():
        kind = _KIND.search(q.title)
        subject = re.split(r"\b(?:in|for)\b", q.title.lower(), maxsplit=1)[-1]
        out.append((q.level, kind.group(1).lower() if kind else "",
                    frozenset(w[:5] for w in re.findall(r"[a-z]+", subject) if w not in STOP_WORDS)))
    return tuple(out)


def _other_qualification(text: str, kb: KnowledgeBase) -> str | None:
    """A "level <n> diploma|certificate|award in|for <subject>" that no qualification here is: none has that
    subject (the words' families compared, so "leadership" is the family of "leaders" in a title here) at that
    level as that kind (a Certificate at a level where only an Award and a Diploma have that subject), as typed. The
    level makes it a qualification's title: a certificate per unit is a document, not a qualification."""
    known = _title_subjects(kb)
    for m in _TITLED.finditer(text):
        level = int(re.search(r"\d+", m.group(1)).group())  # type: ignore[union-attr]
        kind = _KIND.search(m.group(1)).group(1).lower()  # type: ignore[union-attr]
        # The subject runs to the first word that is no part of a title ("team leading any good?").
        words = m.group(2).split()
        end = next((i for i, w in enumerate(words) if w.lower() in STOP_WORDS and w.lower() not in _IN_TITLES),
                   len(words))
        subject = {w[:5] for w in (x.lower() for x in words[:end]) if len(w) > 2 and w not in STOP_WORDS}
        if subject and not any(subject <= k and level == lv and kind == kd for lv, kd, k in known):
            return text[m.start(1):m.start(2)] + " ".join(words[:end])
    return None


def _named(text: str, hints: list[tuple[int, int, tuple[str, ...]]]) -> list[str]:
    """The qualifications named by something other than a bare level."""
    ids: list[str] = []
    for start, end, named in hints:
        if not _LEVEL.fullmatch(text[start:end].strip()):
            ids += [q for q in named if q not in ids]
    return ids


def _hint_matches(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Every qualification hint in ``text``: (start, end, the qualifications it names)."""
    return [(m.start(), m.end(), named) for pattern, named in QUALIFICATION_HINTS for m in pattern.finditer(text)]


def _qualification_hints(found: list[tuple[int, int, tuple[str, ...]]]) -> tuple[list[str], list[tuple[int, int]]]:
    """The qualifications the hints name, and the spans of every hint.

    Hints that overlap or repeat narrow each other ("level 6 management diploma": the 8316 pair ∩ the
    Diploma); when two hints disagree, the longer one wins (the SBM diploma's subject words with "diploma" name
    the SBM diploma, not the Diploma in Management)."""
    if not found:
        return [], []
    ids: set[str] | None = None
    for _, _, named in sorted(found, key=lambda f: f[0] - f[1]):      # longest first
        if ids is None:
            ids = set(named)
        elif ids & set(named):
            ids &= set(named)
    order = [q for _, _, named in found for q in named]
    spans: list[tuple[int, int]] = []
    for s, e in sorted((s, e) for s, e, _ in found):       # overlapping hints become one span
        if spans and s <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(e, spans[-1][1]))
        else:
            spans.append((s, e))
    return sorted(ids or (), key=order.index), spans


def _each_qualification(text: str, hints: list[tuple[int, int, tuple[str, ...]]]) -> list[str]:
    """The qualifications named apart: each run of overlapping or adjoining hints, not a level alone, that
    settles on one qualification, when two or more runs settle on different ones."""
    found = sorted((start, end, set(named)) for start, end, named in hints)
    runs: list[tuple[int, set[str], bool]] = []    # (end, qualifications its hints agree on, named by name)
    for start, end, named in found:
        by_name = not _LEVEL.fullmatch(text[start:end].strip())
        if runs and start <= runs[-1][0] + 1:
            agreed = runs[-1][1] & named or runs[-1][1]
            runs[-1] = (max(end, runs[-1][0]), agreed, runs[-1][2] or by_name)
        else:
            runs.append((end, set(named), by_name))
    # A bare level ("my CMI level 5") names no qualification apart.
    settled = [next(iter(q)) for _, q, by_name in runs if len(q) == 1 and by_name]
    distinct = list(dict.fromkeys(settled))
    return distinct if len(distinct) >= 2 else []


def _read_acs(rest: str, refs: References) -> str:
    """Every criterion id in ``rest`` (ranges expanded within their learning outcome)."""
    found: list[tuple[int, list[str], int]] = []
    for pattern in (_LO_AC, _AC_RANGE, _AC_CUED, _AC_BARE):
        for m in pattern.finditer(rest):
            if any(s <= m.start() < e for s, _, e in found):
                continue
            if pattern is _AC_RANGE:
                lo_a, first = int(m.group(1)), int(m.group(2))
                lo_b, last = int(m.group(3) or lo_a), int(m.group(4))
                if lo_b != lo_a or not first < last <= first + 12:
                    continue
                ids = [f"{lo_a}.{n}" for n in range(first, last + 1)]
            else:
                ids = [f"{int(m.group(1))}.{int(m.group(2))}"]
            found.append((m.start(), ids, m.end()))
    for start, ids, end in sorted(found):
        refs.acs += [i for i in ids if i not in refs.acs]
        refs.spans.append(Span(start, end, "ac"))
        rest = _blank(rest, start, end)
    return rest


def _read_codes(rest: str, kb: KnowledgeBase, refs: References) -> str:
    """Full unit codes ("8391-501") and ILM unit numbers ("M6.03")."""
    for m in _FULL_CODE.finditer(rest):
        code = f"{m.group(1)}-{m.group(2)}"
        (refs.units if kb.unit(code) else refs.unknown_units).append(code)
        refs.spans.append(Span(m.start(), m.end(), "unit"))
        rest = _blank(rest, m.start(), m.end())
    for m in _ILM_CODE.finditer(rest):
        unit = kb.unit_by_reference(f"{m.group(1).upper()}{m.group(2)}.{m.group(3)}")
        if unit is not None:
            refs.units.append(unit.code)
            refs.spans.append(Span(m.start(), m.end(), "unit"))
            rest = _blank(rest, m.start(), m.end())
    return rest


def _read_units(rest: str, kb: KnowledgeBase, refs: References) -> str:
    """Units named by short code ("501", "unit 501") or place ("unit 3"), when no code named one."""
    if refs.units or refs.unknown_units:
        return rest
    for m in _CUED_WORD.finditer(rest):
        refs.position = _POSITION_WORDS[m.group(1).lower()]
        refs.spans.append(Span(m.start(), m.end(), "unit"))
        rest = _blank(rest, m.start(), m.end())
    for m in _CUED_NUMBER.finditer(rest):
        number = m.group(1)
        if len(number) == 3 and kb.units_by_short_code(number):
            continue                   # read below with the other short codes
        if len(number) <= 2 and 1 <= int(number) <= 12:
            refs.position = int(number)       # "unit 3": its place in the qualification
        else:
            refs.unknown_units.append(number)
        refs.spans.append(Span(m.start(), m.end(), "unit"))
        rest = _blank(rest, m.start(), m.end())
    for m in _SHORT.finditer(rest):
        matches = kb.units_by_short_code(m.group(1))
        if not matches:
            continue
        refs.units.extend(u.code for u in matches if u.code not in refs.units)
        # "unit 501": the cue word belongs to the reference too.
        cue = re.search(r"\b" + _UNIT_CUE + r"\s*(?:no\.?|number)?\s*$", rest[:m.start()], re.IGNORECASE)
        start = cue.start() if cue else m.start()
        refs.spans.append(Span(start, m.end(), "unit"))
        rest = _blank(rest, start, m.end())
    return rest


def _read_relative(rest: str, refs: References) -> None:
    if _LAST_IN.search(rest):
        refs.relative = "last"
    elif _FIRST_IN.search(rest):
        refs.relative = "first"
    elif _NEXT.search(rest):
        refs.relative = "next"
    elif _PREVIOUS.search(rest):
        refs.relative = "previous"


def fits_hints(kb: KnowledgeBase, code: str, refs: References) -> bool:
    """Whether unit ``code`` fits the qualification names and levels the message mentions."""
    unit = kb.units[code]
    if refs.named_qualifications and not set(unit.qualifications) & set(refs.named_qualifications):
        return False
    if refs.levels:
        levels = {unit.level} | {kb.qualifications[q].level for q in unit.qualifications if q in kb.qualifications}
        return bool(levels & set(refs.levels))
    return True


def extract(text: str, kb: KnowledgeBase, question_words: frozenset[str] = frozenset()) -> References:
    """The references in ``text``.

    ``question_words`` are words that belong to questions rather than to unit titles
    ("evidence", "enough", "credits"); they are removed before titles are matched, so that
    "what evidence does the finance unit need" matches on "finance" alone.
    """
    refs = References()
    m = _CHOICE_NUMBER.match(text)
    if m:
        refs.choice_number = int(m.group(1))

    rest = _read_codes(text, kb, refs)
    # Hints are read after full codes, so the scheme number of "8391-501" is not read as a hint too.
    # Read as spelt right ("diploma in managment"); the hints' spans are mapped back to the typed text.
    spelt, where = corrected(rest, kb)
    hints = _hint_matches(spelt)
    refs.qualifications, hint_spans = _qualification_hints(hints)
    refs.each_qualification = _each_qualification(spelt, hints)
    hint_spans = [(where[s], where[e - 1] + 1) for s, e in hint_spans]
    refs.qualifications = _by_title_words(kb, spelt, refs.qualifications)
    refs.levels = sorted({int(m.group(1)) for m in _LEVEL.finditer(rest)})
    named = _named(spelt, hints)
    refs.named_qualifications = [q for q in refs.qualifications if q in named] or named
    if not refs.named_qualifications:
        refs.other_qualification = _other_qualification(spelt, kb)
    refs.without_hints = text
    for start, end in sorted(hint_spans, reverse=True):
        refs.without_hints = refs.without_hints[:start] + " " + refs.without_hints[end:]
        refs.spans.append(Span(start, end, "qualification"))
        rest = _blank(rest, start, end)

    rest = _read_units(rest, kb, refs)
    rest = _read_acs(rest, refs)
    for m in _LO.finditer(rest):
        refs.lo = refs.lo or int(m.group(1))
        refs.spans.append(Span(m.start(), m.end(), "lo"))
        rest = _blank(rest, m.start(), m.end())
    if refs.lo is None and refs.acs and _LO_AC.search(text):
        refs.lo = int(refs.acs[0].split(".")[0])

    ordinal = _ORDINAL.search(text)
    if ordinal and refs.choice_number is None and not refs.acs and refs.position is None:
        refs.choice_number = _ORDINALS[ordinal.group(1).lower()]
    _read_relative(rest, refs)

    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'\-]*", _QUESTION_PHRASES.sub(" ", rest))
             if w.lower().strip("'") not in question_words]
    refs.remainder = " ".join(words)
    if refs.remainder and len(refs.units) != 1:
        found = [(u.code, score) for u, score in kb.find_units(refs.remainder)]
        if refs.units:
            # A short code two units share ("604"): title words in the message ("critical thinking") are
            # evidence for which, and for no other unit.
            found = [(c, s) for c, s in found if c in refs.units]
        if refs.named_qualifications or refs.levels:
            # Title words that name a unit of another qualification than the one named are chance
            # ("RPL on the level 7? I did an MBA module on strategy"); a level names units at that level
            # as well as qualifications ("the level 7 change unit" may be a Level 7 unit of the 8316 diploma).
            found = [(c, s) for c, s in found if fits_hints(kb, c, refs)]
        refs.title_units = found
    refs.spans.sort(key=lambda s: s.start)
    return refs
