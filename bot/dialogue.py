"""The dialogue core: ``Dialogue.handle(message) -> list[Reply]``.

One turn: read the conversation's context from the store; if the bot was waiting on an answer
("which unit?"), try to read the message as that answer; otherwise read the message
(``bot.nlu.understand``: references, the fact asked, its parts), choose the level and the intent
(``bot.route``), resolve what it needs (asking or declining when that fails), run its handler, and
store what was discussed. Errors never reach the person as a traceback.

Three files, one job each: this one runs the turn (context, "more", running an intent and remembering
what it did); ``bot.readings`` chooses the intent for each reading of the message; ``bot.clarify`` asks
one short question when something is uncertain and takes the answer on the next turn.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime

from bot.clarify import Clarifications
from bot.context import Context, Pending
from bot.db import Database, DatabaseUnavailable
from bot.facets import UNIT_FACTS
from bot.intent import Intent, Slots, Turn
from bot.nlu.compare import listed_units
from bot.nlu.correct import corrected
from bot.nlu.model import IntentModel, load_model
from bot.nlu.understand import Reading
from bot.readings import ReadingRoutes
from bot.records.mentions import mention
from bot.records.names import names_of
from bot.records.people import person_for_identity
from bot.records.plan import plan_of
from bot.records.questions import log_question
from bot.records.registration import registrations_of
from bot.resolve import Resolution, resolve_criterion, resolve_qualification, resolve_unit
from bot.route import CRITERION, QUALIFICATION, UNIT
from bot.store import load_context, save_context
from bot.together import UnitsTogether
from bot.types import Message, Reply
from bot.work import WorkRoutes
from knowledge.kb import KnowledgeBase
from knowledge.search import SearchIndex
from knowledge.titles import words as title_words

log = logging.getLogger(__name__)

MAX_MESSAGE = 2000        # characters read from one message; longer ones are asked to be shorter
_NOTHING_TO_CANCEL = re.compile(r"^\s*(?:cancel|never ?mind|forget it|no thanks)\s*[.!]*\s*$", re.IGNORECASE)
_MORE = re.compile(r"^\s*(?:more|tell me more|more please|more detail|show more|go on|and more)\s*[.!?]*\s*$",
                   re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Rule topics a facet's answer is filed under, to know which specifications speak to it.
_FACET_TOPICS = {"registration": "registration", "age": "age", "entry": "entry", "induction": "induction",
                 "tutorial": "tutorial_support", "structure": "structure", "grading": "grading"}


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


class Dialogue(ReadingRoutes, Clarifications, WorkRoutes, UnitsTogether):
    """The platform-neutral conversation engine shared by every adapter."""

    def __init__(self, kb: KnowledgeBase, db: Database, intents: Iterable[Intent],
                 clock: Callable[[], datetime] | None = None, search: SearchIndex | None = None,
                 model: IntentModel | None = None):
        # The registry comes from the composition root (adapters.compose.make_dialogue): the core
        # routes to intents without knowing which there are.
        self.kb = kb
        self.db = db
        self.intents = {i.name: i for i in intents}
        self.search = search or SearchIndex(kb)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.model = model or load_model()
        self._question_words = _question_words(self.intents.values(), kb)
        self._names = names_of(db)
        # The model's labels that are records requests: each a records intent of its own.
        self._requests = frozenset(i.name for i in self.intents.values() if i.personal)

    # -- the turn ----------------------------------------------------------------------------
    def handle(self, message: Message, now: datetime | None = None) -> list[Reply]:
        """The replies to one message (never raises for anything a person can type)."""
        now = now or self.clock()
        try:
            with self.db.session():       # one pooled connection for the message's statements
                return self._handle(message, now)
        except DatabaseUnavailable:
            # The store is down or out of connections: a transaction under way was rolled back.
            log.warning("store unreachable while answering %r", message.text[:80])
            return [Reply("error", "store_unavailable", paragraphs=[
                "I can't reach my records right now, so I couldn't do that — please try again in a few "
                "minutes."])]
        except Exception:       # a bug must cost one answer, not the conversation
            log.exception("dialogue failed on %r", message.text[:200])
            return [Reply("error", "error", paragraphs=[
                "Sorry — something went wrong on my side while answering that. Please try again, "
                "or ask your tutor if it keeps happening."])]

    def _handle(self, message: Message, now: datetime) -> list[Reply]:
        text = clean_text(message.text)
        if not text and not message.files:
            return [Reply("clarify", "empty", paragraphs=["I didn't catch a question there — what would you "
                                                          "like to know?"], suggestions=["What can you do?"])]
        if len(text) > MAX_MESSAGE and not message.files:
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
        if message.files:
            reply = self._work(turn, text)
        if reply is None and _MORE.match(text):
            reply = self._more(context)
        if reply is None and context.pending and not context.pending.expired(now):
            reply = self._answer_pending(turn, text)
        if reply is None and context.offer:
            reply = self._take_offer(turn, text, now)
        if reply is None:
            reply = self._work(turn, text)
        if reply is None and _NOTHING_TO_CANCEL.match(text):
            reply = Reply("answer", "cancel", paragraphs=[
                "There's nothing waiting to cancel. (To stop your reminders, say “stop my reminders”.)"])
        if reply is None:
            context.pending = None
            reply = self._answer(turn, text)
        if reply.kind == "answer" and not _MORE.match(text):
            listed = listed_units([line for b in reply.bullets for line in b.items], self.kb.units.keys())
            context.listed = listed if len(listed) >= 2 else None
        if reply.more is not None:
            context.more = reply.more.as_json()
        elif not _MORE.match(text):
            context.more = None
        save_context(self.db, message.conversation, message.person, context.as_json(), now)
        return [reply]

    def _own(self, turn: Turn) -> None:
        """The person's qualifications and planned units: they settle ambiguous references."""
        assert turn.person is not None
        regs = [r for r in registrations_of(self.db, turn.person.id) if r.status in ("active", "on_break")]
        turn.own_qualifications = [r.qualification_id for r in regs]
        turn.own_units = [u.code for r in regs for u in plan_of(self.db, r.id)]

    def _more(self, context: Context) -> Reply | None:
        if not context.more:
            return Reply("answer", "more", paragraphs=["There's nothing more to add to my last answer — ask me "
                                                       "about a unit or criterion and I'll start there."])
        reply = Reply.from_json(context.more)
        context.more = None
        return reply

    # -- understanding -----------------------------------------------------------------------------
    def _undo(self, turn: Turn, reading: Reading) -> Reply:
        """Undo the last action; when the message corrects it ("no, I meant 503"), do it again corrected."""
        last = turn.context.last_action
        undone = self._run(turn, self.intents["undo"], Slots(text=reading.text, refs=reading.refs))
        if undone.kind != "done" or not last or last.get("intent") not in self.intents:
            return undone
        assert turn.person is not None
        names = {}
        before = mention(self.db, last["text"], turn.person)
        after = mention(self.db, reading.text, turn.person)
        if before and after and after.person is not None:
            names[before.name] = after.person.name or after.person.id
        again = corrected(last["text"], reading.text, self.kb, names)
        if again is None:
            return undone
        redone = self._run(turn, self.intents[last["intent"]], self._slots_for(again, last["intent"]))
        redone.paragraphs = undone.paragraphs + redone.paragraphs
        return redone

    # -- running an intent -----------------------------------------------------------------------
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
            # A criterion question without a criterion: asked of the unit (or of the qualification's rules).
            level = UNIT if (slots.refs.names_a_unit or turn.context.unit) else QUALIFICATION
            intent = self._intent_for(level, slots.facet or "overview")
            resolution = self._resolve(turn, intent, slots)
        if resolution.status == "none":
            # For an action the reference is bad input ("error"); for a question nothing exists ("decline").
            return Reply("error" if intent.acts else "decline", intent.name,
                         paragraphs=[resolution.message, "If you're not sure, your tutor can help."],
                         facet=slots.facet)
        together = self._units_together(turn, intent, slots, resolution)
        if together is not None:
            return together
        reply = None
        if resolution.status == "ask" and (resolution.unnamed or resolution.loose):
            intent, slots, reply = self._about_the_qualification(turn, intent, slots, resolution)
        if resolution.status == "ask" and reply is None and resolution.what == "qualification" and not intent.acts \
                and slots.facet not in UNIT_FACTS:
            reply = self._silent_everywhere(turn, intent, slots, resolution.candidates)
        if resolution.status == "ask" and reply is None:
            return self._ask(turn, intent, slots, resolution)
        if resolution.status == "ok" and reply is None:
            criterion = self._a_criterion_by_words(turn, intent, slots)
            if criterion is not None:
                return self._run(turn, *criterion)
        reply = reply or intent.handler(turn, slots)
        if reply.facet is None:
            reply.facet = slots.facet
        self._remember(turn.context, intent, slots)
        self._remember_action(turn, intent, slots.text, reply)
        if reply.kind == "answer" and turn.person is not None:
            # The topic only, never the words: what tutors see as "asked about most".
            log_question(self.db, turn.person.id, intent.name, slots.unit.code if slots.unit else None,
                         slots.topic or slots.facet, turn.now)
        return reply

    def _about_the_qualification(self, turn: Turn, intent: Intent, slots: Slots,
                                 resolution: Resolution) -> tuple[Intent, Slots, Reply | None]:
        """A unit question that points at no unit ("is the depth section the minimum to teach?"), or only by
        words several titles share ("does it build expertise in procurement and finance?"), may be about the
        qualification's rules: answered from its statements when they speak to it, else (``None``) the bot
        asks which unit."""
        rules = self.intents.get("qualification_rules")
        if rules is None or intent.acts or intent.personal:
            return intent, slots, None
        named = frozenset(w for code in resolution.candidates for w in title_words(self.kb.units[code].title))
        asked = Slots(text=slots.text, refs=slots.refs, topic=slots.topic, facet="rules", unit_facet=slots.facet,
                      unit_words=named)
        if self._resolve(turn, rules, asked).status != "ok":
            return intent, slots, None
        reply = rules.handler(turn, asked)
        return (rules, asked, reply) if reply.kind == "answer" else (intent, slots, None)

    def _silent_everywhere(self, turn: Turn, intent: Intent, slots: Slots, candidates: list[str]) -> Reply | None:
        """A decline, when a question would be asked of each qualification in turn and every specification
        declines it ("is there a fee for resubmitting?" asks nothing any of them says): asking which
        qualification first would only lead to the same decline. None when any one answers or asks back.
        (Not a unit's fact: a word count asked with no unit named is declined by every qualification's
        statements, yet a unit prints it.)"""
        replies = []
        for qualification in candidates:
            asked = replace(slots, qualification=self.kb.qualifications[qualification])
            replies.append(intent.handler(turn, asked))
            if replies[-1].kind != "decline":
                return None
        if not replies:
            return None
        return Reply("decline", intent.name, facet=slots.facet, paragraphs=[
            "None of the qualification specifications I know says anything about that, so I won't guess. Your "
            "tutor or centre can tell you."])

    def _resolve(self, turn: Turn, intent: Intent, slots: Slots) -> Resolution:
        if intent.needs == "criterion":
            return resolve_criterion(turn, slots, slots.facet)
        if intent.needs == "unit":
            criterion_in_context = (slots.facet == "ksbs" and turn.context.level == CRITERION and turn.context.ac
                                    and not slots.refs.names_a_unit)
            if (slots.refs.acs or slots.refs.lo or criterion_in_context) and not intent.personal:
                # A criterion named in a unit question is evidence for which unit ("ksbs for 700 AC1.1").
                found = resolve_criterion(turn, slots, slots.facet)
                if found.status != "unit_only":
                    return found
            return resolve_unit(turn, slots, intent.choose_from, slots.facet)
        if intent.needs == "qualification":
            return resolve_qualification(turn, slots, self._covering(slots), slots.facet)
        return Resolution("ok")

    def _covering(self, slots: Slots) -> list[str]:
        """Qualifications whose specification speaks to the question (all of them when it can't be told)."""
        topic = _FACET_TOPICS.get(slots.facet or "") or slots.topic
        if topic is None:
            return list(self.kb.qualifications)
        out = []
        for q in self.kb.qualifications.values():
            has_field = {"registration": q.registration_validity_months, "age": q.minimum_age,
                         "induction": q.induction_hours, "tutorial_support": q.tutorial_hours,
                         "structure": q.rules_of_combination, "entry": q.entry_requirements}.get(topic)
            if has_field or self.kb.rules_for(q.id, topic):
                out.append(q.id)
        return out

    def _remember_action(self, turn: Turn, intent: Intent, text: str, reply: Reply) -> None:
        """What an action needs kept: its open question (nothing stored until answered), what it stored (for
        "undo that"), and the person it was about (so that "she" or "him" in the next message means them)."""
        context = turn.context
        if reply.kind == "clarify" and reply.asks is not None:
            context.pending = Pending(what="slot", intent=intent.name, candidates=[c.value for c in reply.choices],
                                      asked_at=turn.now.isoformat(),
                                      slots={"text": text, "phrase": reply.asks.get("phrase"),
                                             "confirm": bool(reply.asks.get("confirm")),
                                             "before": bool(reply.asks.get("before"))})
        if reply.kind == "done" and reply.undo is not None:
            context.last_action = {**reply.undo, "intent": intent.name, "text": text}
        if reply.about:
            context.person = reply.about
        if reply.offer is not None:
            context.offer = {**reply.offer, "intent": intent.name, "made_at": turn.now.isoformat()}

    # -- asking and being answered ---------------------------------------------------------------
    # -- nothing to answer from ------------------------------------------------------------------
    def _not_covered(self, turn: Turn, reading: Reading) -> Reply:
        intent = self.intents.get("out_of_scope")
        if intent is not None:
            return self._run(turn, intent, Slots(text=reading.text, refs=reading.refs))
        return self._fallback(turn, reading)

    def _fallback(self, turn: Turn, reading: Reading) -> Reply:
        return Reply("decline", "fallback", paragraphs=[
            "I'm not sure what you're asking, and I'd rather not guess. I answer questions about the "
            "qualification specifications — units, assessment criteria, evidence and the rules. For anything "
            "else, your tutor is the best person to ask."],
            suggestions=["What can you do?", "What evidence does 8391-501 AC2.2 need?"])
