"""The dialogue core: ``Dialogue.handle(message) -> list[Reply]``.

One turn: read the conversation's context from the store; if the bot was waiting on an answer
("which unit?"), try to read the message as that answer; otherwise read the message
(``bot.nlu.understand``: references, the fact asked, its parts), choose the level and the intent
(``bot.route``), resolve what it needs (asking or declining when that fails), run its handler, and
store what was discussed. Errors never reach the person as a traceback.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime

from bot.combine import combine
from bot.context import Context, Pending
from bot.db import Database, DatabaseUnavailable
from bot.facets import CRITERION_FACETS, FOLLOW_UP, KNOWLEDGE_FACETS, NOT_COVERED
from bot.intent import Intent, Slots, Turn
from bot.nlu.correct import corrected
from bot.nlu.model import IntentModel, load_model
from bot.nlu.refs import References, extract, fits_hints
from bot.nlu.topics import detect_topic
from bot.nlu.understand import Reading, read
from bot.records.mentions import mention
from bot.records.names import names_of
from bot.records.people import person_for_identity
from bot.records.plan import plan_of
from bot.records.questions import log_question
from bot.records.registration import registrations_of
from bot.resolve import Resolution, resolve_criterion, resolve_qualification, resolve_unit
from bot.route import CRITERION, QUALIFICATION, UNIT, default_facet, level_for
from bot.store import load_context, save_context
from bot.types import Choice, Message, Reply
from knowledge.kb import KnowledgeBase
from knowledge.search import SearchIndex
from knowledge.titles import TitleMatcher
from knowledge.titles import words as title_words

log = logging.getLogger(__name__)

MAX_CHOICES = 8
MAX_MESSAGE = 2000        # characters read from one message; longer ones are asked to be shorter
NOT_COVERED_SURE = 0.75   # "outside the specifications" is acted on at once from this probability
RECORDS_SURE = 0.5        # a records reading below this, with no records words, yields to a knowledge one
UNSURE = 0.3              # below this, and naming nothing, the bot admits it isn't sure
NEW_QUESTION = 0.8        # a longer message read this surely is a new question, not the answer to ours
ALTERNATIVE = 0.15        # a next reading this probable is tried when the entity lacks the first
OVERRIDE_SHARE = 0.5      # "not covered" yields to a next reading at least this share as probable
CRITERION_PRIOR = 0.6     # a message naming a criterion but read as something else this weakly …
CRITERION_FLOOR = 0.05    # … is read as the likeliest criterion question when that is at least this likely
_RECORDS_CUE = re.compile(r"\b(?:my|me|mine|i'?ve|i have|i'?m|i am|i'?ll|i will|i'?d|remind|add|drop|target|"
                          r"log|logged|mark|marked|pause|resume|cancel|submitted|plan|progress|learners?|"
                          r"cohort|group|behind|expir\w*|registration|sign(?:ed)? off|approve\w*|refer)\b",
                          re.IGNORECASE)
_FOLLOW_UP = re.compile(r"^\s*(?:and|what about|how about|same (?:for|on|with)|ok now|now|and for|and on)\b",
                        re.IGNORECASE)
FOLLOW_UP_SURE = 0.6      # a reading below this, in a message that opens like a follow-up, is one
_CORRECTION = re.compile(r"^\s*(?:sorry,?\s+)?(?:no,?\s+)?(?:wait,?\s+)?(?:i\s+)?mean[t]?\b|^\s*undo\b|"
                         r"^\s*(?:actually,?\s+)?(?:no,?\s+)?(?:make|change) (?:that|it) (?:to\s+)?|"
                         r"^\s*(?:actually,?\s+)?(?:no,?\s+)?undo that\b|^\s*scrap that\b|^\s*that's wrong\b",
                         re.IGNORECASE)
_CANCEL = re.compile(r"^\s*(?:cancel|never ?mind|forget it|stop|no thanks|nothing)\b", re.IGNORECASE)
_YES = re.compile(r"^\s*(?:yes|yeah|yep|yup|y|ok|okay|sure|please do|go ahead|do it|yes please|add it)\b",
                  re.IGNORECASE)
_NO = re.compile(r"^\s*(?:no|nope|nah|n|don't|do not|leave it)\b", re.IGNORECASE)
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


class Dialogue:
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
        if _MORE.match(text):
            reply = self._more(context)
        if reply is None and context.pending and not context.pending.expired(now):
            reply = self._answer_pending(turn, text)
        if reply is None and _NOTHING_TO_CANCEL.match(text):
            reply = Reply("answer", "cancel", paragraphs=[
                "There's nothing waiting to cancel. (To stop your reminders, say “stop my reminders”.)"])
        if reply is None:
            context.pending = None
            reply = self._answer(turn, text)
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
    def _answer(self, turn: Turn, text: str) -> Reply:
        readings = read(text, self.kb, self.model, self._question_words, self._role(turn), self._names.in_text(text))
        replies = [self._answer_reading(turn, r) for r in readings]
        asking = [r for r in replies if r.kind == "clarify"]
        if asking and len(replies) > 1:
            return asking[-1]     # one question at a time (the one the pending context now holds)
        return replies[0] if len(replies) == 1 else combine(replies)

    def _answer_reading(self, turn: Turn, reading: Reading) -> Reply:
        label, probability = reading.label, reading.probability
        refs = reading.refs
        if turn.context.last_action and _CORRECTION.match(reading.text):
            return self._undo(turn, reading)      # right after an action: "sorry, meant referred - …"
        names_something = bool(refs.acs or refs.lo or refs.relative or refs.names_a_unit)
        if (refs.acs or refs.lo) and label not in CRITERION_FACETS | {NOT_COVERED, FOLLOW_UP, "ksbs"} \
                and label not in self._requests and probability < CRITERION_PRIOR:
            # A criterion named is evidence for a criterion question; a weak other reading yields to it.
            criterion = next(((lb, p) for lb, p in reading.labels if lb in CRITERION_FACETS), None)
            if criterion and criterion[1] >= CRITERION_FLOOR:
                label, probability = criterion
        if label in self._requests:
            facet, p = next(((lb, pb) for lb, pb in reading.labels if lb in KNOWLEDGE_FACETS), ("", 0.0))
            unsure = probability < UNSURE or (probability < RECORDS_SURE and not _RECORDS_CUE.search(reading.text))
            if unsure and p >= CRITERION_FLOOR and (names_something or p >= ALTERNATIVE):
                # Records need records words ("my", a person, an action on the plan) and a sure reading;
                # without them a question about what the specification requires is answered from it.
                return self._knowledge(turn, reading, facet)
            return self._records(turn, reading, label)
        if label in ("help", "greeting", "thanks") and label in self.intents:
            return self._run(turn, self.intents[label], Slots(text=reading.text, refs=refs))
        if label == NOT_COVERED:
            second, p = next(((lb, pb) for lb, pb in reading.labels if lb in KNOWLEDGE_FACETS), ("", 0.0))
            # A close call: what the message names — a unit, a criterion, a qualification, a rule topic the
            # specifications have statements on — is evidence that it is about the specifications after all.
            evidence = names_something or bool(refs.qualifications) or self._has_topic(reading.text)
            if probability >= NOT_COVERED_SURE or not evidence or not second or p < ALTERNATIVE \
                    or p < OVERRIDE_SHARE * probability or self._unknown_level(refs):
                return self._not_covered(turn, reading)
            label = second
        if label != FOLLOW_UP and _FOLLOW_UP.match(reading.text) and len(reading.text.split()) <= 8 \
                and turn.context.facet and (refs.qualifications or names_something) \
                and (label == turn.context.facet or probability < FOLLOW_UP_SURE):
            label = FOLLOW_UP     # "what about on the level 5?": the last question, of what it names
        if label == FOLLOW_UP:
            label = default_facet(refs, turn.context) or ""
            if turn.context.question and label == turn.context.facet:
                # "what about on the L5?": the same question, asked of what this message names.
                refs = replace(refs, without_hints=f"{turn.context.question} {refs.without_hints}")
                reading = Reading(f"{turn.context.question} {reading.text}", refs, reading.labels)
        if label not in KNOWLEDGE_FACETS or (probability < UNSURE and not names_something
                                             and not refs.qualifications):
            return self._fallback(turn, reading)
        if self._unknown_level(refs) and not names_something:
            return self._not_covered(turn, reading)
        return self._knowledge(turn, reading, label)

    def _knowledge(self, turn: Turn, reading: Reading, facet: str) -> Reply:
        refs = reading.refs
        names_criterion = refs.acs or refs.relative or (refs.lo and facet in ("overview", "aim"))
        if facet in ("overview", "criteria", "outcomes", "aim") and names_criterion:
            facet = "wording"             # an overview of a criterion or an outcome is its wording
        level = level_for(facet, refs, turn.context, turn.own_qualifications)
        intent = self._intent_for(level, facet)
        alternatives = [(label, p) for label, p in reading.labels[1:4]
                        if label in KNOWLEDGE_FACETS and p >= ALTERNATIVE]
        slots = Slots(text=reading.text, refs=refs, topic=detect_topic(reading.text), facet=facet,
                      alternatives=alternatives)
        return self._run(turn, intent, slots)

    def _intent_for(self, level: str, facet: str) -> Intent:
        needs = {CRITERION: "criterion", UNIT: "unit", QUALIFICATION: "qualification"}[level]
        fitting = [i for i in self.intents.values() if i.needs == needs and facet in i.facets and not i.personal]
        if fitting:
            return fitting[0]
        # A criterion facet with no criterion intent of its own is answered for the whole unit.
        return next(i for i in self.intents.values() if i.needs == "unit" and i.facets and not i.personal)

    def _records(self, turn: Turn, reading: Reading, label: str) -> Reply:
        """A request about someone's records: the intent the model read, run on its own references."""
        if label == "undo":
            return self._undo(turn, reading)
        intent = self.intents[label]
        slots = Slots(text=reading.text, refs=reading.refs, topic=detect_topic(reading.text))
        if intent.reference_text is not None:
            slots.refs = self._references(intent, reading.text)
        return self._run(turn, intent, slots)

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

    @staticmethod
    def _role(turn: Turn) -> str | None:
        return turn.person.role if turn.person is not None else None

    def _references(self, intent: Intent, text: str) -> References:
        """The references of the part of ``text`` the intent resolves (all of it by default)."""
        part = intent.reference_text(text) if intent.reference_text else text
        return extract(part, self.kb, self._question_words)

    def _unknown_level(self, refs: References) -> bool:
        """A level no qualification or unit here has ("is there a level 4 version?"): not covered."""
        known = {q.level for q in self.kb.qualifications.values()} | {u.level for u in self.kb.units.values()}
        return bool(refs.levels) and not set(refs.levels) & known

    def _has_topic(self, text: str) -> bool:
        topic = detect_topic(text)
        return topic is not None and any(r.topic == topic for r in self.kb.rules)

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
        if resolution.status == "ask":
            return self._ask(turn, intent, slots, resolution)
        reply = intent.handler(turn, slots)
        if reply.facet is None:
            reply.facet = slots.facet
        self._remember(turn.context, intent, slots)
        self._remember_action(turn, intent, slots, reply)
        if reply.kind == "answer" and turn.person is not None:
            # The topic only, never the words: what tutors see as "asked about most".
            log_question(self.db, turn.person.id, intent.name, slots.unit.code if slots.unit else None,
                         slots.topic or slots.facet, turn.now)
        return reply

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

    def _remember_action(self, turn: Turn, intent: Intent, slots: Slots, reply: Reply) -> None:
        """What an action needs kept: its open question (nothing stored until answered), what it stored (for
        "undo that"), and the person it was about (for "remind her on Friday")."""
        context = turn.context
        if reply.kind == "clarify" and reply.asks is not None:
            context.pending = Pending(what="slot", intent=intent.name, candidates=[c.value for c in reply.choices],
                                      asked_at=turn.now.isoformat(),
                                      slots={"text": slots.text, "phrase": reply.asks.get("phrase"),
                                             "confirm": bool(reply.asks.get("confirm")),
                                             "before": bool(reply.asks.get("before"))})
        if reply.kind == "done" and reply.undo is not None:
            context.last_action = {**reply.undo, "intent": intent.name, "text": slots.text}
        if reply.about:
            context.person = reply.about

    def _answer_slot(self, turn: Turn, pending: Pending, text: str) -> Reply | None:
        """The answer to an action's question: re-run the action with it (the phrase asked about replaced
        by the answer), or with the confirmation; None when the message is something else."""
        original = pending.slots.get("text") or ""
        if pending.slots.get("confirm"):
            if _YES.match(text):
                turn.context.pending = None
                return self._run(turn, self.intents[pending.intent], self._slots_for(original, pending.intent,
                                                                                    confirmed=True))
            if _NO.match(text):
                turn.context.pending = None
                return Reply("done", pending.intent, paragraphs=["All right — I haven't changed anything."])
            return None
        answer = text.strip()
        refs = extract(answer, self.kb, self._question_words)
        if answer in pending.candidates:
            pass
        elif refs.choice_number is not None and 1 <= refs.choice_number <= len(pending.candidates):
            answer = pending.candidates[refs.choice_number - 1]
        elif len(answer.split()) > 6:
            return None           # a new request, not an answer
        phrase = pending.slots.get("phrase") or ""
        # The answer replaces the phrase asked about ("next Friday" → "18 December 2026"), or goes in front
        # of it when it completes it ("2.2" → "501 2.2").
        put = f"{answer} {phrase}" if pending.slots.get("before") else answer
        rerun = (re.sub(re.escape(phrase), put, original, count=1, flags=re.IGNORECASE)
                 if phrase and phrase.lower() in original.lower() else f"{original} {answer}")
        turn.context.pending = None
        return self._run(turn, self.intents[pending.intent], self._slots_for(rerun, pending.intent))

    def _slots_for(self, text: str, intent_name: str, confirmed: bool = False) -> Slots:
        return Slots(text=text, refs=self._references(self.intents[intent_name], text), topic=detect_topic(text),
                     confirmed=confirmed)

    def _remember(self, context: Context, intent: Intent, slots: Slots) -> None:
        context.intent = intent.name
        if intent.personal:
            context.facet = context.question = None
        elif slots.facet:
            context.facet = slots.facet
            if not (context.question and slots.text.startswith(context.question)):
                # Without the qualification it named: "what about on the L5?" asks it of another.
                context.question = slots.refs.without_hints or slots.text
        context.level = {"criterion": CRITERION, "unit": UNIT, "qualification": QUALIFICATION}.get(intent.needs or "")
        if slots.unit:
            context.unit = slots.unit.code
            if len(slots.unit.qualifications) == 1:
                context.qualification = slots.unit.qualifications[0]
        if slots.criterion:
            context.ac = slots.criterion.id
            context.level = CRITERION
        elif slots.unit and intent.needs == "unit":
            context.ac = None
        if slots.lo:
            context.lo = slots.lo.number
        if slots.qualification:
            context.qualification = slots.qualification.id
            if intent.needs == "qualification":
                context.unit, context.ac = None, None

    # -- asking and being answered ---------------------------------------------------------------
    def _ask(self, turn: Turn, intent: Intent, slots: Slots, resolution: Resolution) -> Reply:
        refs = slots.refs
        turn.context.pending = Pending(
            what=resolution.what, intent=intent.name, candidates=resolution.candidates,
            asked_at=turn.now.isoformat(),
            slots={"text": slots.text, "ac": refs.ac, "lo": refs.lo, "topic": slots.topic, "facet": slots.facet},
        )
        if resolution.what == "qualification":
            choices = [Choice(self._label("qualification", q), q) for q in resolution.candidates]
            return Reply("clarify", intent.name, paragraphs=["Which qualification are you asking about?"],
                         choices=choices, facet=slots.facet)
        about = f"AC{refs.ac}" if refs.ac else (f"LO{refs.lo}" if refs.lo else "that")
        if not resolution.candidates:
            return Reply("clarify", intent.name, paragraphs=[
                "Which unit do you mean? Tell me its code (for example 8391-501) or its title."], facet=slots.facet)
        if len(resolution.candidates) > MAX_CHOICES:
            return Reply("clarify", intent.name, paragraphs=[
                f"{len(resolution.candidates)} units have {about}. Which unit is yours? Tell me its code "
                "(for example 8391-501), its title, or your qualification (for example “level 5”)."],
                facet=slots.facet)
        choices = [Choice(self._label("unit", c), c) for c in resolution.candidates]
        lead = f"{about} is in more than one unit" if about != "that" else "That fits more than one unit"
        return Reply("clarify", intent.name, paragraphs=[f"{lead} — which one do you mean?"], choices=choices,
                     facet=slots.facet)

    def _answer_pending(self, turn: Turn, text: str) -> Reply | None:
        pending = turn.context.pending
        assert pending is not None
        if _CANCEL.match(text):
            turn.context.pending = None
            return Reply("done", "cancel", paragraphs=["No problem — I've dropped that question."])
        if pending.what == "slot":
            return self._answer_slot(turn, pending, text)
        refs = extract(text, self.kb, self._question_words)
        chosen = self._pick(pending, refs, text)
        if not isinstance(chosen, str) and len(text.split()) > 4:
            label, p = read(text, self.kb, self.model, self._question_words, self._role(turn),
                            self._names.in_text(text))[0].labels[0]
            if label != FOLLOW_UP and p >= NEW_QUESTION:
                return None       # a whole new question, not an answer to ours
        if isinstance(chosen, list):                 # narrowed but still several: ask again
            pending.candidates = chosen
            choices = [Choice(self._label(pending.what, c), c) for c in chosen]
            return Reply("clarify", pending.intent, paragraphs=["Still more than one — which of these?"],
                         choices=choices)
        if chosen is None:
            return None       # not an answer to the question: handle it as a new message
        original = self._references(self.intents[pending.intent], pending.slots.get("text") or "")
        slots = Slots(text=pending.slots.get("text") or text, refs=original, topic=pending.slots.get("topic"),
                      facet=pending.slots.get("facet"))
        if pending.what == "qualification":
            slots.refs.qualifications = [chosen]
            slots.refs.named_qualifications = [chosen]
        else:
            slots.refs.units, slots.refs.title_units, slots.refs.unknown_units = [chosen], [], []
            slots.refs.position = None
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
        top = max((s for _, s in refs.title_units), default=0.0)
        named = refs.units or [code for code, s in refs.title_units if top - s < 8.0]
        if candidates:
            named = [c for c in named if c in candidates]
            if not named and refs.remainder:
                # Among the candidates only, any distinguishing word will do ("the school one").
                matcher = TitleMatcher({c: self.kb.units[c].title for c in candidates}, min_evidence=0.0)
                scores = matcher.score(refs.remainder)
                if scores:
                    top = max(scores.values())
                    named = [c for c in candidates if top - scores.get(c, -100.0) < 8.0]
            if not named and (refs.qualifications or refs.levels):
                named = [c for c in candidates if self._fits(c, refs)]
        if len(named) == 1:
            return named[0]
        return named or None

    def _fits(self, code: str, refs: References) -> bool:
        if refs.named_qualifications or refs.levels:
            return fits_hints(self.kb, code, refs)
        return bool(set(self.kb.units[code].qualifications) & set(refs.qualifications))

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
