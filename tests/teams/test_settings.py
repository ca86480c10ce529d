"""app.yaml's teams section: off, development mode (loud, loopback only) or authenticated."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import adapters.teams
from adapters.compose import build_app
from adapters.senders import platform_senders
from adapters.server import platform_mounts
from adapters.teams import settings as settings_module
from adapters.teams.endpoint import _loopback
from adapters.teams.settings import read_settings
from bot.config import load_config

pytestmark = pytest.mark.engines      # store tests: on SQLite and on PostgreSQL

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("teams", "enabled", "development"), [
    ({"enabled": False, "app_id": "x", "app_password": "y"}, False, False),
    ({"enabled": True, "app_id": None, "app_password": None}, False, False),    # ${TEAMS_APP_ID} unset
    ({"enabled": True, "app_id": "x", "app_password": ""}, False, False),       # half-configured
    ({"enabled": True}, True, True),
    ({"enabled": True, "app_id": "", "app_password": ""}, True, True),
    ({"enabled": True, "app_id": "x", "app_password": "y"}, True, False),
    ({"enabled": True, "app_id": "x", "app_password": "y", "tenant_id": None}, True, False),   # multi-tenant
])
def test_states(teams: dict, enabled: bool, development: bool) -> None:
    settings = read_settings({"teams": teams})
    assert (settings.enabled, settings.development) == (enabled, development)


def test_single_tenant_when_a_tenant_is_given() -> None:
    settings = read_settings({"teams": {"enabled": True, "app_id": "x", "app_password": "y", "tenant_id": "t"}})
    assert settings.app_type == "SingleTenant"


def test_the_bundled_app_yaml_without_secrets_keeps_teams_off() -> None:
    config = load_config(ROOT / "app.yaml", env={})
    assert not read_settings(config.raw).enabled


def test_development_mode_is_announced_and_wired(tmp_path: Path, caplog, monkeypatch) -> None:
    from tests.teams.conftest import write_config

    monkeypatch.setattr(settings_module, "_warned", set())
    app = build_app(str(write_config(tmp_path)))
    with caplog.at_level(logging.WARNING, logger="adapters.teams"):
        assert adapters.teams.enabled(app)
    assert "DEVELOPMENT MODE" in caplog.text and "NOT authenticated" in caplog.text
    assert adapters.teams.mount in platform_mounts(app)
    assert "teams" in platform_senders(app)
    app.db.close()


def test_disabled_teams_has_no_sender(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(f"storage:\n  path: {tmp_path / 'bot.db'}\nteams:\n  enabled: false\n", encoding="utf-8")
    app = build_app(str(path))
    assert adapters.teams.make_sender(app) is None and adapters.teams.mount not in platform_mounts(app)
    app.db.close()


def test_only_loopback_callers_in_development_mode() -> None:
    assert _loopback("127.0.0.1") and _loopback("::1")
    assert not _loopback("192.168.1.20") and not _loopback(None) and not _loopback("unix-socket")
