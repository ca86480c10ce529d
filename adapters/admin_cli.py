"""``assessbot admin …`` and ``assessbot export …`` (being written)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the admin and export subcommands to the CLI."""


def dispatch(args: argparse.Namespace) -> int:
    raise SystemExit(f"unknown command {args.command}")
