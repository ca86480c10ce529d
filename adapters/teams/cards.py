"""A platform-neutral ``Reply`` as an Adaptive Card, the way Teams shows it best.

Plain data (dicts), no botbuilder: cheap to import and easy to test. Every card carries the reply's
plain text (``Reply.text()``) as ``fallbackText`` for clients that cannot draw cards, and its visible
text says the same as the console — ``card_text`` reads it back so a test can check that.
"""

from __future__ import annotations

from typing import Any

from bot.types import Reply

CARD_VERSION = "1.4"            # Teams desktop, web and mobile all render 1.4
MAX_BUTTONS_PER_SET = 5         # Teams draws at most about six actions per set; the rest would hide
SUBMIT_KEY = "text"             # what a pressed button sends back, read as if it had been typed


def _text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _submit(label: str, value: str) -> dict[str, Any]:
    # messageBack shows the person's choice in the chat as their own message (so the transcript reads
    # like a conversation) and sends ``value`` as the text; ``data.text`` covers clients that only
    # send ``value`` for Action.Submit.
    return {"type": "Action.Submit", "title": label,
            "data": {SUBMIT_KEY: value, "msteams": {"type": "messageBack", "displayText": label, "text": value}}}


def _action_sets(buttons: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"type": "ActionSet", "actions": [_submit(label, value) for label, value in
                                              buttons[i:i + MAX_BUTTONS_PER_SET]]}
            for i in range(0, len(buttons), MAX_BUTTONS_PER_SET)]


def render_card(reply: Reply) -> dict[str, Any]:
    """The Adaptive Card for one reply: TextBlocks, a FactSet, and Action.Submit buttons for choices."""
    body: list[dict[str, Any]] = []
    if reply.title:
        body.append(_text_block(reply.title, weight="Bolder", size="Medium"))
    body.extend(_text_block(p) for p in reply.paragraphs)
    if reply.facts:
        body.append({"type": "FactSet", "facts": [{"title": label, "value": value} for label, value in reply.facts]})
    for bullet_list in reply.bullets:
        if bullet_list.heading:
            body.append(_text_block(f"{bullet_list.heading}:", weight="Bolder", spacing="Medium"))
        # One block per item: Teams' markdown lists need exact line endings and mangle some text.
        body.extend(_text_block(f"• {item}", spacing="Small") for item in bullet_list.items)
    if reply.choices:
        body.extend(_action_sets([(c.label, c.value) for c in reply.choices]))
    if reply.attachments:
        # The files themselves travel beside the card: images inline, others through a consent card.
        body.append(_text_block("Attached: " + ", ".join(a.filename for a in reply.attachments), isSubtle=True,
                                spacing="Medium"))
    if reply.citation:
        body.append(_text_block(f"Source: {reply.citation}", isSubtle=True, size="Small", spacing="Medium"))
    if reply.more is not None:
        # The detail behind the short answer: one press sends "more", as if typed.
        body.extend(_action_sets([(f"More: {reply.more_label}", "more")]))
    if reply.suggestions:
        body.append(_text_block("You could ask:", isSubtle=True, spacing="Medium"))
        body.extend(_action_sets([(s, s) for s in reply.suggestions]))
    return {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": CARD_VERSION, "body": body, "fallbackText": reply.text(), "msteams": {"width": "Full"}}


def summary(reply: Reply, limit: int = 120) -> str:
    """A one-line preview for Teams notifications and the activity feed (otherwise "sent a card")."""
    first = next((line.strip() for line in reply.text().splitlines() if line.strip()), "AssessBot")
    return first if len(first) <= limit else first[:limit - 1].rstrip() + "…"


def card_text(card: dict[str, Any]) -> list[str]:
    """The text a person sees on a card, in order: blocks, facts as "label: value", button titles."""
    seen: list[str] = []

    def walk(element: dict[str, Any]) -> None:
        kind = element.get("type")
        if kind == "TextBlock":
            seen.append(element["text"])
        elif kind == "FactSet":
            seen.extend(f"{f['title']}: {f['value']}" for f in element["facts"])
        elif kind == "ActionSet":
            seen.extend(a["title"] for a in element["actions"])
        for child in element.get("body", []) + element.get("items", []):
            walk(child)

    walk(card)
    seen.extend(a["title"] for a in card.get("actions", []))
    return seen


def submitted_text(value: Any) -> str | None:
    """The text a pressed card button sent (``activity.value``), or None when it isn't one of ours."""
    if isinstance(value, dict) and isinstance(value.get(SUBMIT_KEY), str):
        return value[SUBMIT_KEY]
    return None


def welcome_reply() -> Reply:
    """What the bot says when it is added to a chat or a team."""
    return Reply("answer", "welcome", title="Hello — I'm AssessBot", paragraphs=[
        "I answer questions about your qualification's units and assessment criteria, straight from the "
        "specifications, and I can keep track of your plan, your evidence and your reminders.",
        "In a channel or group chat, mention me (@AssessBot) with your question and I'll answer in the thread. "
        "Anything about your own records is best asked in a personal chat with me."],
        suggestions=["What can you do?", "What evidence does 8391-501 AC2.2 need?",
                     "When does my registration expire?"])
