"""Which intent answers a reading of a message: the routing half of the dialogue core.

A reading is a part of a message with the labels the intent model gave it (``bot.nlu.understand``). The
thresholds below turn those probabilities, and what the message names, into one intent and its facet:
a records request needs records words, "not covered" yields to what the message names, a named
criterion favours a criterion question, a short "and …?" is a follow-up.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace

from bot.cite import cite_criterion, unit_label
from bot.combine import combine
from bot.facets import CRITERION_FACETS, FOLLOW_UP, KNOWLEDGE_FACETS, NOT_COVERED
from bot.intent import Intent, Slots, Turn
from bot.nlu.compare import comparison
from bot.nlu.criterion_words import criteria_saying, criterion_by_words, pointed_words
from bot.nlu.personal import personal_fact
from bot.nlu.refs import References, extract
from bot.nlu.topics import detect_topic
from bot.nlu.understand import Reading, has_content, naming_words, read
from bot.resolve import STRONG_TITLE
from bot.route import CRITERION, QUALIFICATION, UNIT, default_facet, level_for
from bot.types import Ref, Reply
from knowledge.kb import KnowledgeBase
from knowledge.ksbs import codes_in
from knowledge.search import stem
from knowledge.stopwords import STOP_WORDS

NOT_COVERED_SURE = 0.75   # "outside the specifications" is acted on at once from this probability
RECORDS_SURE = 0.5        # a records reading below this, with no records words, yields to a knowledge one
UNSURE = 0.3              # below this, and naming nothing, the bot admits it isn't sure
ALTERNATIVE = 0.15        # a next reading this probable is tried when the entity lacks the first
SHARED_WORDS = 3          # content words one statement must share for "not covered" to yield to it
SHARED_CRITERION_WORDS = 2   # … or a criterion the message names
OVERRIDE_SHARE = 0.5      # "not covered" yields to a next reading at least this share as probable
CRITERION_PRIOR = 0.6     # a message naming a criterion but read as something else this weakly …
CRITERION_FLOOR = 0.05    # … is read as the likeliest criterion question when that is at least this likely
# A qualification's printed facts: asked of two qualifications named apart, each answers.
_PRINTED_FACTS = frozenset({"credits", "glh", "tqt", "level", "number", "age", "registration", "structure",
                            "optional", "induction", "tutorial", "entry"})
# Facets whose question may be about one criterion the words point at, not the unit as a whole.
FINDS_CRITERION = frozenset({"overview", "sufficiency", "evidence", "depth", "wording", "criteria"})
# A question asking where something is: which unit or criterion covers it.
_LOCATING = re.compile(r"\b(?:which|what)\s+(?:unit|criterion|criteria|ac|assessment criterion)\b", re.IGNORECASE)
_RECORDS_CUE = re.compile(r"\b(?:my|me|mine|i'?ve|i have|i'?m|i am|i'?ll|i will|i'?d|remind|add|drop|target|"
                          r"log|logged|mark|marked|pause|resume|cancel|submitted|plan|progress|learners?|"
                          r"cohort|group|behind|expir\w*|registration|sign(?:ed)? off|approve\w*|refer)\b",
                          re.IGNORECASE)
_FOLLOW_UP = re.compile(r"^\s*(?:(?:ok|okay|right|so|cool|great|thanks)[,!.]?\s+)?"
                        r"(?:and|what about|how about|same (?:for|on|with)|now|and for|and on|next one|next)\b",
                        re.IGNORECASE)
FOLLOW_UP_SURE = 0.6      # a reading below this, in a message that opens like a follow-up, is one
# Asked to do the learner's work for them ("can you write my reflective account?"): never the bot's to do, and
# no specification fact is asked, whatever the words name (a word count, a unit).
_DO_MY_WORK = re.compile(r"(?:\b(?:can|could|will|would)\s+you\s+(?:just\s+|please\s+|pls\s+)?(?:(?:write|draft|do|"
                         r"complete|rewrite|re-write|proofread|proof-read|mark|grade)\s+(?:my|our|this|me\s+a)\b|"
                         # Writing someone's evidence ("write the <testimony, statement …> for …"): it has
                         # to be the witness's, or the learner's, own.
                         r"(?:write|draft|rewrite|re-write)\s+(?:up\s+)?(?:the|a|an|her|his|their)\s+(?:\w+\s+)?"
                         r"(?:statement|testimony|reflection|review|report|assignment|essay|account|log|summary|"
                         r"answer|evidence|proposal|case)s?\b)|"
                         # The same asked outright ("write me a …", "draft my …").
                         r"(?:^|[.!?]\s+)(?:please\s+|pls\s+)?(?:write|draft|rewrite|re-write|proofread|proof-read)\s+"
                         r"(?:me\s+(?:a|an|my)|my|our)\b)"
                         # "… mark my 2.1 as done" is an action on the plan.
                         r"(?![^?.]*\bas\s+(?:met|done|complete|completed|achieved|referred|finished)\b)",
                         re.IGNORECASE)
# Someone's age given ("our admin is 18", "a 17 year old", "aged 18"): the minimum age is what is asked.
_AGE_GIVEN = re.compile(r"\b(?:aged?\s+1\d|1\d[\s-]*(?:years?|yrs?)[\s-]*old|(?:is|she's|he's|i'm|im|i am|they're|"
                        r"they are)\s+(?:only\s+|just\s+)?1\d\b(?!\s*(?:credits?|glh|hours?|words?|minutes?|%|units?))|"
                        r"too young|under[\s-]?age)", re.IGNORECASE)
# Joining a qualification: with someone's age given, what is asked is the minimum age.
_JOINING = re.compile(r"\b(?:regist\w*|enrol\w*|sign(?:ed)? (?:up|on)|join\w*|start\w*|apply\w*|take (?:it|this|the)|"
                      r"do (?:it|this|the))\b", re.IGNORECASE)
# Asked to teach a model or theory the specifications only name ("explain the <name> matrix", "what are
# <name>'s steps"): general knowledge, which no specification gives.
_EXPLAIN_THEORY = re.compile(r"\b(?:explain|describe|tell me about|teach me|go through|summari[sz]e|"
                             r"what (?:are|is|were)|how (?:does|do)|list)\b[^?.]*?"
                             r"\b(?P<name>(?:[a-z0-9'’]+[\s-]+){1,3})(?:model|matrix|theory|framework|grid|"
                             r"(?<=['’]s )(?:\w+\s+)?(?:steps|stages|phases|principles|levels|roles|hierarchy|cycle|"
                             r"styles|dimensions|quadrants|forces|needs|factors|web|curve|pyramid|wheel|triangle|"
                             r"loop))\b",
                             re.IGNORECASE)
_CORRECTION = re.compile(r"^\s*(?:sorry,?\s+)?(?:no,?\s+)?(?:wait,?\s+)?(?:i\s+)?mean[t]?\b|^\s*undo\b|"
                         r"^\s*(?:actually,?\s+)?(?:no,?\s+)?(?:make|change) (?:that|it) (?:to\s+)?|"
                         r"^\s*(?:actually,?\s+)?(?:no,?\s+)?undo that\b|^\s*scrap that\b|^\s*that's wrong\b",
                         re.IGNORECASE)


def _content_stems(text: str) -> set[str]:
    """The stems of a text's words of four letters or more, stop words aside."""
    return {stem(w) for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in STOP_WORDS}


