"""Clarifications: the bot's own question ("which unit?", "which date?") and the answer to it on the
next turn — a number, a code, title words, "yes"/"no", "cancel", or a new question instead.
"""

from __future__ import annotations

import re

from bot.context import Context, Pending
from bot.facets import FOLLOW_UP
from bot.intent import Intent, Slots, Turn
from bot.nlu.refs import References, extract, fits_hints
from bot.nlu.topics import detect_topic
from bot.nlu.understand import read
from bot.resolve import Resolution
from bot.route import CRITERION, QUALIFICATION, UNIT
from bot.types import Choice, Reply
from knowledge.titles import TitleMatcher

MAX_CHOICES = 8
NEW_QUESTION = 0.8        # a longer message read this surely is a new question, not the answer to ours
_CANCEL = re.compile(r"^\s*(?:cancel|never ?mind|forget it|stop|no thanks|nothing)\b", re.IGNORECASE)
_YES = re.compile(r"^\s*(?:yes|yeah|yep|yup|y|ok|okay|sure|please do|go ahead|do it|yes please|add it)\b",
                  re.IGNORECASE)
_NO = re.compile(r"^\s*(?:no|nope|nah|n|don't|do not|leave it)\b", re.IGNORECASE)


class Clarifications:
    """Mixed into ``Dialogue``: asking one short question and taking its answer."""

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
        elif len(slots.refs.qualifications) == 1 and not intent.personal and not slots.unit:
            # A qualification named in a question answered without it (a fee asked of it, declined) is still
            # what the next question ("and its age limit?") is about.
            context.qualification = slots.refs.qualifications[0]
            context.unit, context.ac = None, None

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
        if resolution.unnamed:
            question = "Which unit do you mean?"           # nothing pointed at one: no "fits" to speak of
        else:
            lead = f"{about} is in more than one unit" if about != "that" else "That fits more than one unit"
            question = f"{lead} — which one do you mean?"
        return Reply("clarify", intent.name, paragraphs=[question], choices=choices, facet=slots.facet)

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
