"""Platform-neutral messages in and replies out.

Adapters turn a Slack event, a Teams activity or a console line into a :class:`Message`, and
render each :class:`Reply` as Block Kit, an Adaptive Card or plain text (``Reply.text()``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("answer", "clarify", "decline", "done", "denied", "error")


# The largest document the bot reads (a Slack file share, a Teams attachment, a console path): checked
# against the size the platform reports *before* downloading, and again on the bytes.
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class IncomingFile:
    """A document attached to a message, held in memory for this one reply and never stored (it may hold
    pupils' personal data). ``data`` is None when the adapter didn't fetch it; ``problem`` then says why
    in words for the person ("it is 14 MB; the limit is 10 MB")."""

    name: str
    size: int
    data: bytes | None = None
    problem: str | None = None


@dataclass(frozen=True)
class Message:
    """What a person said: who (``console:jane``), in which conversation, on which platform."""

    person: str
    conversation: str
    text: str
    platform: str = "console"
    # Others can read the answer (a Slack channel, a Teams group chat): records stay out of it.
    shared: bool = False
    # Documents attached to the message (Slack file share, Teams attachment), for evidence suggestions.
    files: tuple[IncomingFile, ...] = ()


@dataclass(frozen=True)
class Ref:
    """A unit (and criterion) a reply is about; ``ac`` is None for a whole unit."""

    unit: str
    ac: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {"unit": self.unit, "ac": self.ac}


@dataclass(frozen=True)
class Choice:
    """A clarification option: what a button shows and what it sends back when pressed."""

    label: str
    value: str


@dataclass(frozen=True)
class BulletList:
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply (a spreadsheet, a chart): adapters upload or save it."""

    filename: str
    media_type: str
    data: bytes
    title: str = ""


@dataclass
class Reply:
    """One answer from the core, rich enough for cards and with a plain-text fallback."""

    kind: str
    intent: str
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[BulletList] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    citation: str | None = None
    choices: list[Choice] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    # The fact asked ("credits", "evidence", "registration" …) when the reply answers one.
    facet: str | None = None
    # Detail behind "more" (depth, advice, the rest of a list): the answer leads with the fact asked and
    # stays short; adapters show a "More" button, the console says how to ask for it.
    more: Reply | None = None
    more_label: str = "more detail"
    # A question about one slot of an action ("which Sam?", "this Friday or Friday week?"): the phrase to
    # replace with the answer, and the choices offered; or ``confirm`` for a yes / no. Nothing is stored
    # until it is answered (bot.dialogue keeps it as the pending question).
    asks: dict[str, Any] | None = None
    # What an action stored, so that "undo that" / "no, I meant 503" can reverse it (bot.records.undo).
    undo: dict[str, Any] | None = None
    # The person an answer or action was about: "her" or "him" in the next message means them.
    about: str | None = None
    # An action the reply offers and a later short answer takes up ("log it for the first two", or the
    # button): what the intent needs to do it then. Kept in the conversation context for a while.
    offer: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown reply kind {self.kind!r}")

    def add_list(self, heading: str, items: list[str] | tuple[str, ...]) -> None:
        """Add a bulleted list unless it is empty (an empty heading helps nobody)."""
        if items:
            self.bullets.append(BulletList(heading, tuple(items)))

    def text(self) -> str:
        """The plain-text rendering: console, notifications and platforms without cards."""
        parts: list[str] = []
        if self.title:
            parts.append(self.title)
        parts.extend(self.paragraphs)
        if self.facts:
            parts.append("\n".join(f"{label}: {value}" for label, value in self.facts))
        for bullet_list in self.bullets:
            lines = [f"{bullet_list.heading}:"] if bullet_list.heading else []
            lines += [f"• {item}" for item in bullet_list.items]
            parts.append("\n".join(lines))
        if self.choices:
            parts.append("\n".join(f"{n}. {c.label}" for n, c in enumerate(self.choices, 1)))
        if self.attachments:
            parts.append("Attached: " + ", ".join(a.filename for a in self.attachments))
        if self.citation:
            parts.append(f"Source: {self.citation}")
        if self.suggestions:
            parts.append("You could ask: " + " · ".join(f"“{s}”" for s in self.suggestions))
        if self.more is not None:
            parts.append(f"Say “more” for {self.more_label}.")
        return "\n\n".join(parts)

    def as_json(self) -> dict[str, Any]:
        """Plain data, to keep a reply (the detail behind "more") in the conversation's context."""
        return {"kind": self.kind, "intent": self.intent, "title": self.title, "paragraphs": self.paragraphs,
                "bullets": [[b.heading, list(b.items)] for b in self.bullets],
                "facts": [list(f) for f in self.facts], "citation": self.citation,
                "refs": [r.as_json() for r in self.refs], "facet": self.facet}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        return cls(data["kind"], data["intent"], title=data.get("title") or "",
                   paragraphs=list(data.get("paragraphs") or []),
                   bullets=[BulletList(h, tuple(items)) for h, items in data.get("bullets") or []],
                   facts=[(a, b) for a, b in data.get("facts") or []], citation=data.get("citation"),
                   refs=[Ref(r["unit"], r.get("ac")) for r in data.get("refs") or []], facet=data.get("facet"))
