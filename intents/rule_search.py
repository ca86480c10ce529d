"""Statement retrieval for qualification rules: the statements that answer a question, ranked with
BM25 (SQLite FTS5) within the named qualification, each list kept whole, and a check that the question's
subject is one the statements speak to at all (a word shared with the documents is not enough).
"""

from __future__ import annotations

import functools
import math
import re

from bot.intent import Turn
from knowledge.asked import document_number
from knowledge.model import Qualification, Rule
from knowledge.search import stem
from knowledge.stopwords import STOP_WORDS

MAX_RULES = 6            # statements chosen for an answer; a list they belong to comes whole …
MAX_SHOWN = 12           # … up to this many lines
# Words that name a qualification rather than ask about it (with the qualification's own title words);
# "level 6" and the like are already out (``References.without_hints``).
_NAMING_WORDS = frozenset({"level", "lvl", "diploma", "award", "certificate", "qualification", "ilm", "course",
                           "programme", "unit", "units"})
_WORD = re.compile(r"[\w']+")
_LIST_ITEM_CHARS = 60
# Words every rules question uses: they say nothing about its subject.
_ASKING = frozenset("can use used using allowed accept accepted acceptable ok okay rules rule say says said "
                    "specification spec happens happen there any get need needed required require does do "
                    "doing done count counts much many long take takes possible able allow allows".split())


COVERAGE = 0.4       # share of a question's subject (by rarity) the statements must contain
TOPIC_BOOST = 0.25    # a statement filed under the question's topic gains this share of the best word score
# A statement whose asked questions (``knowledge.asked``) come nearest the question gains up to this share of
# the best word score: learners' own phrasings of it, one by one, beside all its words pooled (CV: 0.15–0.35
# alike, +15 of 2,596; 0.5 and more worse).
KNN = 0.25
KEEP = 0.6           # statements scoring at least this share of the best are quoted


def relevant_rules(turn: Turn, q: Qualification, topic: str | None, text: str,
                   other_topics: bool = True) -> list[Rule]:
    """The qualification's statements that best answer ``text``, best first, each with its whole list.

    One ranking for all of them: BM25 over the question's words (SQLite FTS5, scoped to the
    qualification), plus a boost for statements whose asked questions come nearest it (``KNN``) and for
    statements filed under the question's topic — the asked questions and the topic help,
    the words decide ("can I resubmit if a unit gets referred?" is answered by the statement about
    resubmitting, not by the grade descriptors that mention "referral")."""
    hits = turn.search.search(text, limit=40, kind="rule", qualification=q.id)
    words = {h.text: h.score for h in hits}
    best = max(words.values(), default=0.0)
    near = turn.search.statements_asked(text, q.id)
    nearest = max(near.values(), default=0.0)
    ranked: dict[int, float] = {}
    statements = turn.kb.rules_for(q.id)
    for n, r in enumerate(statements):
        score = words.get(r.text, 0.0)
        if near and r.source:
            score += KNN * best * near.get((document_number(r.source.document), r.source.line), 0.0) / nearest
        if topic and r.topic == topic:
            score += TOPIC_BOOST * best if best else 1.0
        elif not other_topics:
            continue
        if score > 0:
            ranked[n] = score
    if not ranked:
        return []
    top = max(ranked.values())
    chosen = sorted((n for n, s in ranked.items() if s >= KEEP * top), key=lambda n: -ranked[n])[:MAX_RULES]
    unique: list[Rule] = []
    for n in chosen:
        for item in _list_around(statements, statements[n]):
            if item.text not in {u.text for u in unique} and len(unique) < MAX_SHOWN:
                unique.append(item)
    return unique


def _list_key(r: Rule) -> str | None:
    """What a list item shares with the rest of its list: the lead-in of a flattened bullet ("Types of
    evidence could be: Work products, such as: ·"), or nothing for a short line ("Pass 50 – 59%"); None
    for an ordinary statement."""
    if "·" in r.text:
        return r.text[:r.text.rindex("·")]
    return "" if len(r.text) <= _LIST_ITEM_CHARS and not r.text.rstrip().endswith(".") else None


