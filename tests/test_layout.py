"""The layering of ARCHITECTURE.md, checked on the source: who may import whom."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORM_SDKS = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "aiohttp", "apscheduler")
PROJECT = ("bot", "intents", "knowledge", "adapters")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_knowledge_imports_nothing_else_of_the_project() -> None:
    for path in _modules("knowledge"):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top not in PROJECT or top == "knowledge", f"{path.relative_to(ROOT)} imports {name}"


def test_no_platform_sdk_outside_adapters() -> None:
    for folder in ("bot", "intents", "knowledge"):
        for path in _modules(folder):
            for name in _imports(path):
                assert not name.startswith(PLATFORM_SDKS), f"{path.relative_to(ROOT)} imports {name}"


def test_core_never_imports_adapters() -> None:
    for folder in ("bot", "intents", "knowledge"):
        for path in _modules(folder):
            assert not any(n.split(".")[0] == "adapters" for n in _imports(path)), path


def test_only_the_router_imports_the_intent_registry() -> None:
    for path in _modules("bot"):
        if path.name == "dialogue.py":
            continue
        assert not any(n.split(".")[0] == "intents" for n in _imports(path)), path
    for path in _modules("intents"):
        assert "bot.dialogue" not in _imports(path), path
