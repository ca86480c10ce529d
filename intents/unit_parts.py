"""The longer unit answers: assessment (method, word counts, timings, marks), whether a unit is optional,
its depth across criteria, and its suggested evidence."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.cite import cite_unit, unit_label
from bot.facets import NAMES, reference_numbers
from bot.intent import Turn
from bot.types import Ref, Reply
from knowledge.describe import describe_assessment
from knowledge.model import Assessment, Unit

_WORDS_LINE = re.compile(r"\bwords?\b|word count", re.IGNORECASE)
_TIME_LINE = re.compile(r"\bminutes?\b|-minute\b", re.IGNORECASE)
_METHOD_LINE = re.compile(r"\bwords?\b|\bminutes?\b|-minute\b|presentation|interview|discussion|report|portfolio|"
                          r"per cent|assessed|assignment", re.IGNORECASE)
_MARK_LINE = re.compile(r"\bmarks?\b|\bpass\b", re.IGNORECASE)
# An assessment note that says how the unit is assessed ("Assessment for the … unit is through a completed
# school self-evaluation report", "Units 602 and 604 can also be assessed by …"), not how assessors decide.
_METHOD_NOTE = re.compile(r"\bassessed (?:through|by|on)\b|\bassessment (?:for|of) (?:the|this)\b|"
                          r"\bparts? to the assessment\b|\brequirements? in the assessment\b", re.IGNORECASE)
# Words that name one part of a unit's assessment ("task 2", "the presentation", "the reflective account").
_PART = re.compile(r"\b(?:task|part|section|activity)\s*(\d)\b|\b(presentation|report|reflective|discussion|"
                   r"business case|portfolio|assignment|interview|written|training session)\b", re.IGNORECASE)
_GENERIC_PART_WORDS = frozenset("assignment based words count marks section minimum total first second third "
                                "which where there about these those their would could should".split())
_LIST_ITEM = 200       # characters: a longer note after a lead-in is a note of its own, not one of its items
_SIZE = re.compile(r"\d[\d,]*\s*(?:-\s*)?(?:words?|minutes?)\b", re.IGNORECASE)
_SIZE_WORDS = frozenset("words minutes length longer shorter should needs allowed maximum minimum".split())
MAX_QUOTED = 6
MAX_LEAD = 4


def _quoted(assessments: list[Assessment], pattern: re.Pattern[str]) -> list[str]:
    """The specification's own sentences about the assessments, once each (word counts, timings)."""
    out: list[str] = []
    for a in assessments:
        for line in a.text:
            if pattern.search(line) and line not in out:
                out.append(line)
    return out[:MAX_QUOTED]


def _named_parts(assessments: list[Assessment], text: str) -> list[Assessment]:
    """The parts of the assessment the question names, when it names some ("how many words is task 2",
    "the min mark for the recommendations section"): by number, by kind, or by a word of the part's title."""
    said = {w for w in re.findall(r"[a-z]{5,}", text.lower())} - _GENERIC_PART_WORDS
    picked: list[Assessment] = [a for a in assessments if said & set(re.findall(r"[a-z]{5,}", a.title.lower()))]
    for m in _PART.finditer(text):
        if m.group(1):
            wanted = re.compile(rf"\b(?:task|part|section|activity)\s*{m.group(1)}\b", re.IGNORECASE)
            picked += [a for a in assessments if wanted.search(a.title) and a not in picked]
        else:
            word = m.group(2).lower()
            picked += [a for a in assessments if (word in a.title.lower() or word in a.kind.replace("_", " "))
                       and a not in picked]
    return picked


def _nearest(unit: Unit) -> list[tuple[str, str]]:
    facts = [("Level", str(unit.level))]
    if unit.credits is not None:
        facts.append(("Credits", str(unit.credits)))
    if unit.glh is not None:
        facts.append(("Guided learning hours", str(unit.glh)))
    numbers = reference_numbers(unit)
    if numbers:
        facts.append(numbers[0])
    return facts


