"""Listing and cancelling reminders: "what reminders do I have?", "cancel reminder 2", "cancel the Monday one".

A person sees the reminders they set (to anyone) and those set for them, numbered the same way each
time; they may cancel only their own — one set by a tutor is the tutor's to cancel.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.intent import Slots, Turn
from bot.records.cohort import cohort_members
from bot.records.people import Person, get_person
from bot.records.plan import plan_of
from bot.records.registration import current_registration
from bot.reminders.hours import DAYS, load_prefs
from bot.reminders.preferences import describe_prefs
from bot.reminders.rules import (
    Rule,
    cancel_rule,
    cohort_rules,
    describe_schedule,
    once_moment,
    rules_for_person,
    rules_owned_by,
)
from bot.types import Reply
from intents.reminder_timing import status_note, zone_of
from intents.reminder_wording import EXAMPLE, name_of, what_of


def _finished(rule: Rule, now: datetime, zone: ZoneInfo) -> bool:
    """A one-off that has been sent or a deadline that has passed: no longer worth listing or cancelling."""
    kind = rule.schedule["type"]
    if kind == "once":
        return once_moment(rule.schedule, zone, rule.created_at) + timedelta(hours=12) < now
    if kind == "deadline":
        return date.fromisoformat(rule.schedule["date"]) < now.astimezone(zone).date()
    return False


def _group_rules_for(turn: Turn, person: Person) -> list[Rule]:
    """Group reminders that reach ``person``: their tutors' and their cohort's (their plan has the unit;
    not excluded)."""
    assert turn.db is not None
    reg = current_registration(turn.db, person.id)
    planned = {u.code for u in plan_of(turn.db, reg.id)} if reg else set()
    candidates: list[Rule] = []
    for (tutor,) in turn.db.execute("SELECT tutor_id FROM tutor_learners WHERE learner_id = ?", [person.id]):
        candidates += [r for r in rules_owned_by(turn.db, tutor) if r.audience_kind == "tutor_learners"]
    if person.cohort_id is not None:
        for rule in cohort_rules(turn.db, person.cohort_id):
            owner = get_person(turn.db, rule.owner_id)
            if owner is not None and person.id in cohort_members(turn.db, person.cohort_id, owner):
                candidates.append(rule)
    return [r for r in candidates if (r.subject is None or r.subject in planned)
            and person.id not in r.schedule.get("exclude", [])]


def _visible(turn: Turn, person: Person) -> list[tuple[Rule, bool]]:
    """The person's reminders as listed and numbered: theirs first (to anyone), then those set for them."""
    assert turn.db is not None
    zone = zone_of(turn, person.id)
    own = [(r, True) for r in rules_owned_by(turn.db, person.id)]
    others = [r for r in rules_for_person(turn.db, person.id) if r.owner_id != person.id]
    others += [r for r in _group_rules_for(turn, person) if r.id not in {o.id for o in others}]
    items = own + [(r, False) for r in sorted(others, key=lambda r: r.id)]
    return [(r, o) for r, o in items if not _finished(r, turn.now, zone)]


def _audience_text(turn: Turn, rule: Rule) -> str:
    assert turn.db is not None
    if rule.audience_kind == "tutor_learners":
        return "your learners" + (f" with {rule.subject} in their plan" if rule.subject else "")
    if rule.audience_kind == "person":
        return name_of(get_person(turn.db, rule.audience_ref), rule.audience_ref)
    cohort = turn.db.execute("SELECT name FROM cohorts WHERE id = ?", [rule.audience_ref]).fetchone()
    return (f"the {cohort[0]} cohort" if cohort else "a cohort") + (
        f" with {rule.subject} in their plan" if rule.subject else "")


def _line(turn: Turn, person: Person, n: int, rule: Rule, owned: bool) -> str:
    assert turn.db is not None
    said = describe_schedule(rule.schedule)
    line = f"{n}. {said[0].upper()}{said[1:]}: “{what_of(rule)}”"
    if owned and not (rule.audience_kind == "person" and rule.audience_ref == person.id):
        line += f" — to {_audience_text(turn, rule)}"
    if not owned:
        line += f" — set by {name_of(get_person(turn.db, rule.owner_id), 'your tutor')}"
    return line


def list_reminders(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    person = turn.person
    items = _visible(turn, person)
    prefs = load_prefs(turn.db, person.id)
    status = status_note(prefs, turn.now.astimezone(prefs.zone).date())
    if not items:
        return Reply("decline", "reminder_list", paragraphs=[
            "You have no reminders set. " + EXAMPLE] + ([status] if status else []),
            suggestions=["Remind me on Friday to email my tutor"])
    reply = Reply("answer", "reminder_list", title="Your reminders")
    reply.add_list("", [_line(turn, person, n, rule, owned) for n, (rule, owned) in enumerate(items, 1)])
    if status:
        reply.paragraphs.append(status)
    reply.facts = describe_prefs(prefs)
    reply.suggestions = ["Cancel reminder 1"]
    return reply


_NUMBER = re.compile(r"\b(?:reminder|number|no\.?|#)\s*(\d{1,3})\b|^\W*(?:cancel|delete|remove|stop)\s+(\d{1,3})\b",
                     re.IGNORECASE)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "1st": 1, "2nd": 2, "3rd": 3}