def _list_around(rules: list[Rule], rule: Rule) -> list[Rule]:
    """``rule`` with the rest of its list when it is one item of a list printed line by line in the
    specification: one item alone misleads ("Referral 0 – 49%" without the other grade bands). A list is
    a run of items of one topic, with one lead-in, on consecutive source lines."""
    if rule.source is not None and rule.text.rstrip().endswith(":"):
        # A lead-in ("… will be comprised of individuals who have:") brings the lines that follow it.
        follows = {r.source.line: r for r in rules if r.source and r.source.document == rule.source.document
                   and r.topic == rule.topic}
        run, line = [rule], rule.source.line + 1
        while line in follows and len(run) < MAX_SHOWN:
            run.append(follows[line])
            line += 1
        return run
    key = _list_key(rule)
    if rule.source is None or key is None:
        return [rule]
    by_line = {r.source.line: r for r in rules if r.source and r.source.document == rule.source.document
               and r.topic == rule.topic and _list_key(r) == key}
    first = last = rule.source.line
    while first - 1 in by_line:
        first -= 1
    while last + 1 in by_line:
        last += 1
    return [by_line[line] for line in range(first, last + 1)] if last > first else [rule]


def search_words(text: str, q: Qualification) -> str:
    """The question without the words that only name the qualification ("level 6", "diploma", its title):
    every statement of the qualification shares them, so they rank nothing and drag in its name."""
    naming = _NAMING_WORDS | {w.lower() for w in _WORD.findall(q.title)}
    kept = [w for w in _WORD.findall(text) if w.lower() not in naming]
    return " ".join(kept) if kept else text




def subject_words(text: str, q: Qualification) -> list[str]:
    """The words that carry a rules question's subject: not stop words, naming words or asking words."""
    naming = _NAMING_WORDS | {w.lower() for w in _WORD.findall(q.title)}
    return [w for w in (t.lower().strip("'") for t in _WORD.findall(text))
            if len(w) > 2 and not w.isdigit() and w not in STOP_WORDS and w not in naming and w not in _ASKING]


@functools.cache
def rule_idf(kb_rules: tuple[str, ...]) -> dict[str, float]:
    df: dict[str, int] = {}
    for text in kb_rules:
        for family in {stem(w) for w in re.findall(r"[a-z]+", text.lower())}:
            df[family] = df.get(family, 0) + 1
    return {w: math.log((len(kb_rules) + 1) / (n + 0.5)) for w, n in df.items()}


def asked_text(turn: Turn, rule: Rule) -> str:
    """The statement with the questions asked of it (``knowledge.asked``), as one text to look words up in."""
    if rule.source is None:
        return rule.text
    asked = turn.search.questions.get((document_number(rule.source.document), rule.source.line), ())
    return " ".join([rule.text, *asked])


def speaks_to(texts: list[str], words: list[str], every_rule: tuple[str, ...] = (),
              spelt: dict[str, list[str]] | None = None) -> bool:
    """Whether the statements (``texts``: each with the questions asked of it, ``asked_text``) speak to the
    question's subject: the subject words they contain carry at
    least ``COVERAGE`` of the question's weight, rare words weighing more (a word no statement uses
    weighs most), or the best statement shares two of them. A fee asked of a qualification shares its
    level with every statement and nothing of "cost". A short form ("EPA") is found as itself or
    spelt out."""
    if not words:
        return bool(texts)
    idf = rule_idf(every_rule) if every_rule else {}
    top = max(idf.values(), default=1.0)
    stems = [stem(w) for w in words]
    lines = [t.lower() for t in texts]
    text = " ".join(lines)
    def has(family: str, line: str) -> bool:
        return says(line, family, spelt or {})
    found = [w for w in stems if has(w, text)]
    weight = sum(idf.get(w, top) for w in found) / sum(idf.get(w, top) for w in stems)
    best = max((sum(1 for w in set(stems) if has(w, line)) for line in lines), default=0)
    return weight >= COVERAGE or best >= 2


def says(text: str, family: str, spelt: dict[str, list[str]]) -> bool:
    """Whether the (lower-case) text has a word of the family, or the words a short form stands for."""
    return bool(re.search(rf"\b{re.escape(family)}", text)) or (
        family in spelt and all(re.search(rf"\b{re.escape(x)}", text) for x in spelt[family]))
