"""Match the way people name a unit ("the finance unit", "procurment", "high performing team")
to unit titles.

Whole-string fuzzy scorers mislead here (LIBRARIES.md §6.2: token_set/partial score 100 on any
subset), so matching is word by word: each content word of the query is matched to its closest
title word (forgiving misspellings and word endings), and words are weighted by how rare they are
across titles, so "finances" decides more than "managing" or "school".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from rapidfuzz import fuzz

# Words that say nothing about which unit is meant.
QUERY_NOISE = frozenset(
    "a an and the of in on for to with my our this that one unit units module course about "
    "what which is it do does me i we you please tell re & how many much why when where who can could "
    "should would will need needs get got have has am are was be there any some all just only really "
    "actually as at by from into its own than then so if or but not no yes up out off over".split()
)
# Abbreviations people use for words that titles spell out.
ABBREVIATIONS = {"hr": "human resource", "hrm": "human resource management", "ict": "information technology"}
_WORD = re.compile(r"[a-z]+")      # numbers are codes and criterion ids, handled elsewhere
# A slip of the keys in a long word ("procurment", "stratgic") scores 90 and more; one letter in six swapped is
# as often another word ("chance" is not "change": 83).
MIN_WORD_SIMILARITY = 85.0
# A word no title has still counts against a match, but only partly: in "managing school finances
# ac 3.3, what do i actually have to produce" the stray words should not hide the title.
UNKNOWN_WORD_WEIGHT = 0.2
# A match needs words with this much weight (summed idf): "school" alone is in too many titles to
# name a unit; "finance", "team" or "managing school" are enough.
MIN_EVIDENCE = 1.5
# Title words that are everyday verbs: rare among titles, common in questions ("thinking of taking it",
# "leading the team"), so they never name a unit on their own.
EVERYDAY_VERBS = frozenset(
    "thinking leading building becoming developing understanding reviewing optimising enabling measuring "
    "transforming working managing".split())
# The weight of a word found in at most two of the 31 titles (smoothed idf of df=2).
RARE_IDF = math.log(32 / 2.5) - 0.01


# What may follow a shared stem in two forms of one word ("perform-ing", "perform-ance"; "strateg-ic",
# "strateg-y"); "suppo-sed" and "suppo-rt" are two words.
ENDINGS = frozenset("e s es ed d ing ings ion ions ation ations ance ances ence ences ment ments al ial ally "
                    "ic ical ics y ies ive ively er ers or ors ly ity ities ise ised ises ising ize ized ement ements "
                    "ative ant ants ent ents ency ancy ness".split()) | {""}


def words(text: str) -> list[str]:
    out: list[str] = []
    for w in _WORD.findall(text.lower()):
        out.extend(ABBREVIATIONS.get(w, w).split())
    return [w for w in out if w not in QUERY_NOISE]


def misspelt(query: str, word: str) -> bool:
    """Whether ``query`` is ``word`` or ``word`` mistyped: the same first letter and a rapidfuzz ratio of 85
    or more; numbers and words under four letters must be exact ("Level 6" is never "Level 5")."""
    if query == word:
        return True
    if query.isdigit() or word.isdigit() or min(len(query), len(word)) < 4:
        return False
    return query[0] == word[0] and fuzz.ratio(query, word) >= 85


def word_similarity(a: str, b: str) -> float:
    """0–100: spelling similarity, counting a shared stem ("performing"/"performance") as close.

    A different first letter rules out a near miss ("reading" is not "leading"): typing slips
    rarely hit the first letter, while different words often differ only there.
    """
    if a == b:
        return 100.0
    if a[0] != b[0]:
        return 0.0
    score = fuzz.ratio(a, b)
    if inflected(a, b):
        score = max(score, 90.0)
    return score


def inflected(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are two forms of one word: a shared stem of five letters or more, most of
    each, followed by endings."""
    prefix = len(_common_prefix(a, b))
    return prefix >= 5 and prefix >= 0.7 * min(len(a), len(b)) and a[prefix:] in ENDINGS and b[prefix:] in ENDINGS


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


