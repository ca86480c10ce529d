"""Criterion questions: what evidence an AC needs, whether something is enough, its exact wording."""

from __future__ import annotations

import re

from bot.cite import cite_criterion, cite_lo, unit_label
from bot.intent import Intent, Slots, Turn
from bot.types import Ref, Reply
from knowledge.model import Criterion, Unit

ASSESSOR_DECIDES = ("This is advice to help you plan, not an assessment decision — your assessor makes "
                    "that judgement.")


def _next_id(unit: Unit, criterion: Criterion) -> str | None:
    ids = [c.id for c in unit.criteria]
    i = ids.index(criterion.id)
    return ids[i + 1] if i + 1 < len(ids) else None


def _advice_not_in(requirements: tuple[str, ...], advice: tuple[str, ...]) -> list[str]:
    """Advice sentences not already shown verbatim inside the requirement lines."""
    return [a for a in advice if not any(a in line for line in requirements)]


def _min_count_lines(criterion: Criterion) -> list[str]:
    return [f"at least {m.n} {m.what}" for m in criterion.min_counts]


def _lo_reply(turn: Turn, slots: Slots, intent: str) -> Reply:
    unit, lo = slots.unit, slots.lo
    assert unit is not None and lo is not None
    reply = Reply("answer", intent, title=f"{unit_label(unit)} — LO{lo.number}",
                  paragraphs=[f"Learning outcome {lo.number}: “{lo.text}”"],
                  citation=cite_lo(turn.kb, unit, lo), refs=[Ref(unit.code)])
    criteria = [c for c in unit.criteria if c.lo == lo.number]
    reply.add_list("Its assessment criteria", [f"AC{c.id} {c.text}" for c in criteria])
    reply.refs += [Ref(unit.code, c.id) for c in criteria]
    if criteria:
        reply.suggestions = [f"What evidence does {unit.code} AC{criteria[0].id} need?"]
    return reply


def evidence(turn: Turn, slots: Slots) -> Reply:
    """The criterion quoted exactly, with its requirements, counts, depth, advice and evidence."""
    if slots.criterion is None:
        return _lo_reply(turn, slots, "criterion_evidence")
    unit, c = slots.unit, slots.criterion
    assert unit is not None
    reply = Reply("answer", "criterion_evidence", title=f"{unit_label(unit)} — AC{c.id}",
                  paragraphs=[f"AC{c.id} (LO{c.lo}): “{c.text}”"],
                  citation=cite_criterion(turn.kb, unit, c), refs=[Ref(unit.code, c.id)])
    if c.requirements:
        reply.add_list("What the specification says you must show", list(c.requirements))
    else:
        reply.paragraphs.append(
            "The specification gives no separate guidance for this criterion: it is met by evidence "
            "that does what its wording says, at the depth below.")
    reply.add_list("Minimum counts", _min_count_lines(c))
    reply.add_list("Depth (what to cover)", list(c.depth))
    reply.add_list("You may also", _advice_not_in(c.requirements, c.advice))
    if c.evidence:
        reply.add_list("Suggested evidence", list(c.evidence))
    elif unit.evidence:
        reply.add_list(f"Suggested evidence for unit {unit.code}", list(unit.evidence))
    if c.ksbs:
        reply.facts.append(("KSBs", ", ".join(c.ksbs)))
    follow = [f"Is a description enough for {c.id}?"]
    nxt = _next_id(unit, c)
    if nxt:
        follow.append(f"And {nxt}?")
    reply.suggestions = follow
    return reply


def wording(turn: Turn, slots: Slots) -> Reply:
    """The exact wording of a criterion (or a learning outcome and its criteria)."""
    if slots.criterion is None:
        return _lo_reply(turn, slots, "criterion_wording")
    unit, c = slots.unit, slots.criterion
    assert unit is not None
    lo = unit.learning_outcome(c.lo)
    reply = Reply("answer", "criterion_wording", title=f"{unit_label(unit)} — AC{c.id}",
                  paragraphs=[f"AC{c.id}: “{c.text}”"], citation=cite_criterion(turn.kb, unit, c),
                  refs=[Ref(unit.code, c.id)])
    if lo:
        reply.paragraphs.append(f"It sits under learning outcome {lo.number}: “{lo.text}”")
    reply.suggestions = [f"What evidence does {c.id} need?"]
    return reply