_NAME_AT_MOST = 3        # places named in a decline
_RARE = 8                # a word printed in this few places, at most, can be a name ("Kraljic", "Kotter")


@functools.cache
def _printed_texts(kb: KnowledgeBase) -> tuple[tuple[str, str, str], ...]:
    """Each criterion's printed words (wording, requirements, depth) with its unit and number, and each rule
    statement (unit and number empty), lower case."""
    return tuple((u.code, c.id, " ".join([c.text, *c.requirements, *c.depth]).lower())
                 for u in kb.units.values() for c in u.criteria) + tuple(("", "", r.text.lower()) for r in kb.rules)


@functools.lru_cache(maxsize=4096)
def _places_printing(kb: KnowledgeBase, word: str) -> int:
    """How many criteria and statements print ``word`` (within a word too: "kotter" in "Kotter's")."""
    return sum(word in t for _, _, t in _printed_texts(kb))


class ReadingRoutes:
    """Mixed into ``Dialogue``: the intent and facet for each reading."""

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
        if refs.title_units and not (refs.units or refs.position) and turn.context.ac and turn.context.unit \
                and max(self.kb.title_coverage(refs.remainder, c) for c, _ in refs.title_units) < STRONG_TITLE \
                and has_content(reading.text, refs, naming_words(self.kb, refs)):
            # While a criterion is discussed, a title word in passing ("my line manager would write it") names
            # no unit: the message says more than a unit's name, and little of any title.
            refs = replace(refs, title_units=[])
            reading = Reading(reading.text, refs, reading.labels)
        names_something = bool(refs.acs or refs.lo or refs.relative or refs.names_a_unit)
        if comparison(reading.text) and "compare_units" in self.intents and label not in self._requests:
            # "Which of them carries the most GLH?": a superlative over units, not one unit's fact.
            return self._run(turn, self.intents["compare_units"], Slots(text=reading.text, refs=refs))
        if "ksb_criteria" in self.intents and not refs.acs and label not in self._requests \
                and codes_in(reading.text, self.kb):
            # A KSB code is a reference, as an AC number is: "which AC covers K7?" is answered from the
            # criteria that print it.
            return self._run(turn, self.intents["ksb_criteria"], Slots(text=reading.text, refs=refs))
        if _DO_MY_WORK.search(reading.text) and label not in self._requests:
            return Reply("decline", "out_of_scope", facet="out_of_scope", paragraphs=[
                "I can't write, mark or finish your work for you: it has to be your own, and your assessor "
                "decides on it. Your tutor can help you plan it, and I can tell you what a criterion asks for, "
                "what evidence it needs, or what the brief and word count are."])
        # Before any criterion number is settled: "explain the <name> model, the spec just names it for 2.2" asks for
        # the theory, not the criterion.
        theory = self._theory_named(reading.text) if label not in self._requests else None
        if theory is not None:
            return self._theory_declined(theory)
        personal = personal_fact(reading.text)
        if personal == "verification":
            return Reply("decline", "progress_unit", facet="verification", paragraphs=[
                "Whether a piece of work has been verified or moderated isn't something I hold: the records here "
                "keep your assessor's decisions, not the quality checks after them. Your tutor or centre can tell "
                "you.", "To see the decisions recorded for you, try “how am I doing?”."])
        if personal and (label not in self._requests or probability < RECORDS_SURE):
            # The asker's own tutor, marks or deadline: the records hold them, or nobody here does.
            # Which unit matters only to someone with records to look in (the speaker's, or a person named).
            by_unit = refs.names_a_unit and bool(turn.own_qualifications or self._names.in_text(reading.text))
            name = {"people": "my_people", "results": "progress_unit" if by_unit else "progress_overall",
                    "due": "progress_unit" if by_unit else "show_plan"}[personal]
            if name in self.intents:
                return self._records(turn, reading, name)
        if (refs.acs or refs.lo) and label not in CRITERION_FACETS | {NOT_COVERED, FOLLOW_UP, "ksbs"} \
                and label not in self._requests and probability < CRITERION_PRIOR:
            # A criterion named is evidence for a criterion question; a weak other reading yields to it.
            criterion = next(((lb, p) for lb, p in reading.labels if lb in CRITERION_FACETS), None)
            if criterion and criterion[1] >= CRITERION_FLOOR:
                label, probability = criterion
        if label in self._requests:
            facet, p = next(((lb, pb) for lb, pb in reading.labels if lb in KNOWLEDGE_FACETS), ("", 0.0))
            # Someone on the roster named is the surest records word: no specification names a learner.
            names_a_person = bool(self._names.in_text(reading.text))
            unsure = not names_a_person and (probability < UNSURE or (probability < RECORDS_SURE
                                                                      and not _RECORDS_CUE.search(reading.text)))
            if unsure and p >= CRITERION_FLOOR and (names_something or p >= ALTERNATIVE):
                # Records need records words ("my", a person, an action on the plan) and a sure reading;
                # without them a question about what the specification requires is answered from it.
                return self._knowledge(turn, reading, facet)
            reply = self._records(turn, reading, label)
            if reply.kind == "denied" and facet and p >= CRITERION_FLOOR \
                    and not names_a_person:
                # A request this person may not make (a learner asking whose registrations expire) may be
                # a question about the specification in records words ("…if my registration expires before
                # I finish?"): what the specification says, or that it doesn't, before a refusal.
                answer = self._knowledge(turn, reading, facet)
                if answer.kind in ("answer", "decline"):
                    return answer
            if reply.kind == "decline" and facet and p >= CRITERION_FLOOR and not names_a_person \
                    and not turn.own_qualifications:
                # Someone with no records asks what could be a records question ("will I get an assessment
                # plan?"): the records have nothing to say, the specification may.
                answer = self._knowledge(turn, reading, facet)
                if answer.kind == "answer":
                    return answer
            return reply
        if refs.other_qualification and not refs.named_qualifications and not (refs.units or refs.acs):
            return self._another_qualification(refs.other_qualification)
        if label in ("help", "greeting", "thanks") and label in self.intents:
            return self._run(turn, self.intents[label], Slots(text=reading.text, refs=refs))
        if label == NOT_COVERED and _AGE_GIVEN.search(reading.text) and _JOINING.search(reading.text) \
                and not (refs.acs or refs.lo or refs.names_a_unit):
            label = "age"       # "my son is 18, can he register on this?": a person's age and joining asks the minimum
        if label == NOT_COVERED and (refs.acs or refs.lo) and not has_content(reading.text, refs):
            # Naming a criterion and asking nothing else ("in my <unit> whats <AC>") asks about that criterion:
            # nothing in it is outside the specifications.
            label = FOLLOW_UP
        if label == NOT_COVERED:
            second, p = next(((lb, pb) for lb, pb in reading.labels if lb in KNOWLEDGE_FACETS), ("", 0.0))
            # A close call: what the message names — a unit, a criterion, a qualification, a rule topic the
            # specifications have statements on — is evidence that it is about the specifications after all.
            evidence = names_something or bool(refs.qualifications) or self._has_topic(reading.text)
            if self._a_criterion_says_it(reading.text, refs):
                # "<unit> AC<n> - how many <things it requires>?": the criterion named speaks of what is asked.
                second = next((lb for lb, _ in reading.labels if lb in CRITERION_FACETS), "evidence")
            elif probability >= NOT_COVERED_SURE or not evidence or not second or p < ALTERNATIVE \
                    or p < OVERRIDE_SHARE * probability or self._unknown_level(refs):
                if not self._a_statement_says_it(refs, turn.own_qualifications):
                    return self._not_covered(turn, reading)
                second = "rules"
            label = second
        if label != FOLLOW_UP and _FOLLOW_UP.match(reading.text) and len(reading.text.split()) <= 8 \
                and turn.context.facet and (refs.qualifications or names_something) \
                and (label == turn.context.facet or probability < FOLLOW_UP_SURE):
            label = FOLLOW_UP     # "what about on the level 5?": the last question, of what it names
        if label == FOLLOW_UP:
            if refs.relative in ("next", "previous") and refs.names_a_unit:
                # "Next one - <another unit>?": the next question, of that unit; a step between criteria
                # is taken within the unit discussed, which this message leaves.
                refs = replace(refs, relative=None)
                reading = Reading(reading.text, refs, reading.labels)
            label = default_facet(refs, turn.context) or ""
            if turn.context.question and label == turn.context.facet:
                # "what about on the L5?": the same question, asked of what this message names.
                refs = replace(refs, without_hints=f"{turn.context.question} {refs.without_hints}")
                reading = Reading(f"{turn.context.question} {reading.text}", refs, reading.labels)
        if label not in KNOWLEDGE_FACETS or (probability < UNSURE and not names_something
                                             and not refs.qualifications):
            where = self._where(turn, reading) if label not in self._requests else None
            if isinstance(where, Reading):
                # "Which unit has <what a criterion prints> in it?", however the model read it: where it is.
                return self._knowledge(turn, where, "wording")
            return where or self._fallback(turn, reading)
        if self._unknown_level(refs) and not names_something:
            return self._not_covered(turn, reading)
        return self._knowledge(turn, reading, label)

    def _knowledge(self, turn: Turn, reading: Reading, facet: str) -> Reply:
        refs = reading.refs
        # Located by words whatever the reading (a rules question too), but not a unit's printed fact.
        where = self._where(turn, reading) if facet in FINDS_CRITERION | {"rules"} else None
        if isinstance(where, Reply):
            return where
        if where is not None:
            reading, refs, facet = where, where.refs, "wording"
        pointed = self._pointed_in_context(turn, reading)
        if pointed is not None:
            reading, refs = pointed, pointed.refs
            facet = facet if facet in ("sufficiency", "evidence", "depth", "wording") else "evidence"
        if (refs.acs or refs.lo) and facet not in CRITERION_FACETS \
                and not has_content(reading.text, refs, naming_words(self.kb, refs)):
            # A criterion or an outcome named and nothing else asked ("L6 SBM - LO1 of <unit>?"): its wording,
            # whatever fact the qualification's name made the message sound like.
            facet = "wording"
        if refs.named_qualifications and refs.title_units and facet in _PRINTED_FACTS \
                and not (refs.units or refs.position or refs.acs or refs.lo) \
                and 0 < max(self.kb.title_coverage(refs.remainder, c) for c, _ in refs.title_units) < STRONG_TITLE:
            # A qualification's printed fact asked by its name, a unit's title word in passing ("… finance want
            # it for a form"): the qualification's fact, not a unit's. (A part of a message that names the unit
            # elsewhere inherits the unit, with no title word of its own: that is kept.)
            refs = replace(refs, title_units=[])
            reading = Reading(reading.text, refs, reading.labels)
        if len(refs.each_qualification) >= 2 and facet in _PRINTED_FACTS \
                and not (refs.names_a_unit or refs.acs or refs.lo) \
                and level_for(facet, refs, turn.context, turn.own_qualifications) == QUALIFICATION:
            # "<fact> of <one qualification> vs <another>?": the question asked of each, one answer.
            return combine([self._knowledge(turn, Reading(reading.text, replace(
                refs, qualifications=[q], named_qualifications=[q], each_qualification=[]), reading.labels), facet)
                for q in refs.each_qualification])
        if facet in ("registration", "entry", "rules") and _AGE_GIVEN.search(reading.text) \
                and not (refs.acs or refs.lo or refs.names_a_unit):
            facet = "age"                 # someone's age given with a registration question asks the minimum age
        names_criterion = refs.acs or refs.relative or (refs.lo and facet in ("overview", "aim"))
        if facet in ("overview", "criteria", "outcomes", "aim") and names_criterion:
            facet = "wording"             # an overview of a criterion or an outcome is its wording
        if facet == "rules" and refs.acs and refs.names_a_unit:
            # "<unit> <AC> - may my <evidence> be <something>?": what that criterion asks for
            # answers it, not the qualification's rules in general.
            facet = "evidence"
        level = level_for(facet, refs, turn.context, turn.own_qualifications)
        intent = self._intent_for(level, facet)
        alternatives = [(label, p) for label, p in reading.labels[1:4]
                        if label in KNOWLEDGE_FACETS and p >= ALTERNATIVE]
        slots = Slots(text=reading.text, refs=refs, topic=detect_topic(reading.text), facet=facet,
                      alternatives=alternatives)
        return self._run(turn, intent, slots)

    def _where(self, turn: Turn, reading: Reading) -> Reading | Reply | None:
        """"Which criterion is about <a subject>?", within the one qualification named, being discussed or
        studied: the reading of the one criterion that speaks of it; or, when several print it, a reply quoting
        and citing each; None when the question locates nothing or nothing prints it."""
        quals = self._locating_in(turn, reading)
        if quals is None:
            return None
        units = list(self.kb.qualifications[quals].units)
        found = criterion_by_words(self.kb, reading.text, units)
        if found is not None:
            return Reading(reading.text, replace(reading.refs, units=[found[0]], acs=[found[1]], title_units=[]),
                           reading.labels)
        several = criteria_saying(self.kb, reading.text, units)
        if len(several) < 2:
            return None
        reply = Reply("answer", "criterion_wording", facet="wording", refs=[Ref(code, ac) for code, ac in several],
                      citation="; ".join(cite_criterion(self.kb, self.kb.units[code], self.kb.criterion(code, ac))
                                         for code, ac in several))
        reply.add_list("More than one criterion speaks of that", [
            f"{unit_label(self.kb.units[code])} AC{ac}: “{self.kb.criterion(code, ac).text}”"
            for code, ac in several])
        return reply

    def _theory_named(self, text: str) -> list[str] | None:
        """The name of a model or theory a message asks to have explained ("explain the <name> matrix"): the
        words before "model", "matrix", "theory" … that the knowledge base prints rarely or never (a proper
        name, not "assessment" or "quality"); None when there is no such request."""
        m = _EXPLAIN_THEORY.search(text)
        if m is None:
            return None
        name = [w for w in re.findall(r"[a-z]{4,}", m.group("name").lower()) if w not in STOP_WORDS]
        # A name is a word the knowledge base never prints, or prints only in a few places: "<Name>'s two factor
        # theory" is named by its author, however common "factor" is.
        return [w for w in name if _places_printing(self.kb, w) <= _RARE] or None

    def _theory_declined(self, name: list[str]) -> Reply:
        """A model or theory to be explained: declined, saying which criteria name it, if any do."""
        printed = _printed_texts(self.kb)
        named = [(code, ac) for code, ac, t in printed if ac and all(w in t for w in name)][:_NAME_AT_MOST]
        where = (" It is named in " + ", ".join(f"{code} AC{ac}" for code, ac in named)
                 + f" — ask me what {'that criterion needs' if len(named) == 1 else 'those criteria need'}.") \
            if named else ""
        return Reply("decline", "out_of_scope", facet="out_of_scope", refs=[Ref(code, ac) for code, ac in named],
                     paragraphs=["I can't teach a model or theory: the specifications say what to cover, not "
                                 "the theory itself." + where, "Your tutor or your course materials are the place "
                                 "for the explanation."])

    def _locating_in(self, turn: Turn, reading: Reading) -> str | None:
        """The one qualification a locating question ("which criterion …") is asked within, or None when it
        names a unit (title words in passing, "strategic" of a subject, don't name the one looked for)."""
        refs = reading.refs
        titled = bool(refs.title_units) and max(self.kb.title_coverage(refs.remainder, c)
                                                for c, _ in refs.title_units) >= STRONG_TITLE
        if refs.acs or refs.lo or refs.relative or refs.units or refs.position or titled \
                or not _LOCATING.search(reading.text):
            return None
        quals = refs.qualifications or ([turn.context.qualification] if turn.context.qualification else []) \
            or turn.own_qualifications
        return quals[0] if len(quals) == 1 and quals[0] in self.kb.qualifications else None

    def _pointed_in_context(self, turn: Turn, reading: Reading) -> Reading | None:
        """"And the one about <subject>?" after an answer on a unit: the criterion of the unit under discussion
        that the phrase points at; None when the message names a unit or a criterion, or points at none."""
        refs = reading.refs
        unit = turn.context.unit
        if refs.acs or refs.lo or refs.relative or refs.names_a_unit or refs.qualifications \
                or unit not in self.kb.units or not pointed_words(reading.text):
            return None
        found = criterion_by_words(self.kb, reading.text, [unit])
        if found is None:
            return None
        return Reading(reading.text, replace(refs, units=[found[0]], acs=[found[1]], title_units=[]), reading.labels)

    def _a_criterion_by_words(self, turn: Turn, intent: Intent, slots: Slots) -> tuple[Intent, Slots] | None:
        """A question about one unit that speaks of what one of its criteria does ("can my business case
        leave out our partners?" of the one that requires them): asked of that criterion instead."""
        refs = slots.refs
        # A phrase pointing at one criterion ("the bit where you …") makes any question about the unit one about
        # that criterion, a rules question too.
        pointed = bool(pointed_words(slots.text))
        if slots.unit is None or intent.needs != "unit" or intent.personal \
                or slots.facet not in (FINDS_CRITERION | {"rules"} if pointed else FINDS_CRITERION) \
                or refs.acs or refs.lo or refs.relative:
            return None
        found = criterion_by_words(self.kb, slots.text, [slots.unit.code])
        if found is None:
            return None
        if slots.facet in ("sufficiency", "evidence", "depth") and not _LOCATING.search(slots.text):
            facet = slots.facet
        elif pointed and slots.facet != "wording" and not _LOCATING.search(slots.text):
            facet = "evidence"            # what a criterion pointed at asks for: its wording and what it must show
        else:
            facet = "wording"
        refs = replace(refs, units=[found[0]], acs=[found[1]], title_units=[])
        return self._intent_for(CRITERION, facet), Slots(text=slots.text, refs=refs, topic=slots.topic, facet=facet)

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

    def _references(self, intent: Intent, text: str) -> References:
        """The references of the part of ``text`` the intent resolves (all of it by default)."""
        part = intent.reference_text(text) if intent.reference_text else text
        return extract(part, self.kb, self._question_words)

    def _unknown_level(self, refs: References) -> bool:
        """A level no qualification or unit here has ("is there a level 4 version?"): not covered."""
        known = {q.level for q in self.kb.qualifications.values()} | {u.level for u in self.kb.units.values()}
        return bool(refs.levels) and not set(refs.levels) & known

    def _a_statement_says_it(self, refs: References, own: Sequence[str] = ()) -> bool:
        """Whether one statement of the one qualification the message names (else the speaker's own), or one
        question asked of it that its statements answer, shares ``SHARED_WORDS`` of its content words: then
        the question is about what that specification says, whatever it sounds like."""
        named = list(refs.qualifications or own)
        if len(named) != 1:
            return False
        qualification = named[0]
        hits = self.search.search(refs.without_hints, limit=1, kind="rule", qualification=qualification)
        if not hits:
            return False
        said = _content_stems(refs.without_hints)
        if len(said & _content_stems(hits[0].text)) >= SHARED_WORDS:
            return True
        # Or a question the statements answer (``knowledge.asked``) shares them, and no question they are
        # silent on comes nearer.
        asked = self.search.nearest_answered(refs.without_hints, qualification)
        answered, silent = self.search.nearest(refs.without_hints, qualification)
        return answered > silent and len(said & _content_stems(asked)) >= SHARED_WORDS

    def _a_criterion_says_it(self, text: str, refs: References) -> bool:
        """Whether a criterion the message names (by unit and AC) shares ``SHARED_CRITERION_WORDS`` of its
        content words, in its wording or what it requires: then the question is about that criterion."""
        said = _content_stems(text)
        for code in refs.units:
            unit = self.kb.units.get(code)
            for ac in refs.acs if unit is not None else ():
                c = unit.criterion(ac)
                shared = said & _content_stems(" ".join([c.text, *c.requirements])) if c is not None else set()
                # A short question whose every word the criterion prints ("<unit> <AC> - how many factors?") is
                # about it as surely as a long one sharing two.
                if len(shared) >= SHARED_CRITERION_WORDS or (shared and shared == said):
                    return True
        return False

    def _another_qualification(self, named: str) -> Reply:
        """A qualification none of the specifications here is (a "Level <n> Diploma
        in <a subject none here has>"): said so, with the ones that are, rather than answered from the nearest."""
        reply = Reply("decline", "other_qualification", paragraphs=[
            f"I don't have the specification of the {named}, so I can't answer about it — your tutor or centre "
            "can."])
        reply.add_list("The qualifications I can answer on", sorted(q.title for q in self.kb.qualifications.values()))
        return reply

    def _has_topic(self, text: str) -> bool:
        topic = detect_topic(text)
        return topic is not None and any(r.topic == topic for r in self.kb.rules)

    @staticmethod
    def _role(turn: Turn) -> str | None:
        return turn.person.role if turn.person is not None else None
