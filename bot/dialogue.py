"""The dialogue core: ``Dialogue.handle(message) -> list[Reply]``.

One turn: read the conversation's context from the store; if the bot was waiting on an answer
("which unit?"), try to read the message as that answer; otherwise extract references, choose an
intent, resolve what it needs (asking or declining when that fails), run its handler, and store
what was discussed. Errors never reach the person as a traceback.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlite_utils import Database

from bot.context import Context, Pending
from bot.intent import Intent, Slots, Turn
from bot.nlu.classify import CONFIDENT, MARGIN, score_intents
from bot.nlu.refs import References, extract
from bot.nlu.topics import detect_fact, detect_topic
from bot.records.people import person_for_identity
from bot.records.plan import plan_of
from bot.records.questions import log_question
from bot.records.registration import registrations_of
from bot.resolve import Resolution, resolve_criterion, resolve_qualification, resolve_unit
from bot.store import load_context, save_context
from bot.types import Choice, Message, Reply
from knowledge.kb import KnowledgeBase
from knowledge.search import SearchIndex
from knowledge.titles import TitleMatcher
from knowledge.titles import words as title_words

log = logging.getLogger(__name__)

MAX_CHOICES = 8
MAX_MESSAGE = 2000        # characters read from one message; longer ones are asked to be shorter
_CANCEL = re.compile(r"^\s*(?:cancel|never ?mind|forget it|stop|no thanks|nothing)\b", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FOLLOW_UP = re.compile(r"^\s*(?:and|what about|how about|also|then)\b", re.IGNORECASE)


def clean_text(text: str) -> str:
    """NFC, no control characters, single spaces: what the NLU reads."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip()


def _question_words(intents: Iterable[Intent], kb: KnowledgeBase) -> frozenset[str]:
    """Words of the intents' examples and vocabularies that are not unit-title words."""
    words: set[str] = set()
    for intent in intents:
        words |= intent.vocabulary
        for example in intent.examples:
            words.update(re.findall(r"[a-z]+", example.lower()))
    titles = {w for u in kb.units.values() for w in title_words(u.title)}
    return frozenset(words - titles)


