"""A core ``Reply`` as Slack messages: Block Kit with a plain-text fallback, within Slack's limits.

Slack refuses a message with more than 50 blocks, a section text over 3,000 characters, a header
over 150, more than 10 fields (each at most 2,000) or a button label over 75; a long answer is
therefore cut at paragraph, line or sentence ends into as many sections and messages as it needs,
so nothing the core said is lost. Clarification choices and suggestions become buttons whose value
carries the conversation, so a press is answered exactly as if the person had typed it.

A reply's files (``Reply.attachments``) are not part of its messages: the adapter uploads them after
the text (``upload_args``), and says so kindly when one could not be attached (``file_failed_messages``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from adapters.slack.text import clip, escape, fit, split_text, unescape
from bot.types import Attachment, Reply

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_FIELDS = 10
MAX_FIELD = 2000
MAX_BUTTONS = 25
MAX_LABEL = 75
MAX_VALUE = 2000
MAX_CONTEXT = 3000
MAX_FALLBACK = 3000      # notification text: long enough to read, short enough for a phone
# Slack truncates very long messages (it documents 40,000 characters for text); a message of this many
# characters of blocks is already several screens on a phone, so longer answers go on in another message.
MAX_MESSAGE_CHARS = 12000

Block = dict[str, Any]


@dataclass(frozen=True)
class Where:
    """Where a reply is shown, so a button pressed on it is answered in the same conversation."""

    conversation: str
    thread: str | None = None


def mrkdwn(text: str) -> Block:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> Block:
    return {"type": "plain_text", "text": text, "emoji": True}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text)}


def sections(text: str, bold_first: str | None = None) -> list[Block]:
    """``text`` (raw) escaped into as many sections as its length needs; an optional bold heading first."""
    heading = f"*{escape(bold_first)}*\n" if bold_first else ""
    pieces = split_text(text, MAX_SECTION - len(heading)) if text else [""]
    out = []
    for n, piece in enumerate(pieces):
        body = (heading if n == 0 else "") + escape(piece)
        if body.strip():
            out.append(section(body))
    return out


def clipped(text: str, limit: int) -> str:
    """Escaped text that fits ``limit`` (for places Slack cannot split: fields, context, labels)."""
    if len(escape(text)) <= limit:
        return escape(text)
    return escape(text[: fit(text, limit - 1)].rstrip()) + "…"


def button(action_id: str, label: str, value: str, style: str | None = None) -> Block:
    out: Block = {"type": "button", "action_id": action_id, "text": plain(clip(label, MAX_LABEL)), "value": value}
    if style:
        out["style"] = style
    return out


def answer_value(where: Where, text: str, label: str) -> str | None:
    """A button value that sends ``text`` back as if typed, in ``where``'s conversation (None if too long)."""
    value = json.dumps({"c": where.conversation, "t": where.thread, "v": text, "l": clip(label, MAX_LABEL)},
                       ensure_ascii=False)
    return value if len(value) <= MAX_VALUE else None


def actions(buttons: list[Block]) -> list[Block]:
    return [{"type": "actions", "elements": buttons[i:i + MAX_BUTTONS]} for i in range(0, len(buttons), MAX_BUTTONS)]


def blocks_for(reply: Reply, where: Where) -> list[Block]:
    """Every block of one reply, in reading order (not yet split into messages)."""
    out: list[Block] = []
    if reply.title:
        if len(reply.title) <= MAX_HEADER:
            out.append({"type": "header", "text": plain(reply.title)})
        else:
            out += sections(reply.title)
    # Paragraphs share sections up to the limit: fewer blocks, so long answers need fewer messages.
    if reply.paragraphs:
        out += sections("\n\n".join(p for p in reply.paragraphs if p))
    if reply.facts:
        if all(len(escape(f"{label}\n{value}")) + 4 <= MAX_FIELD for label, value in reply.facts):
            for i in range(0, len(reply.facts), MAX_FIELDS):
                out.append({"type": "section", "fields": [
                    mrkdwn(f"*{escape(label)}*\n{escape(value)}") for label, value in reply.facts[i:i + MAX_FIELDS]]})
        else:
            out += sections("\n".join(f"{label}: {value}" for label, value in reply.facts))
    for bullet_list in reply.bullets:
        out += sections("\n".join(f"• {item}" for item in bullet_list.items), bullet_list.heading or None)
    if reply.choices:
        buttons = []
        for n, choice in enumerate(reply.choices):
            value = answer_value(where, choice.value, choice.label)
            if value is not None:
                buttons.append(button(f"choice:{n}", choice.label, value))
        out += actions(buttons)
    if reply.citation:
        out.append({"type": "context", "elements": [mrkdwn(clipped(f"Source: {reply.citation}", MAX_CONTEXT))]})
    if reply.more is not None:
        # The detail behind the short answer: one press sends "more", as if typed.
        value = answer_value(where, "more", f"More: {reply.more_label}")
        if value is not None:
            out += actions([button("more:0", f"More: {reply.more_label}", value)])
    if reply.suggestions:
        buttons = []
        for n, suggestion in enumerate(reply.suggestions):
            value = answer_value(where, suggestion, suggestion)
            if value is not None:
                buttons.append(button(f"suggest:{n}", suggestion, value))
        if buttons:
            out.append({"type": "context", "elements": [mrkdwn("You could ask:")]})
            out += actions(buttons)
    return out


