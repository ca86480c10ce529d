"""What an intent is, and what its handler receives.

Intent modules (``intents/``) declare an :class:`Intent`; the dialogue router resolves the slots
the intent ``needs`` (asking when a reference is ambiguous, declining when it names nothing)
before it calls the handler, so handlers only ever see resolved units and criteria.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.context import Context
from bot.db import Database
from bot.nlu.refs import References
from bot.records.people import Person
from bot.types import Message, Reply
from knowledge.kb import KnowledgeBase
from knowledge.model import Criterion, LearningOutcome, Qualification, Unit
from knowledge.search import SearchIndex

# What an intent needs resolved before its handler runs.
NEEDS = (None, "criterion", "unit", "qualification")


@dataclass
class Slots:
    """The message's references, resolved against the KB and the conversation."""

    text: str
    refs: References
    topic: str | None = None
    unit: Unit | None = None
    criterion: Criterion | None = None
    lo: LearningOutcome | None = None
    qualification: Qualification | None = None
    # Every criterion asked about ("what do 2.1 and 2.2 ask?"); ``criterion`` is the first.
    criteria: list[Criterion] = field(default_factory=list)
    # The fact asked (``bot.facets``): what the reply leads with; ``alternatives`` are the model's next
    # readings, for when the entity turns out not to hold the first ("how long is the review piece?":
    # not a timing, a word count).
    facet: str | None = None
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    # The person asked "shall I …?" said yes (an action that needed a confirmation runs now).
    confirmed: bool = False
    # A piece of work described after the request ("what could this count for? I led our …"); the
    # request itself is ``text``. Documents attached to the message are on ``Turn.message.files``.
    work: str = ""
    # A unit's fact asked with no unit named ("is the depth the minimum to teach?"), put to the qualification's
    # statements instead: they answer only a question that asks more than that fact (else: which unit?), and
    # more than ``unit_words``, the title words that half-named units ("procurement").
    unit_facet: str | None = None
    unit_words: frozenset[str] = frozenset()


@dataclass
class Turn:
    """Everything a handler may read: the KB, search, the store, who is speaking, the message, the
    conversation's context and the clock. ``own_units`` / ``own_qualifications`` come from the
    person's registrations and plan, and settle ambiguous references before the bot asks."""

    kb: KnowledgeBase
    search: SearchIndex
    message: Message
    context: Context
    now: datetime
    db: Database | None = None
    person: Person | None = None
    own_units: list[str] = field(default_factory=list)
    own_qualifications: list[str] = field(default_factory=list)


Handler = Callable[[Turn, Slots], Reply]
# Takes up an offer a reply of the intent made (``Reply.offer``): the reply, or None when the message
# isn't an answer to it (then it is read as a new message).
Accept = Callable[[Turn, dict[str, Any], str], Reply | None]


@dataclass(frozen=True)
class Intent:
    """An intent: name, what it needs, how people say it (examples, for the intent model), its handler."""

    name: str
    handler: Handler
    needs: str | None = None
    examples: tuple[str, ...] = ()
    # Words that belong to this intent's questions, not to unit titles (see bot.nlu.refs.extract).
    vocabulary: frozenset[str] = field(default_factory=frozenset)
    # It changes records: chosen only when the message names what it acts on.
    acts: bool = False
    # It reads a piece of work: a message with a document attached, or a request followed by a
    # description ("what could this count for? <the work>"), comes to it.
    reads_work: bool = False
    accept: Accept | None = None
    # When the message names no unit, offer these as choices: "planned" (the person's plan) or
    # "unplanned" (their qualification's units not yet in the plan).
    choose_from: str | None = None
    # The part of the message whose references the router resolves (default: all of it); e.g. an
    # evidence log resolves only criteria written before any unit, and never its evidence title.
    reference_text: Callable[[str], str] | None = None
    # It reads or changes someone's records: answered only where nobody else can read the answer.
    personal: bool = False
    # The facets (``bot.facets``) this intent answers, at its level (criterion, unit or qualification).
    facets: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.needs not in NEEDS:
            raise ValueError(f"{self.name}: unknown need {self.needs!r}")
