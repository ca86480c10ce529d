"""The App Home tab: a learner's registration, plan and next reminders; a tutor's learners who need them.

Everything shown comes from the core's record functions (registrations, plans, progress, standings,
reminder rules and occurrences) and is only laid out here; who sees whose records is the core's
``scope_for`` and ``may_decide``. Slack allows 100 blocks in a Home view, so long lists are cut with
a note of how many more there are.
"""

from __future__ import annotations

import json
from typing import Any

from adapters.slack.core import CoreContext
from adapters.slack.render import Block, button, clipped, mrkdwn, plain, section, sections
from adapters.slack.text import escape
from bot.cite import unit_label
from bot.dates import uk_date
from bot.records.cohort import expiring, gone_quiet, person_scope, scope_for, standings
from bot.records.decisions import may_decide
from bot.records.people import Person
from bot.records.plan import plan_of
from bot.records.progress import awaiting_decision, criterion_statuses
from bot.records.registration import current_registration
from bot.reminders.dispatch import upcoming
from bot.reminders.hours import load_prefs
from bot.reminders.occurrences import INACTIVE_AFTER
from bot.reminders.rules import describe_schedule, once_moment, rules_for_person, rules_owned_by

MAX_HOME_BLOCKS = 100
MAX_LEARNERS = 15          # learners needing attention listed on a tutor's Home
MAX_DECISIONS = 12         # criteria awaiting a decision, two blocks each
MAX_REMINDERS = 5
EXPIRING_MONTHS = 3
STAFF = ("tutor", "manager", "admin")


def home_view(ctx: CoreContext, identity: str) -> dict[str, Any]:
    """The Home tab for the person behind ``identity``."""
    person = ctx.person(identity)
    blocks: list[Block] = [{"type": "header", "text": plain("AssessBot")}]
    if person.role in STAFF:
        blocks += _staff(ctx, person)
    elif current_registration(ctx.db, person.id) is not None:
        blocks += _learner(ctx, person)
    else:
        blocks += _newcomer(person)
    blocks.append({"type": "context", "elements": [mrkdwn(
        "Ask me in the Messages tab, mention me in a channel, or use `/assess` — for example "
        "“what evidence does 8391-501 AC2.2 need?”.")]})
    return {"type": "home", "blocks": _fit(blocks)}


def _fit(blocks: list[Block]) -> list[Block]:
    if len(blocks) <= MAX_HOME_BLOCKS:
        return blocks
    return blocks[: MAX_HOME_BLOCKS - 1] + [{"type": "context", "elements": [mrkdwn("(More than fits here — ask me "
                                                                                  "in the Messages tab.)")]}]


def _newcomer(person: Person) -> list[Block]:
    return [section(escape(
        f"Hello {person.display_name}! I answer questions about the ILM and City & Guilds specifications — units, "
        "assessment criteria, evidence and the rules. Your centre hasn't linked you to a registration yet; once it "
        "has, your plan, registration dates and reminders will appear here."))]


# -- learners ---------------------------------------------------------------------------------------
def _learner(ctx: CoreContext, person: Person) -> list[Block]:
    reg = current_registration(ctx.db, person.id)
    assert reg is not None
    q = ctx.kb.qualifications[reg.qualification_id]
    today = ctx.now().date()
    blocks: list[Block] = [section(escape(f"Hello {person.display_name} — here's where you stand."))]
    facts = [("Qualification", q.title), ("Registered on", uk_date(reg.registered_on)),
             ("Registration expires", uk_date(reg.expires_on) if reg.expires_on
              else "not stated in the specification — your centre can confirm")]
    mine = standings(ctx.db, ctx.kb, person_scope(person.id), today)
    if mine:
        facts.append(("Progress", mine[0].summary()))
    blocks.append({"type": "section", "fields": [mrkdwn(f"*{escape(k)}*\n{clipped(v, 1900)}") for k, v in facts]})

    plan = plan_of(ctx.db, reg.id)
    progress = criterion_statuses(ctx.db, ctx.kb, reg, [u.code for u in plan])
    lines = []
    for unit in plan:
        kb_unit = ctx.kb.units.get(unit.code)
        line = unit_label(kb_unit) if kb_unit else unit.code
        p = progress.get(unit.code)
        if p:
            line += f" — {p.count('met')} of {p.total} met"
            if p.count("ready"):
                line += f", {p.count('ready')} awaiting assessment"
        if unit.target_date:
            line += f"; target {uk_date(unit.target_date)}"
        lines.append(f"• {line}")
    blocks += [{"type": "divider"}]
    blocks += sections("\n".join(lines) or "No units in your plan yet — try “add 503”.", "Your plan")
    blocks += [{"type": "divider"}]
    blocks += sections("\n".join(_next_reminders(ctx, person)) or "No reminders are set. Try “remind me every "
                       "Thursday at 6pm to write up my reflective log”.", "Next reminders")
    blocks.append({"type": "actions", "elements": [
        button("log_evidence", "Log evidence", "log", style="primary"),
        button("mark_ready", "Mark ready for assessment", "ready"),
        button("home_ask", "What's left?", json.dumps({"v": "What's left?"})),
    ]})
    return blocks