# --- sufficiency ----------------------------------------------------------------------------

_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "single": 1, "a single": 1, "just one": 1, "only one": 1,
                 "two": 2, "three": 3, "four": 4, "five": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_PROPOSAL = re.compile(
    r"\b(just one|only one|a single|single|one|two|three|four|five|[1-5]|an?)\s+(?:\w+\s+)??"
    r"(models?|theor(?:y|ies)|examples?|techniques?|strateg(?:y|ies)|options?|tools?|recommendations?|"
    r"sources?|pieces?|incidents?|factors?|styles?|methods?|activities|activity|barriers?|risks?|"
    r"frameworks?|case stud(?:y|ies)|stakeholders?|areas?|individuals?|people|aspects?|elements?)\b",
    re.IGNORECASE)
_DESCRIPTIVE = re.compile(r"\bdescri(?:be|ption|ptive|bing)\b|\blist\b|\bsummar(?:y|ise)\b", re.IGNORECASE)
_DESCRIPTION_FITS = {"describe", "identify", "outline", "list", "state", "define", "summarise"}
_ITEM = re.compile(r"\b(?:would|will|does|could|can|is)\s+(?:my|our|the|a|an|this)\s+(.+?)\s+"
                   r"(?:count|do|work|be (?:ok|okay|enough|acceptable|evidence)|be used|cover)", re.IGNORECASE)


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)]
    return word


def _count_verdicts(criterion: Criterion, text: str) -> list[str]:
    out = []
    for m in _PROPOSAL.finditer(text):
        n = _NUMBER_WORDS[m.group(1).lower()]
        noun = _stem(m.group(2).split()[0])
        for need in criterion.min_counts:
            if any(_stem(w).startswith(noun[:5]) for w in re.findall(r"[A-Za-z]+", need.what)):
                if n < need.n:
                    out.append(f"The requirements ask for at least {need.n} {need.what}, so {m.group(0).strip()} "
                               f"would fall short.")
                else:
                    out.append(f"{m.group(0).strip().capitalize()} meets the minimum of {need.n} {need.what}; "
                               f"what matters then is that the evidence does what the requirements say.")
    return out


def _description_verdict(criterion: Criterion) -> str | None:
    verb = criterion.text.split()[0].lower().strip(",:")
    if verb == "critically" and len(criterion.text.split()) > 1:
        verb = "critically " + criterion.text.split()[1].lower()
    if verb in _DESCRIPTION_FITS:
        return (f"AC{criterion.id} asks you to {verb}, so a clear description can be the right kind of "
                "evidence, provided it covers everything the criterion names.")
    return (f"AC{criterion.id} asks you to {verb}, not just describe: a description on its own is unlikely to "
            "be enough.")


def sufficiency(turn: Turn, slots: Slots) -> Reply:
    """Compare what the learner proposes with the criterion's minimum counts and requirements."""
    if slots.criterion is None:            # asked of a whole learning outcome: show its criteria
        return _lo_reply(turn, slots, "sufficiency")
    unit, c = slots.unit, slots.criterion
    assert unit is not None
    reply = Reply("answer", "sufficiency", title=f"Is it enough for {unit.code} AC{c.id}?",
                  paragraphs=[f"AC{c.id}: “{c.text}”"], citation=cite_criterion(turn.kb, unit, c),
                  refs=[Ref(unit.code, c.id)])
    verdicts = _count_verdicts(c, slots.text)
    if _DESCRIPTIVE.search(slots.text):
        verdicts.append(_description_verdict(c) or "")
    item = _ITEM.search(slots.text)
    if item and not verdicts:
        verdicts.append(f"Your {item.group(1)} could count towards AC{c.id} if it shows what the requirements "
                        "below ask for; on its own it counts only for what it actually demonstrates.")
    reply.paragraphs += [v for v in verdicts if v]
    # The specification's own words about sufficiency come first: they settle most questions.
    telling = [line for line in c.requirements
               if re.search(r"suffic|alone|must|at least|both|all", line, re.IGNORECASE)]
    reply.add_list("What the specification says", telling or list(c.requirements))
    reply.add_list("Minimum counts", _min_count_lines(c))
    if not c.requirements:
        reply.paragraphs.append("The specification sets no extra sufficiency guidance for this criterion; "
                                "the evidence must do what its wording says.")
        reply.add_list("Depth (what to cover)", list(c.depth))
    if item or not verdicts:
        reply.add_list("Suggested evidence", list(c.evidence or unit.evidence))
    reply.paragraphs.append(ASSESSOR_DECIDES)
    return reply