def _block_text(block: Block) -> str:
    """The words of a block, for the plain-text fallback of the message that carries it."""
    if block["type"] in ("header", "section") and "text" in block:
        return block["text"]["text"]
    if block["type"] == "section":
        return "\n".join(f["text"] for f in block.get("fields", []))
    if block["type"] == "context":
        return " ".join(e.get("text", "") for e in block["elements"])
    if block["type"] == "actions":
        return "\n".join(f"{n}. {e['text']['text']}" for n, e in enumerate(block["elements"], 1)
                         if e["action_id"].startswith("choice:"))
    return ""


def messages_for(reply: Reply, where: Where) -> list[dict[str, Any]]:
    """``chat.postMessage`` arguments (``text`` + ``blocks``) for one reply: one message unless it is long
    (more than 50 blocks or about 12,000 characters).

    The first message's fallback is the core's own ``Reply.text()`` (what notifications and screen
    readers show); a continuation's is the text of its own blocks.
    """
    # Files follow as uploads of their own (or a note that they couldn't be attached), so the fallback
    # doesn't promise "Attached: …" where the file may not be.
    if reply.attachments:
        reply = replace(reply, attachments=[])
    blocks = blocks_for(reply, where)
    if not blocks:
        return [{"text": clipped(reply.text() or " ", MAX_FALLBACK)}]
    chunks: list[list[Block]] = [[]]
    size = 0
    for block in blocks:
        length = len(json.dumps(block, ensure_ascii=False))
        if chunks[-1] and (len(chunks[-1]) == MAX_BLOCKS or size + length > MAX_MESSAGE_CHARS):
            chunks.append([])
            size = 0
        chunks[-1].append(block)
        size += length
    out = []
    for n, chunk in enumerate(chunks):
        if n == 0:
            fallback = clipped(reply.text() or " ", MAX_FALLBACK)
        else:                                   # block texts are escaped already: unescape to clip safely
            fallback = clipped(unescape("\n".join(t for t in map(_block_text, chunk) if t)) or " ", MAX_FALLBACK)
        out.append({"text": fallback, "blocks": chunk})
    return out


def apology_messages() -> list[dict[str, Any]]:
    """What a person sees when something failed on our side: kind, honest, and what to do next."""
    text = ("Sorry — something went wrong on my side and I couldn't answer that. It has been logged. Please try "
            "again in a moment, or ask your tutor if it keeps happening.")
    return [{"text": text, "blocks": [section(escape(text))]}]


def _note(text: str) -> list[dict[str, Any]]:
    return [{"text": escape(text), "blocks": [section(escape(text))]}]


def upload_args(attachment: Attachment, comment: str | None = None) -> dict[str, Any]:
    """``files_upload_v2`` arguments for one file (the channel and thread are the caller's)."""
    args: dict[str, Any] = {"file": attachment.data, "filename": attachment.filename,
                            "title": attachment.title or attachment.filename}
    if attachment.media_type.startswith("image/"):
        args["alt_txt"] = clip(attachment.title or attachment.filename, 1000)     # for screen readers
    if comment:
        args["initial_comment"] = comment
    return args


def file_failed_messages(filenames: list[str]) -> list[dict[str, Any]]:
    """Said after the answer when its file(s) could not be attached: the answer stands, the file didn't come."""
    files = ", ".join(filenames)
    what = f"the file ({files})" if len(filenames) == 1 else f"the files ({files})"
    return _note(f"Sorry — I couldn't attach {what} this time. The answer above still stands; it has been logged, "
                 "so please ask again in a moment.")


def moved_to_dm_messages(count: int) -> list[dict[str, Any]]:
    """Said where a ``/assess`` was typed when its files went to the person's DM instead (a channel's files
    are visible to everyone in it, and a cohort spreadsheet is personal data)."""
    what = "the file" if count == 1 else "the files"
    return _note(f"I've sent {what} to you in a direct message — files shared here would be visible to everyone "
                 "in the channel.")


def moved_comment(origin: str | None) -> str:
    """The comment on a file sent to the DM instead of the channel it was asked for in."""
    if origin and origin[:1] in ("C", "G"):          # a channel (a DM's id would not read as a place)
        return f"Here's the file you asked for in <#{origin}>."
    return "Here's the file you asked for."
