"""The intent model's training set, generated from templates × the KB's own vocabulary × noise.

Deterministic for a seed: the same KB, templates and intents give the same sentences, so the model
trained on them (``bot.nlu.train``) is reproducible and ``assessbot nlu check`` can prove the
committed weights are up to date. Nothing here runs when the bot answers a message.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from knowledge.kb import KnowledgeBase
from knowledge.model import Qualification, Unit

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED = 20261207
PER_LABEL = 420
# Labels that carry more of the traffic, or more varied wording, get more sentences.
WEIGHT = {"none": 2.0, "rules": 1.6, "evidence": 1.4, "sufficiency": 1.4, "bare": 0.8,
          "help": 0.3, "greeting": 0.3, "thanks": 0.3}
REQUEST_WEIGHT = 0.6        # each records intent: many labels, shorter and more regular sentences
ANY_ROLE = (None, "learner", "learner", "tutor", "manager")

_SLOT = re.compile(r"\{(\w+)\}")
# Title words that say little about which unit is meant; people name units by the others.
_GENERIC = frozenset("a an and the of in for to with on school managing management leading developing "
                     "strategic organisations organisational understanding".split())
_ABBREVIATIONS = (("management", "mgmt"), ("criterion", "crit"), ("criteria", "crit"), ("qualification", "qual"),
                  ("please", "pls"), ("you", "u"), ("level", "lvl"), ("evidence", "ev"), ("assessment", "assmt"),
                  ("learning outcome", "lo"), ("because", "cos"), ("with", "w/"), ("about", "abt"))
_PREFIXES = ("hi, ", "hi ", "quick question - ", "sorry to bother you, ", "hiya ", "hello, ", "morning, ",
             "quick one: ", "hey ", "can you tell me ", "i was wondering ", "sorry, ", "ok so ", "right, ")
# What busy people add about their situation (../shared/seeds 003): it says nothing about what is asked.
_CONTEXT = ("we've just had ofsted", "i work in a small primary", "our trust is taking on two more schools",
            "the budget round is hard work", "my head wants this done by easter", "i'm new to the role",
            "we had a new roof put on this year", "i'm doing this alongside a full time job",
            "my tutor is off sick", "we're converting to an academy", "i manage a team of twelve",
            "i've been in post five years", "it's been a mad term", "i'm in a federation of three schools",
            "our governors meet next week", "i'm not a teacher by background", "we've just restructured the office",
            "i did something similar last year", "i'm trying to get ahead over half term", "sorry if this is obvious")
_PRONOUNS = frozenset("her him them she he they his their my colleague the head".split())
PEOPLE_READ = 0.7     # a share of names is left as written: names that aren't on the roster aren't read as people
_NO_CONTEXT = frozenset({"greeting", "thanks", "help", "bare"})
_SUFFIXES = (" thanks", " cheers", " please", "?", " x", " ta", " thank you!", "??", " pls", " :)")


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    role: str | None = None       # who says it: the model reads the speaker's role too
    people: tuple[str, ...] = ()  # the people it names, as written (read as "zperson", like the roster's)


def _content_words(title: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", title.lower()) if w not in _GENERIC and len(w) > 2]


def _unit_forms(unit: Unit, rng: random.Random) -> str:
    """One way a person names ``unit``."""
    short = unit.short_code
    forms: list[tuple[float, str]] = [
        (3, unit.code), (3, short), (3, f"unit {short}"), (1, f"unit {unit.code}"), (1, f"{short} {unit.title}"),
        (2, unit.title), (2, unit.title.lower()),
    ]
    words = _content_words(unit.title)
    if words:
        picked = rng.sample(words, k=min(len(words), rng.choice((1, 1, 2))))
        phrase = " ".join(picked)
        forms += [(2, f"the {phrase} unit"), (1, f"{phrase}"), (1, f"the {phrase} one"), (1, f"{phrase} unit")]
    for ref in unit.reference_numbers:
        value = ref.get("value") or ""
        if re.fullmatch(r"[A-Z]\d\.\d{2}", value):
            forms += [(2, value), (1, value.lower()), (1, f"unit {value}")]
    weights, texts = zip(*forms, strict=True)
    return rng.choices(texts, weights=weights)[0]


def _ac_forms(ac: str, rng: random.Random) -> str:
    lo, n = ac.split(".")
    forms = [(3, f"AC{ac}"), (3, f"AC {ac}"), (2, f"ac{ac}"), (3, ac), (2, f"criterion {ac}"), (1, f"crit {ac}"),
             (1, f"assessment criterion {ac}"), (1, f"LO{lo} AC{n}"), (1, f"ac {ac}"), (1, f"criteria {ac}")]
    weights, texts = zip(*forms, strict=True)
    return rng.choices(texts, weights=weights)[0]


def _lo_forms(number: int, rng: random.Random) -> str:
    return rng.choice((f"LO{number}", f"LO {number}", f"learning outcome {number}", f"outcome {number}",
                       f"lo{number}"))


def _qualification_forms(q: Qualification, rng: random.Random) -> str:
    short = re.sub(r"^(?:ILM |City & Guilds )?Level \d ", "", q.title)
    words = [w for w in re.findall(r"[A-Z][a-z]+", short) if w not in ("Diploma", "Award", "Certificate")]
    forms = [(3, f"the level {q.level}"), (2, f"level {q.level}"), (2, f"L{q.level}"), (1, f"lvl {q.level}"),
             (2, f"the level {q.level} {'award' if 'Award' in q.title else 'diploma'}"), (2, q.title),
             (2, f"the {short.lower()}"), (1, f"ILM level {q.level}"), (1, f"the {q.title.lower()}")]
    if len(words) >= 2:
        forms.append((1, f"the {''.join(w[0] for w in words).lower()} {'award' if 'Award' in q.title else 'diploma'}"))
    weights, texts = zip(*forms, strict=True)
    return rng.choices(texts, weights=weights)[0]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def noisy(text: str, rng: random.Random, context: bool = True) -> str:
    """``text`` as people type it: lower case, no punctuation, a typo, an abbreviation, a greeting, a word
    about their situation."""
    if context and rng.random() < 0.15:
        clause = rng.choice(_CONTEXT)
        text = f"{clause}, {text}" if rng.random() < 0.4 else f"{text.rstrip('?')} - {clause}"
    if rng.random() < 0.25:
        words = text.split(" ")
        i = rng.randrange(len(words))
        words[i] = _typo(words[i], rng)
        text = " ".join(words)
    if rng.random() < 0.2:
        long, short = rng.choice(_ABBREVIATIONS)
        text = re.sub(rf"\b{long}\b", short, text, count=1, flags=re.IGNORECASE)
    if rng.random() < 0.25:
        text = rng.choice(_PREFIXES) + text
    if rng.random() < 0.15:
        text = text.rstrip("?.!") + rng.choice(_SUFFIXES)
    if rng.random() < 0.6:
        text = text.lower()
    if rng.random() < 0.35:
        text = re.sub(r"[?!.,:;\"]", "", text)
    return re.sub(r"\s+", " ", text).strip()


class _Filler:
    """Fills one template's slots consistently (an AC of the unit named, a qualification of it)."""

    def __init__(self, kb: KnowledgeBase, values: dict[str, list[str]], rng: random.Random):
        self.kb, self.values, self.rng = kb, values, rng
        self.units = sorted(kb.units.values(), key=lambda u: u.code)
        self.quals = sorted(kb.qualifications.values(), key=lambda q: q.id)

    def fill(self, template: str) -> str:
        text, _ = self.fill_with_people(template)
        return text

    def fill_with_people(self, template: str) -> tuple[str, tuple[str, ...]]:
        """The filled template and the people's names it used (not pronouns)."""
        rng = self.rng
        people: list[str] = []
        unit = rng.choice(self.units)
        criterion = rng.choice(unit.criteria)
        own = [q for q in self.quals if q.id in unit.qualifications]
        qual = rng.choice(own) if own and rng.random() < 0.7 else rng.choice(self.quals)

        def value(m: re.Match[str]) -> str:
            slot = m.group(1)
            if slot == "unit":
                return _unit_forms(unit, rng)
            if slot == "ac":
                return _ac_forms(criterion.id, rng)
            if slot == "lo":
                return _lo_forms(criterion.lo, rng)
            if slot == "qual":
                return _qualification_forms(qual, rng)
            if slot == "ac_words":
                # A few words of the criterion's own text: people quote the part they don't understand.
                words = criterion.text.lower().rstrip(".").split()
                start = rng.randrange(max(1, len(words) - 3))
                return " ".join(words[start:start + rng.choice((2, 3, 4))])
            chosen = rng.choice(self.values[slot])
            if slot in ("person", "name") and chosen.lower() not in _PRONOUNS:
                people.append(chosen)
            return chosen

        return _SLOT.sub(value, template), tuple(people)


