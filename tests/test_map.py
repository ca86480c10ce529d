"""docs/map.md is drawn from the code: it must be redrawn (``python -m docs.make_map``) when the code moves."""

from __future__ import annotations

from docs.make_map import MAP, render


def test_the_map_is_current() -> None:
    assert MAP.read_text(encoding="utf-8") == render(), "the code has moved on: run `python -m docs.make_map`"
