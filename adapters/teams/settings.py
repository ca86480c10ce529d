"""The ``teams:`` section of ``app.yaml``, read without importing botbuilder (it costs ~0.4 s to import).

Three states:

* disabled — ``teams.enabled`` is false, or a secret it names through ``${ENV}`` is unset (the bundled
  ``app.yaml`` on a machine without ``TEAMS_APP_ID``): a warning, never a crash;
* development mode — enabled with no app id at all (``app_id`` absent or ``""``): no authentication,
  which the log says loudly, and only loopback callers (the Bot Framework Emulator, a local tunnel);
* production — app id and password: every inbound request must carry a Bot Framework JWT.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("adapters.teams")

_warned: set[str] = set()


def warn_once(key: str, message: str, *args: Any) -> None:
    """Log a configuration warning once per process (``serve`` reads the settings more than once)."""
    if key not in _warned:
        _warned.add(key)
        log.warning(message, *args)


@dataclass(frozen=True)
class TeamsSettings:
    """What the adapter needs from ``app.yaml``; ``reason`` says why Teams is off when it is."""

    enabled: bool
    app_id: str = ""
    app_password: str = ""
    tenant_id: str = ""
    reason: str = ""

    @property
    def development(self) -> bool:
        """No app id: the Bot Framework Emulator or a local test, never a real tenant."""
        return self.enabled and not self.app_id

    @property
    def app_type(self) -> str:
        # A tenant id means a single-tenant Azure Bot registration (Microsoft's default since 2023).
        return "SingleTenant" if self.tenant_id else "MultiTenant"


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def read_settings(raw: dict[str, Any]) -> TeamsSettings:
    """Settings from the whole interpolated configuration (``Config.raw``)."""
    teams = raw.get("teams") or {}
    if not teams.get("enabled"):
        return TeamsSettings(False, reason="teams.enabled is false")
    # Key present but None: ``${VAR}`` named a variable that is unset. That is a deployment missing
    # its secret, not a request for development mode, so Teams stays off rather than open.
    for key in ("app_id", "app_password"):
        if key in teams and teams[key] is None:
            return TeamsSettings(False, reason=f"teams.{key} names an environment variable that is not set")
    # An unset tenant is normal: a multi-tenant bot has none (``settings_of`` mentions it).
    app_id, password, tenant = _text(teams.get("app_id")), _text(teams.get("app_password")), \
        _text(teams.get("tenant_id"))
    if app_id and not password:
        return TeamsSettings(False, reason="teams.app_id is set but teams.app_password is empty")
    return TeamsSettings(True, app_id, password, tenant)


def settings_of(app: Any) -> TeamsSettings:
    """The settings of an ``adapters.compose.App``, with the warnings an operator needs to see."""
    teams = app.config.raw.get("teams") or {}
    settings = read_settings(app.config.raw)
    if not settings.enabled:
        if teams.get("enabled"):
            warn_once("disabled", "Microsoft Teams is disabled: %s.", settings.reason)
    elif settings.development:
        warn_once("development",
                  "\n%s\nMICROSOFT TEAMS IN DEVELOPMENT MODE: no teams.app_id, so requests to /api/messages are NOT "
                  "authenticated. Only loopback callers are accepted. Never run a real tenant like this.\n%s",
                  "!" * 100, "!" * 100)
    elif "tenant_id" in teams and teams["tenant_id"] is None:
        warn_once("tenant", "teams.tenant_id names an unset environment variable: AssessBot runs as a multi-tenant "
                  "bot. Set it if the Azure Bot registration is single-tenant, or Teams will refuse to send.")
    return settings