_STOP_WORDS = frozenset(
    "cancel delete remove stop drop scrap get rid of turn switch off the a an my me i please can you could would "
    "want to reminder reminders one that this for about on at every each day days week weekly daily no more just "
    "don't dont need it thanks".split())
_DAY = re.compile(r"\b(" + "|".join(DAYS) + r")s?\b", re.IGNORECASE)


def _weekday_of(rule: Rule) -> int | None:
    schedule = rule.schedule
    if schedule["type"] == "weekly":
        return schedule["weekday"]
    if schedule["type"] == "once":
        return datetime.fromisoformat(schedule["at"]).weekday()
    return None


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


def _matches(turn: Turn, rule: Rule, words: set[str]) -> int:
    """How many of the message's words the reminder has (its text, recipient or unit); prefixes count."""
    haystack = _words(what_of(rule)) | _words(_audience_text(turn, rule)) | _words(rule.subject or "")
    return sum(any(h.startswith(w[:5]) or w.startswith(h[:5]) for h in haystack if len(h) > 2) for w in words)


def cancel_reminder(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    items = _visible(turn, turn.person)
    if not items:
        return Reply("error", "reminder_cancel", paragraphs=["You have no reminders, so there's nothing to cancel."])
    text = slots.text
    if re.search(r"\ball\b", text, re.IGNORECASE):
        owned = [rule for rule, own in items if own]
        if not owned:
            return Reply("error", "reminder_cancel", paragraphs=[
                "There's nothing of yours to cancel — the reminders you get were set by your tutor. You can pause "
                "or stop reminders instead."])
        for rule in owned:
            cancel_rule(turn.db, rule, turn.now, turn.person.id)
        return Reply("done", "reminder_cancel", paragraphs=[f"Cancelled all {len(owned)} of your reminders."])
    number = _NUMBER.search(text)
    ordinal = re.search(r"\b(" + "|".join(_ORDINALS) + r")\b", text, re.IGNORECASE)
    if number or ordinal:
        n = int(number.group(1) or number.group(2)) if number else _ORDINALS[ordinal.group(1).lower()]  # type: ignore[union-attr]
        if not 1 <= n <= len(items):
            return _ask_which(turn, items, f"There's no reminder {n} — you have {len(items)}.", kind="error")
        return _cancel(turn, *items[n - 1])
    candidates = items
    day = _DAY.search(text)
    if day:
        weekday = DAYS.index(day.group(1).lower())
        candidates = [(r, o) for r, o in candidates if _weekday_of(r) == weekday]
        # "The Monday one" is the weekly Monday reminder rather than a one-off that falls on a Monday.
        weekly = [(r, o) for r, o in candidates if r.schedule["type"] == "weekly"]
        candidates = weekly or candidates
    words = {w for w in _words(_DAY.sub(" ", text)) if w not in _STOP_WORDS}
    if words:
        scored = [(_matches(turn, r, words), r, o) for r, o in candidates]
        best = max((s for s, _, _ in scored), default=0)
        candidates = [(r, o) for s, r, o in scored if s == best and best > 0]
    if len(candidates) == 1:
        return _cancel(turn, *candidates[0])
    if not candidates:
        return _ask_which(turn, items, "I couldn't find a reminder like that.", kind="error")
    return _ask_which(turn, candidates, "Which one? More than one reminder fits.", numbered=items)


def _ask_which(turn: Turn, shown: list[tuple[Rule, bool]], lead: str, kind: str = "clarify",
               numbered: list[tuple[Rule, bool]] | None = None) -> Reply:
    """List reminders with the numbers "what reminders do I have?" uses, and how to cancel one."""
    assert turn.person is not None
    numbers = {rule.id: n for n, (rule, _) in enumerate(numbered or shown, 1)}
    reply = Reply(kind, "reminder_cancel", paragraphs=[lead, "Tell me its number — for example “cancel reminder "
                                                             f"{numbers[shown[0][0].id]}”."])
    reply.add_list("Your reminders", [_line(turn, turn.person, numbers[r.id], r, o) for r, o in shown])
    # Suggestions, not numbered choices: a choice's position would not be the reminder's own number.
    reply.suggestions = [f"Cancel reminder {numbers[r.id]}" for r, _ in shown][:6]
    return reply


def _cancel(turn: Turn, rule: Rule, owned: bool) -> Reply:
    assert turn.person is not None and turn.db is not None
    if not owned:
        setter = name_of(get_person(turn.db, rule.owner_id), "your tutor")
        return Reply("denied", "reminder_cancel", paragraphs=[
            f"That one was set by {setter}, so only they can cancel it. You can pause your reminders (“pause my "
            "reminders until 5 January”) or turn them off (“stop reminders”)."])
    cancel_rule(turn.db, rule, turn.now, turn.person.id)
    to = "" if rule.audience_kind == "person" and rule.audience_ref == turn.person.id else (
        f" to {_audience_text(turn, rule)}")
    return Reply("done", "reminder_cancel", paragraphs=[
        f"Cancelled: “{what_of(rule)}”{to}, {describe_schedule(rule.schedule)}."],
        suggestions=["What reminders do I have?"])
