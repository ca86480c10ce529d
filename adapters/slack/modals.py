"""The forms behind Slack's buttons: log evidence, mark criteria ready, record a decision (met /
referred with feedback). Each opens a modal; its submission goes through the dialogue core's own
records functions, authorised there, and the person is told in their direct message."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck

from adapters.slack.core import CoreContext
from adapters.slack.destination import Destination
from adapters.slack.home import plan_choices
from adapters.slack.render import (
    MAX_LABEL,
    clipped,
    plain,
    section,
)
from adapters.slack.text import clip, escape
from bot.records.decisions import DecisionError, NotPermitted, may_decide, record_decision
from bot.records.people import get_person

log = logging.getLogger(__name__)

MODAL_ACK_WAIT = 2.0            # seconds a modal submission waits for the core before acknowledging anyway
DECIDE_BUTTON = re.compile(r"^decide:(met|referred)$")


@dataclass(frozen=True)


class Modals:
    """Mixed into ``SlackAdapter``: the modals and their submissions."""

    async def _on_log_evidence(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        await self._open_modal(body, {
            "type": "modal", "callback_id": "log_evidence", "title": plain("Log evidence"),
            "submit": plain("Save"), "close": plain("Cancel"),
            "blocks": [
                _text_input("title", "What is the evidence?", "the trust's annual accounts pack", 300),
                _text_input("criteria", "Which criteria does it cover?", "501 2.2 and 2.3", 300,
                            hint="The unit, then the criteria — for example “501 2.2 and 2.3, 502 1.1”."),
            ]})

    async def _on_mark_ready(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        user = body["user"]["id"]
        identity = await self.identify(user)
        units = await self.core.run(plan_choices, identity)
        if units:
            field: dict[str, Any] = {
                "type": "input", "block_id": "unit", "label": plain("Which unit is ready for assessment?"),
                "element": {"type": "static_select", "action_id": "value", "placeholder": plain("Choose a unit"),
                            "options": [{"text": plain(clip(label, MAX_LABEL)), "value": code}
                                        for code, label in units[:100]]}}
        else:
            field = _text_input("unit", "Which unit is ready for assessment?", "501", 100)
        await self._open_modal(body, {
            "type": "modal", "callback_id": "mark_ready", "title": plain("Mark ready"),
            "submit": plain("Mark ready"), "close": plain("Cancel"),
            "blocks": [section(escape("Criteria with evidence logged are marked ready; your assessor then decides.")),
                       field]})

    async def _on_decide(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        action = body["actions"][0]
        outcome = DECIDE_BUTTON.match(action["action_id"]).group(1)  # type: ignore[union-attr]
        data = json.loads(action["value"])
        learner, code, ac = data["l"], data["u"], data["a"]
        user = body["user"]["id"]
        identity = await self.identify(user)
        allowed, name = await self.core.run(_decision_subject, identity, learner)
        if not allowed:
            # The buttons only appear on a tutor's Home, but the core decides, whoever pressed them.
            text = "Only the learner's tutor (or an admin) can record assessment decisions."
            await self._post(Destination(user), {"text": text, "blocks": [section(escape(text))]})
            return
        criterion = self.app.kb.criterion(code, ac)
        about = f"{name}: {code} AC{ac}"
        if criterion:
            about += f" — {criterion.text}"
        await self._open_modal(body, {
            "type": "modal", "callback_id": "decision", "title": plain("Record: " + outcome),
            "submit": plain("Record"), "close": plain("Cancel"),
            "private_metadata": json.dumps({"l": learner, "u": code, "a": ac, "o": outcome}),
            "blocks": [section(clipped(about, 2900)),
                       _text_input("feedback", "Feedback for the learner", "what was good, what is missing", 2900,
                                   multiline=True, optional=outcome == "met")]})

    async def _open_modal(self, body: dict[str, Any], view: dict[str, Any]) -> None:
        try:
            await self.client.views_open(trigger_id=body["trigger_id"], view=view)
        except Exception:
            log.exception("could not open the %s modal", view.get("callback_id"))
            await self._apologise(Destination(body["user"]["id"]))

    async def _on_log_evidence_submitted(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()
        title, criteria = _value(view, "title"), _value(view, "criteria")
        await self._say_in_dm(body["user"]["id"], f"I have evidence for {criteria}: {title}")

    async def _on_mark_ready_submitted(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()
        await self._say_in_dm(body["user"]["id"], f"I've submitted {_value(view, 'unit')}")

    async def _say_in_dm(self, user: str, text: str) -> None:
        """A modal's answers, sent through the core as the sentence the person would have typed."""
        try:
            channel = await self.dm_channel(user)
        except Exception:
            log.exception("could not open a DM with %s", user)
            self.stats["failures"] += 1
            return
        await self._converse(Destination(user, channel), text, f"slack:{channel}")

    async def _on_decision_submitted(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        meta = json.loads(view.get("private_metadata") or "{}")
        feedback = _value(view, "feedback")
        identity = await self.identify(user)
        work = asyncio.ensure_future(self.core.run(_decide, identity, meta["l"], meta["u"], meta["a"], meta["o"],
                                                   feedback))
        try:
            # The core's answer shows in the modal when it comes in time ("a referral needs feedback").
            error = await asyncio.wait_for(asyncio.shield(work), MODAL_ACK_WAIT)
        except TimeoutError:
            await ack()
            error = await work
            if error:
                await self._post(Destination(user), {"text": escape(error), "blocks": [section(escape(error))]})
        else:
            if error:
                await ack(response_action="errors", errors={"feedback": clip(error, 150)})
                return
            await ack()
        if not error:
            self.stats["decisions"] += 1
            await self.publish_home(user)


def _decision_subject(ctx: CoreContext, identity: str, learner: str) -> tuple[bool, str]:
    """May this person decide for ``learner`` (the core's rule), and the learner's name to show."""
    person = get_person(ctx.db, learner)
    return may_decide(ctx.db, ctx.person(identity), learner), (person.name if person else None) or learner


def _decide(ctx: CoreContext, identity: str, learner: str, unit: str, ac: str, outcome: str,
            feedback: str) -> str | None:
    """Record a decision through the core (which checks the actor may); an error message, or None."""
    actor = ctx.person(identity)
    try:
        record_decision(ctx.db, ctx.kb, actor, learner, unit, ac, outcome, feedback or None, ctx.now())
    except (DecisionError, NotPermitted) as exc:
        return str(exc)
    return None


def _text_input(block_id: str, label: str, placeholder: str, max_length: int, hint: str | None = None,
                multiline: bool = False, optional: bool = False) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input", "block_id": block_id, "label": plain(label), "optional": optional,
        "element": {"type": "plain_text_input", "action_id": "value", "multiline": multiline,
                    "max_length": max_length, "placeholder": plain(placeholder)}}
    if hint:
        block["hint"] = plain(hint)
    return block


def _value(view: dict[str, Any], block_id: str) -> str:
    """What the person entered or chose in one input block of a submitted modal."""
    state = ((view.get("state") or {}).get("values") or {}).get(block_id, {}).get("value") or {}
    if state.get("selected_option"):
        return str(state["selected_option"]["value"])
    return str(state.get("value") or "").strip()
