"""One reply for a message that asked several things: every part answered, each with its own source."""

from __future__ import annotations

from bot.types import Reply

# The kind of the whole: an answer if any part was answered, else what the parts have in common.
_PRIORITY = ("answer", "clarify", "decline", "denied", "error", "done")


def combine(replies: list[Reply]) -> Reply:
    kinds = {r.kind for r in replies}
    kind = next(k for k in _PRIORITY if k in kinds)
    out = Reply(kind, replies[0].intent, facet="+".join(filter(None, (r.facet for r in replies))) or None)
    more = Reply(kind, replies[0].intent)
    for reply in replies:
        lead = [reply.title] if reply.title else []
        out.paragraphs += lead + reply.paragraphs
        out.paragraphs += [f"{label}: {value}" for label, value in reply.facts]
        out.paragraphs += ["\n".join(([f"{b.heading}:"] if b.heading else []) + [f"• {i}" for i in b.items])
                           for b in reply.bullets]
        if reply.citation:
            # Each part keeps its source beside its answer, so no fact loses its citation.
            out.paragraphs.append(f"Source: {reply.citation}")
        out.choices += reply.choices
        out.refs += [r for r in reply.refs if r not in out.refs]
        if reply.more is not None:
            more.paragraphs += reply.more.paragraphs
            more.bullets += reply.more.bullets
            more.facts += reply.more.facts
    if more.paragraphs or more.bullets or more.facts:
        out.more = more
    return out
