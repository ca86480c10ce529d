"""Runtime configuration from ``app.yaml``, with ``${ENV_VAR}`` interpolation."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

log = logging.getLogger(__name__)

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

DEFAULTS: dict[str, Any] = {
    "timezone": "Europe/London",
    "storage": {"path": "assessbot.db"},
    "knowledge": {"specs_dir": ""},
    "slack": {"enabled": False, "api_url": "https://slack.com/api/"},
    "teams": {"enabled": False},
}


def interpolate(value: Any, env: Mapping[str, str], missing: list[str]) -> Any:
    """Replace ``${VAR}`` in every string; unset variables become None and are listed in ``missing``."""
    if isinstance(value, dict):
        return {k: interpolate(v, env, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env, missing) for v in value]
    if not isinstance(value, str):
        return value
    names = _VAR.findall(value)
    unset = [n for n in names if not env.get(n)]
    if unset:
        missing.extend(unset)
        return None
    return _VAR.sub(lambda m: env[m.group(1)], value)


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, Mapping) and isinstance(
            out.get(key), dict) else value
    return out


@dataclass
class Config:
    """The settings other parts read; ``raw`` keeps the whole interpolated file."""

    raw: dict[str, Any]
    path: Path | None = None
    missing_env: list[str] = field(default_factory=list)
    database_env: str | None = None          # ASSESSBOT_DATABASE_URL, when set

    @property
    def timezone(self) -> str:
        return self.raw.get("timezone") or "Europe/London"

    @property
    def storage_path(self) -> Path:
        path = Path(self.raw["storage"].get("path") or "assessbot.db")
        # Relative paths are relative to the config file, so `--config` works from anywhere.
        return path if path.is_absolute() or self.path is None else self.path.parent / path

    @property
    def database(self) -> str:
        """Where the store is: ``ASSESSBOT_DATABASE_URL``, else ``database:`` in app.yaml, else the SQLite
        file of ``storage: path:``. A ``postgresql://`` URL or a SQLite path (relative to the config file)."""
        value = self.database_env or self.raw.get("database")
        if not value:
            return str(self.storage_path)
        value = str(value)
        if value.startswith(("postgresql://", "postgres://", "sqlite:///")) or value == ":memory:":
            return value
        path = Path(value)
        return str(path if path.is_absolute() or self.path is None else self.path.parent / path)

    @property
    def specs_dir(self) -> Path | None:
        value = (self.raw.get("knowledge") or {}).get("specs_dir")
        if not value:
            return None
        path = Path(value)
        return path if path.is_absolute() or self.path is None else self.path.parent / path


def load_config(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read ``app.yaml`` (or the given file); a missing default file gives the embedded defaults."""
    env = os.environ if env is None else env
    file = Path(path) if path else Path("app.yaml")
    data: dict[str, Any] = {}
    if file.exists():
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    elif path:
        raise FileNotFoundError(f"config file not found: {file}")
    missing: list[str] = []
    merged = _merge(DEFAULTS, interpolate(data, env, missing))
    return Config(raw=merged, path=file.resolve() if file.exists() else None, missing_env=missing,
                  database_env=env.get("ASSESSBOT_DATABASE_URL") or None)