def _next_reminders(ctx: CoreContext, person: Person) -> list[str]:
    """The next reminders queued for the person (in their time zone), then the reminders they have set."""
    zone = load_prefs(ctx.db, person.id, ctx.timezone).zone
    lines = []
    for at_utc, text in upcoming(ctx.db, person.id, ctx.now(), MAX_REMINDERS):
        at = at_utc.astimezone(zone)
        lines.append(f"• {uk_date(at.date())} at {at:%H:%M}: {text}")
    rules = {r.id: r for r in rules_owned_by(ctx.db, person.id) + rules_for_person(ctx.db, person.id)}
    local = ctx.now().astimezone(zone)
    for rule in list(rules.values()):
        if len(lines) >= 2 * MAX_REMINDERS:
            break
        # A one-off already past, or a deadline gone by, is no longer a "next" reminder.
        if rule.schedule.get("type") == "once" and once_moment(rule.schedule, zone, rule.created_at) < local:
            continue
        if rule.schedule.get("type") == "deadline" and rule.schedule["date"] < local.date().isoformat():
            continue
        when = describe_schedule(rule.schedule)
        lines.append(f"• {when[0].upper()}{when[1:]}: “{rule.message}”")
    return lines


# -- tutors, managers, admins ----------------------------------------------------------------------------
def _staff(ctx: CoreContext, person: Person) -> list[Block]:
    now = ctx.now()
    today = now.date()
    scope = scope_for(person)
    rows = standings(ctx.db, ctx.kb, scope, today) if scope is not None else []
    reasons: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    summaries: dict[str, str] = {}
    for s in rows:
        names[s.person_id] = s.name or s.person_id
        summaries[s.person_id] = s.summary()
        if s.rag in ("red", "amber"):
            reasons.setdefault(s.person_id, []).append(f"{s.rag.title()} — behind the expected pace")
    for s in expiring(rows, today, EXPIRING_MONTHS):
        assert s.registration.expires_on is not None
        reasons.setdefault(s.person_id, []).append(f"registration expires on {uk_date(s.registration.expires_on)}")
    for s in gone_quiet(rows, now, INACTIVE_AFTER.days):
        reasons.setdefault(s.person_id, []).append("no activity for three weeks or more")
    blocks: list[Block] = [section(escape(f"Hello {person.display_name}. {len(rows)} learner"
                                          f"{'s' if len(rows) != 1 else ''} in {scope.label if scope else 'view'}."))]
    blocks += [{"type": "divider"}]
    attention = [f"• {names[pid]}: {'; '.join(why)}\n    {summaries[pid]}"
                 for pid, why in list(reasons.items())[:MAX_LEARNERS]]
    if len(reasons) > MAX_LEARNERS:
        attention.append(f"… and {len(reasons) - MAX_LEARNERS} more.")
    blocks += sections("\n".join(attention) or "Nobody needs attention right now.", "Learners needing attention")
    blocks += _awaiting_decision(ctx, person, [s.person_id for s in rows], names)
    return blocks


def _awaiting_decision(ctx: CoreContext, person: Person, learners: list[str], names: dict[str, str]) -> list[Block]:
    """Criteria learners have marked ready, with Met / Referred buttons where the core lets this person decide."""
    items: list[tuple[str, str, str]] = []
    more = 0
    # Only learners with something marked ready need a closer look.
    for learner in awaiting_decision(ctx.db, learners):
        if not may_decide(ctx.db, person, learner):
            continue
        reg = current_registration(ctx.db, learner)
        if reg is None:
            continue
        for code, progress in criterion_statuses(ctx.db, ctx.kb, reg).items():
            for ac, status in progress.statuses.items():
                if status == "ready":
                    if len(items) < MAX_DECISIONS:
                        items.append((learner, code, ac))
                    else:
                        more += 1
    if not items:
        return []
    blocks: list[Block] = [{"type": "divider"}, section("*Waiting for your decision*")]
    for learner, code, ac in items:
        criterion = ctx.kb.criterion(code, ac)
        wording = f" — {criterion.text}" if criterion else ""
        blocks.append(section(clipped(f"{names.get(learner, learner)}: {code} AC{ac}{wording}", 3000)))
        value = json.dumps({"l": learner, "u": code, "a": ac})
        blocks.append({"type": "actions", "elements": [
            button("decide:met", "Met", value, style="primary"),
            button("decide:referred", "Referred", value, style="danger")]})
    if more:
        blocks.append({"type": "context", "elements": [mrkdwn(f"… and {more} more.")]})
    return blocks


def plan_choices(ctx: CoreContext, identity: str) -> list[tuple[str, str]]:
    """(unit code, label) of the units in the person's plan, for the "mark ready" picker."""
    person = ctx.person(identity)
    reg = current_registration(ctx.db, person.id)
    if reg is None:
        return []
    out = []
    for unit in plan_of(ctx.db, reg.id):
        kb_unit = ctx.kb.units.get(unit.code)
        out.append((unit.code, unit_label(kb_unit) if kb_unit else unit.code))
    return out

