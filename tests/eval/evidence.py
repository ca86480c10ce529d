"""Scoring evidence suggestions on the held-out sets of #21 (written before the feature was tuned, by a
helper that never saw the code): ``heldout_evidence.jsonl`` (descriptions in a learner's own words) and
``heldout_docs/`` (small documents). For each: is the first suggested unit the expected one, and is an
expected criterion among the first three suggestions?

``python -m tests.eval.evidence`` (part of ``make eval``) prints the plain-BM25 baseline beside the bot's own
suggestions, and both on the development set (``dev_evidence.jsonl``) the ranking was tuned on.
``--cv`` instead cross-validates the ranking on the examples of work it learns from (``bot/suggest/data``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.records.qualification_names import resolve_qualification
from knowledge.kb import KnowledgeBase, load_kb
from knowledge.search import SearchIndex

HERE = Path(__file__).resolve().parent
# (text, qualification id, the document's file name or None) → [(unit, ac)], best first
Suggest = Callable[[str, str, str | None], list[tuple[str, str]]]


@dataclass
class EvidenceScore:
    unit_first: int = 0
    ac_in_three: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, item_id: str, got: list[tuple[str, str]], unit: str, acs: list[str]) -> None:
        self.total += 1
        first = bool(got) and got[0][0] == unit
        three = any(u == unit and a in acs for u, a in got[:3])
        self.unit_first += first
        self.ac_in_three += three
        if not (first and three):
            self.misses.append(f"{item_id}: expected {unit} {acs}, got {got[:3]}")

    def line(self, label: str) -> str:
        return (f"{label:<44} first unit right {self.unit_first}/{self.total} ({self.unit_first / self.total:.0%}), "
                f"an expected AC in the first three {self.ac_in_three}/{self.total} "
                f"({self.ac_in_three / self.total:.0%})")


Item = tuple[str, str, str, str, list[str]]        # (id, text, qualification id, expected unit, expected ACs)


def _descriptions(kb: KnowledgeBase, path: Path) -> list[Item]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["id"], row["description"], resolve_qualification(kb, row["qualification"]).id,
             row["expect"]["unit"], row["expect"]["acs"]) for row in rows]


def items(kb: KnowledgeBase) -> list[Item]:
    """Every held-out description, then every held-out document (its id is its file name)."""
    out = _descriptions(kb, HERE / "heldout_evidence.jsonl")
    docs = HERE / "heldout_docs"
    for line in (docs / "expect.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append((row["file"], (docs / row["file"]).read_text(encoding="utf-8"),
                        resolve_qualification(kb, row["qualification"]).id, row["expect"]["unit"],
                        row["expect"]["acs"]))
    return out


def plain_bm25(kb: KnowledgeBase, search: SearchIndex) -> Suggest:
    """The baseline: BM25 (SQLite FTS5) over each criterion's wording, depth and suggested evidence, within the
    learner's qualification, best first — no vocabulary bridging, no verbs."""
    def suggest(text: str, qualification: str, filename: str | None) -> list[tuple[str, str]]:
        hits = search.search(text, limit=200, kind="criterion", qualification=qualification)
        return [(h.unit or "", h.ac or "") for h in hits][:6]
    return suggest


def the_bot(kb: KnowledgeBase, search: SearchIndex) -> Suggest:
    """The bot itself, asked by a learner registered on the qualification: "what could this count for? …"
    with the description, or with the document attached (as Slack and Teams deliver it); the criteria of
    its reply, in order."""
    from datetime import UTC, datetime

    from adapters.compose import make_dialogue
    from bot.store import open_store
    from bot.types import IncomingFile, Message
    from tests.eval.heldout import _learner_on

    now = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    db = open_store(None)
    dialogue = make_dialogue(kb, db, clock=lambda: now, search=search)

    def suggest(text: str, qualification: str, filename: str | None) -> list[tuple[str, str]]:
        person = _learner_on(db, kb, kb.qualifications[qualification].title, now)
        if filename:
            data = text.encode("utf-8")
            message = Message(person, f"ev:{filename}", "what could this count for?", "console",
                              files=(IncomingFile(filename, len(data), data),))
        else:
            message = Message(person, f"ev:{hash(text)}", f"what could this count for? {text}", "console")
        replies = dialogue.handle(message)
        return [(r.unit, r.ac or "") for reply in replies for r in reply.refs if r.ac][:6]
    return suggest


