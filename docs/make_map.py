"""Draws docs/map.md from the code: the layers and which modules of each import which (read from the import
graph, as import-linter reads it), and the path of one message with the file and function of every step (read
from the functions themselves). ``python -m docs.make_map`` rewrites it; ``tests/test_map.py`` fails when
the code has moved on and the map has not.
"""

from __future__ import annotations

import inspect
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MAP = ROOT / "docs" / "map.md"
LAYERS = ("adapters", "intents", "bot", "knowledge")
ROLES = {
    "adapters": "platforms and commands: Slack, Teams, console, CLI, server, the composition root",
    "intents": "what the bot can do: one module per family of questions and requests",
    "bot": "the dialogue core: reading a message, routing, resolving, the store, records, reminders",
    "knowledge": "the qualification specifications as data: model, loader, search, importers",
}


def _path() -> list[tuple[str, Callable[..., Any] | None, str]]:
    """The path of one message, each step with the function that takes it."""
    from adapters.compose import make_dialogue
    from adapters.console import run_console
    from adapters.slack.bolt_app import SlackAdapter
    from adapters.slack.core import converse
    from adapters.slack.render import messages_for
    from adapters.teams.bot import TeamsBot
    from adapters.teams.cards import render_card
    from bot.clarify import Clarifications
    from bot.dialogue import Dialogue
    from bot.nlu.refs import extract
    from bot.nlu.understand import read
    from bot.readings import ReadingRoutes
    from bot.resolve import resolve_unit
    from intents.criteria import INTENTS as CRITERIA
    from knowledge.kb import load_kb
    from knowledge.search import SearchIndex

    return [
        ("the composition root builds the dialogue with every intent", make_dialogue, "adapters"),
        ("Slack: an event arrives, signed and acknowledged", SlackAdapter._on_message, "adapters"),
        ("… and runs in the core thread", converse, "adapters"),
        ("Teams: an activity arrives (authenticated, answered once)", TeamsBot.on_message_activity, "adapters"),
        ("console: a line typed", run_console, "adapters"),
        ("one turn: context, person, a pending question, or a new reading", Dialogue.handle, "bot"),
        ("the answer to the bot's own question, if it asked one", Clarifications._answer_pending, "bot"),
        ("the message read: references, then the fact asked, per part", read, "bot"),
        ("references: units, criteria, qualifications, people", extract, "bot"),
        ("the intent for each reading (thresholds, records cues, follow-ups)", ReadingRoutes._answer_reading,
         "bot"),
        ("what the intent needs, resolved from all the evidence", resolve_unit, "bot"),
        ("an intent answers, e.g. the criterion questions", CRITERIA[0].handler, "intents"),
        ("from the KB (loaded once) …", load_kb, "knowledge"),
        ("… and its ranked search", SearchIndex.search, "knowledge"),
        ("the Reply rendered for Slack (Block Kit)", messages_for, "adapters"),
        ("… or for Teams (an Adaptive Card)", render_card, "adapters"),
    ]


def _where(fn: Callable[..., Any] | None) -> str:
    if fn is None:
        return ""
    fn = inspect.unwrap(fn)
    path = Path(inspect.getsourcefile(fn) or "").resolve().relative_to(ROOT)
    return f"`{path}` `{fn.__qualname__}`"


def _imports() -> dict[str, set[str]]:
    """Which first-level module of each layer imports which others (imports anywhere in the file count)."""
    import grimp

    graph = grimp.build_graph(*LAYERS, cache_dir=None)
    edges: dict[str, set[str]] = defaultdict(set)
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            a, b = _node(importer), _node(imported)
            if a != b:
                edges[a].add(b)
    return edges


def _node(module: str) -> str:
    """A module's box on the map: the layer and its first-level module (``bot.records``, ``intents.plan``)."""
    return ".".join(module.split(".")[:2])


def render() -> str:
    edges = _imports()
    layer_edges: dict[tuple[str, str], int] = defaultdict(int)
    for a, targets in edges.items():
        for b in targets:
            if a.split(".")[0] != b.split(".")[0]:
                layer_edges[(a.split(".")[0], b.split(".")[0])] += 1
    out = ["# How it fits together", "",
           "Drawn from the code by `python -m docs.make_map` (do not edit by hand: `tests/test_map.py` checks it).",
           "", "## The layers", "",
           "Each layer imports only the layers below it (`lint-imports` enforces it, with no cycles inside):", "",
           "```mermaid", "flowchart TD"]
    for layer in LAYERS:
        out.append(f'    {layer}["{layer}/ — {ROLES[layer]}"]')
    for (a, b), n in sorted(layer_edges.items()):
        out.append(f"    {a} -->|{n} module pairs| {b}")
    out += ["```", "", "## Who imports whom, module by module", ""]
    for layer in LAYERS:
        out.append(f"**{layer}/**")
        out.append("")
        for a in sorted(m for m in edges if m.split(".")[0] == layer):
            out.append(f"- `{a}` → " + ", ".join(f"`{b}`" for b in sorted(edges[a])))
        out.append("")
    out += ["## The path of one message", "",
            "Slack / Teams / console → adapter → `Dialogue` → NLU → intent → KB / store → `Reply` → renderer:", ""]
    for n, (step, fn, layer) in enumerate(_path(), 1):
        out.append(f"{n}. *{layer}* — {step}: {_where(fn)}")
    return "\n".join(out) + "\n"


def main() -> int:
    MAP.write_text(render(), encoding="utf-8")
    print(f"wrote {MAP.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