# Command verbs phrase criteria, not unit titles: "analysing" in "procurement 1.1 - will analysing two
# bits of legislation do?" must not match the Strategic Data Analysis unit.
_CRITERION_WORDS = frozenset(
    "ac criterion criteria lo outcome learning analyse analyze analysing analyzing evaluate evaluating "
    "evaluation explain explaining describe describing description justify justifying assess assessing "
    "reflect reflecting identify identifying discuss discussing compare comparing demonstrate apply "
    "applying produce producing create creating wording worded manage lead plan".split())

INTENTS = (
    Intent(
        "criterion_evidence", evidence, needs="criterion",
        examples=(
            "what evidence does ac need", "what do i need to do for", "what do they want for",
            "how do i meet criterion", "what are the requirements for", "what should i include for",
            "help with ac", "what does the assessor look for in", "what do i need to show for",
            "what's needed for", "what do i have to write for", "guidance for ac",
            "what is required for", "how do i evidence",
        ),
        cues=((r"\bevidence\b", 0.5), (r"\bneed(?:s|ed)?\b", 0.3), (r"\bwant\b", 0.4), (r"\brequire", 0.5),
              (r"\bmeet\b", 0.4), (r"\bhow (?:do|can|should) i\b", 0.3), (r"\binclude\b", 0.3),
              (r"\bguidance\b", 0.4), (r"\blook(?:ing)? for\b", 0.4), (r"\bshow\b", 0.2), (r"\bcover\b", 0.3),
              (r"\bdepth\b", 0.5), (r"\bmust\b", 0.3), (r"\bhelp (?:with|on)\b", 0.3), (r"\bwhat do i do\b", 0.3),
              (r"\bexpect", 0.4), (r"\bwrite about\b", 0.3), (r"\bpass\b", 0.2)),
        vocabulary=_CRITERION_WORDS,
    ),
    Intent(
        "sufficiency", sufficiency, needs="criterion",
        examples=(
            "is one model enough for", "is a description enough", "will two examples do",
            "how many models do i need for", "would my report count for", "is it enough to describe",
            "is one theory sufficient", "can i just describe", "would the minutes count as evidence for",
            "is a single example ok for", "do i need more than one",
        ),
        cues=((r"\benough\b", 0.9), (r"\bsufficien", 0.9), (r"\bhow many\b", 0.6),
              (r"\bcount(?:s)? (?:for|towards|as)\b", 0.8), (r"\bwould (?:my|a|an|the|this|our)\b.*\bcount\b", 0.9),
              (r"\bwill (?:one|two|a|an|three|just)\b.*\bdo\b", 0.7), (r"\b(?:ok|okay|fine|acceptable|alright)\b", 0.3),
              (r"\bjust (?:describe|one|a)\b", 0.5), (r"\bdescription\b|\bdescribe\b", 0.3),
              (r"\bdo i need (?:more|two|three|both)\b", 0.6), (r"\bonly one\b", 0.4),
              (r"\bcan i (?:use|count|include|submit)\b", 0.6), (r"\bis (?:it|that|this) ok\b", 0.5)),
        vocabulary=_CRITERION_WORDS,
    ),
    Intent(
        "criterion_wording", wording, needs="criterion",
        examples=(
            "what does ac say", "what is the wording of", "what's the exact wording", "read me criterion",
            "what is lo", "what is learning outcome", "what does it say exactly", "quote ac", "what's ac",
        ),
        cues=((r"\bwording\b|\bworded\b", 0.9), (r"\bexact(?:ly)?\b", 0.6), (r"\bsay(?:s)?\b", 0.5),
              (r"\bquote\b", 0.7), (r"\bread (?:me|out)\b", 0.6), (r"\btext of\b", 0.6), (r"\bword for word\b", 0.9),
              (r"^\s*(?:and\s+)?what(?:'s| is)\s+(?:ac|lo|learning outcome|criterion)\s*\d", 0.6)),
        vocabulary=_CRITERION_WORDS,
    ),
)