def development_items(kb: KnowledgeBase) -> list[Item]:
    """The development set (``dev_evidence.jsonl``, written later by another helper): tuned on."""
    return _descriptions(kb, HERE / "dev_evidence.jsonl")


def score(kb: KnowledgeBase, suggest: Suggest, development: bool = False) -> tuple[EvidenceScore, EvidenceScore]:
    descriptions, documents = EvidenceScore(), EvidenceScore()
    for item_id, text, qualification, unit, acs in (development_items(kb) if development else items(kb)):
        target = documents if item_id.endswith((".md", ".txt", ".docx", ".pdf")) else descriptions
        is_document = item_id.endswith((".md", ".txt", ".docx", ".pdf"))
        target.add(item_id, suggest(text, qualification, item_id if is_document else None), unit, acs)
    return descriptions, documents


def cross_validated(kb: KnowledgeBase) -> tuple[EvidenceScore, EvidenceScore]:
    """The ranking on the examples of work it learns from (``bot/suggest/data``), each fifth ranked by a unit
    model and neighbours built from the other four fifths, within its qualification: with word matching only,
    and with what was learned. About a minute (it trains five models)."""
    import tempfile

    from bot.nlu.model import IntentModel
    from bot.nlu.train import export
    from bot.suggest.index import EvidenceIndex
    from bot.suggest.learned import NAME, UnitModel, features, read_examples
    from bot.suggest.neighbours import Neighbours
    from bot.suggest.rank import Weights, rank
    from bot.suggest.train import fit_units, folds, units_beside

    words_only, learned = EvidenceScore(), EvidenceScore()
    with tempfile.TemporaryDirectory() as tmp:
        for n, (kept, held) in enumerate(folds(read_examples())):
            export(*fit_units(kb, kept), f"fold {n}", Path(tmp), NAME)
            index = EvidenceIndex(kb, UnitModel(IntentModel.load(Path(tmp), NAME, features)), Neighbours(kept))
            for e in held:
                for score, weights in ((words_only, Weights(learned=0.0, neighbours=0.0)), (learned, Weights())):
                    got = [(s.unit, s.ac) for s in rank(index, e.text, units_beside(kb, e.unit), weights=weights)]
                    score.add(e.text[:40], got, e.unit, list(e.acs))
    return words_only, learned


def _unscoped(kb: KnowledgeBase, text: str) -> list[tuple[str, str]]:
    """The ranking for someone with no registration: every qualification's units."""
    from bot.suggest.index import index_for
    from bot.suggest.rank import rank

    return [(s.unit, s.ac) for s in rank(index_for(kb), text, list(kb.units))]


def main(argv: list[str]) -> int:
    kb = load_kb()
    if "--cv" in argv:
        words_only, learned = cross_validated(kb)
        print(words_only.line("examples of work, 5-fold, word matching only"))
        print(learned.line("examples of work, 5-fold, the bot's ranking"))
        return 0
    search = SearchIndex(kb)
    unscoped = EvidenceScore()
    for item_id, text, _, unit, acs in items(kb):
        unscoped.add(item_id, _unscoped(kb, text), unit, acs)
    print(unscoped.line("no qualification known (all units): held-out"))
    for label, suggest in (("plain BM25 (criteria, depth, evidence text)", plain_bm25(kb, search)),
                           ("the bot (make_dialogue)", the_bot(kb, search))):
        descriptions, documents = score(kb, suggest)
        print(descriptions.line(f"{label}: descriptions"))
        print(documents.line(f"{label}: documents"))
        development, _ = score(kb, suggest, development=True)
        print(development.line(f"{label}: development set (tuned on)"))
        if "--misses" in argv:
            for miss in descriptions.misses + documents.misses:
                print("  miss:", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
