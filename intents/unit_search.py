"""A question about one unit that no single fact answers (what a part of its brief may cover, which criterion
a part of the assessment falls under): the unit's own lines — assessment briefs, notes, criteria, their
requirements and depth — ranked by the question's subject words, the rare ones weighing most."""

from __future__ import annotations

import functools
import math
import re

from bot.cite import cite_unit, unit_label
from bot.intent import Turn
from bot.types import Ref, Reply
from intents.unit_parts import list_items
from knowledge.kb import KnowledgeBase
from knowledge.model import Unit
from knowledge.stopwords import STOP_WORDS

MIN_SHARE = 0.5          # the best line must contain this share of the question's subject (by rarity)
MAX_LINES = 3
MAX_LIST = 8             # items of a printed list quoted with its lead-in
WORDING_PREFERENCE = 1.1
_ASKING = frozenset("what which where when who how can could does do did need needed have has cover covers "
                    "covered unit topic topics bit part thing things about there any mean means say says "
                    "criterion criteria allowed".split())


def _stem(word: str) -> str:
    return word[:5] if len(word) > 5 else word


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in STOP_WORDS}


@functools.cache
def _idf(kb: KnowledgeBase) -> dict[str, float]:
    df: dict[str, int] = {}
    docs = 0
    for u in kb.units.values():
        for _, line in u.own_lines():
            docs += 1
            for s in _stems(line):
                df[s] = df.get(s, 0) + 1
    return {s: math.log((docs + 1) / (n + 0.5)) for s, n in df.items()}


def _is_wording(unit: Unit, ac: str | None, line: str) -> bool:
    return ac is not None and (c := unit.criterion(ac)) is not None and c.text == line


def search_unit(turn: Turn, unit: Unit, text: str) -> Reply | None:
    """The unit's lines that speak to ``text``, or None when none does well enough to answer from."""
    title = _stems(unit.title)
    subject = {s for s in _stems(text) if s not in title and s not in {_stem(w) for w in _ASKING}}
    if not subject:
        return None
    idf = _idf(turn.kb)
    top = max(idf.values(), default=1.0)
    total = sum(idf.get(s, top) for s in subject)
    scored = []
    for ac, line in unit.own_lines():
        stems = _stems(line)
        # A clipped word no unit line uses ("lit review") stands for a longer one this line does use.
        shared = {s for s in subject if s in stems or (len(s) >= 3 and s not in idf
                                                        and any(t.startswith(s) for t in stems))}
        share = sum(idf.get(s, top) for s in shared) / total
        # A criterion's own wording outranks a guidance line that says the same thing.
        scored.append((share * (WORDING_PREFERENCE if _is_wording(unit, ac, line) else 1.0), ac, line))
    scored.sort(key=lambda x: -x[0])
    listed = _best_list(unit, subject, idf, top, total)
    if listed is not None and (not scored or listed[0] > scored[0][0]
                               or (listed[0] >= scored[0][0] and scored[0][2] == listed[1][0])):
        # A printed list speaks to it as a whole ("… cover the following questions:" and its items); a lead-in
        # that alone says all the question does ("… select one of the aspects …. These are:") comes with them.
        reply = _says(turn, unit)
        reply.add_list("", listed[1])
        return reply
    if not scored or scored[0][0] < MIN_SHARE:
        return None
    best = [(ac, line) for share, ac, line in scored[:MAX_LINES] if share >= MIN_SHARE]
    reply = _says(turn, unit)
    reply.add_list("", [f"AC{ac}: {line}" if ac else line for ac, line in best])
    reply.refs += [Ref(unit.code, ac) for ac in dict.fromkeys(ac for ac, _ in best if ac)]
    return reply


def _says(turn: Turn, unit: Unit) -> Reply:
    """The answer from the unit's own lines, before they are added."""
    return Reply("answer", "unit_overview", facet="rules", citation=cite_unit(turn.kb, unit),
                 paragraphs=[f"What {unit_label(unit)} says about that:"], refs=[Ref(unit.code)])


def _best_list(unit: Unit, subject: set[str], idf: dict[str, float], top: float, total: float
               ) -> tuple[float, list[str]] | None:
    """The printed list (a lead-in ending with ":" and the lines after it) whose words together carry the
    most of the question's subject, at least ``MIN_SHARE``, with its share; None when none does."""
    own = unit.own_lines()
    lines = [line for _, line in own]
    best: tuple[float, list[str]] | None = None
    for i, (ac, line) in enumerate(own):
        if ac is not None or not line.rstrip().endswith(":"):
            continue
        # The list ends where a criterion's own lines begin, as at another lead-in or a paragraph.
        block = [line, *list_items(lines, i, lambda k: own[k][0] is not None)[:MAX_LIST]]
        if len(block) < 2:
            continue
        stems = set().union(*(_stems(b) for b in block))
        share = sum(idf.get(s, top) for s in subject & stems) / total
        if share >= MIN_SHARE and (best is None or share > best[0]):
            best = (share, block)
    return best
