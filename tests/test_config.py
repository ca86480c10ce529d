"""app.yaml: ${ENV} interpolation, unset secrets disable (never crash), embedded defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def test_bundled_app_yaml_without_secrets() -> None:
    config = load_config(ROOT / "app.yaml", env={})
    assert config.timezone == "Europe/London"
    assert config.raw["slack"]["signing_secret"] is None
    assert "SLACK_SIGNING_SECRET" in config.missing_env
    assert config.storage_path == ROOT / "assessbot.db"


def test_env_is_interpolated(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("slack:\n  bot_token: ${TOKEN}\n  api_url: http://127.0.0.1:${PORT}/api/\n"
                    "storage:\n  path: data/bot.db\n")
    config = load_config(path, env={"TOKEN": "xoxb-1", "PORT": "8080"})
    assert config.raw["slack"]["bot_token"] == "xoxb-1"
    assert config.raw["slack"]["api_url"] == "http://127.0.0.1:8080/api/"
    assert config.storage_path == tmp_path / "data" / "bot.db"
    assert config.raw["teams"]["enabled"] is False       # embedded default kept


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_config(tmp_path / "nope.yaml", env={})
