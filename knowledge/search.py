"""Full-text search over rules, criteria and units, for questions where words carry the meaning.

An in-memory SQLite FTS5 table indexes every rule, criterion and unit. User text is never passed to
MATCH as is: it raises on "AC 2.2" or an apostrophe, and a plain word list ANDs every word (LIBRARIES.md
addenda), so the expression is built here from quoted, stop-word-free tokens joined with OR and ranked by
``bm25``.

The tables are made with the standard library's ``sqlite3``, not sqlite-utils: a few statements of SQL,
and importing sqlite-utils (with its plugin and command-line machinery) added 45–75 ms to every process's
start-up (``make bench``).
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from knowledge.abbreviations import expand, find_abbreviations
from knowledge.asked import Asked, document_number, read_asked
from knowledge.kb import KnowledgeBase
from knowledge.stopwords import STOP_WORDS

# What kind of answer a question wants, beyond yes or no.
_ASKS_FOR = {
    "number": re.compile(r"\bhow (?:many|much)\b|\bnumber of\b|\bwhat (?:percentage|%)|\bcost|\bfees?\b|\bprice",
                         re.IGNORECASE),
    "time": re.compile(r"\bhow (?:long|soon|quickly|often)\b|\bwhen\b|\bdeadline|\bwhat date\b", re.IGNORECASE),
    "person": re.compile(r"\bwho\b", re.IGNORECASE)}


def asks_for(text: str) -> str:
    """The kinds of answer ``text`` asks for besides yes or no ("number,time"), "" for none."""
    return ",".join(k for k, p in _ASKS_FOR.items() if p.search(text))
ASKED_COLUMN = 0.5      # bm25 weight of the questions asked of a statement, beside its own words (1.0)


def _questions_by_statement(asked: Sequence[Asked]) -> dict[tuple[str, int], list[str]]:
    """The questions asked of each statement, by (document number, line): searched with the statement, so a
    question in learners' words finds it through words learners used of it before."""
    out: dict[tuple[str, int], list[str]] = {}
    for a in asked:
        for line in a.lines:
            out.setdefault((a.document, line), []).append(a.question)
    return out


def _silent_odds(asked: Sequence[Asked], smoothing: float = 1.0) -> dict[str, float]:
    """For each word family (``stem``) of the asked questions, how much likelier it is in a question the
    specifications are silent on than in one they answer (log odds; "refund", "online", "extension" high):
    what learners ask that specifications never cover has words of its own."""
    silent: dict[str, int] = {}
    answered: dict[str, int] = {}
    for a in asked:
        counts = answered if a.lines else silent
        for family in {stem(t.lower()) for t in _TOKEN.findall(a.question)}:
            counts[family] = counts.get(family, 0) + 1
    n_silent = sum(1 for a in asked if not a.lines) or 1
    n_answered = len(asked) - n_silent or 1
    return {w: math.log((silent.get(w, 0) + smoothing) / (n_silent + 2 * smoothing))
            - math.log((answered.get(w, 0) + smoothing) / (n_answered + 2 * smoothing))
            for w in set(silent) | set(answered)}


_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]+|\d+(?:\.\d+)?")


def _distinct_words(questions: list[str]) -> str:
    """Each word of the questions once: that learners asked of a statement in a word is the evidence; how
    many of them did is mostly how many questions were written (and would let a much-asked statement
    outrank the one a question is about)."""
    return " ".join(dict.fromkeys(t.lower() for q in questions for t in _TOKEN.findall(q)))


def _qualification_word(qualification: str) -> str:
    """A qualification's id as one word of the index ("l5-sbl-diploma" → "l5xsblxdiploma")."""
    return re.sub(r"[^a-z0-9]", "x", qualification.lower())


def stem(word: str) -> str:
    """A word's first five letters: they stand for its family here ("resubmit", "resubmission"; "assessor",
    "assessment"), in the asked-question checks and in ``intents.rule_search``."""
    return word[:5]


def _initial_words(short: str, long: str) -> list[str]:
    """The words of ``long`` whose initials spell ``short``, in order ("rpl" of "recognition of prior learning
    policy": the policy is where it was defined, not what it stands for); else all but stop words."""
    words = [x for x in re.findall(r"[a-z]+", long) if x not in STOP_WORDS]
    picked, letters = [], list(short.lower())
    for word in words:
        if letters and word[0] == letters[0]:
            picked.append(word)
            letters.pop(0)
    return picked if not letters else words


_UNSAID = frozenset(stem(w) for w in STOP_WORDS)


@dataclass(frozen=True)
class Hit:
    """One search result: what it is (``rule``/``criterion``/``unit``), where, and its text."""

    kind: str
    qualification: str | None
    unit: str | None
    ac: str | None
    topic: str | None
    text: str
    score: float