class Dialogue:
    """The platform-neutral conversation engine shared by every adapter."""

    def __init__(self, kb: KnowledgeBase, db: Database, intents: Iterable[Intent] | None = None,
                 clock: Callable[[], datetime] | None = None, search: SearchIndex | None = None):
        if intents is None:
            from intents import INTENTS  # the router is the one place that knows the registry

            intents = INTENTS
        self.kb = kb
        self.db = db
        self.intents = {i.name: i for i in intents}
        self.search = search or SearchIndex(kb)
        self.clock = clock or (lambda: datetime.now(UTC))
        self._question_words = _question_words(self.intents.values(), kb)

    # -- the turn ----------------------------------------------------------------------------
    def handle(self, message: Message, now: datetime | None = None) -> list[Reply]:
        """The replies to one message (never raises for anything a person can type)."""
        now = now or self.clock()
        try:
            return self._handle(message, now)
        except Exception:       # a bug must cost one answer, not the conversation
            log.exception("dialogue failed on %r", message.text[:200])
            return [Reply("error", "error", paragraphs=[
                "Sorry — something went wrong on my side while answering that. Please try again, "
                "or ask your tutor if it keeps happening."])]

    def _handle(self, message: Message, now: datetime) -> list[Reply]:
        text = clean_text(message.text)
        if not text:
            return [Reply("clarify", "empty", paragraphs=["I didn't catch a question there — what would you "
                                                          "like to know?"], suggestions=["What can you do?"])]
        if len(text) > MAX_MESSAGE:
            return [Reply("clarify", "too_long", paragraphs=[
                f"That's a long message ({len(text):,} characters) — too long for me to read reliably. "
                "Could you ask your question in a sentence or two?"])]
        context = Context.from_json(load_context(self.db, message.conversation))
        person = person_for_identity(self.db, message.person, now)
        # Activity: the three-week check-in counts from the last message (bot.reminders.occurrences).
        self.db.execute("UPDATE people SET last_active_at = ? WHERE id = ?", [now.isoformat(), person.id])
        turn = Turn(self.kb, self.search, message, context, now, db=self.db, person=person)
        self._own(turn)
        reply = None
        if context.pending and not context.pending.expired(now):
            reply = self._answer_pending(turn, text)
        if reply is None:
            context.pending = None
            reply = self._answer(turn, text)
        save_context(self.db, message.conversation, message.person, context.as_json(), now)
        return [reply]

    def _own(self, turn: Turn) -> None:
        """The person's qualifications and planned units: they settle ambiguous references."""
        assert turn.person is not None
        regs = [r for r in registrations_of(self.db, turn.person.id) if r.status in ("active", "on_break")]
        turn.own_qualifications = [r.qualification_id for r in regs]
        turn.own_units = [u.code for r in regs for u in plan_of(self.db, r.id)]

    def _slots(self, text: str, refs: References | None = None) -> Slots:
        refs = refs or extract(text, self.kb, self._question_words)
        return Slots(text=text, refs=refs, topic=detect_topic(text))

    def _choose(self, slots: Slots, context: Context) -> Intent | None:
        scores = score_intents(slots.text, self.intents.values(), slots.refs,
                               slots.topic or detect_fact(slots.text))
        top = scores[0]
        runner_up = scores[1].score if len(scores) > 1 else 0.0
        refs = slots.refs
        names_something = refs.ac or refs.lo or refs.relative or refs.names_a_unit
        # A bare follow-up ("and 2.3?") repeats the last intent rather than guess a new one.
        last = self.intents.get(context.intent or "")
        if (names_something and last is not None and last.needs in ("criterion", "unit")
                and (_FOLLOW_UP.match(slots.text) or top.score < CONFIDENT)):
            return last
        if top.score >= CONFIDENT:
            chosen = self.intents[top.name]
            if top.score - runner_up < MARGIN and chosen.needs is None and names_something:
                # A close call between "no knowledge needed" and a knowledge intent, in a message
                # that names a unit or criterion: answer from the KB rather than brush it off.
                return self.intents[scores[1].name]
            return chosen
        # Not confident: let the references decide, or admit it.
        if refs.ac or refs.lo or refs.relative:
            return self.intents.get("criterion_evidence")
        if refs.names_a_unit:
            return self.intents.get("unit_overview")
        if slots.topic or refs.qualifications:
            return self.intents.get("qualification_rules")
        return None

    def _answer(self, turn: Turn, text: str) -> Reply:
        slots = self._slots(text)
        intent = self._choose(slots, turn.context)
        if intent is None:
            return self._fallback(turn, slots)
        if intent.reference_text is not None:
            slots.refs = self._references(intent, text)
        return self._run(turn, intent, slots)

    def _references(self, intent: Intent, text: str) -> References:
        """The references of the part of ``text`` the intent resolves (all of it by default)."""
        part = intent.reference_text(text) if intent.reference_text else text
        return extract(part, self.kb, self._question_words)

    def _run(self, turn: Turn, intent: Intent, slots: Slots) -> Reply:
        if intent.personal and turn.message.shared:
            # Decided here, once, for every platform: records are never shown to a channel.
            return Reply("denied", intent.name, paragraphs=[
                "That's about someone's records, which are private — so I only answer it in a direct message. "
                "Message me directly (in Slack you can also use /assess) and I'll answer there."])
        resolution = self._resolve(turn, intent, slots)
        if resolution.status == "unit_only" and intent.acts:
            resolution = Resolution("ok")        # the action's handler says what is missing
        if resolution.status == "unit_only":
            # A criterion question without a criterion: about a unit if one is named, else about the
            # qualification's rules when one is named ("senior leaders - can I just describe?").
            if not resolution.candidates and (slots.refs.qualifications or slots.topic) \
                    and "qualification_rules" in self.intents:
                intent = self.intents["qualification_rules"]
            else:
                intent = self.intents["unit_overview"]
            resolution = self._resolve(turn, intent, slots)
        if resolution.status == "none":
            # For an action the reference is bad input ("error"); for a question nothing exists ("decline").
            return Reply("error" if intent.acts else "decline", intent.name,
                         paragraphs=[resolution.message, "If you're not sure, your tutor can help."])
        if resolution.status == "ask":
            return self._ask(turn, intent, slots, resolution)
        reply = intent.handler(turn, slots)
        self._remember(turn.context, intent, slots)
        if reply.kind == "answer" and turn.person is not None:
            # The topic only, never the words: what tutors see as "asked about most".
            log_question(self.db, turn.person.id, intent.name, slots.unit.code if slots.unit else None,
                         slots.topic, turn.now)
        return reply

    def _resolve(self, turn: Turn, intent: Intent, slots: Slots) -> Resolution:
        if intent.needs == "criterion":
            return resolve_criterion(turn, slots)
        if intent.needs == "unit":
            return resolve_unit(turn, slots, intent.choose_from)
        if intent.needs == "qualification":
            return resolve_qualification(turn, slots, self._covering(slots.topic))
        return Resolution("ok")

    def _covering(self, topic: str | None) -> list[str]:
        """Qualifications whose specification speaks to ``topic`` (all of them when none is known)."""
        if topic is None:
            return list(self.kb.qualifications)
        out = []
        for q in self.kb.qualifications.values():
            has_field = {"registration": q.registration_validity_months, "age": q.minimum_age,
                         "induction": q.induction_hours, "tutorial_support": q.tutorial_hours,
                         "structure": q.rules_of_combination}.get(topic)
            if has_field or self.kb.rules_for(q.id, topic):
                out.append(q.id)
        return out

    def _remember(self, context: Context, intent: Intent, slots: Slots) -> None:
        context.intent = intent.name
        if slots.unit:
            context.unit = slots.unit.code
            if len(slots.unit.qualifications) == 1:
                context.qualification = slots.unit.qualifications[0]
        if slots.criterion:
            context.ac = slots.criterion.id
        if slots.lo:
            context.lo = slots.lo.number
        if slots.qualification:
            context.qualification = slots.qualification.id

    # -- asking and being answered ---------------------------------------------------------------
    def _ask(self, turn: Turn, intent: Intent, slots: Slots, resolution: Resolution) -> Reply:
        refs = slots.refs
        turn.context.pending = Pending(
            what=resolution.what, intent=intent.name, candidates=resolution.candidates,
            asked_at=turn.now.isoformat(),
            slots={"text": slots.text, "ac": refs.ac, "lo": refs.lo, "topic": slots.topic},
        )
        if resolution.what == "qualification":
            choices = [Choice(self._label("qualification", q), q) for q in resolution.candidates]
            return Reply("clarify", intent.name, paragraphs=["Which qualification are you asking about?"],
                         choices=choices)
        about = f"AC{refs.ac}" if refs.ac else (f"LO{refs.lo}" if refs.lo else "that")
        if not resolution.candidates:
            return Reply("clarify", intent.name, paragraphs=[
                "Which unit do you mean? Tell me its code (for example 8391-501) or its title."])
        if len(resolution.candidates) > MAX_CHOICES:
            return Reply("clarify", intent.name, paragraphs=[
                f"{len(resolution.candidates)} units have {about}. Which unit is yours? Tell me its code "
                "(for example 8391-501), its title, or your qualification (for example “level 5”)."])
        choices = [Choice(self._label("unit", c), c) for c in resolution.candidates]
        lead = f"{about} is in more than one unit" if about != "that" else "That fits more than one unit"
        return Reply("clarify", intent.name, paragraphs=[f"{lead} — which one do you mean?"], choices=choices)

    def _answer_pending(self, turn: Turn, text: str) -> Reply | None:
        pending = turn.context.pending
        assert pending is not None
        if _CANCEL.match(text):
            turn.context.pending = None
            return Reply("done", "cancel", paragraphs=["No problem — I've dropped that question."])
        refs = extract(text, self.kb, self._question_words)
        chosen = self._pick(pending, refs, text)
        if isinstance(chosen, list):                 # narrowed but still several: ask again
            pending.candidates = chosen
            choices = [Choice(self._label(pending.what, c), c) for c in chosen]
            return Reply("clarify", pending.intent, paragraphs=["Still more than one — which of these?"],
                         choices=choices)
        if chosen is None:
            return None       # not an answer to the question: handle it as a new message
        original = self._references(self.intents[pending.intent], pending.slots.get("text") or "")
        slots = Slots(text=pending.slots.get("text") or text, refs=original, topic=pending.slots.get("topic"))
        if pending.what == "qualification":
            slots.refs.qualifications = [chosen]
        else:
            slots.refs.units, slots.refs.title_units, slots.refs.unknown_units = [chosen], [], []
        turn.context.pending = None
        return self._run(turn, self.intents[pending.intent], slots)

    def _label(self, what: str, key: str) -> str:
        return self.kb.qualifications[key].title if what == "qualification" else f"{key} {self.kb.units[key].title}"

    def _pick(self, pending: Pending, refs: References, text: str) -> str | list[str] | None:
        """The candidate the reply picks, several if it narrows them, None if it isn't an answer."""
        candidates = pending.candidates
        if text.strip() in candidates:               # a button sends the candidate's own key
            return text.strip()
        if refs.choice_number is not None and candidates:
            n = refs.choice_number
            if n == -1:
                return candidates[-1]
            if 1 <= n <= len(candidates):
                return candidates[n - 1]
        if pending.what == "qualification":
            picked = [q for q in refs.qualifications if q in candidates]
            return picked[0] if len(picked) == 1 else (picked or None)
        named = refs.units or [code for code, _ in refs.title_units]
        if candidates:
            named = [c for c in named if c in candidates]
            if not named and refs.remainder:
                # Among the candidates only, any distinguishing word will do ("the school one").
                matcher = TitleMatcher({c: self.kb.units[c].title for c in candidates}, min_evidence=0.0)
                scores = matcher.score(refs.remainder)
                if scores:
                    best = max(scores.values())
                    named = [c for c in candidates if best - scores.get(c, -100.0) < 8.0]
            if not named and refs.qualifications:
                named = [c for c in candidates if set(self.kb.units[c].qualifications) & set(refs.qualifications)]
        if len(named) == 1:
            return named[0]
        return named or None

    # -- nothing matched ---------------------------------------------------------------------------
    def _fallback(self, turn: Turn, slots: Slots) -> Reply:
        return Reply("decline", "fallback", paragraphs=[
            "I'm not sure what you're asking, and I'd rather not guess. I answer questions about the "
            "qualification specifications — units, assessment criteria, evidence and the rules. For anything "
            "else, your tutor is the best person to ask."],
            suggestions=["What can you do?", "What evidence does 8391-501 AC2.2 need?"])
