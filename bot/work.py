"""A piece of work brought to the bot: a document attached to the message, or a request followed by a
description ("what could this count for? I led our …"), goes to the intent that reads work; and the
offer its reply makes ("log it for the first two", or the button) is taken up by a later message.

The request is told apart from the work by the intent model, not by a phrase list: the message is split
where a request usually ends (its first "?" or ":", or a closing question) and the short part is
classified on its own; the description would drown it if the whole message were.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.context import OFFER_TIMEOUT
from bot.intent import Intent, Slots, Turn
from bot.nlu.understand import read
from bot.types import Reply

MIN_WORK_WORDS = 8            # shorter than this, the "description" is the request's own object
MAX_REQUEST_WORDS = 16
SURE = 0.5
_FIRST = re.compile(r"^(?P<head>[^?:\n]{3,}?[?:])\s*(?P<rest>.+)$", re.DOTALL)
_LAST = re.compile(r"^(?P<rest>.+?[.!\n])\s*(?P<head>[^.!?\n]{3,}\?)\s*$", re.DOTALL)


def splits(text: str) -> list[tuple[str, str]]:
    """(request, work) readings of ``text``: request first, or the work first and a closing question."""
    out = []
    for pattern in (_FIRST, _LAST):
        m = pattern.match(text)
        if m and len(m.group("head").split()) <= MAX_REQUEST_WORDS \
                and len(m.group("rest").split()) >= MIN_WORK_WORDS:
            out.append((m.group("head").strip(), m.group("rest").strip()))
    return out


class WorkRoutes:
    """Mixed into ``Dialogue``: work to read, and offers to take up."""

    def _work_intent(self) -> Intent | None:
        return next((i for i in self.intents.values() if i.reads_work), None)

    def _reads_work(self, turn: Turn, text: str) -> bool:
        reading = read(text, self.kb, self.model, self._question_words, self._role(turn), self._names.in_text(text))
        label, p = reading[0].labels[0]
        intent = self.intents.get(label)
        return intent is not None and intent.reads_work and p >= SURE

    def _work(self, turn: Turn, text: str) -> Reply | None:
        """The reply when the message brings a piece of work, else None."""
        intent = self._work_intent()
        if intent is None:
            return None
        if turn.message.files:
            # With a document, the text is the request ("… for Jane?") or the learner's own words about it.
            request = text if not text or self._reads_work(turn, text) else ""
            slots = Slots(text=request, refs=self._references(intent, request), work="" if request else text)
            return self._run(turn, intent, slots)
        for request, work in splits(text):
            if self._reads_work(turn, request):
                return self._run(turn, intent, Slots(text=request, refs=self._references(intent, request),
                                                     work=work))
        return None

    def _take_offer(self, turn: Turn, text: str, now: datetime) -> Reply | None:
        """The reply when the message takes up the open offer, else None (the offer stays open)."""
        offer = turn.context.offer
        assert offer is not None
        if now - datetime.fromisoformat(offer["made_at"]) > OFFER_TIMEOUT:
            turn.context.offer = None
            return None
        intent = self.intents.get(offer.get("intent", ""))
        if intent is None or intent.accept is None:
            turn.context.offer = None
            return None
        reply = intent.accept(turn, offer, text)
        if reply is not None:
            if reply.kind == "done":
                turn.context.offer = None
            self._remember_action(turn, intent, text, reply)
        return reply
