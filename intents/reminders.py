"""Reminders in conversation: set, list and cancel them; hours, pause, resume and opt-out; and tutors'
reminders for their learners.

Anyone the bot knows — enrolled or not — may set reminders for themselves. Tutors may remind their
learners as a group ("remind my learners to submit unit 501 by 14 March 2027": nudges three weeks and
one day before, to the learners whose plan has the unit, with the tutor told who was left out and why)
or one by one ("remind Alice to send her draft by Friday": the day before and on the day), and pause a
learner's reminders during a break. Who may act on whom is ``bot.records.authz.can_access``'s call.

Schedules are read by :mod:`bot.reminders.parse`; nothing vague is guessed — the person is asked.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.dates import uk_date
from bot.intent import Intent, Slots, Turn
from bot.records.audit import record
from bot.records.authz import can_access
from bot.records.cohort import cohort_in_text, cohort_members
from bot.records.mentions import mention, mentioned_person
from bot.records.people import Person, get_person, learners_of
from bot.records.plan import plan_of
from bot.records.registration import current_registration
from bot.reminders.hours import DAYS, Prefs, allowed_at, load_prefs, next_allowed, save_prefs
from bot.reminders.notices import tell
from bot.reminders.parse import (
    PreferenceError,
    ScheduleError,
    UnclearSchedule,
    describe_prefs,
    parse_preferences,
    parse_until,
    parse_when,
    split_reminder,
)
from bot.reminders.rules import (
    Rule,
    cancel_rule,
    cohort_rules,
    create_rule,
    describe_schedule,
    rules_for_person,
    rules_owned_by,
)
from bot.types import Choice, Ref, Reply
from intents.records import subject

GROUP_DAYS_BEFORE = (21, 1)       # a tutor's deadline for the group: three weeks before, and the day before
PERSON_DAYS_BEFORE = (1, 0)       # one person's deadline: the day before, and on the day
STAFF = ("tutor", "manager", "admin")
EXAMPLE = "For example “remind me every Monday at 9am to work on my portfolio”."

_OWN_AUDIENCE = re.compile(r"^(?:me|us|myself|ourselves)?$", re.IGNORECASE)
_GROUP_AUDIENCE = re.compile(r"^(?:all\s+(?:of\s+)?)?(?:my|our)\s+(?:learners|students|group|groups|cohort|class|"
                             r"apprentices|candidates)$|^everyone$|^all$", re.IGNORECASE)
_COHORT_AUDIENCE = re.compile(r"^(?:the\s+)?(?:(?P<before>.+?)\s+(?:cohort|group|class)|(?:cohort|group|class)\s+"
                              r"(?P<after>.+))$", re.IGNORECASE)
_PRONOUN_AUDIENCE = re.compile(r"^(?:her|him|them)$", re.IGNORECASE)
_UNIT_WORD = re.compile(r"\bunits?\b|\bmodules?\b", re.IGNORECASE)
_PREFIX = re.compile(r"^Reminder(?: from [^:]+)?:\s*")


# -- helpers -----------------------------------------------------------------------------------------
def _zone(turn: Turn, person_id: str) -> ZoneInfo:
    assert turn.db is not None
    return load_prefs(turn.db, person_id).zone


def _name(person: Person | None, fallback: str = "someone") -> str:
    return (person.name or person.id) if person else fallback


def _swap(text: str, pairs: dict[str, str]) -> str:
    """Swap whole words (case-insensitively, keeping a capital) — pronouns for the reader."""
    def one(m: re.Match[str]) -> str:
        word = pairs[m.group(0).lower()]
        return word[0].upper() + word[1:] if m.group(0)[0].isupper() and m.start() == 0 else word
    return re.sub(r"\b(?:" + "|".join(map(re.escape, pairs)) + r")\b", one, text, flags=re.IGNORECASE)


_OWN_WORDS = {"my": "your", "me": "you", "myself": "yourself", "mine": "yours", "i'm": "you're", "i": "you"}
_OTHER_WORDS = {"her": "your", "his": "your", "their": "your", "she": "you", "he": "you", "they": "you",
                "herself": "yourself", "himself": "yourself", "themselves": "yourself", "hers": "yours",
                "theirs": "yours"}


def _message(what: str, schedule: dict[str, Any], sender: str | None, words: dict[str, str]) -> str:
    """What the recipient reads: "Reminder: work on your portfolio." / "Reminder from Tess Tutor: …"."""
    what = _swap(what.strip().rstrip(".!"), words)
    due = f" — due {uk_date(date.fromisoformat(schedule['date']))}" if schedule["type"] == "deadline" else ""
    head = f"Reminder from {sender}" if sender else "Reminder"
    return f"{head}: {what}{due}."


def _what(rule: Rule) -> str:
    return _PREFIX.sub("", rule.message).rstrip(".")


def _future_days_before(schedule: dict[str, Any], zone: ZoneInfo, now: datetime) -> tuple[list[int], list[int]]:
    """(nudges still to come, nudges already past) for a deadline schedule."""
    deadline = date.fromisoformat(schedule["date"])
    at = time.fromisoformat(schedule.get("time", "09:00"))
    ahead = [n for n in schedule["days_before"] if datetime.combine(deadline - timedelta(days=n), at, zone) > now]
    return ahead, [n for n in schedule["days_before"] if n not in ahead]


def _fit_deadline(schedule: dict[str, Any], zone: ZoneInfo, now: datetime) -> tuple[dict[str, Any], str | None]:
    """Drop nudges that are already in the past (saying so); a deadline too close for any gets one on the day."""
    if schedule["type"] != "deadline":
        return schedule, None
    ahead, past = _future_days_before(schedule, zone, now)
    if not past:
        return schedule, None
    if not ahead:
        on_day = {**schedule, "days_before": [0]}
        if _future_days_before(on_day, zone, now)[0]:
            return on_day, "The deadline is too close for the usual nudges, so there's one on the day."
        raise ScheduleError("That deadline is too close to send a reminder before it")
    return {**schedule, "days_before": ahead}, ("The " + " and ".join(_nudge(n) for n in past) + " nudge "
                                                 "would already have passed, so I've left it out.")


def _nudge(days: int) -> str:
    return {0: "on-the-day", 1: "day-before"}.get(days, f"{days // 7}-week" if days % 7 == 0 else f"{days}-day")


def _first_due(schedule: dict[str, Any], zone: ZoneInfo, now: datetime) -> datetime | None:
    """When the schedule first fires after ``now`` (aware), to check it against the person's hours."""
    local = now.astimezone(zone)
    kind = schedule["type"]
    if kind == "once":
        return datetime.fromisoformat(schedule["at"]).replace(tzinfo=zone)
    at = time.fromisoformat(schedule.get("time", "09:00"))
    if kind == "daily":
        first = datetime.combine(local.date(), at, zone)
        return first if first > now else datetime.combine(local.date() + timedelta(days=1), at, zone)
    if kind == "weekly":
        ahead = (schedule["weekday"] - local.weekday()) % 7
        first = datetime.combine(local.date() + timedelta(days=ahead), at, zone)
        return first if first > now else datetime.combine(first.date() + timedelta(days=7), at, zone)
    deadline = date.fromisoformat(schedule["date"])
    moments = [datetime.combine(deadline - timedelta(days=n), at, zone) for n in sorted(schedule["days_before"],
                                                                                     reverse=True)]
    return next((m for m in moments if m > now), None)