def missing(turn: Turn, unit: Unit, facet: str, what: str | None = None) -> Reply:
    """A decline that still says what the KB does know about the unit (``what``: the fact, when the facet's
    name is too broad: "a UAN" rather than "reference numbers")."""
    what = what or NAMES.get(facet, facet.replace("_", " "))
    return Reply("decline", "unit_overview", facet=facet,
                 paragraphs=[f"The specification doesn't give {what} for {unit_label(unit)}, so I won't guess. "
                             "What it does give:"],
                 facts=[f for f in _nearest(unit) if f[0].lower() not in what],
                 citation=cite_unit(turn.kb, unit), refs=[Ref(unit.code)])


def _reply(turn: Turn, unit: Unit, facet: str, lead: str) -> Reply:
    return Reply("answer", "unit_overview", paragraphs=[lead], citation=cite_unit(turn.kb, unit),
                 refs=[Ref(unit.code)], facet=facet)


def list_items(lines: Sequence[str], lead: int, ends: Callable[[int], bool] = lambda _: False) -> list[str]:
    """The items the lead-in at ``lead`` ("There are two parts to the assessment:") introduces: the lines after
    it, up to another lead-in, a paragraph (longer than ``_LIST_ITEM``) or the line ``ends`` (given its index)
    says begins something else."""
    items = []
    for k in range(lead + 1, len(lines)):
        if ends(k) or lines[k].rstrip().endswith(":") or len(lines[k]) > _LIST_ITEM:
            break
        items.append(lines[k])
    return items


def _method_notes(notes: list[str]) -> list[str]:
    """The first note that says how the unit is assessed, with the items it introduces when it ends in a
    colon ("There are two parts to the assessment of this module:"); notes restating it under the
    unit's older numbers are left out."""
    for n, note in enumerate(notes):
        if _METHOD_NOTE.search(note):
            if not note.rstrip().endswith(":"):
                return [note]
            return [note, *list_items(notes, n, lambda k: bool(_METHOD_NOTE.search(notes[k])))]
    return []


def _sized_lines_about(unit: Unit, assessments: list[Assessment], text: str) -> list[str]:
    """The brief's lines that give a size (words, minutes) and name every subject word of the question, when
    no part of the assessment is named by its title: "how long is the reflective commentary?" is answered by
    the line that gives the commentary's length, not by the longest part's."""
    title = set(re.findall(r"[a-z]{5,}", unit.title.lower()))
    lines = [line for a in assessments for line in a.text]
    used = set(re.findall(r"[a-z]{5,}", " ".join(lines).lower()))
    # Only words the brief uses can name something in it ("meant", "supposed" name nothing).
    said = ({w for w in re.findall(r"[a-z]{5,}", text.lower())} & used) - _GENERIC_PART_WORDS - title - _SIZE_WORDS
    if not said or _named_parts(assessments, text):
        return []
    return [line for line in dict.fromkeys(lines) if _SIZE.search(line)
            and all(re.search(rf"\b{w[:6]}", line.lower()) for w in said)][:2]


