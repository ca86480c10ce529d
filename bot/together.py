"""Several units named apart in one message ("credits for 602 and 604?", "can 602 and 604 be one assignment?"):
each is meant, so the bot doesn't ask which one. A fact each unit prints is answered for each; anything else
is asked of the units together: an assessment they all print (an integrated assignment) and their
qualification's rules speak to that.
"""

from __future__ import annotations

from dataclasses import replace

from bot.combine import combine
from bot.facets import UNIT_FACTS
from bot.intent import Intent, Slots, Turn
from bot.nlu.refs import extract
from bot.resolve import Resolution, best, score_units
from bot.route import QUALIFICATION, UNIT
from bot.types import Ref, Reply
from knowledge.describe import describe_assessment
from knowledge.model import Assessment

# Asked of two units, the answer is each one's: the facts units print, and how each is assessed, its aim, and
# the qualifications it is part of.
EACH_UNIT = UNIT_FACTS | {"assessment", "aim", "qualifications"}


class UnitsTogether:
    """Mixed into ``Dialogue``: questions about two or more units named at separate places."""

    def _named_apart(self, turn: Turn, slots: Slots) -> list[str]:
        """The units the message names at separate places, each settled on its own with everything else the
        message and the conversation say (the speaker's qualification, a level); [] unless two or more."""
        spans = [s for s in slots.refs.spans if s.kind == "unit"]
        if len(spans) < 2:
            return []
        units: list[str] = []
        for span in spans:
            own = extract(slots.text[span.start:span.end], self.kb, self._question_words)
            refs = replace(slots.refs, units=own.units, title_units=[], acs=[], lo=None, position=own.position)
            top = best(score_units(turn, refs, follow_up=False)[0])
            if len(top) != 1:
                return []
            units.append(top[0])
        units = list(dict.fromkeys(units))
        return units if len(units) >= 2 else []

    def _units_together(self, turn: Turn, intent: Intent, slots: Slots, resolution: Resolution) -> Reply | None:
        """The answer about each of the units named apart, or about them together; None to ask which one."""
        if resolution.status not in ("ask", "ok") or resolution.what == "qualification" or intent.acts \
                or intent.needs != "unit" or slots.refs.acs or slots.refs.lo:
            return None
        units = self._named_apart(turn, slots)
        if not units:
            return None
        if slots.facet in EACH_UNIT:
            return combine([self._run(turn, self._intent_for(UNIT, slots.facet), replace(
                slots, refs=replace(slots.refs, units=[code], title_units=[], spans=[]))) for code in units])
        shared = set.intersection(*(set(self.kb.units[code].qualifications) for code in units))
        # The speaker's own qualification, else the one being discussed, when the units are in several.
        shared = (shared & set(turn.own_qualifications)) or (shared & {turn.context.qualification}) or shared
        if len(shared) != 1:
            return None
        reply = self._run(turn, self._intent_for(QUALIFICATION, "rules"), Slots(
            text=slots.text, refs=replace(slots.refs, units=[], title_units=[], spans=[],
                                          qualifications=sorted(shared)), topic=slots.topic, facet="rules"))
        together = self._shared_assessments(units)
        if together and reply.kind in ("answer", "decline"):
            # An assessment every one of them prints (an integrated assignment) is what they share.
            lines = sorted({a.source.line for a in together if a.source})
            citation = reply.citation or ""
            if lines:
                citation += ("; " if "line" in citation else ", ") + \
                    f"assessment at line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}"
            out = Reply("answer", reply.intent, facet=reply.facet, citation=citation,
                        refs=[Ref(code) for code in units], more=reply.more, more_label=reply.more_label,
                        paragraphs=[f"Assessed together ({' and '.join(units)}): "
                                    + "; ".join(describe_assessment(a) for a in together)])
            for b in reply.bullets:
                out.add_list(b.heading or "The specification says", list(b.items))
            return out
        return reply if reply.kind == "answer" else None

    def _shared_assessments(self, units: list[str]) -> list[Assessment]:
        """The whole assessments (not their sections) that each of the units prints under the same title."""
        first, *rest = (self.kb.units[code].assessment for code in units)
        return [a for a in first if " – " not in a.title
                and all(any(b.title == a.title for b in other) for other in rest)]
