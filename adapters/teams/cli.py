"""``assessbot teams package``: build the Teams app package (registered from ``adapters/cli.py``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from adapters.teams.package import PackageDetails, PackageError, build_package


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``teams package`` to the CLI."""
    teams = sub.add_parser("teams", help="Microsoft Teams: the app package", parents=[common])
    teams_sub = teams.add_subparsers(dest="teams_command", required=True)
    package = teams_sub.add_parser("package", help="build the Teams app package (a zip to upload)", parents=[common])
    package.add_argument("--app-id", help="the bot's Microsoft App ID (default: teams.app_id in app.yaml)")
    package.add_argument("--out", default="assessbot-teams.zip", help="the zip to write (default: %(default)s)")
    package.add_argument("--app-version", default="1.0.0", help="the app's version; raise it for each upload")
    package.add_argument("--developer", default="AssessBot", help="the developer name Teams shows")
    package.add_argument("--website", default="https://example.org/assessbot", help="an https:// address")
    package.add_argument("--privacy-url", default="", help="default: <website>/privacy")
    package.add_argument("--terms-url", default="", help="default: <website>/terms")


def dispatch(args: argparse.Namespace) -> int:
    """Run ``teams package``: 0 with the path written, 1 with the reason on standard error."""
    from bot.config import load_config

    app_id = args.app_id
    if not app_id:
        config = load_config(args.config)
        app_id = str((config.raw.get("teams") or {}).get("app_id") or "")
    details = PackageDetails(app_id=app_id.strip(), version=args.app_version, developer=args.developer,
                             website=args.website, privacy_url=args.privacy_url, terms_url=args.terms_url)
    try:
        out = build_package(details, Path(args.out))
    except PackageError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Wrote {out}: upload it in Teams (Apps → Manage your apps → Upload an app).")
    if "example.org" in details.website:
        print("Note: the developer website, privacy and terms addresses are placeholders; pass --website "
              "(and --privacy-url, --terms-url) with your centre's pages before publishing to your organisation.")
    return 0