def assessment_reply(turn: Turn, unit: Unit, facet: str, text: str = "") -> Reply:
    """How the unit is assessed, or one number of it (word count, timing, marks)."""
    label = unit_label(unit)
    assessments = list(unit.assessment)
    select = {"word_count": lambda a: any((a.word_count or {}).values()), "timing": lambda a: bool(a.timing_minutes),
              "marks": lambda a: bool(a.marks_available), "grading": lambda a: bool(a.marks_available or a.pass_rule)}
    if facet in ("word_count", "timing"):
        sized = _sized_lines_about(unit, assessments, text)
        if sized:
            # A part named inside a brief rather than as a part of its own ("the reflective commentary on
            # the research (500 words)"): the specification's own sentence about it is the answer.
            reply = _reply(turn, unit, facet, f"What {label} says about that:")
            reply.add_list("", sized)
            return reply
    if facet in select:
        having = [a for a in assessments if select[facet](a)]
        if not having:
            return missing(turn, unit, facet)
        named = _named_parts(having, text)
        having = named or having
        heading = {"word_count": "Word counts", "timing": "Timings", "marks": "Marks", "grading": "Marks"}[facet]
        reply = _reply(turn, unit, facet, f"{heading} for {label}:")
        pattern = {"word_count": _WORDS_LINE, "timing": _TIME_LINE}.get(facet, _MARK_LINE)
        quoted = _quoted(having, pattern)[:MAX_LEAD]
        # The specification's own sentence first ("the suggested range is between 4,000 and 5,000 words");
        # the summary of each part follows.
        reply.add_list("The specification says", quoted)
        reply.add_list("In short" if quoted else "", [describe_assessment(a) for a in having])
        if facet in ("marks", "grading"):
            reply.add_list("To pass", sorted({a.pass_rule for a in having if a.pass_rule}))
        return reply
    kinds = sorted({a.kind.replace("_", " ") if a.kind != "other" else a.title.lower() for a in assessments})
    lead = f"{label} is assessed by {', '.join(kinds)}." if kinds else f"How {label} is assessed:"
    reply = _reply(turn, unit, "assessment", lead)
    # The specification's own sentence on the method is the fact asked; the parts' summary follows it.
    method = _method_notes(list(unit.assessment_notes))
    if method:
        reply.paragraphs.append(method[0].lstrip("* "))
        reply.add_list("", method[1:])
    reply.add_list("", [describe_assessment(a) for a in assessments][:MAX_LEAD])
    # The specification's own sentences that carry a size ("a 15-minute PowerPoint presentation").
    sized = [line for line in _quoted(assessments, _METHOD_LINE) if re.search(r"\d", line)][:2]
    reply.add_list("The specification says", sized)
    more = Reply("answer", "unit_overview", refs=[Ref(unit.code)])
    more.add_list("In the specification's words", [q for q in _quoted(assessments, _METHOD_LINE) if q not in sized])
    more.add_list("Assessment notes", [n for n in unit.assessment_notes if n not in method])
    if more.bullets:
        reply.more, reply.more_label = more, "the specification's own words"
    return reply


def membership(turn: Turn, unit: Unit) -> list[tuple[str, str | None, list[str]]]:
    """For each qualification the unit belongs to: its title, whether the unit is mandatory or optional there
    (None when the rules of combination don't say), and the groups it is in."""
    out = []
    for qid in unit.qualifications:
        q = turn.kb.qualifications.get(qid)
        if q is None:
            continue
        roc = q.rules_of_combination
        groups = [g["name"] for g in roc.get("groups") or [] if unit.code in (g.get("units") or [])]
        if roc.get("all_units_required") or unit.code in (roc.get("mandatory") or []):
            status: str | None = "mandatory"
        elif unit.code in (roc.get("optional") or []):
            status = "optional"
        else:
            status = None
        out.append((q.title, status, groups))
    return out


def optional_reply(turn: Turn, unit: Unit) -> Reply:
    """Whether the unit is mandatory or optional in each qualification it belongs to (and its group)."""
    lines = []
    for title, status, groups in membership(turn, unit):
        where = f" (in {', '.join(groups)})" if groups else ""
        if status:
            lines.append(f"In the {title} it is {status}{where}.")
        elif groups:
            lines.append(f"In the {title} it is in {', '.join(groups)}.")
    if not lines:
        return missing(turn, unit, "optional")
    reply = _reply(turn, unit, "optional", f"{unit_label(unit)}: " + " ".join(lines))
    # The printed rules about the groups it is in ("Units completed in Group A cannot be taken from Group B").
    for qid in unit.qualifications:
        q = turn.kb.qualifications.get(qid)
        in_groups = q and any(unit.code in (g.get("units") or []) for g in q.rules_of_combination.get("groups") or [])
        if in_groups:
            reply.add_list(f"{q.title} rules of combination", [t for t in q.rules_of_combination.get("text") or []
                                                               if "group" in t.lower()])
            break
    for qid in unit.qualifications:
        q = turn.kb.qualifications.get(qid)
        if q and q.rules_of_combination.get("text"):
            more = reply.more or Reply("answer", "unit_overview", refs=[Ref(unit.code)])
            more.add_list(f"Rules of combination ({q.title})", list(q.rules_of_combination["text"]))
            reply.more, reply.more_label = more, "the rules of combination"
    return reply


