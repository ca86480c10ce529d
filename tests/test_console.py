"""The console adapter: a conversation on stdin/stdout that ends kindly."""

from __future__ import annotations

import io

from adapters.console import run_console


def test_console_conversation_carries_context(dialogue, kb) -> None:
    stdout = io.StringIO()
    assert run_console(dialogue, "console:jo", io.StringIO("what evidence does 8391-501 AC2.2 need?\n"
                                                          "and 2.3?\nquit\n"), stdout) == 0
    out = stdout.getvalue()
    assert kb.criterion("8391-501", "2.2").text in out
    assert kb.criterion("8391-501", "2.3").text in out
    assert "Goodbye" in out


def test_console_ends_at_end_of_input(dialogue) -> None:
    stdout = io.StringIO()
    assert run_console(dialogue, "console:jo", io.StringIO("hi\n"), stdout) == 0
    assert "Hello" in stdout.getvalue() and "Goodbye" in stdout.getvalue()


def test_console_leaves_on_a_slash_command_too(dialogue, kb) -> None:
    stdout = io.StringIO()
    assert run_console(dialogue, "console:jo", io.StringIO("/quit\nwhat evidence does 8391-501 AC2.2 need?\n"),
                       stdout) == 0
    out = stdout.getvalue()
    assert "Goodbye" in out and "not sure what you're asking" not in out
    assert kb.criterion("8391-501", "2.2").text not in out          # left before the next line