def match_expression(text: str) -> str | None:
    """An FTS5 MATCH expression for free text: quoted tokens joined with OR (None if empty)."""
    tokens = []
    for raw in _TOKEN.findall(text.lower()):
        token = raw.strip("'-")
        if token.endswith("'s"):
            token = token[:-2]
        if len(token) < 2 or token in STOP_WORDS or token in tokens:
            continue
        tokens.append(token)
    if not tokens:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens)


class SearchIndex:
    """Ranked word search over the KB (built once, in memory)."""

    def __init__(self, kb: KnowledgeBase, asked: Sequence[Asked] | None = None):
        # Read-only once built, so one connection may serve every thread of the server.
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        asked = read_asked() if asked is None else asked
        self.questions = _questions_by_statement(asked)
        self.silent_odds = _silent_odds(asked)
        rows = []
        for r in kb.rules:
            key = (document_number(r.source.document), r.source.line) if r.source else None
            rows.append({"kind": "rule", "qualification": r.qualification, "unit": None, "ac": None,
                         "quals": _qualification_word(r.qualification),
                         "topic": r.topic, "title": r.topic.replace("_", " "), "body": r.text,
                         "asked": _distinct_words(self.questions.get(key, ())) if key else ""})
        for u in kb.units.values():
            quals = ",".join(u.qualifications)
            rows.append({"kind": "unit", "qualification": quals, "unit": u.code, "ac": None, "topic": None, "asked": "",
                         "quals": " ".join(_qualification_word(q) for q in u.qualifications),
                         "title": u.title, "body": " ".join(filter(None, [u.aim, *u.evidence]))})
            for c in u.criteria:
                rows.append({"kind": "criterion", "qualification": quals, "unit": u.code, "ac": c.id,
                             "quals": " ".join(_qualification_word(q) for q in u.qualifications),
                             "topic": None, "title": c.text, "asked": "",
                             "body": " ".join([*c.requirements, *c.depth, *c.evidence])})
        columns = list(rows[0])
        self.db.execute(f"CREATE TABLE docs ({', '.join(columns)})")
        self.db.executemany(f"INSERT INTO docs VALUES ({', '.join(':' + c for c in columns)})", rows)
        self.abbreviations = find_abbreviations(r["title"] + " " + r["body"] for r in rows)
        self.spelt = {stem(short): [stem(w) for w in _initial_words(short, long)]
                      for short, long in self.abbreviations.items()}
        # Searched spelt out only where the statements mostly spell it out ("assessment criteria" 39
        # times, "AC" 6): adding "national college of teaching and leadership" to a question saying
        # "NCTL", which the statements use, only adds noise.
        bodies = [r["body"].lower() for r in rows if r["kind"] == "rule"]
        words = [set(re.findall(r"[a-z]+", b)) for b in bodies]      # once, not once per abbreviation
        self._spelt_out = {short: long for short, long in self.abbreviations.items()
                           if sum(long in b for b in bodies) > sum(short in w for w in words)}
        # Porter stemming lets "simulations" find "simulation" and "reflecting" find "reflective".
        # An external-content table: the words are indexed, the text stays in ``docs``.
        # ``quals``: the qualifications as words, matched rather than filtered (see ``_index_questions``).
        self.db.execute("CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, asked, quals, content=docs, "
                        "tokenize='porter')")
        self.db.execute("INSERT INTO docs_fts (rowid, title, body, asked, quals) "
                        "SELECT rowid, title, body, asked, quals FROM docs")
        self._recent_results: dict[tuple, list] = {}
        self._index_questions(kb, asked)

    def _index_questions(self, kb: KnowledgeBase, asked: Sequence[Asked]) -> None:
        """Every asked question on its own (``nearest``), in a table of its own so that their words don't
        change the statements' word statistics."""
        by_document: dict[str, set[str]] = {}
        for r in kb.rules:
            if r.source:
                by_document.setdefault(document_number(r.source.document), set()).add(r.qualification)
        # The qualifications are words of their own column, matched with the question's words, so that only
        # the qualification's questions are scored (a filter on a plain column scored them all first); its
        # weight in bm25 is 0, so the scores are the words' alone.
        self.db.execute("CREATE VIRTUAL TABLE questions USING fts5(answered UNINDEXED, kinds UNINDEXED, "
                        "statements UNINDEXED, qualifications, words, tokenize='porter')")
        self.db.executemany("INSERT INTO questions VALUES (?, ?, ?, ?, ?)", [
            (int(bool(a.lines)), asks_for(a.question), " ".join(f"{a.document}:{line}" for line in a.lines),
             " ".join(_qualification_word(q) for q in sorted(by_document.get(a.document, ()))),
             _distinct_words([a.question])) for a in asked])

    def _recent(self, key: tuple, compute: Callable[[], list]) -> list:
        """``compute()``, or what it gave for ``key`` among the last few searches: a message asks the same words
        several times (ranking, the near-miss check, "not covered"), the next message rarely."""
        found = self._recent_results.get(key)
        if found is None:
            found = compute()
            while len(self._recent_results) >= 16:
                self._recent_results.pop(next(iter(self._recent_results), key), None)
            self._recent_results[key] = found
        return list(found)

    def _asked(self, text: str, qualification: str) -> list[tuple[int, str, str, str, float]]:
        """The questions asked of ``qualification`` nearest ``text``, nearest first: (answered, kinds,
        statements, words, bm25): one search serves ``nearest``, ``nearest_answered`` and ``statements_asked``."""
        def compute() -> list[tuple[int, str, str, str, float]]:
            expression = match_expression(text)
            return [] if expression is None else [
                (int(answered), kinds, statements, words, -float(rank)) for answered, kinds, statements, words, rank
                in self.db.execute(
                    "SELECT answered, kinds, statements, words, bm25(questions, 0, 0, 0, 0, 1) AS score FROM "
                    "questions WHERE questions MATCH ? ORDER BY score LIMIT 30",
                    (f"qualifications:{_qualification_word(qualification)} AND words:({expression})",))]
        return self._recent(("asked", text, qualification), compute)

    def nearest(self, text: str, qualification: str, question: str = "") -> tuple[float, float]:
        """How near ``text`` comes (bm25) to the questions asked of ``qualification`` that its statements
        answer, and to those it is silent on (``knowledge.asked``'s near misses): 0 where none shares a word.
        ``text`` is the question's words to search, ``question`` the whole question (for what it asks for).
        A near miss counts only when it shares two of the words (one shared word, "number", says nothing
        about whether the same thing is asked) and asks for no kind of answer the question doesn't
        (``asks_for``: "how many times can I resubmit?" is not asked by "can I resubmit?"); the five nearest
        are looked at. Both were chosen on the asked questions' cross-validation."""
        asked = {stem(t) for t in _TOKEN.findall(text.lower())}
        wants = set(asks_for(question or text).split(","))
        rows = self._asked(text, qualification)
        answered = next((score for a, _, _, _, score in rows if a), 0.0)
        silent = next((score for _, kinds, _, words, score in [r for r in rows if not r[0]][:5]
                       if len(asked & ({stem(t) for t in words.split()} - _UNSAID)) >= 2
                       and set(kinds.split(",")) - {""} <= wants), 0.0)
        return answered, silent

    def nearest_silent(self, text: str, qualification: str) -> float:
        """How near ``text`` comes (bm25) to any near miss asked of ``qualification``, unfiltered (0 for none)."""
        return next((score for a, _, _, _, score in self._asked(text, qualification) if not a), 0.0)

    def nearest_answered(self, text: str, qualification: str) -> str:
        """The words of the answered question asked of ``qualification`` nearest ``text`` ("" for none)."""
        return next((words for a, _, _, words, _ in self._asked(text, qualification) if a), "")

    def statements_asked(self, text: str, qualification: str, limit: int = 20) -> dict[tuple[str, int], float]:
        """The statements whose asked questions come nearest ``text`` (bm25 of the nearest question of each)."""
        out: dict[tuple[str, int], float] = {}
        for _, _, statements, _, score in [r for r in self._asked(text, qualification) if r[0]][:limit]:
            for key in statements.split():
                document, line = key.split(":")
                out.setdefault((document, int(line)), score)
        return out

    def expand(self, text: str) -> str:
        """``text`` in the documents' words: the abbreviations they define spelt out ("AC" → "AC (assessment
        criteria)"), so that a question using the short form finds the statements using the long."""
        return expand(text, self._spelt_out)

    def search(self, text: str, limit: int = 5, kind: str | None = None,
               qualification: str | None = None) -> list[Hit]:
        """The best matches for ``text``, optionally only of one kind or qualification."""
        return self._recent(("docs", text, limit, kind, qualification),
                            lambda: self._search(text, limit, kind, qualification))

    def _search(self, text: str, limit: int, kind: str | None, qualification: str | None) -> list[Hit]:
        expression = match_expression(text)
        if expression is None:
            return []
        words = f"{{title body asked}}:({expression})"
        if qualification:
            words = f"quals:{_qualification_word(qualification)} AND {words}"
        where, params = ["docs_fts MATCH :q"], {"q": words, "limit": limit}
        if kind:
            where.append("docs.kind = :kind")
            params["kind"] = kind
        # bm25 weights: a word in the title (the criterion or rule heading) counts more than in the body.
        sql = f"""
            SELECT docs.kind, docs.qualification, docs.unit, docs.ac, docs.topic,
                   docs.title, docs.body, bm25(docs_fts, 2.0, 1.0, {ASKED_COLUMN}, 0.0) AS rank
            FROM docs_fts JOIN docs ON docs.rowid = docs_fts.rowid
            WHERE {' AND '.join(where)}
            ORDER BY rank LIMIT :limit
        """
        hits = []
        for row in self.db.execute(sql, params):
            text_out = row["body"] if row["kind"] == "rule" else row["title"]
            hits.append(Hit(row["kind"], row["qualification"], row["unit"], row["ac"], row["topic"],
                            text_out, -float(row["rank"])))
        return hits