_DEPTH_WORDS = frozenset("depth indicative content cover covers covered include includes included mention mentions "
                         "about does what which where there anything topic topics list unit criterion criteria "
                         "say says said tell".split())


def depth_lines_about(unit: Unit, text: str) -> list[tuple[str, str]]:
    """(AC id, depth line) for the depth lines that contain most of the question's own subject words ("does
    the indicative content cover Kaizen?"); a line that introduces a list ("Economic theory:") comes with
    its items. Empty when the question names no
    subject beyond the unit."""
    title = set(re.findall(r"[a-z]+", unit.title.lower()))
    words = {w for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in _DEPTH_WORDS and w not in title}
    if not words:
        return []
    scored = []
    for c in unit.criteria:
        for n, line in enumerate(c.depth):
            found = set(re.findall(r"[a-z]{4,}", line.lower()))
            shared = sum(1 for w in words if w in found or any(f.startswith(w[:6]) for f in found))
            if shared:
                scored.append((shared, c, n))
    most = max((shared for shared, _, _ in scored), default=0)
    out: list[tuple[str, str]] = []
    for shared, c, n in scored:
        if shared < most:
            continue
        lines = [c.depth[n]]
        if c.depth[n].rstrip().endswith(":"):
            for item in c.depth[n + 1:]:
                if item.rstrip().endswith(":"):
                    break
                lines.append(item)
        out += [(c.id, line) for line in lines if (c.id, line) not in out]
    return out


def unit_depth(turn: Turn, unit: Unit, text: str = "") -> Reply:
    with_depth = [c for c in unit.criteria if c.depth]
    about = depth_lines_about(unit, text)
    if about:
        reply = _reply(turn, unit, "depth", f"The depth (indicative content) of {unit_label(unit)} says:")
        reply.add_list("", [f"AC{ac}: {line}" for ac, line in about][:8])
        reply.refs += [Ref(unit.code, ac) for ac in dict.fromkeys(ac for ac, _ in about)]
        return reply
    reply = _reply(turn, unit, "depth", f"{unit_label(unit)} prints depth (indicative content) for "
                                        f"{len(with_depth)} of its {len(unit.criteria)} criteria. Ask me about "
                                        f"one (for example “depth for AC{with_depth[0].id}”), or say “more” for "
                                        "all of it.")
    more = Reply("answer", "unit_overview", refs=[Ref(unit.code)])
    for c in with_depth:
        more.add_list(f"AC{c.id} {c.text}", list(c.depth))
    reply.more, reply.more_label = more, "the depth of every criterion"
    return reply


def unit_evidence(turn: Turn, unit: Unit) -> Reply:
    if unit.evidence:
        reply = _reply(turn, unit, "evidence", f"Suggested evidence for {unit_label(unit)}:")
        reply.add_list("", list(unit.evidence))
    else:
        kinds = sorted({a.kind.replace("_", " ") for a in unit.assessment})
        reply = _reply(turn, unit, "evidence",
                       f"The specification lists no suggested evidence for {unit_label(unit)} as a whole; each "
                       "criterion says what it needs"
                       + (f", and the unit is assessed by {', '.join(kinds)}." if kinds else "."))
    reply.paragraphs.append("Ask about one criterion (for example “what evidence does "
                            f"{unit.code} AC{unit.criteria[0].id} need?”) for what it must show.")
    return reply
