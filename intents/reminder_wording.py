"""What a reminder says, and how the reply names people: the recipient reads "Reminder from Tess Tutor:
send your draft — due 14 March 2027.", with the sender's "her" and "my" turned into the reader's "your".
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot.dates import uk_date
from bot.records.people import Person
from bot.reminders.rules import Rule
from bot.types import Reply

EXAMPLE = "For example “remind me every Thursday at 6pm to write up my reflective log”."
# The head every stored message starts with; replies quote the message without it.
PREFIX = re.compile(r"^Reminder(?: from [^:]+)?:\s*")


def name_of(person: Person | None, fallback: str = "someone") -> str:
    return (person.name or person.id) if person else fallback


def _swap(text: str, pairs: dict[str, str]) -> str:
    """Swap whole words (case-insensitively, keeping a capital) — pronouns for the reader."""
    def one(m: re.Match[str]) -> str:
        word = pairs[m.group(0).lower()]
        return word[0].upper() + word[1:] if m.group(0)[0].isupper() and m.start() == 0 else word
    return re.sub(r"\b(?:" + "|".join(map(re.escape, pairs)) + r")\b", one, text, flags=re.IGNORECASE)


OWN_WORDS = {"my": "your", "me": "you", "myself": "yourself", "mine": "yours", "i'm": "you're", "i": "you"}
OTHER_WORDS = {"her": "your", "his": "your", "their": "your", "she": "you", "he": "you", "they": "you",
               "herself": "yourself", "himself": "yourself", "themselves": "yourself", "hers": "yours",
               "theirs": "yours"}


def compose_message(what: str, schedule: dict[str, Any], sender: str | None, words: dict[str, str]) -> str:
    """What the recipient reads: "Reminder: work on your portfolio." / "Reminder from Tess Tutor: …"."""
    what = _swap(what.strip().rstrip(".!"), words)
    due = f" — due {uk_date(date.fromisoformat(schedule['date']))}" if schedule["type"] == "deadline" else ""
    head = f"Reminder from {sender}" if sender else "Reminder"
    return f"{head}: {what}{due}."


def what_of(rule: Rule) -> str:
    return PREFIX.sub("", rule.message).rstrip(".")


def no_message(who: str) -> Reply:
    return Reply("clarify", "reminder_set", paragraphs=[
        f"What should I remind {who} about? {EXAMPLE}"])