def _worth_until(schedule: dict[str, Any], first: datetime) -> datetime:
    """How long a reminder is still worth sending (as the dispatcher judges it): a one-off 12 hours, a
    recurrence until the next one, deadline nudges until the end of the deadline day."""
    kind = schedule["type"]
    if kind == "once":
        return first + timedelta(hours=12)
    if kind == "daily":
        return first + timedelta(days=1)
    if kind == "weekly":
        return first + timedelta(days=7)
    return datetime.combine(date.fromisoformat(schedule["date"]), time(23, 59), first.tzinfo)


def _hours_note(prefs: Prefs, schedule: dict[str, Any], now: datetime, whose: str = "your") -> str | None:
    """A warning when the person's own hours would hold the first reminder back (quiet hours, "only evenings")."""
    first = _first_due(schedule, prefs.zone, now)
    if first is None or allowed_at(prefs, first, urgent=False):
        return None
    later = next_allowed(prefs, first)
    lead = f"That time is outside {whose} reminder hours (quiet hours, preferences or a bank holiday), so "
    if later is None or later > _worth_until(schedule, first):
        return lead + "the first one would be skipped — you may want a different time."
    return lead + f"the first one will wait until {uk_date(later.date())} at {later.strftime('%H:%M')}."


def _status_note(prefs: Prefs, today: date, who: str = "You") -> str | None:
    """Paused or opted out: nothing will be sent meanwhile, and the person should know."""
    if prefs.opted_out:
        return (f"{who} turned reminders off, so nothing will be sent until they're turned back on (“start reminders "
                "again”)." if who == "You" else f"{who} has turned reminders off, so won't get it.")
    if prefs.paused_until and prefs.paused_until > today:
        return (f"{who} {'have' if who == 'You' else 'has'} reminders paused until {uk_date(prefs.paused_until)}; "
                "nothing is sent before then.")
    return None


