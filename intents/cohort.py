"""Tutors' and centre managers' questions: cohort progress with RAG, who is behind, expiring
registrations, stuck units, who has gone quiet, referrals, missing evidence, and assessment decisions.

Whose learners a question covers is decided once, by ``bot.records.cohort.scope_for``: managers their
centre, tutors their learners, admins everyone; learners get a kind ``denied``.
"""

from __future__ import annotations

import functools
import heapq
import io
import re
from collections.abc import Callable
from datetime import date, timedelta

from bot.cite import unit_label
from bot.dates import add_months, finish_phrase, uk_date
from bot.intent import Intent, Slots, Turn
from bot.records import cohort as views
from bot.records.breaks import BreakError, end_break, may_manage, start_break
from bot.records.chart import cohort_chart
from bot.records.export import COHORT_COLUMNS, write_table
from bot.records.mentions import mention
from bot.records.people import Person
from bot.records.questions import top_topics
from bot.records.standing import RAG_RULE, Standing
from bot.reminders.errors import ScheduleError, UnclearSchedule
from bot.reminders.hours import load_prefs, rest_until, wake
from bot.reminders.preferences import parse_until
from bot.types import Attachment, Choice, Ref, Reply
from bot.windows import ScheduleError as WindowError
from bot.windows import UnknownDate, Window, read_window
from intents.records import named_person

STAFF_ONLY = ("Cohort questions are for tutors and centre managers. I can tell you about your own progress — "
              "try “how am I doing?”.")
