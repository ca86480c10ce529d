"""Evidence: log a piece of work against criteria (one item may serve several criteria and units),
list, rename and unmap items, and suggest which criteria an item could count for (advice only)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.cite import unit_label
from bot.intent import Intent, Slots, Turn
from bot.nlu.refs import extract
from bot.records.evidence import EvidenceError, evidence_of, log_evidence, rename_evidence, unmap_evidence
from bot.records.plan import PlanError, add_unit, plan_of
from bot.records.registration import current_registration
from bot.types import Choice, Ref, Reply
from intents.plan import units_named
from intents.records import NOT_ENROLLED, subject

# Unit references and criterion ids in the order they are written: "501 2.2 and 2.3, 502 1.1".
_TOKEN = re.compile(r"\b(\d{4})\s*-\s*(\d{3})\b|\b(?:unit\s+)?(\d{3})\b(?![.,]\d)|\b(?:ac\s*)?(\d{1,2})\.(\d{1,2})\b",
                    re.IGNORECASE)
_TITLE = re.compile(r"(?:[:\u2013\u2014]|\s-\s)\s*(?P<title>.+)$|[\"“‘'](?P<quoted>[^\"”’']{3,})[\"”’']")
_EVIDENCE_ID = re.compile(r"\b(?:evidence|item)\s*(?:item\s*)?(?:#|no\.?|number)?\s*(\d{1,6})\b", re.IGNORECASE)


def _links(turn: Turn, text: str, default_unit: str | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """(links, problems) for the unit/criterion references in ``text``; criteria written before any
    unit belong to ``default_unit`` (the unit the conversation settled on), else to the one unit of the
    person's plan that has them."""
    kb = turn.kb
    links: list[tuple[str, str]] = []
    problems: list[str] = []
    current: str | None = default_unit
    for m in _TOKEN.finditer(text):
        if m.group(1) or m.group(3):
            code = f"{m.group(1)}-{m.group(2)}" if m.group(1) else None
            if code is None:
                options = [u.code for u in kb.units_by_short_code(m.group(3))]
                own = [c for c in options if c in turn.own_units] or options
                code = own[0] if len(own) == 1 else None
                if code is None:
                    problems.append(f"I can't tell which unit {m.group(3)} is" if options
                                    else f"there's no unit {m.group(3)}")
                    continue
            if kb.unit(code) is None:
                problems.append(f"there's no unit {code}")
                continue
            current = code
            continue
        ac = f"{int(m.group(4))}.{int(m.group(5))}"
        unit = current
        if unit is None:
            fits = [c for c in turn.own_units if kb.criterion(c, ac)]
            unit = fits[0] if len(fits) == 1 else None
            if unit is None:
                problems.append(f"which unit is {ac} in? Say it as “501 {ac}”")
                continue
        if kb.criterion(unit, ac) is None:
            problems.append(f"{unit} has no criterion {ac}")
            continue
        if (unit, ac) not in links:
            links.append((unit, ac))
    return links, problems


_SEPARATOR = re.compile(r"[:\u2013\u2014]|\s-\s")
_UNIT_REF = re.compile(r"\b\d{4}\s*-\s*\d{3}\b|\b(?:unit\s+)?\d{3}\b(?![.,]\d)", re.IGNORECASE)


def bare_criteria(text: str) -> str:
    """The part of an evidence message whose criteria have no unit yet: before the title and before
    the first unit named ("I've got evidence for 2.2 - the minutes" → "I've got evidence for 2.2 ")."""
    head = _SEPARATOR.split(text, maxsplit=1)[0]
    unit = _UNIT_REF.search(head)
    return head[:unit.start()] if unit else head


def _title(text: str) -> str | None:
    m = _TITLE.search(text)
    if not m:
        return None
    title = (m.group("title") or m.group("quoted") or "").strip().strip("\"“”'‘’.")
    # A title made of references only ("501 2.2") is no title.
    return title if re.sub(r"[\d.\s,&and-]+", "", title) else None