def _finished(rule: Rule, now: datetime, zone: ZoneInfo) -> bool:
    """A one-off that has been sent or a deadline that has passed: no longer worth listing or cancelling."""
    kind = rule.schedule["type"]
    if kind == "once":
        return datetime.fromisoformat(rule.schedule["at"]).replace(tzinfo=zone) + timedelta(hours=12) < now
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
    zone = _zone(turn, person.id)
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
        return _name(get_person(turn.db, rule.audience_ref), rule.audience_ref)
    cohort = turn.db.execute("SELECT name FROM cohorts WHERE id = ?", [rule.audience_ref]).fetchone()
    return (f"the {cohort[0]} cohort" if cohort else "a cohort") + (
        f" with {rule.subject} in their plan" if rule.subject else "")


def _line(turn: Turn, person: Person, n: int, rule: Rule, owned: bool) -> str:
    assert turn.db is not None
    line = f"{n}. {describe_schedule(rule.schedule)[0].upper()}{describe_schedule(rule.schedule)[1:]}: “{_what(rule)}”"
    if owned and not (rule.audience_kind == "person" and rule.audience_ref == person.id):
        line += f" — to {_audience_text(turn, rule)}"
    if not owned:
        line += f" — set by {_name(get_person(turn.db, rule.owner_id), 'your tutor')}"
    return line


def _audit(turn: Turn, action: str, subject: str, **detail: Any) -> None:
    assert turn.db is not None and turn.person is not None
    record(turn.db, turn.now, turn.person.id, action, subject, **detail)