MAX_LISTED = 25
ScopedHandler = Callable[[Turn, Slots, views.Scope], Reply]
_NUMBER = {"one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "nine": 9, "twelve": 12}


def _scoped(intent: str) -> Callable[[ScopedHandler], Callable[[Turn, Slots], Reply]]:
    """A cohort view's handler, called with the learners the speaker may see (or the speaker is refused)."""
    def wrap(handler: ScopedHandler) -> Callable[[Turn, Slots], Reply]:
        @functools.wraps(handler)
        def run(turn: Turn, slots: Slots) -> Reply:
            scope = _scope(turn, slots, intent)
            return scope if isinstance(scope, Reply) else handler(turn, slots, scope)
        return run
    return wrap


def _scope(turn: Turn, slots: Slots, intent: str) -> views.Scope | Reply:
    assert turn.person is not None and turn.db is not None
    cohort = views.cohort_in_text(turn.db, turn.person, slots.text)
    scope = views.scope_for(turn.person, cohort["id"] if cohort else None)
    if scope is None:
        return Reply("denied", intent, paragraphs=[STAFF_ONLY])
    if cohort:
        scope = views.Scope(scope.where, scope.params, f"the {cohort['name']} cohort")
    tutor = mention(turn.db, slots.text, turn.person)
    if tutor is not None and tutor.person is not None and tutor.person.role == "tutor":
        # "How is Marcus's group doing?": that tutor's learners, within what the speaker may see.
        scope = views.Scope(f"({scope.where}) AND p.id IN (SELECT learner_id FROM tutor_learners WHERE tutor_id = ?)",
                            (*scope.params, tutor.person.id), f"{tutor.person.name}'s learners")
    return scope


def _name(s: Standing) -> str:
    return s.name or s.person_id


def _line(s: Standing) -> str:
    return f"{_name(s)}: {s.summary()}"


@_scoped("cohort_progress")
def cohort_progress(turn: Turn, slots: Slots, scope: views.Scope) -> Reply:
    assert turn.db is not None
    rows = views.standings(turn.db, turn.kb, scope, turn.now.date())
    if not rows:
        return Reply("decline", "cohort_progress", paragraphs=[f"There are no learners in {scope.label} yet."])
    counts = views.rag_counts(rows)
    reply = Reply("answer", "cohort_progress", title=f"Progress: {scope.label}",
                  facts=[("Learners", str(len(rows))), ("Red", str(counts["red"])), ("Amber", str(counts["amber"])),
                         ("Green", str(counts["green"]))])
    others = {k: v for k, v in counts.items() if k not in ("red", "amber", "green") and v}
    reply.facts += [(k.capitalize(), str(v)) for k, v in others.items()]
    # Only the listed lines are formatted: a centre can have thousands of learners.
    reply.add_list("Red", [_line(s) for s in [s for s in rows if s.rag == "red"][:MAX_LISTED]])
    reply.add_list("Amber", [_line(s) for s in [s for s in rows if s.rag == "amber"][:MAX_LISTED]])
    if len(rows) <= MAX_LISTED:
        # A small group is shown whole: the ones on track are part of the overview too.
        reply.add_list("On track or not yet paced", [_line(s) for s in rows if s.rag not in ("red", "amber")])
    for colour in ("red", "amber"):
        hidden = counts[colour] - MAX_LISTED
        if hidden > 0:
            reply.paragraphs.append(f"…and {hidden} more in {colour.title()} — “export the cohort” lists everyone.")
    reply.paragraphs.append(RAG_RULE)
    return reply


@_scoped("whos_behind")
def whos_behind(turn: Turn, slots: Slots, scope: views.Scope) -> Reply:
    assert turn.db is not None
    rows = [s for s in views.standings(turn.db, turn.kb, scope, turn.now.date()) if s.rag in ("red", "amber")]
    if not rows:
        return Reply("answer", "whos_behind", paragraphs=[f"Nobody in {scope.label} is behind. {RAG_RULE}"])
    # Furthest behind first (points behind = expected % − met %); only the listed few are ordered.
    listed = heapq.nsmallest(MAX_LISTED, rows, key=lambda s: (
        s.rag != "red", (100.0 * s.met / s.total if s.total else 100.0) - (s.expected_percent or 0.0)))
    reply = Reply("answer", "whos_behind", title=f"Behind plan: {scope.label}")
    reply.add_list("", [f"{s.rag.title()} — {_line(s)}" for s in listed])
    if len(rows) > MAX_LISTED:
        reply.paragraphs.append(f"…and {len(rows) - MAX_LISTED} more — “export the cohort” lists everyone.")
    reply.paragraphs.append(RAG_RULE)
    return reply


_SPAN_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_WONT_FINISH = re.compile(r"\bbefore (?:they|she|he)(?:'ll| will| can| could)? (?:finish|complete)|"
                          r"\b(?:won't|will not|not going to|aren't going to|isn't going to) (?:finish|complete)|"
                          r"\bnot finish(?:ing)?\b|\brun(?:ning)? out of time\b", re.IGNORECASE)


def _days(text: str, default: int) -> int:
    """A span in days: "for a month" → 30, "in the next six months" → 180, "next year" → 365."""
    m = re.search(r"\b(\d{1,2}|" + "|".join(_NUMBER) + r"|the next)\s+(days?|weeks?|months?|years?)\b", text,
                  re.IGNORECASE)
    if m:
        raw = m.group(1).lower()
        n = 1 if raw == "the next" else int(raw) if raw.isdigit() else _NUMBER[raw]
        return n * _SPAN_DAYS[m.group(2)[0].lower()]
    return default


@_scoped("expiring_registrations")
def expiring_registrations(turn: Turn, slots: Slots, scope: views.Scope) -> Reply:
    assert turn.db is not None
    today = turn.now.date()
    pace = _WONT_FINISH.search(slots.text)
    try:
        window = None if pace else read_window(slots.text, today)
    except UnknownDate as exc:
        return Reply("clarify", "expiring_registrations", paragraphs=[str(exc)])
    except WindowError as exc:
        return Reply("error", "expiring_registrations", paragraphs=[f"{exc}. Please give a date like “31 March 2027”."])
    everyone = views.standings(turn.db, turn.kb, scope, today)
    if window is None and pace:
        # "Whose registration runs out before they'll finish?": on the pace so far, after expiry — any date.
        rows = sorted((s for s in everyone if s.registration.expires_on and s.met < s.total and (
            s.projected_finish is None or s.projected_finish > s.registration.expires_on)),
            key=lambda s: s.registration.expires_on)
        said = "who, on the pace so far, won't finish before their registration expires"
    else:
        if window is None:
            months = max(1, round(_days(slots.text, 183) / 30.44))
            window = Window(today, add_months(today, months), f"in the next {months} months")
        rows = sorted((s for s in everyone if s.registration.expires_on and s.met < s.total
                       and window.contains(s.registration.expires_on)), key=lambda s: s.registration.expires_on)
        said = f"whose registration expires {window.said}"
    if not rows:
        return Reply("answer", "expiring_registrations", paragraphs=[
            f"Nobody in {scope.label} who hasn't completed {said.removeprefix('whose registration ')}."
            if said.startswith("whose") else f"Nobody in {scope.label} is behind like that: everyone is on course "
            "to finish before their registration expires."])
    names = ", ".join(_name(s) for s in rows[:MAX_LISTED])
    reply = Reply("answer", "expiring_registrations", paragraphs=[
        f"{len(rows)} learner{'s' if len(rows) != 1 else ''} in {scope.label} {said}: {names}."])
    lines = []
    for s in rows[:MAX_LISTED]:
        finish = (f"on course to finish {finish_phrase(s.projected_finish, s.registration.expires_on)}"
                  if s.projected_finish
                  else "no criteria met yet, so no projected finish")
        late = " — after expiry" if s.projected_finish and s.projected_finish > s.registration.expires_on else ""
        lines.append(f"{_name(s)}: expires {uk_date(s.registration.expires_on)}; {s.met} of {s.total} met; "
                     f"{finish}{late}")
    reply.add_list("", lines)
    return reply


@_scoped("stuck_units")
def stuck_units(turn: Turn, slots: Slots, scope: views.Scope) -> Reply:
    assert turn.db is not None
    snags = [s for s in views.stuck_units(turn.db, turn.kb, scope) if s.started or s.referrals][:5]
    if not snags:
        return Reply("answer", "stuck_units", paragraphs=[
            f"No unit stands out in {scope.label}: nobody has started a unit and stalled, and there are no referrals."])
    reply = Reply("answer", "stuck_units", title=f"Where people are stuck: {scope.label}",
                  refs=[Ref(s.code) for s in snags])
    reply.add_list("", [f"{unit_label(turn.kb.units[s.code])}: {s.started} of {s.learners} started but not "
                        f"finished; {s.referrals} referral{'s' if s.referrals != 1 else ''}" for s in snags])
    return reply


@_scoped("gone_quiet")
def gone_quiet(turn: Turn, slots: Slots, scope: views.Scope) -> Reply:
    assert turn.db is not None
    days = _days(slots.text, 30)
    rows = views.gone_quiet(views.standings(turn.db, turn.kb, scope, turn.now.date()), turn.now, days)
    if not rows:
        return Reply("answer", "gone_quiet", paragraphs=[f"Everyone in {scope.label} has been in touch in the last "
                                                         f"{days} days."])
    reply = Reply("answer", "gone_quiet", title=f"Quiet for {days} days or more: {scope.label}")
    reply.add_list("", [f"{_name(s)}: last active {uk_date(s.last_active.date())}"  # type: ignore[union-attr]
                        for s in rows[:MAX_LISTED]])
    return reply


@_scoped("referrals")
def referrals(turn: Turn, slots: Slots, scope: views.Scope) -> Reply:
    assert turn.db is not None
    today = turn.now.date()
    since = date(today.year, 1, 1)
    counts = views.referrals_by_unit(turn.db, scope, since)
    total = sum(counts.values())
    reply = Reply("answer", "referrals", title=f"Referrals since {uk_date(since)}: {scope.label}",
                  facts=[("Referrals", str(total))], refs=[Ref(c) for c in counts])
    reply.add_list("By unit", [f"{unit_label(turn.kb.units[c]) if c in turn.kb.units else c}: {n}"
                               for c, n in counts.items()])
    return reply


@_scoped("missing_evidence")
def missing_evidence(turn: Turn, slots: Slots, scope: views.Scope) -> Reply:
    assert turn.db is not None and slots.unit is not None
    people = views.without_evidence_for(turn.db, scope, slots.unit.code)
    if not people:
        return Reply("answer", "missing_evidence", refs=[Ref(slots.unit.code)], paragraphs=[
            f"Everyone in {scope.label} with {unit_label(slots.unit)} in their plan has logged evidence for it."])
    reply = Reply("answer", "missing_evidence", title=f"No evidence yet for {unit_label(slots.unit)}",
                  refs=[Ref(slots.unit.code)])
    reply.add_list(scope.label.capitalize(), [name or pid for pid, name in people][:MAX_LISTED])
    return reply


@_scoped("asked_most")
def asked_most(turn: Turn, slots: Slots, scope: views.Scope) -> Reply:
    assert turn.db is not None
    days = _days(slots.text, 30) if re.search(r"\b(?:days?|weeks?|months?)\b", slots.text, re.IGNORECASE) else 30
    since = turn.now - timedelta(days=days)
    topics = top_topics(turn.db, scope, since)
    if not topics:
        return Reply("answer", "asked_most", paragraphs=[
            f"Learners in {scope.label} haven't asked me anything in the last {days} days."])
    reply = Reply("answer", "asked_most", title=f"Most asked about in the last {days} days: {scope.label}",
                  refs=[Ref(t) for t, _ in topics if t in turn.kb.units])
    reply.add_list("", [f"{unit_label(turn.kb.units[t]) if t in turn.kb.units else t}: {n} question"
                        f"{'s' if n != 1 else ''}" for t, n in topics])
    reply.paragraphs.append("I keep only the topic of each question, never the message itself.")
    return reply


# -- breaks in learning ----------------------------------------------------------------------------------
def _learner_to_manage(turn: Turn, slots: Slots, intent: str) -> Person | Reply:
    assert turn.person is not None and turn.db is not None
    learner = named_person(turn, slots, intent, denied="Only a learner's tutor (or an admin) can start or end a "
                                                       "break in learning.")
    example = "Say it like “Alice Able is on a break until 5 January”."
    if isinstance(learner, Reply):
        return learner
    if learner is None:
        return Reply("clarify", intent, paragraphs=[f"Who is it for? {example}"], asks={"phrase": ""})
    if not may_manage(turn.db, turn.person, learner.id):
        return Reply("denied", intent, paragraphs=["Only a learner's tutor (or an admin) can start or end a break "
                                                   "in learning."])
    return learner


def break_start(turn: Turn, slots: Slots) -> Reply:
    learner = _learner_to_manage(turn, slots, "break_start")
    if isinstance(learner, Reply):
        return learner
    assert turn.db is not None and turn.person is not None
    zone = load_prefs(turn.db, learner.id).zone
    try:
        until = parse_until(slots.text, turn.now, zone)
    except UnclearSchedule as exc:
        return Reply("clarify", "break_start", paragraphs=[str(exc)], choices=[Choice(c, c) for c in exc.choices],
                     asks={"phrase": exc.phrase})
    except ScheduleError as exc:
        return Reply("error", "break_start",
                     paragraphs=[f"{exc}. Give the planned return date, e.g. “until 5 January”."])
    try:
        with turn.db.atomic():
            reg = start_break(turn.db, turn.person, learner.id, until, turn.now)
            if until is not None:
                rest_until(turn.db, learner.id, until)      # their reminders rest until the planned return
    except BreakError as exc:
        return Reply("error", "break_start", paragraphs=[str(exc)])
    row = next(iter(turn.db.query("SELECT id FROM breaks WHERE registration_id = ? ORDER BY id DESC LIMIT 1",
                                  [reg.id])), None)
    back = f" until {uk_date(until)}, and their reminders rest until then" if until else ""
    return Reply("done", "break_start", paragraphs=[
        f"{learner.name or learner.id} is on a break from learning{back}. Their expected progress stands still while "
        "they're away; tell me when they're back (“Alice Able is back”)."], about=learner.id,
        undo={"op": "break_start", "break": row["id"], "registration": reg.id, "person": learner.id} if row else None)


def break_end(turn: Turn, slots: Slots) -> Reply:
    learner = _learner_to_manage(turn, slots, "break_end")
    if isinstance(learner, Reply):
        return learner
    assert turn.db is not None and turn.person is not None
    try:
        with turn.db.atomic():
            end_break(turn.db, turn.person, learner.id, turn.now)
            wake(turn.db, learner.id, turn.now.date())
    except BreakError as exc:
        return Reply("error", "break_end", paragraphs=[str(exc)])
    return Reply("done", "break_end", paragraphs=[
        f"Welcome back, {learner.name or learner.id}: their break is over and their reminders start again."])


# -- files: the spreadsheet and the chart ----------------------------------------------------------------
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@_scoped("export_cohort")
def export_cohort(turn: Turn, slots: Slots, scope: views.Scope) -> Reply:
    assert turn.db is not None
    rows = views.cohort_rows(turn.db, turn.kb, scope, turn.now.date())
    if not rows:
        return Reply("decline", "export_cohort", paragraphs=[f"There are no learners in {scope.label} to export."])
    buffer = io.BytesIO()
    write_table(rows, COHORT_COLUMNS, "Cohort", "xlsx", buffer)
    filename = f"cohort-{turn.now.date().isoformat()}.xlsx"
    return Reply("done", "export_cohort", paragraphs=[
        f"Here's the progress spreadsheet for {scope.label}: {len(rows)} learner{'s' if len(rows) != 1 else ''}, one "
        "row each (progress is the share of criteria met; status is the RAG rating).", RAG_RULE],
        attachments=[Attachment(filename, XLSX, buffer.getvalue(), f"Cohort progress — {scope.label}")])


@_scoped("cohort_chart")
def chart(turn: Turn, slots: Slots, scope: views.Scope) -> Reply:
    assert turn.db is not None
    rows = views.standings(turn.db, turn.kb, scope, turn.now.date())
    if not rows:
        return Reply("decline", "cohort_chart", paragraphs=[f"There are no learners in {scope.label} to chart."])
    cohort_of = {r["id"]: r["cohort"] for r in views.cohort_rows(turn.db, turn.kb, scope, turn.now.date())}
    png = cohort_chart(rows, cohort_of, f"Progress: {scope.label} ({uk_date(turn.now.date())})")
    counts = views.rag_counts(rows)
    return Reply("answer", "cohort_chart", title=f"Progress chart: {scope.label}", paragraphs=[RAG_RULE],
                 facts=[("Red", str(counts["red"])), ("Amber", str(counts["amber"])), ("Green", str(counts["green"]))],
                 attachments=[Attachment(f"cohort-chart-{turn.now.date().isoformat()}.png", "image/png", png,
                                         f"Progress chart — {scope.label}")])


INTENTS = (
    Intent("cohort_progress", cohort_progress, personal=True,
           examples=("how is the spring 2026 cohort getting on", "how is my cohort doing", "cohort progress",
                     "how are my learners doing", "rag status for the centre")),
    Intent("whos_behind", whos_behind, personal=True,
           examples=("who's behind", "which of my learners are behind", "who is behind plan", "anyone falling behind")),
    Intent("expiring_registrations", expiring_registrations, personal=True,
           examples=("whose registration expires in the next six months", "which registrations expire soon",
                     "list everyone whose registration expires in the next six months who hasn't completed")),
    Intent("stuck_units", stuck_units, personal=True,
           examples=("which unit are people stuck on", "where are learners getting stuck", "which unit is hardest")),
    Intent("gone_quiet", gone_quiet, personal=True,
           examples=("who has gone quiet for a month", "who hasn't been in touch", "which learners have gone silent")),
    Intent("referrals", referrals, personal=True,
           examples=("how many referrals this year by unit", "referrals by unit", "how many learners were referred")),
    Intent("missing_evidence", missing_evidence, personal=True, needs="unit",
           examples=("which of my learners haven't logged evidence for 502", "who hasn't got evidence for unit 501")),
    Intent("break_start", break_start, personal=True, acts=True,
           examples=("alice able is on a break from learning until 5 january", "put bob on a break",
                     "alice is taking a break until after half-term")),
    Intent("break_end", break_end, personal=True, acts=True,
           examples=("alice able is back", "end bob's break", "alice is back from her break")),
    Intent("asked_most", asked_most, personal=True,
           examples=("what have my learners asked about most this month", "what do people ask about most",
                     "most common questions")),
    Intent("export_cohort", export_cohort, personal=True,
           examples=("export the cohort as a spreadsheet", "export progress for the reading cluster as a spreadsheet",
                     "can i have the cohort in excel", "download the cohort progress")),
    Intent("cohort_chart", chart, personal=True,
           examples=("show me a chart of the cohort", "chart of progress", "graph the centre's progress")),
)