def links_text(links: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str:
    by_unit: dict[str, list[str]] = {}
    for unit, ac in links:
        by_unit.setdefault(unit, []).append(ac)
    return "; ".join(f"{unit} AC{', '.join(acs)}" for unit, acs in by_unit.items())


# Words around the name of a piece of work that are not its name ("log my … against …", "… should count towards").
_CLAUSE = re.compile(r"\b(?:should|could|would|can|will)\s+(?:count|go|be)\b|\bcan you\b|\bcould you\b|\bplease\b|"
                     r"\b(?:counts?|count)\s+(?:for|towards|against)\b|\bcovers?\b|\bagainst\b|\bfor\b|\btowards\b|"
                     r"\bto\b(?=\s+(?:\d|ac|unit))|[,;:()\u2013\u2014]|\s-\s", re.IGNORECASE)
_LEAD = re.compile(r"^(?:\s*(?:i(?:'ve| have)?(?:\s+got)?|i've|log(?:ged)?|add(?:ed)?|record(?:ed)?|upload(?:ed)?|"
                   r"put|my|evidence|it|is|was|here's|here is|just|also|and|so|ok|okay|"
                   r"please|pls|can|you|of)\b)+", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"^(?:it|them|this|that|evidence|my evidence|some evidence)?$", re.IGNORECASE)


def evidence_title(text: str, spans: list) -> str | None:
    """The name of the piece of work, wherever it stands: after a colon or in quotes as before, or the
    longest stretch of the sentence that is neither a reference nor the request around it."""
    quoted = re.search(r"[\"“‘](?P<q>[^\"”’]{3,})[\"”’]", text)
    if quoted:
        return quoted.group("q").strip()
    for span in sorted(spans, key=lambda s: -s.start):
        text = text[:span.start] + " | " + text[span.end:]
    parts = [re.sub(r"\s+", " ", _LEAD.sub("", p.replace("|", " ").strip(" .?!"))).strip()
             for p in _CLAUSE.split(text)]
    parts = [p for p in parts if p and not _NOT_A_NAME.match(p) and re.search(r"[a-z]{3,}", p, re.IGNORECASE)
             and not re.fullmatch(r"(?:and|or|to|\W|\d|\.)+", p)]
    if not parts:
        return None
    best = max(parts, key=lambda p: len(re.findall(r"[A-Za-z]{3,}", p)))
    return best if len(re.findall(r"[A-Za-z]{3,}", best)) >= 2 else None


@dataclass(frozen=True)
class _Ambiguous:
    ac: str
    units: list[str]


def _links_named(turn: Turn, slots: Slots, qualification_units: list[str], planned: list[str]
                 ) -> tuple[list[tuple[str, str]], list]:
    """(links, problems): criteria with the unit written before them ("501 2.2 and 2.3, 502 1.1"), a unit
    named by its title ("measuring school performance 3.1 to 3.4"), or the one planned unit that has them."""
    head = re.split(r":|\s[-\u2013\u2014]\s", slots.text, maxsplit=1)[0] if re.search(r"\d{3}", slots.text) \
        else slots.text
    if re.search(r"\b\d{3}\b|\b\d{4}\s*-\s*\d{3}\b", slots.text):
        links, problems = _links(turn, head, turn.context.unit if turn.context.unit in planned else None)
        if links or problems:
            return links, problems
    acs = slots.refs.acs
    if not acs:
        return [], []
    units = units_named(turn, slots, qualification_units)
    if not units:
        having = [c for c in planned if all(turn.kb.units[c].criterion(a) for a in acs)]
        if turn.context.unit in having:
            having = [turn.context.unit]
        units = having
    if len(units) > 1:
        return [], [_Ambiguous(acs[0], units)]
    if not units:
        return [], [f"none of your planned units has {', '.join(acs)}" if planned else
                    "which unit are they in? Say it like “501 2.2”"]
    missing = [a for a in acs if not turn.kb.units[units[0]].criterion(a)]
    if missing:
        return [], [f"{units[0]} has no criterion {', '.join(missing)}"]
    return [(units[0], a) for a in acs], []


def log(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    reg = current_registration(turn.db, turn.person.id)
    if reg is None:
        return Reply("decline", "evidence_log", paragraphs=[NOT_ENROLLED.format(who="you")])
    q = turn.kb.qualifications[reg.qualification_id]
    planned = [u.code for u in plan_of(turn.db, reg.id)]
    title = evidence_title(slots.text, slots.refs.spans)
    if title:
        # The work's own name is not a reference: "the finance committee minutes" names no unit.
        without = re.sub(re.escape(title), " ", slots.text, count=1)
        slots = replace(slots, text=without, refs=extract(without, turn.kb))
    links, problems = _links_named(turn, slots, list(q.units), planned)
    ambiguous = next((p for p in problems if isinstance(p, _Ambiguous)), None)
    if ambiguous is not None:
        # "evidence for 2.2" when two planned units have a 2.2: which one? Nothing is logged meanwhile.
        return Reply("clarify", "evidence_log", paragraphs=[f"Which unit is {ambiguous.ac} in?"],
                     choices=[Choice(unit_label(turn.kb.units[c]), c) for c in ambiguous.units],
                     asks={"phrase": ambiguous.ac, "before": True})
    outside = [f"{u} isn't part of the {q.title}" for u, _ in links if u not in q.units]
    if not links and not problems:
        problems.append("which criteria does it count for? e.g. “I have evidence for 501 2.2 and 2.3: the "
                        "trust's annual accounts pack”")
    if title is None:
        problems.append("what is the evidence called? Put its name after a colon, e.g. “…: the trust's annual "
                        "accounts pack”")
    problems += sorted(set(outside))
    if problems:
        return Reply("error", "evidence_log", paragraphs=["I haven't logged anything yet — " + "; ".join(problems)
                                                          + "."])
    assert title is not None
    unplanned = sorted({u for u, _ in links if u not in planned})
    if unplanned and not slots.confirmed:
        # Evidence for a unit not in the plan: ask before changing the plan; nothing is stored meanwhile.
        names = " and ".join(unit_label(turn.kb.units[u]) for u in unplanned)
        return Reply("clarify", "evidence_log", paragraphs=[
            f"{names} isn't in your plan yet. Shall I add it to your plan and log “{title}” against "
            f"{links_text(links)}?"], asks={"confirm": True})
    try:
        with turn.db.atomic():
            for code in unplanned:
                add_unit(turn.db, turn.kb, reg, code, turn.now, turn.person.id)
            evidence_id = log_evidence(turn.db, turn.person.id, title, links, turn.now, turn.person.id)
    except (EvidenceError, PlanError) as exc:
        return Reply("error", "evidence_log", paragraphs=[str(exc)])
    added = f" and added {' and '.join(unplanned)} to your plan" if unplanned else ""
    return Reply("done", "evidence_log", paragraphs=[
        f"Logged “{title}” (evidence {evidence_id}) against {links_text(links)}{added}."],
        refs=[Ref(u, a) for u, a in links],
        suggestions=["Show my evidence", f"What's left for {links[0][0]}?"],
        undo={"op": "evidence_log", "evidence": evidence_id, "person": turn.person.id} if not unplanned else None)


def _wanted_units(turn: Turn, slots: Slots) -> list[str]:
    refs = slots.refs
    codes = list(refs.units) or [c for c, _ in refs.title_units]
    own = [c for c in codes if c in turn.own_units]
    return own or codes


def list_items(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    person = subject(turn, slots, "evidence_list")
    if isinstance(person, Reply):
        return person
    items = evidence_of(turn.db, person.id)
    units, ac = _wanted_units(turn, slots), slots.refs.ac
    if units or ac:
        # "what have I got against 501 2.2?": only the items mapped there.
        items = [i for i in items if any((not units or u in units) and (ac is None or a == ac) for u, a in i.links)]
    whose = "your" if person.id == turn.person.id else f"{person.name or person.id}'s"
    if not items:
        where = f" for {', '.join(units)}{' AC' + ac if ac else ''}" if units or ac else ""
        return Reply("decline", "evidence_list", paragraphs=[
            f"There's no evidence logged{where} in {whose} records yet. You can log it like this: “I have evidence "
            "for 501 2.2: the annual accounts pack”."])
    reply = Reply("answer", "evidence_list", title=f"{whose[0].upper() + whose[1:]} evidence")
    reply.add_list("", [f"{i.id}. {i.title} — " + (links_text(i.links) or "not mapped to any criterion")
                        for i in items])
    reply.refs = [Ref(u, a) for i in items for u, a in i.links]
    return reply


def rename(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    m = _EVIDENCE_ID.search(slots.text)
    new = re.search(r"\bto\s+(.+)$", slots.text, re.IGNORECASE)
    if not m or not new:
        return Reply("error", "evidence_rename", paragraphs=["Tell me which item and the new name, e.g. “rename "
                                                             "evidence 2 to governors' finance report”."])
    title = new.group(1).strip().strip("\"“”'‘’.")
    try:
        rename_evidence(turn.db, turn.person.id, int(m.group(1)), title, turn.now, turn.person.id)
    except EvidenceError as exc:
        return Reply("error", "evidence_rename", paragraphs=[str(exc)])
    return Reply("done", "evidence_rename", paragraphs=[f"Renamed evidence {m.group(1)} to “{title}”."])


def unmap(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    m = _EVIDENCE_ID.search(slots.text)
    if not m:
        return Reply("error", "evidence_unmap", paragraphs=["Which evidence item? e.g. “unmap evidence 2 from "
                                                            "501 2.3” (“show my evidence” lists the numbers)."])
    rest = slots.text[:m.start()] + " " + slots.text[m.end():]
    links, problems = _links(turn, rest)
    if problems or not links:
        return Reply("error", "evidence_unmap", paragraphs=["I haven't changed anything — "
                                                            + ("; ".join(problems) or "which criteria?") + "."])
    try:
        removed = unmap_evidence(turn.db, turn.person.id, int(m.group(1)), links, turn.now, turn.person.id)
    except EvidenceError as exc:
        return Reply("error", "evidence_unmap", paragraphs=[str(exc)])
    if not removed:
        return Reply("error", "evidence_unmap", paragraphs=[
            f"Evidence {m.group(1)} isn't mapped to {links_text(links)}, so there's nothing to undo."])
    return Reply("done", "evidence_unmap", paragraphs=[f"Evidence {m.group(1)} no longer counts for "
                                                       f"{links_text(links)}."], refs=[Ref(u, a) for u, a in links])


INTENTS = (
    Intent("evidence_log", log, personal=True, acts=True,
           examples=("i have evidence for 501 2.2 and 2.3: the trust's annual accounts",
                     "log evidence for 502 1.1: procurement policy", "add evidence for 503 2.2 - recruitment plan",
                     "i've got evidence for 2.2: the budget report")),
    Intent("evidence_list", list_items, personal=True,
           examples=("show my evidence", "what evidence have i logged", "list my evidence", "my evidence")),
    Intent("evidence_rename", rename, personal=True,
           examples=("rename evidence 2 to governors report",)),
    Intent("evidence_unmap", unmap, personal=True,
           examples=("unmap evidence 2 from 501 2.3", "remove 2.3 from evidence 2",
                     "evidence 3 doesn't count for 502 1.1")),
)
