"""“What could this count for?”: the criteria a piece of work most plausibly evidences (a description, or
a document attached to the message), grouped by unit, each with its exact wording, why, and what it
asks that the work doesn't show yet; then, on one click or "log it for the first two", the work logged
as evidence against the chosen ones. Advice only: the tutor decides whether anything is met.

The document is read in memory and never stored (it may hold pupils' personal data): logging keeps the
evidence record — its name, the learner's own words about it, the criteria."""

from __future__ import annotations

import re
from typing import Any

from bot.cite import unit_label
from bot.documents import DocumentProblem, document_text
from bot.intent import Intent, Slots, Turn
from bot.records.authz import can_act_for
from bot.records.evidence import EvidenceError, log_evidence
from bot.records.people import get_person
from bot.suggest.service import Suggested, scope_of, suggest_work
from bot.types import Choice, Ref, Reply
from intents.evidence import links_text
from intents.records import named_person

INTENT = "evidence_suggest"
ADVICE = ("This is advice, not an assessment decision: whether the work meets a criterion is for your tutor "
          "to decide.")
ASK_FOR_WORK = ("Tell me about the work in a few lines — what you did, why and what came of it — or attach the "
                "document (.docx, .pdf, .txt or .md, up to 10 MB), and I'll suggest which criteria it could "
                "count for.")
_ITEM = re.compile(r"\b(?:could|would|might|can|does|will)\s+(?:my|our|the|a|an|this|her|his|their)\s+(.+?)\s+"
                   r"(?:count|be used|work|fit|go|cover|evidence)\b", re.IGNORECASE)
_THIS = re.compile(r"^(?:this|that|it|these|those|one|thing|work|piece of work|document|file)$", re.IGNORECASE)
MAX_TITLE = 60


def _title(text: str) -> str:
    """A name for work described in words: its first sentence, shortened (the reply shows it; "rename
    evidence N to …" changes it)."""
    first = re.split(r"(?<=[.!?])\s+|\n", text.strip(), maxsplit=1)[0].strip().rstrip(".")
    if len(first) <= MAX_TITLE:
        return first
    return first[:MAX_TITLE].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _work(turn: Turn, slots: Slots) -> tuple[str, str, str] | Reply:
    """(the work's text, its name, the learner's own words about it), or the reply saying what's wrong."""
    files = turn.message.files
    if files:
        f = files[0]
        if f.problem or f.data is None:
            return Reply("error", INTENT, paragraphs=[f.problem or f"I couldn't fetch “{f.name}”.",
                                                     "Nothing has been stored."])
        try:
            text = document_text(f.name, f.data)
        except DocumentProblem as exc:
            return Reply("error", INTENT, paragraphs=[str(exc), "Nothing has been stored."])
        return text, f.name, slots.work
    if slots.work:
        return slots.work, _title(slots.work), slots.work
    m = _ITEM.search(slots.text)
    item = m.group(1).strip() if m else ""
    if not item or _THIS.match(item):
        return Reply("clarify", INTENT, paragraphs=[ASK_FOR_WORK])
    return item, item, item


def _item(turn: Turn, n: int, s: Suggested) -> str:
    criterion = turn.kb.criterion(s.unit, s.ac)
    assert criterion is not None
    line = f"{n}. AC{s.ac} “{criterion.text}” — from your work: “{s.why}”"
    return line + (f" Not shown yet: {s.missing}." if s.missing else "")


