"""The layering of ARCHITECTURE.md, checked on the source: who may import whom."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
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


def test_only_the_composition_root_joins_the_core_and_the_intents() -> None:
    for path in _modules("bot"):
        assert not any(n.split(".")[0] == "intents" for n in _imports(path)), path
    for path in _modules("intents"):
        assert "bot.dialogue" not in _imports(path), path
    assert "intents" in _imports(ROOT / "adapters" / "compose.py")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    # --no-cache: a scratch copy must not be answered from the real tree's cache.
    return subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=root,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(root)})


def test_the_import_contracts_hold_and_catch_an_upward_import(tmp_path: Path) -> None:
    """The contracts in pyproject.toml pass here, and fail — naming the arrow — on a copy where the core
    reaches up into an intent."""
    assert _lint_imports(ROOT).returncode == 0, _lint_imports(ROOT).stdout[-2000:]
    for name in ("adapters", "bot", "intents", "knowledge"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.yaml",
                                                                                    "*.txt", "model", "data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    route = tmp_path / "bot" / "route.py"
    route.write_text(route.read_text(encoding="utf-8") + "\n\ndef _leak() -> None:\n    import intents.help  # noqa\n",
                     encoding="utf-8")
    broken = _lint_imports(tmp_path)
    assert broken.returncode != 0
    assert "bot is not allowed to import intents" in broken.stdout and "bot.route -> intents.help" in broken.stdout