def _older(path: Path) -> list[Example]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Example(item["text"], item["label"], item.get("role"), tuple(item.get("people") or ()))
            for item in map(json.loads, filter(None, lines))]


class Declared(Protocol):
    """What the training data reads from an intent (``bot.intent.Intent`` has it; taking the shape, not
    the class, keeps this package below the intent types)."""

    @property
    def name(self) -> str: ...
    @property
    def personal(self) -> bool: ...
    @property
    def examples(self) -> Sequence[str]: ...


def generate(kb: KnowledgeBase, intents: Iterable[Declared], seed: int = SEED,
             data_dir: Path = DATA_DIR) -> list[Example]:
    """The whole training set: question templates (any speaker), request templates and the records
    intents' own examples (the roles that say them), and the older evaluation sets' labelled questions."""
    rng = random.Random(seed)
    spec: dict[str, Any] = yaml.safe_load((data_dir / "questions.yaml").read_text(encoding="utf-8"))
    requests: dict[str, Any] = yaml.safe_load((data_dir / "requests.yaml").read_text(encoding="utf-8"))
    values = {**spec.pop("values"), **requests.pop("values")}
    templates: dict[str, tuple[list[str], tuple[str | None, ...], float]] = {
        label: (list(items), ANY_ROLE, WEIGHT.get(label, 1.0)) for label, items in spec.items()}
    for label, request in requests.items():
        templates[label] = (list(request["templates"]), tuple(request["roles"]), REQUEST_WEIGHT)
    for intent in intents:
        if intent.personal and intent.examples:
            known = templates.get(intent.name, ([], ("learner", "tutor", "manager"), REQUEST_WEIGHT))
            templates[intent.name] = ([*known[0], *intent.examples], known[1], known[2])
    filler = _Filler(kb, values, rng)
    out: list[Example] = []
    for label in sorted(templates):
        items, roles, weight = templates[label]
        count = math.ceil(PER_LABEL * weight)
        for i in range(count):
            template = items[i % len(items)] if i < len(items) else rng.choice(items)
            text, people = filler.fill_with_people(template)
            if i >= len(items):
                text = noisy(text, rng, context=label not in _NO_CONTEXT)
            read = tuple(p for p in people if rng.random() < PEOPLE_READ)
            out.append(Example(text, label, rng.choice(roles), read))
    for example in _older(data_dir / "older_sets.jsonl"):
        out += [example, Example(noisy(example.text, rng), example.label, example.role, example.people)]
    return out
