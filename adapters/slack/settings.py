"""The ``slack:`` section of ``app.yaml``: which keys turn Slack on, and where the Web API lives."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

SLACK_API = "https://slack.com/api/"


@dataclass(frozen=True)
class SlackSettings:
    """``slack.enabled``, ``slack.api_url``, ``slack.signing_secret``, ``slack.bot_token``, ``slack.app_token``."""

    enabled: bool
    api_url: str
    signing_secret: str | None
    bot_token: str | None
    app_token: str | None

    @property
    def can_send(self) -> bool:
        """Reminders need only the bot token."""
        return self.enabled and bool(self.bot_token)

    @property
    def can_receive(self) -> bool:
        """Events need the bot token and a way in: signed HTTP requests or a Socket Mode connection."""
        return self.can_send and bool(self.signing_secret or self.app_token)


def settings_of(app: Any) -> SlackSettings:
    """The Slack settings of a composed app (``adapters.compose.App``)."""
    raw = (app.config.raw.get("slack") or {}) if app is not None else {}
    api_url = str(raw.get("api_url") or SLACK_API)
    # slack_sdk joins method names onto the base URL, so it must end with a slash.
    if not api_url.endswith("/"):
        api_url += "/"
    return SlackSettings(
        enabled=bool(raw.get("enabled")),
        api_url=api_url,
        signing_secret=raw.get("signing_secret") or None,
        bot_token=raw.get("bot_token") or None,
        app_token=raw.get("app_token") or None,
    )


def explain_disabled(app: Any, settings: SlackSettings) -> None:
    """Say once, in the log, why Slack is off although ``app.yaml`` enables it (an unset secret)."""
    if not settings.enabled or settings.can_receive:
        return
    missing = [name for name in getattr(app.config, "missing_env", []) if "SLACK" in name.upper()]
    hint = f" (unset: {', '.join(missing)})" if missing else ""
    log.warning("Slack is enabled in the configuration but has no bot token, or neither a signing secret nor an "
                "app token%s: Slack stays off.", hint)
