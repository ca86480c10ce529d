"""Taking a reminder request apart: who it is for, when, and what it should say.

"remind me every Thursday at 6pm to write up my reflective log" → ("me", "every Thursday at 6pm", "write up my
reflective log"). Only the words are separated here; :mod:`bot.reminders.schedule` reads the "when" and the
intents find the person named. Everything here is pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.reminders.words import DAY_NAMES, DAY_RE, MONTH_NAMES, MONTH_RE

# Words a schedule phrase may be made of (when splitting it from the message). Vague words are
# included on purpose: "remind me to email my tutor after half-term" must reach the vagueness check
# rather than put "after half-term" into the message.
_WHEN_WORDS = frozenset(
    "every each on at by before the of next this coming tomorrow today tonight morning mornings afternoon "
    "afternoons evening evenings night nights day days daily weekly week weeks weekday weekdays in and o'clock "
    "oclock noon midday midnight am pm hour hours minute minutes min mins from now until till weekend weekends "
    "fortnight month months year soon sometime later after half-term halfterm half term christmas easter "
    "holiday holidays end around ish asap whenever due start beginning a an one two three four five six seven "
    "eight nine ten eleven twelve".split())
_TIME_TOKEN = re.compile(r"^\d{1,2}(?:[:.]\d{2})?(?:am|pm|a\.m\.|p\.m\.)?$")
# "2.2" is a criterion, not 2 February: a dotted date needs its year ("14.03.2027").
_DATE_TOKEN = re.compile(r"^(?!\d{1,2}\.\d{1,2}$)\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?$|^\d{4}-\d{2}-\d{2}$|"
                         r"^\d{1,2}(?:st|nd|rd|th)$")
_NUMBER_CONTEXT_BEFORE = frozenset("at on the in by before until till from".split())
_NUMBER_CONTEXT_AFTER = frozenset("am pm o'clock oclock day days week weeks hour hours minute minutes min mins "
                                  "st nd rd th".split())
# A schedule phrase names something about time, not just "on the".
_ANCHOR = re.compile(
    rf"\b(?:{DAY_RE}|{MONTH_RE}|tomorrow|today|tonight|noon|midday|midnight|daily|weekly|every|each|"
    r"mornings?|afternoons?|evenings?|weekends?|fortnight|soon|sometime|later|asap|whenever|half-?term|term|"
    r"christmas|easter|holidays?|next)\b|\bend of\b|\d", re.IGNORECASE)
_TOKEN = re.compile(r"[\w/.:'’+-]+")
_MARKER = re.compile(r"\b(?:to|that|about)\b", re.IGNORECASE)
_LEAD = re.compile(r"\b(?:remind(?:er)?s?|nudge|ping)\b", re.IGNORECASE)


def _bare(token: str) -> str:
    return token.lower().replace("’", "'").strip(".,!?;:")


def _is_when_token(tokens: list[str], i: int) -> bool:
    """Is ``tokens[i]`` part of a schedule phrase? Bare numbers only next to date or time words, so
    "read chapter 5 on Friday" keeps its 5."""
    word = _bare(tokens[i])
    if word in _WHEN_WORDS or word in DAY_NAMES or word in MONTH_NAMES:
        return True
    if _DATE_TOKEN.match(word) or (_TIME_TOKEN.match(word) and not word.isdigit()):
        return True
    if word.isdigit():
        before = _bare(tokens[i - 1]) if i else ""
        after = _bare(tokens[i + 1]) if i + 1 < len(tokens) else ""
        value = int(word)
        if len(word) == 4 and 2000 <= value <= 2100:
            nearby = {_bare(t) for t in tokens[max(0, i - 2):i]}
            return bool(nearby & set(MONTH_NAMES)) or bool(_DATE_TOKEN.match(before))
        if 1 <= value <= 31:
            return (before in _NUMBER_CONTEXT_BEFORE or before in MONTH_NAMES or before in DAY_NAMES
                    or after in _NUMBER_CONTEXT_AFTER or after in MONTH_NAMES)
    return False


def _when_suffix(text: str) -> tuple[str, str]:
    """``text`` split as (the rest, the schedule phrase at its end): the longest tail made only of
    schedule words that names a time ("email my tutor on Friday at 4pm" → "email my tutor", "on Friday
    at 4pm")."""
    matches = list(_TOKEN.finditer(text))
    tokens = [m.group(0) for m in matches]
    for start in range(len(tokens)):
        if all(_is_when_token(tokens, i) for i in range(start, len(tokens))):
            tail = text[matches[start].start():]
            if _ANCHOR.search(tail):
                return text[:matches[start].start()].strip(" ,"), tail.strip(" ,.!?")
    return text.strip(" ,"), ""


@dataclass(frozen=True)
class ReminderText:
    """A reminder request taken apart: who it is for (as typed), when, and what it should say."""

    audience: str
    when: str
    message: str


_DUE = re.compile(r"\b(?:due|by|before)\s+((?:the\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+[A-Za-z]{3,9}(?:\s+\d{4})?|"
                  r"\d{1,2}/\d{1,2}(?:/\d{2,4})?)", re.IGNORECASE)
_NUDGE = re.compile(r",?\s*(?:and\s+)?(?:nudge|remind|ping)\s+(?:them|me|her|him)\b[^,.;]*\bbefore\b", re.IGNORECASE)
_TOLD = re.compile(r"^\s*(?:please\s+)?tell\s+(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+(?:that\s+)?(?P<msg>[^;]+?)"
                   r"\s*[;,.]\s*(?:and\s+)?(?P<rest>remind\s+(?:her|him|them)\b.*)$")


def split_reminder(text: str) -> ReminderText:
    """"remind me every Thursday at 6pm to write up my reflective log" → ("me", "every Thursday at 6pm",
    "write up my reflective log"). The schedule may come before or after the message, or both."""
    told = _TOLD.search(text)
    if told:
        # "tell <name> <message>; remind <pronoun> <when>": what to tell is the message, the rest says when.
        when = " ".join(w for w in (_when_suffix(told.group("rest"))[1], _when_suffix(told.group("msg"))[1]) if w)
        message = _when_suffix(told.group("msg"))[0].strip(" ,.;!?")
        return ReminderText(told.group("who").strip(), when, message)
    lead = _LEAD.search(text)
    rest = text[lead.end():] if lead else text
    colon = re.match(r"^\s*(?:a\s+)?(?:reminder\s+)?for\s+(?P<who>(?:my|our|the|all)\b[^:\d]{2,40}?|[A-Z][^:\d]{1,30}?)"
                     r"\s*:\s*(?P<msg>.+)$", rest, re.IGNORECASE)
    if colon:
        # "a reminder for <audience>: <message>" — the audience before the colon.
        message, when = _when_suffix(colon.group("msg"))
        due = _DUE.search(message)
        if not when and due:
            # "<thing> due <date>" with nudges and no other time: a deadline, with the usual nudges before it.
            when = f"by {due.group(1)}"
            message = _DUE.sub("", _NUDGE.sub("", message))
        return ReminderText(colon.group("who").strip(), when, message.strip(" ,.!?"))
    marker = _MARKER.search(rest)
    before, after = (rest[:marker.start()], rest[marker.end():]) if marker else (rest, "")
    audience, when_before = _when_suffix(before)
    message, when_after = _when_suffix(after)
    audience = re.sub(r"^\s*(?:for|to)\b\s*", "", audience, flags=re.IGNORECASE).strip(" ,")
    message = re.sub(r"^\s*(?:please\s+)?", "", message, flags=re.IGNORECASE).strip(" ,.!?")
    when = " ".join(w for w in (when_before, when_after) if w)
    return ReminderText(audience, when, message)