def suggest(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    named = named_person(turn, slots, INTENT)       # "… for Jane?": read in the request, never in the work
    if isinstance(named, Reply):
        return named
    person = named or turn.person
    work = _work(turn, slots)
    if isinstance(work, Reply):
        return work
    text, name, description = work
    scope = scope_of(turn.kb, turn.db, person.id)
    found = suggest_work(turn.kb, scope, text)
    if not found:
        where = f"the {scope.qualification}" if scope.qualification else "any qualification here"
        return Reply("decline", INTENT, paragraphs=[
            f"I can't honestly match “{name}” to a criterion of {where} — it shares too little with what the "
            "criteria ask. Your tutor can help you decide where it fits; a few more lines about what you did "
            "and why would help me too."])
    whose = "" if person.id == turn.person.id else f" for {person.name or person.id}"
    by_unit: dict[str, list[Suggested]] = {}
    for s in found:
        by_unit.setdefault(s.unit, []).append(s)
    lead_unit = found[0].unit
    reply = Reply("answer", INTENT, title=f"What “{name}” could count for{whose}",
                  paragraphs=[f"Most likely {unit_label(turn.kb.units[lead_unit])}: AC"
                              + ", ".join(s.ac for s in by_unit[lead_unit])
                              + (f" (of the {scope.qualification})" if scope.qualification else "") + ". " + ADVICE],
                  refs=[Ref(s.unit, s.ac) for s in found], about=person.id if whose else None)
    n = 0
    for code, group in by_unit.items():
        items = []
        for s in group:
            n += 1
            items.append(_item(turn, n, s))
        reply.add_list(unit_label(turn.kb.units[code]), items)
    advice = [f"{s.unit} AC{s.ac}: {s.how}." for s in found if s.how]
    if advice:
        reply.more = Reply("answer", INTENT, title="What would make it stronger", paragraphs=[ADVICE])
        reply.more.add_list("", advice)
        reply.more_label = "what would make it stronger"
    reply.choices = [Choice(f"Log it for all {len(found)}", "log it for all of them")]
    if len(by_unit) > 1:
        reply.choices.append(Choice(f"Log it for {lead_unit} only", f"log it for {lead_unit}"))
    reply.suggestions = ["log it for the first two"]
    others = [f.name for f in turn.message.files[1:]]
    if others:
        # One piece of work at a time: the suggestions and the log-it offer are about the first document.
        reply.paragraphs.append(f"I've read “{name}” only; send {', '.join(f'“{o}”' for o in others)} on "
                                f"{'its' if len(others) == 1 else 'their'} own and I'll suggest for "
                                f"{'it' if len(others) == 1 else 'each'} too.")
    # What "log it" will store: the name, the person's own words (never the document), the criteria.
    reply.offer = {"subject": person.id, "title": name, "description": description,
                   "links": [[s.unit, s.ac] for s in found], "document": bool(turn.message.files)}
    return reply


# -- taking up the offer ------------------------------------------------------------------------------
_LOG = re.compile(r"\b(?:log|record|save|add|map|use|put|file)\b", re.IGNORECASE)
_YES = re.compile(r"^\s*(?:yes|yeah|yep|ok|okay|sure|please)\b", re.IGNORECASE)
_ALL = re.compile(r"\b(?:all|every|everything|both|them)\b", re.IGNORECASE)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "top": 1,
             "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_FIRST_N = re.compile(r"\b(?:first|top)\s+(two|three|four|five|six|[2-6])\b", re.IGNORECASE)
_PICK = re.compile(r"\b(first|second|third|fourth|fifth|sixth|last)\b|(?<![\d.])([1-6])(?![\d.])", re.IGNORECASE)
_UNIT_AC = re.compile(r"\b(\d{4}-\d{3}|\d{3})\b"
                      r"(?:\s*(?:ac\s*)?(\d{1,2}\.\d{1,2}(?:\s*(?:,|and|&)\s*\d{1,2}\.\d{1,2})*))?"
                      r"|\b(?:ac\s*)?(\d{1,2}\.\d{1,2})\b", re.IGNORECASE)


def chosen(text: str, links: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """The suggestions a reply names ("all of them", "the first two", "1 and 3", "501", "2.2 and 2.4"),
    in their order; None when it names none."""
    named: list[tuple[str, str]] = []
    for m in _UNIT_AC.finditer(text):
        unit, acs, bare = m.group(1), m.group(2), m.group(3)
        if unit:
            in_unit = [lk for lk in links if lk[0] == unit or lk[0].endswith("-" + unit)]
            picked = [lk for lk in in_unit if lk[1] in re.findall(r"\d{1,2}\.\d{1,2}", acs)] if acs else in_unit
        else:
            picked = [lk for lk in links if lk[1] == bare]
        named += [lk for lk in picked if lk not in named]
    if named:
        return named
    first_n = _FIRST_N.search(text)
    if first_n:
        n = first_n.group(1).lower()
        return links[:int(n) if n.isdigit() else _ORDINALS[n]]
    picks = []
    for m in _PICK.finditer(text):
        word = (m.group(1) or "").lower()
        i = len(links) if word == "last" else (_ORDINALS[word] if word else int(m.group(2)))
        if 1 <= i <= len(links) and links[i - 1] not in picks:
            picks.append(links[i - 1])
    if picks:
        return picks
    if _ALL.search(text):
        return list(links)
    return None


def accept(turn: Turn, offer: dict[str, Any], text: str) -> Reply | None:
    """"log it for the first two" after the suggestions: the evidence record, or a short question."""
    assert turn.person is not None and turn.db is not None
    if not (_LOG.search(text) or _YES.match(text)) or len(text.split()) > 14:
        return None
    links = [(u, a) for u, a in offer["links"]]
    picked = chosen(text, links)
    if picked is None:
        return Reply("clarify", "evidence_log", paragraphs=[
            f"Log it for all {len(links)}, or which ones? e.g. “log it for the first two”."],
            choices=[Choice(f"All {len(links)}", "log it for all of them"),
                     Choice("The first two", "log it for the first two")])
    subject_id = offer["subject"]
    if not can_act_for(turn.db, turn.person, subject_id):
        return Reply("denied", "evidence_log", paragraphs=[
            "Only the learner or their tutor can log evidence for them, so I haven't logged anything."])
    subject = get_person(turn.db, subject_id)
    if subject is None:
        return Reply("error", "evidence_log", paragraphs=["That learner's records are no longer here, so I "
                                                          "haven't logged anything."])
    try:
        evidence_id = log_evidence(turn.db, subject_id, offer["title"], picked, turn.now, turn.person.id,
                                   description=offer.get("description") or None)
    except EvidenceError as exc:
        return Reply("error", "evidence_log", paragraphs=[str(exc)])
    whose = "" if subject_id == turn.person.id else f" for {subject.name or subject_id}"
    return Reply("done", "evidence_log", paragraphs=[
        f"Logged “{offer['title']}” (evidence {evidence_id}){whose} against {links_text(picked)}. "
        + ("The file itself isn't kept. " if offer.get("document") else "")
        + "Your tutor still decides whether it meets them."],
        refs=[Ref(u, a) for u, a in picked], suggestions=["Show my evidence"] if not whose else [],
        undo={"op": "evidence_log", "evidence": evidence_id, "person": subject_id},
        about=subject_id if whose else None)


INTENTS = (
    Intent(INTENT, suggest, personal=True, reads_work=True, accept=accept,
           examples=("what could my slt minutes count for", "where could my governors report fit",
                     "what would the budget report count towards", "what could this count for?",
                     "which criteria could this evidence?", "what could this count for, for jane?",
                     "which acs might this piece of work cover?", "would this work as evidence for anything?",
                     "where does this fit in my diploma?", "could this count towards any units?",
                     "what could my staff survey analysis be used for", "which units does this evidence?")),
)