# -- setting a reminder ------------------------------------------------------------------------------------
def set_reminder(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    parts = split_reminder(slots.text)
    audience = parts.audience.strip()
    if _OWN_AUDIENCE.match(audience):
        return _set_own(turn, parts.when, parts.message)
    if _GROUP_AUDIENCE.match(audience):
        return _set_group(turn, slots, parts.when, parts.message)
    found = mention(turn.db, f"for {audience}", turn.person, turn.context.person)
    if found is None and _PRONOUN_AUDIENCE.match(audience):
        # "tell Priya her draft is due; remind her on Friday": the person named earlier in the message.
        found = mention(turn.db, slots.text, turn.person, turn.context.person)
    if found is not None and found.ambiguous:
        names = [p.name or p.id for p in found.ambiguous]
        return Reply("clarify", "reminder_set", paragraphs=[f"Which {found.name} — {' or '.join(names)}?"],
                     choices=[Choice(n, n) for n in names], asks={"phrase": found.name})
    named = found.person if found is not None else None
    if not isinstance(named, Person):
        cohort = cohort_in_text(turn.db, turn.person, audience)
        if cohort is not None:
            return _set_group(turn, slots, parts.when, parts.message, cohort)
        said = _COHORT_AUDIENCE.match(audience)
        if said and turn.person.role not in STAFF:
            return _cohort_denied()        # whether or not it exists: a learner learns nothing of other cohorts
        if said:
            name = (said.group("before") or said.group("after")).strip()
            return Reply("decline", "reminder_set", paragraphs=[
                f"I don't know a cohort called “{name}”{'' if turn.person.role == 'admin' else ' at your centre'}, "
                "so I haven't set anything. Check its name with your centre, or say “remind my learners …”."])
        return Reply("decline", "reminder_set", paragraphs=[
            f"I don't know anyone called {audience} on the roster. I can set reminders for you, and tutors can set "
            "them for their own learners."])
    if not (turn.person.role in STAFF and can_access(turn.db, turn.person, named.id)):
        return Reply("denied", "reminder_set", paragraphs=[
            "Sorry — you can set reminders for yourself, and tutors for their own learners, but not for other "
            "people."])
    return _set_for(turn, named, parts.when, parts.message)


def _read(turn: Turn, when: str, zone: ZoneInfo, days_before: tuple[int, ...]) -> tuple[dict, list[str]] | Reply:
    try:
        parsed = parse_when(when, turn.now, zone, days_before)
        schedule, dropped = _fit_deadline(parsed.schedule, zone, turn.now)
    except UnclearSchedule as exc:
        # Nothing is set until the day is settled; the answer replaces the unclear phrase ("next Friday").
        return Reply("clarify", "reminder_set", paragraphs=[str(exc)], choices=[Choice(c, c) for c in exc.choices],
                     asks={"phrase": exc.phrase} if exc.phrase else None)
    except ScheduleError as exc:
        return Reply("error", "reminder_set", paragraphs=[f"I haven't set anything — {_lower(str(exc))}. {EXAMPLE}"])
    return schedule, list(parsed.notes) + ([dropped] if dropped else [])


def _lower(text: str) -> str:
    return text[0].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _no_message(who: str) -> Reply:
    return Reply("clarify", "reminder_set", paragraphs=[
        f"What should I remind {who} about? {EXAMPLE}"])


def _set_own(turn: Turn, when: str, what: str) -> Reply:
    assert turn.person is not None and turn.db is not None
    if not what:
        return _no_message("you")
    prefs = load_prefs(turn.db, turn.person.id)
    read = _read(turn, when, prefs.zone, PERSON_DAYS_BEFORE)
    if isinstance(read, Reply):
        return read
    schedule, notes = read
    message = _message(what, schedule, None, _OWN_WORDS)
    rule = create_rule(turn.db, turn.person.id, "person", turn.person.id, schedule, message, turn.now)
    reply = Reply("done", "reminder_set", paragraphs=[
        f"Done — I'll remind you {describe_schedule(schedule)}: “{_PREFIX.sub('', message).rstrip('.')}”.", *notes],
        suggestions=["What reminders do I have?"],
        undo={"op": "reminder_set", "rules": [rule.id], "person": turn.person.id})
    for note in (_hours_note(prefs, schedule, turn.now), _status_note(prefs, turn.now.astimezone(prefs.zone).date())):
        if note:
            reply.paragraphs.append(note)
    return reply


def _set_for(turn: Turn, learner: Person, when: str, what: str) -> Reply:
    """A tutor's reminder for one learner: a deadline gets the day before and the day itself."""
    assert turn.person is not None and turn.db is not None
    name = _name(learner)
    if not what:
        return _no_message(name)
    prefs = load_prefs(turn.db, learner.id)
    read = _read(turn, when, prefs.zone, PERSON_DAYS_BEFORE)
    if isinstance(read, Reply):
        return read
    schedule, notes = read
    message = _message(what, schedule, _name(turn.person), _OTHER_WORDS)
    rule = create_rule(turn.db, turn.person.id, "person", learner.id, schedule, message, turn.now)
    reply = Reply("done", "reminder_set", paragraphs=[
        f"Done — I'll remind {name} {describe_schedule(schedule)} (their local time): "
        f"“{_PREFIX.sub('', message).rstrip('.')}”.", *notes], about=learner.id,
        undo={"op": "reminder_set", "rules": [rule.id], "person": learner.id})
    today = turn.now.astimezone(prefs.zone).date()
    for note in (_hours_note(prefs, schedule, turn.now, "their"), _status_note(prefs, today, name)):
        if note:
            reply.paragraphs.append(note)
    return reply


def _group_unit(turn: Turn, slots: Slots, learners: list[str]) -> str | None | Reply:
    """The unit a group reminder is about (its learners must have it in their plan), if it names one."""
    assert turn.db is not None
    refs = slots.refs
    if refs.unknown_units and not refs.units:
        return Reply("error", "reminder_set", paragraphs=[f"There's no unit {refs.unknown_units[0]}, so I haven't "
                                                          "set anything."])
    codes = list(refs.units)
    if not codes and _UNIT_WORD.search(slots.text):
        codes = [code for code, _ in refs.title_units]
    if len(codes) <= 1:
        return codes[0] if codes else None
    planned = set()
    for learner in learners:
        reg = current_registration(turn.db, learner)
        planned |= {u.code for u in plan_of(turn.db, reg.id)} if reg else set()
    narrowed = [c for c in codes if c in planned]
    if len(narrowed) == 1:
        return narrowed[0]
    options = narrowed or codes
    short = re.search(r"\b(\d{3})\b", slots.text)
    return Reply("clarify", "reminder_set", paragraphs=["Which unit do you mean?"], choices=[
        Choice(f"{c} {turn.kb.units[c].title}",
               slots.text.replace(short.group(1), c, 1) if short and c.endswith(short.group(1)) else c)
        for c in options])


def _cohort_denied() -> Reply:
    return Reply("denied", "reminder_set", paragraphs=[
        "Only tutors and centre managers can set reminders for a cohort. I can set one for you, though — "
        "for example “remind me on Friday to email my tutor”."])


def _set_group(turn: Turn, slots: Slots, when: str, what: str, cohort: dict | None = None) -> Reply:
    """"Remind my learners to submit unit 501 by 14 March 2027" (or "the Autumn 2025 cohort"): nudges three
    weeks and a day before, to the learners whose plan has the unit; the sender hears who was left out and
    why. Tutors reach their own learners (in the cohort, when one is named); managers a cohort of their
    centre."""
    assert turn.person is not None and turn.db is not None
    tutor = turn.person
    if cohort is not None:
        if tutor.role not in STAFF:
            return _cohort_denied()
        learners = cohort_members(turn.db, cohort["id"], tutor)
        group = f"the {cohort['name']} cohort" if tutor.role != "tutor" else f"your learners in {cohort['name']}"
        if not learners:
            return Reply("error", "reminder_set", paragraphs=[
                f"There's nobody to remind: {group} has no learners on the roster."
                if tutor.role != "tutor" else f"None of your learners is in the {cohort['name']} cohort."])
    else:
        if tutor.role != "tutor":
            return Reply("denied", "reminder_set", paragraphs=[
                "Only tutors can set reminders for their learners. I can set one for you, though — for example "
                "“remind me on Friday to email my tutor”."])
        learners = learners_of(turn.db, tutor.id)
        group = "your learners"
        if not learners:
            return Reply("error", "reminder_set", paragraphs=["You have no learners on the roster yet, so there's "
                                                              "nobody to remind. Your centre adds them."])
    if not what:
        return _no_message(group)
    unit = _group_unit(turn, slots, learners)
    if isinstance(unit, Reply):
        return unit
    zone = _zone(turn, tutor.id)
    read = _read(turn, when, zone, GROUP_DAYS_BEFORE)
    if isinstance(read, Reply):
        return read
    schedule, notes = read
    deadline = date.fromisoformat(schedule["date"]) if schedule["type"] == "deadline" else None
    first = _first_due(schedule, zone, turn.now)
    getting: list[str] = []
    left_out: list[str] = []
    exclude: list[str] = []
    for learner_id in learners:
        learner = get_person(turn.db, learner_id)
        if learner is None:
            continue                 # erased: nothing to send and nothing to say
        name = _name(learner)
        reg = current_registration(turn.db, learner_id)
        if reg is None:
            left_out.append(f"{name} — no current registration")
            continue
        if reg.status != "active":
            left_out.append(f"{name} — on a break in learning")
            continue
        if unit and unit not in {u.code for u in plan_of(turn.db, reg.id)}:
            left_out.append(f"{name} — {unit} isn't in their plan")
            continue
        if deadline and reg.expires_on and reg.expires_on < deadline:
            exclude.append(learner_id)
            left_out.append(f"{name} — their registration expires on {uk_date(reg.expires_on)}, before the deadline")
            continue
        prefs = load_prefs(turn.db, learner_id)
        if prefs.opted_out:
            left_out.append(f"{name} — has turned reminders off")
            continue
        if prefs.paused_until and first and prefs.paused_until > first.astimezone(prefs.zone).date():
            if deadline and prefs.paused_until > deadline:
                left_out.append(f"{name} — reminders paused until {uk_date(prefs.paused_until)}, after the deadline")
                continue
            getting.append(f"{name} (reminders paused until {uk_date(prefs.paused_until)}, so from then)")
            continue
        getting.append(name)
    who = group + (f" with {unit} in their plan" if unit else "")
    if not getting:
        reply = Reply("error", "reminder_set", paragraphs=[f"I haven't set it — none of {who} would get it."],
                      refs=[Ref(unit)] if unit else [])
        reply.add_list("Left out", left_out)
        return reply
    if exclude:
        schedule = {**schedule, "exclude": exclude}
    message = _message(what, schedule, _name(tutor), _OTHER_WORDS)
    if cohort is not None:
        create_rule(turn.db, tutor.id, "cohort", str(cohort["id"]), schedule, message, turn.now, subject=unit)
    else:
        create_rule(turn.db, tutor.id, "tutor_learners", tutor.id, schedule, message, turn.now, subject=unit)
    reply = Reply("done", "reminder_set", paragraphs=[
        f"Done — I'll remind {who} {describe_schedule(schedule)} (each in their local time): "
        f"“{_PREFIX.sub('', message).rstrip('.')}”.", *notes], refs=[Ref(unit)] if unit else [])
    reply.add_list("Will get it", getting)
    reply.add_list("Left out", left_out)
    return reply


# -- listing and cancelling --------------------------------------------------------------------------------
def list_reminders(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    person = turn.person
    items = _visible(turn, person)
    prefs = load_prefs(turn.db, person.id)
    status = _status_note(prefs, turn.now.astimezone(prefs.zone).date())
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
    haystack = _words(_what(rule)) | _words(_audience_text(turn, rule)) | _words(rule.subject or "")
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
        setter = _name(get_person(turn.db, rule.owner_id), "your tutor")
        return Reply("denied", "reminder_cancel", paragraphs=[
            f"That one was set by {setter}, so only they can cancel it. You can pause your reminders (“pause my "
            "reminders until 5 January”) or turn them off (“stop reminders”)."])
    cancel_rule(turn.db, rule, turn.now, turn.person.id)
    to = "" if rule.audience_kind == "person" and rule.audience_ref == turn.person.id else (
        f" to {_audience_text(turn, rule)}")
    return Reply("done", "reminder_cancel", paragraphs=[
        f"Cancelled: “{_what(rule)}”{to}, {describe_schedule(rule.schedule)}."],
        suggestions=["What reminders do I have?"])


# -- hours, pause, resume, opt-out -----------------------------------------------------------------------
def set_preferences(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    try:
        change = parse_preferences(slots.text)
    except PreferenceError as exc:
        return Reply("clarify", "reminder_prefs", paragraphs=[f"{exc}."])
    prefs = change.apply(load_prefs(turn.db, turn.person.id))
    save_prefs(turn.db, turn.person.id, prefs)
    _audit(turn, "reminder_prefs", turn.person.id, said=list(change.said))
    reply = Reply("done", "reminder_prefs", paragraphs=["Saved. " + " ".join(change.said)])
    reply.facts = describe_prefs(prefs)
    return reply


def _whose(turn: Turn, slots: Slots, intent: str, verb: str) -> Person | Reply:
    """Whose reminders: the speaker's, or a named learner's when the speaker may act for them (their tutor,
    centre manager, an admin) — the same rule as for their records."""
    return subject(turn, slots, intent, denied=f"Sorry — you can only {verb} your own reminders. A learner's "
                                                f"tutor can {verb} theirs.")


def pause_reminders(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    person = _whose(turn, slots, "reminder_pause", "pause")
    if isinstance(person, Reply):
        return person
    own = person.id == turn.person.id
    prefs = load_prefs(turn.db, person.id)
    try:
        until = parse_until(slots.text, turn.now, prefs.zone)
    except UnclearSchedule as exc:
        return Reply("clarify", "reminder_pause", paragraphs=[f"Until when? {exc}"],
                     choices=[Choice(c, c) for c in exc.choices], asks={"phrase": exc.phrase})
    except ScheduleError as exc:
        return Reply("error", "reminder_pause", paragraphs=[f"{exc}. Please give the date to start again, like "
                                                            "“until 5 January”."])
    if until is None:
        return Reply("clarify", "reminder_pause", paragraphs=[
            "Until when? Tell me the date to start again — for example “pause my reminders until 5 January”. (To "
            "turn them off altogether, say “stop reminders”.)"])
    before = prefs.paused_until
    prefs.paused_until = until
    save_prefs(turn.db, person.id, prefs)
    _audit(turn, "reminder_pause", person.id, until=until.isoformat())
    if not own:
        tell(turn.db, person.id, f"pause:{person.id}:{turn.now.isoformat()}", turn.now,
             f"{_name(turn.person)} has paused your reminders until {uk_date(until)} — nothing will be sent before "
             "then. Reply “start my reminders again” any time to have them back sooner.")
    whose = "your" if own else f"{_name(person)}'s"
    reply = Reply("done", "reminder_pause", paragraphs=[
        f"Paused {whose} reminders until {uk_date(until)} — nothing is sent before then, and they start again "
        f"on {uk_date(until)}." + ("" if own else f" {_name(person)} has been told.")],
        about=None if own else person.id,
        undo={"op": "reminder_pause", "person": person.id, "before": before.isoformat() if before else None})
    if prefs.opted_out:
        reply.paragraphs.append(("You've" if own else f"{_name(person)} has") + " also turned reminders off, so "
                                "nothing will come after the pause either until they're turned back on.")
    return reply


def resume_reminders(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    person = _whose(turn, slots, "reminder_resume", "restart")
    if isinstance(person, Reply):
        return person
    own = person.id == turn.person.id
    prefs = load_prefs(turn.db, person.id)
    if not own and prefs.opted_out:
        return Reply("denied", "reminder_resume", paragraphs=[
            f"{_name(person)} turned reminders off themselves, so only they can turn them back on."])
    today = turn.now.astimezone(prefs.zone).date()
    was = [what for what, on in (("paused", prefs.paused_on(today)), ("turned off", prefs.opted_out)) if on]
    prefs.paused_until = None
    prefs.opted_out = False
    save_prefs(turn.db, person.id, prefs)
    _audit(turn, "reminder_resume", person.id)
    whose = "Your" if own else f"{_name(person)}'s"
    if not was:
        return Reply("done", "reminder_resume", paragraphs=[f"{whose} reminders are already on — nothing to change."])
    return Reply("done", "reminder_resume", paragraphs=[
        f"{whose} reminders are back on (they were {' and '.join(was)})."])


def opt_out(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    named = mentioned_person(turn.db, slots.text, turn.person)
    if named is not None:
        return Reply("denied", "reminder_opt_out", paragraphs=[
            "Only each person can turn their own reminders off. A tutor can pause a learner's reminders instead — "
            "for example “pause Alice's reminders until 5 January”."])
    prefs = load_prefs(turn.db, turn.person.id)
    prefs.opted_out = True
    save_prefs(turn.db, turn.person.id, prefs)
    _audit(turn, "reminder_opt_out", turn.person.id)
    return Reply("done", "reminder_opt_out", paragraphs=[
        "Done — no more reminders: nothing will be sent to you, including registration and target-date warnings "
        "and reminders your tutor sets. Your reminders are kept, so saying “start reminders again” picks up where "
        "you left off."])


# -- declarations ------------------------------------------------------------------------------------------
_DAY_WORDS = "|".join(d + "s?" for d in DAYS) + "|weekends?|weekdays?|mornings?|afternoons?|evenings?"
_PLURAL_DAYS = "|".join(d + "s" for d in DAYS) + "|weekends|weekdays"
_TIME = r"\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\d{1,2}:\d{2}\b"
# A preference is a statement about reminders, not a question about the qualification: it starts with its
# negation or "only", or it names reminders ("don't remind me …", "reminders only …"). "Can I only do the
# evidence at weekends?" must stay a knowledge question.
_NOT = r"^\W*(?:(?:please|and|also)\W+)?(?:not|never|no reminders|nothing|none)\b"
_ABOUT_REMINDERS = r"\b(?:don't|do not|never) (?:remind|message|send|ping|contact|bother) me\b|\breminders?\b"
_REMINDERS = r"\b(?:reminders?|nudges)\b"

_REMIND = (r"^\W*(?:(?:please|hey|hi|ok|okay|oh)\W+)*(?:(?:can|could|would|will) (?:you|u|ya)\s+(?:please\s+)?)?"
           r"(?:please\s+)?remind\s+(?!me\s+(?:what|how|which|where|who|when|whether|if|why|of|again|the)\b)")

INTENTS = (
    Intent("reminder_set", set_reminder, personal=True, acts=True,
           examples=("remind me every monday at 9am to work on my portfolio", "remind me on friday to email my tutor",
                     "remind me tomorrow at 7pm to read my notes", "set a reminder for friday",
                     "remind my learners to submit unit 501 by 14 march 2027",
                     "remind alice to send her draft by friday",
                     # Reminders about actions other intents carry out: the request is the reminder, and
                     # "remind me to add 503 on Monday" must not add 503 today.
                     "remind me to add evidence for 501 on friday", "remind me to add 503 to my plan on monday",
                     "remind me to drop 504 tomorrow", "remind me tomorrow to mark 501 as ready",
                     "remind me to log evidence for 501 on friday", "remind me to set a target for 503 tomorrow"),
           # "Remind me what 2.2 says" / "remind me the pass mark" are questions, not reminders.
           leads=_REMIND,
           cues=((_REMIND, 1.0),
                 (r"\bset (?:up )?(?:a |an |some )?reminders?\b", 1.0),
                 (r"\b(?:add|new|create) (?:a )?reminder\b", 1.0),
                 (r"\bnudge (?:me|my learners)\b", 0.8))),
    Intent("reminder_list", list_reminders, personal=True,
           examples=("what reminders do i have", "show my reminders", "list my reminders", "my reminders"),
           cues=((r"\b(?:what|which|show|list|see|view|any)\b.*\breminders\b", 1.0),
                 (r"^\W*(?:my\s+)?reminders\W*$", 1.0),
                 (r"\breminders (?:do i have|have i got|have i set|are (?:set|on))\b", 1.0))),
    Intent("reminder_cancel", cancel_reminder, personal=True, acts=True,
           examples=("cancel the monday one", "cancel reminder 2", "stop the portfolio reminder",
                     "delete my reminder"),
           cues=((r"\b(?:cancel|delete|scrap|get rid of)\b.*\breminders?\b", 1.0),
                 (r"\b(?:cancel|delete|scrap)\s+(?:the|that|my)\s+(?:\w+\s+){0,2}one\b", 1.0),
                 (r"\b(?:remove|stop|turn off|switch off|drop)\b.*\breminder\b", 1.0))),
    Intent("reminder_prefs", set_preferences, personal=True, acts=True,
           examples=("not during the school day", "only sunday mornings", "only weekends", "only evenings",
                     "not on saturdays", "quiet hours 10pm to 7am", "no reminders after 8pm",
                     "my time zone is europe/paris"),
           cues=((rf"(?:{_NOT}|{_ABOUT_REMINDERS}).*\b(?:during|in)\s+(?:the\s+)?(?:school|working|work|office)\s+"
                  r"(?:day|hours)\b|\boutside (?:of )?(?:school|working|work|office) hours\b", 0.9),
                 (r"\bquiet hours\b", 1.0),
                 (r"\bmy time ?zone\b|\bset\b.*\btime ?zone\b|\btime ?zone to\b|\bi(?:'m| am) in [A-Za-z_]+/", 1.0),
                 (rf"^\W*only\b(?:\s+(?:on|at|in the|during))?\s+(?:{_DAY_WORDS})\b", 0.9),
                 (rf"\bonly (?:remind|message|send|ping|contact)\b|{_REMINDERS} only\b", 0.9),
                 (rf"(?:{_NOT}|{_ABOUT_REMINDERS}).*\b(?:on|at)\s+(?:{_PLURAL_DAYS})\b", 0.9),
                 (rf"(?:{_NOT}|{_ABOUT_REMINDERS}).*\b(?:after|before)\s+(?:{_TIME})", 0.9),
                 (r"\breminder (?:preferences|settings|hours)\b", 0.9))),
    Intent("reminder_pause", pause_reminders, personal=True, acts=True,
           examples=("pause my reminders until 5 january", "pause alice's reminders until 5 january",
                     "no reminders until after half-term"),
           # Only reminders: "can I pause my registration?" is a question for the rules, not an action here.
           cues=((rf"\b(?:pause|hold|suspend|mute)\b.*{_REMINDERS}", 1.0),
                 (r"\bno reminders (?:until|till|for)\b", 1.0))),
    Intent("reminder_resume", resume_reminders, personal=True, acts=True,
           examples=("start reminders again", "resume my reminders", "turn my reminders back on",
                     "unpause my reminders"),
           cues=((rf"\b(?:resume|unpause|un-pause|restart)\b.*{_REMINDERS}", 1.0),
                 (r"\b(?:start|turn on|switch on|send)\b.*\breminders\b.*\bagain\b", 1.0),
                 (r"\breminders\b.*\b(?:back on|again)\b", 0.9),
                 (r"\bturn (?:my |the )?reminders (?:back )?on\b", 1.0))),
    Intent("reminder_opt_out", opt_out, personal=True, acts=True,
           examples=("stop reminders", "no more reminders", "stop sending me reminders", "turn off my reminders"),
           cues=((r"\b(?:stop|no more|turn off|switch off|disable|unsubscribe from|opt out of|don't want|do not want|"
                  r"don't send|do not send)\b(?:\s+[\w'’]+){0,3}\s+reminders\b(?!.*\bagain\b)", 1.0),
                 (r"^\W*stop reminding me\W*$", 1.0))),
)
