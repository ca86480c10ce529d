"""Is it enough? What a learner proposes ("one model", "a description", "my SLT minutes") against a
criterion's minimum counts, its command verb and its requirements. Advice only: the assessor decides."""

from __future__ import annotations

import re

from knowledge.model import Criterion, Unit

ASSESSOR_DECIDES = "This is advice, not an assessment decision: your assessor decides."

_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "single": 1, "a single": 1, "just one": 1, "only one": 1,
                 "two": 2, "three": 3, "four": 4, "five": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_PROPOSAL = re.compile(
    r"\b(just one|only one|a single|single|one|two|three|four|five|[1-5]|an?)\s+(?:\w+\s+)??"
    r"(models?|theor(?:y|ies)|examples?|techniques?|strateg(?:y|ies)|options?|tools?|recommendations?|"
    r"sources?|pieces?|incidents?|factors?|styles?|methods?|activities|activity|barriers?|risks?|"
    r"frameworks?|case stud(?:y|ies)|stakeholders?|areas?|individuals?|people|aspects?|elements?|"
    r"bod(?:y|ies)|policies|policy|plans?|members?|leaders?|legislation)\b",
    re.IGNORECASE)
_DESCRIPTIVE = re.compile(r"\bdescri(?:be|ption|ptive|bing)\b|\blist\b|\bsummar(?:y|ise)\b|\bwrite[- ]?up\b",
                          re.IGNORECASE)
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


def command_verb(criterion: Criterion) -> str:
    words = criterion.text.split()
    verb = words[0].lower().strip(",:") if words else ""
    if verb == "critically" and len(words) > 1:
        verb = "critically " + words[1].lower()
    return verb


def _description_verdict(criterion: Criterion) -> str:
    verb = command_verb(criterion)
    if verb in _DESCRIPTION_FITS:
        return (f"AC{criterion.id} asks you to {verb}, so a clear description can be the right kind of "
                "evidence, provided it covers everything the criterion names.")
    return (f"AC{criterion.id} asks you to {verb}, not just describe: a description on its own is unlikely to "
            "be enough.")


def verdicts(criterion: Criterion, unit: Unit, text: str) -> list[str]:
    """What can be said about the proposal in ``text`` (counts, description vs the command verb, an item)."""
    out = _count_verdicts(criterion, text)
    if _DESCRIPTIVE.search(text):
        out.append(_description_verdict(criterion))
    item = _ITEM.search(text)
    if item and not out:
        out.append(f"Your {item.group(1)} could count towards AC{criterion.id} if it shows what the requirements "
                   "below ask for; on its own it counts only for what it actually demonstrates.")
    return out