class TitleMatcher:
    """Scores free text against unit titles (0–100)."""

    def __init__(self, titles: Mapping[str, str], min_evidence: float = MIN_EVIDENCE,
                 known: frozenset[str] = frozenset()):
        self._min_evidence = min_evidence
        # Words people use as themselves (the specifications' own, learners' questions): "charge" is not
        # "change" mistyped, nor "reading" "leading"; they still match another form of a title word.
        self._known = known
        self._title_words = {code: set(words(title)) for code, title in titles.items()}
        count = len(self._title_words)
        frequency: dict[str, int] = {}
        for ws in self._title_words.values():
            for w in ws:
                frequency[w] = frequency.get(w, 0) + 1
        # Smoothed inverse document frequency: a word in every title still weighs a little.
        self._idf = {w: math.log((count + 1) / (f + 0.5)) for w, f in frequency.items()}
        self._max_idf = max(self._idf.values(), default=1.0)

    def _similarity(self, query: str, word: str) -> float:
        if query in self._known and query not in self._idf and query != word and not inflected(query, word):
            return 0.0
        return word_similarity(query, word)

    @staticmethod
    def _closest(similar: dict[str, float], candidates: set[str] | dict[str, float]) -> tuple[str | None, float]:
        """The candidate most like the query word (``similar``: its similarity to every title word)."""
        best, best_score = None, 0.0
        for w in candidates:
            score = similar[w]
            if score > best_score:
                best, best_score = w, score
        return (best, best_score) if best_score >= MIN_WORD_SIMILARITY else (None, 0.0)

    def score(self, text: str, cutoff: float = 0.0) -> dict[str, float]:
        """Titles that ``text`` names, each scored 0–100 relative to the best (100).

        A title counts as named when its matched words weigh at least ``min_evidence`` and either
        they make up ``cutoff`` per cent of the query's weight, or one of them is rare (in at most
        two titles: "procurement", "team", "finance") — so a long message that mentions
        "procurement" once still names the procurement unit, while stray common words do not.
        """
        query = words(text)
        if not query:
            return {}
        # A query word's weight is that of the vocabulary word it stands for; an unknown word
        # weighs a little, so "astrophysics" or "canteen" pull the share down.
        # Each query word against each title word once (a title word is in several titles).
        similar = {q: {w: self._similarity(q, w) for w in self._idf} for q in set(query)}
        weights = []
        for q in query:
            vocab_word, _ = self._closest(similar[q], self._idf)
            weights.append(self._idf[vocab_word] if vocab_word else UNKNOWN_WORD_WEIGHT * self._max_idf)
        total = sum(weights)
        gains: dict[str, float] = {}
        for code, title_words in self._title_words.items():
            gained = evidence = rarest = 0.0
            for q, weight in zip(query, weights, strict=True):
                match, similarity = self._closest(similar[q], title_words)
                if match:
                    gained += weight * similarity / 100
                    evidence += weight
                    if match not in EVERYDAY_VERBS:
                        rarest = max(rarest, self._idf[match])
            share = 100 * gained / total
            if evidence >= self._min_evidence and (share >= cutoff or rarest >= RARE_IDF):
                gains[code] = gained
        best = max(gains.values(), default=0.0)
        return {code: 100 * gained / best for code, gained in gains.items()} if best else {}

    def weak(self, text: str, code: str) -> bool:
        """True when the title words ``text`` mentions are all everyday verbs or words of many titles: they
        may not be naming this unit at all ("the reflective review" is not "Reviewing corporate policy")."""
        title_words = self._title_words.get(code, set())
        query = words(text)
        mentioned = {w for w in title_words if any(self._similarity(q, w) >= MIN_WORD_SIMILARITY for q in query)}
        return all(w in EVERYDAY_VERBS or self._idf[w] < RARE_IDF for w in mentioned)

    def coverage(self, text: str, code: str) -> float:
        """How much of a title ``text`` mentions (0–1, by word weight): "critical thinking and research
        skills" covers most of its title, "policy" a quarter of "Reviewing corporate policy and strategy"."""
        title_words = self._title_words.get(code, set())
        total = sum(self._idf[w] for w in title_words)
        if not total:
            return 0.0
        query = words(text)
        mentioned = {w for w in title_words if any(self._similarity(q, w) >= MIN_WORD_SIMILARITY for q in query)}
        return sum(self._idf[w] for w in mentioned) / total
