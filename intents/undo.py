""""Undo that" right after an action: the records put back as they were, audited, and said in words.
A correction ("no, I meant 503") is an undo followed by the request again with the correction in it
(the dialogue does the second part: ``bot.dialogue``)."""

from __future__ import annotations

from bot.intent import Intent, Slots, Turn
from bot.records.undo import UndoError, undo
from bot.types import Reply


def undo_last(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    action = turn.context.last_action
    try:
        said = undo(turn.db, action, turn.person.id, turn.now)
    except UndoError as exc:
        return Reply("decline", "undo", paragraphs=[str(exc)])
    turn.context.last_action = None
    return Reply("done", "undo", paragraphs=[f"Undone — {said}."])


INTENTS = (
    Intent("undo", undo_last, personal=True, acts=True, examples=("undo that", "scrap that", "no, i meant 503")),
)
