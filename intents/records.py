"""A learner's own records: registration expiry, plan, progress, and what the bot holds about them.

Whose records a message is about is decided by ``subject``: the speaker, or another person the
message names — allowed only where ``bot.records.authz`` says so (tutors their learners,
managers their centre); anyone else gets a kind ``denied``.
"""

from __future__ import annotations

import re
from datetime import date

from bot.cite import unit_label
from bot.dates import finish_phrase, months_between, uk_date
from bot.intent import Intent, Slots, Turn
from bot.nlu.personal import personal_fact
from bot.records.authz import can_access
from bot.records.cohort import person_scope, standings
from bot.records.mentions import mention
from bot.records.people import Person
from bot.records.plan import check_plan, plan_of
from bot.records.progress import UnitProgress, criterion_statuses, mark_ready, overall
from bot.records.registration import Registration, current_registration, registrations_of
from bot.records.standing import RAG_RULE
from bot.types import Choice, Ref, Reply

NOT_ENROLLED = ("I don't have a registration for {who} yet — centres add learners from their roster. Your tutor "
                "or centre can sort that out; meanwhile I can answer questions about the specifications.")


RECORDS_PRIVATE = ("Sorry — I can only show you your own records. Learners' records are private: tutors see their "
                   "own learners' and centre managers their centre's.")


def named_person(turn: Turn, slots: Slots, intent: str, denied: str = RECORDS_PRIVATE) -> Person | Reply | None:
    """The person the message names (None when it names nobody), or the reply that stops here: a question
    when the name fits several people ("Which Sam — Sam Jones or Sam Whitfield?"), a decline when it fits
    nobody, ``denied`` when the speaker may not see theirs. The person found becomes the one the
    conversation is about, so a pronoun in the next request means them."""
    assert turn.person is not None and turn.db is not None
    found = mention(turn.db, slots.text, turn.person, turn.context.person)
    if found is None:
        return None
    if found.ambiguous:
        names = [p.name or p.id for p in found.ambiguous]
        return Reply("clarify", intent, paragraphs=[f"Which {found.name} — {' or '.join(names)}?"],
                     choices=[Choice(n, n) for n in names], asks={"phrase": found.name})
    if found.person is None:
        return Reply("decline", intent, paragraphs=[f"I don't know anyone called {found.name}."])
    if found.person.role in ("tutor", "manager", "admin"):
        return None       # records are learners': "what did <a tutor> say about my <unit> <AC>?" is the speaker's
    if not can_access(turn.db, turn.person, found.person.id):
        return Reply("denied", intent, paragraphs=[denied])
    turn.context.person = found.person.id
    return found.person


def subject(turn: Turn, slots: Slots, intent: str, denied: str = RECORDS_PRIVATE) -> Person | Reply:
    """Whose records: the speaker, or a person named in the message if the speaker may see theirs (staff
    under ``can_access``: tutors their learners, managers their centre, admins anyone). ``denied`` is
    what the speaker hears otherwise."""
    assert turn.person is not None
    named = named_person(turn, slots, intent, denied)
    return turn.person if named is None else named


def _who(turn: Turn, person: Person) -> str:
    return "you" if turn.person and person.id == turn.person.id else (person.name or person.id)


def registration_of(turn: Turn, person: Person, intent: str) -> Registration | Reply:
    assert turn.db is not None
    reg = current_registration(turn.db, person.id)
    if reg is None:
        return Reply("decline", intent, paragraphs=[NOT_ENROLLED.format(who=_who(turn, person))])
    return reg


def _registration(turn: Turn, slots: Slots, intent: str) -> tuple[Person, Registration] | Reply:
    """Whose records (``subject``) and their current registration, or the reply that says why not."""
    person = subject(turn, slots, intent)
    if isinstance(person, Reply):
        return person
    reg = registration_of(turn, person, intent)
    return reg if isinstance(reg, Reply) else (person, reg)


def _span(days: int) -> str:
    if days < 62:
        return f"{days} day{'s' if days != 1 else ''}"
    months = round(days / 30.44)
    years, rest = divmod(months, 12)
    parts = ([f"{years} year{'s' if years != 1 else ''}"] if years else []) + (
        [f"{rest} month{'s' if rest != 1 else ''}"] if rest else [])
    return " ".join(parts)


# -- registration -----------------------------------------------------------------------------
def registration_expiry(turn: Turn, slots: Slots) -> Reply:
    found = _registration(turn, slots, "registration_expiry")
    if isinstance(found, Reply):
        return found
    person, reg = found
    assert turn.db is not None
    q = turn.kb.qualifications[reg.qualification_id]
    today = turn.now.date()
    if _ASKS_START.search(slots.text):
        whose = "You" if _who(turn, person) == "you" else (person.name or person.id)
        facts = [("Registered on", uk_date(reg.registered_on))] + (
            [("Expires on", uk_date(reg.expires_on))] if reg.expires_on else [])
        return Reply("answer", "registration_expiry", title=q.title, facts=facts, paragraphs=[
            f"{whose} registered on the {q.title} on {uk_date(reg.registered_on)}."])
    if reg.expires_on is None:
        return Reply("decline", "registration_expiry", title=q.title, paragraphs=[
            f"The {q.title} specification doesn't state how long registration lasts, so I can't give an "
            "expiry date. Your centre can confirm it."], facts=[("Registered on", uk_date(reg.registered_on))])
    met, total = overall(criterion_statuses(turn.db, turn.kb, reg))
    left = total - met
    days_left = (reg.expires_on - today).days
    whose = "Your" if _who(turn, person) == "you" else f"{person.name or person.id}'s"
    reply = Reply("answer", "registration_expiry", title=f"{whose} registration: {q.title}",
                  facts=[("Registered on", uk_date(reg.registered_on)), ("Expires on", uk_date(reg.expires_on))],
                  citation=q.title + (f" — “{q.registration_validity_text}”" if q.registration_validity_text else ""))
    if days_left < 0:
        reply.paragraphs.append(f"{whose} registration expired on {uk_date(reg.expires_on)}. Please talk to your "
                                "centre about what happens next.")
        return reply
    reply.paragraphs.append(f"{whose} registration expires on {uk_date(reg.expires_on)} — {_span(days_left)} "
                            "from today.")
    reply.facts.append(("Criteria met", f"{met} of {total} in the plan"))
    months_left = max(months_between(today, reg.expires_on), 0.5)
    if left:
        reply.facts.append(("Pace needed", f"about {left / months_left:.1f} criteria a month to finish in time"))
        reply.paragraphs.append(_pace_warning(reg, today, met, left) or "")
    reply.paragraphs = [p for p in reply.paragraphs if p]
    return reply


_ASKS_START = re.compile(r"\bwhen did (?:i|she|he|they)\b.*\b(?:register|start|enrol)|\bregistration date\b|"
                         r"\bdate (?:i|she|he) registered\b|\bregistered on\b", re.IGNORECASE)


def _pace_warning(reg: Registration, today: date, met: int, left: int) -> str | None:
    elapsed = months_between(reg.registered_on, today)
    if elapsed < 1:
        return None
    if met == 0:
        return ("No criteria are recorded as met yet, so I can't project a finish date — a plan with target "
                "dates helps (try “aim to finish 501 by 31 March”).")
    rate = met / elapsed
    finish_in_days = round(left / rate * 30.44)
    finish = date.fromordinal(today.toordinal() + finish_in_days)
    if reg.expires_on and finish > reg.expires_on:
        when = finish_phrase(finish, reg.expires_on).replace("the registration", "your registration")
        after = "" if when.startswith("years") else ", after your registration expires"
        return (f"At the pace so far (about {rate:.1f} criteria a month) you'd finish {when}{after}. It's worth "
                "agreeing a plan with your tutor now.")
    return f"At the pace so far (about {rate:.1f} criteria a month) you'd finish around {uk_date(finish)}."


# -- plan -------------------------------------------------------------------------------------
def _unit_line(turn: Turn, code: str, progress: UnitProgress | None, target: date | None) -> str:
    unit = turn.kb.units[code]
    line = unit_label(unit)
    if progress:
        line += f" — {progress.count('met')} of {progress.total} met"
        waiting = progress.count("evidence", "ready")
        if waiting:
            line += f", {waiting} with evidence"
    if target:
        line += f"; target {uk_date(target)}"
    return line


def show_plan(turn: Turn, slots: Slots) -> Reply:
    found = _registration(turn, slots, "show_plan")
    if isinstance(found, Reply):
        return found
    person, reg = found
    assert turn.db is not None
    q = turn.kb.qualifications[reg.qualification_id]
    plan = plan_of(turn.db, reg.id)
    progress = criterion_statuses(turn.db, turn.kb, reg, [u.code for u in plan])
    whose = "Your" if _who(turn, person) == "you" else f"{person.name or person.id}'s"
    reply = Reply("answer", "show_plan", title=f"{whose} plan: {q.title}", refs=[Ref(u.code) for u in plan])
    reply.add_list("Units", [_unit_line(turn, u.code, progress.get(u.code), u.target_date) for u in plan])
    check = check_plan(turn.kb, q, [u.code for u in plan])
    if check.complete:
        reply.paragraphs.append("The plan meets the qualification's rules of combination.")
    else:
        reply.add_list("Still needed to meet the rules of combination", check.missing)
    optional = [c for c in q.units if c not in {u.code for u in plan}]
    if optional:
        reply.add_list("Units you could add", [unit_label(turn.kb.units[c]) for c in optional])
    reply.suggestions = ["What's left for " + plan[0].code + "?"] if plan else []
    return reply


def progress_unit(turn: Turn, slots: Slots) -> Reply:
    found = _registration(turn, slots, "progress_unit")
    if isinstance(found, Reply):
        return found
    person, reg = found
    assert turn.db is not None and slots.unit is not None
    unit = slots.unit
    if unit.code not in {u.code for u in plan_of(turn.db, reg.id)}:
        return Reply("decline", "progress_unit", paragraphs=[
            f"{unit_label(unit)} isn't in {'your' if _who(turn, person) == 'you' else 'their'} plan, so there's no "
            "progress to show."], refs=[Ref(unit.code)])
    progress = criterion_statuses(turn.db, turn.kb, reg, [unit.code])[unit.code]
    asked = [a for a in slots.refs.acs if unit.criterion(a)]
    if asked:
        # "What did <my tutor> say about my <unit> <AC>?": the criterion's status and the assessor's words.
        return _criteria_status(turn, reg, unit, asked, progress)
    todo = [c for c in unit.criteria if progress.statuses[c.id] in ("todo", "referred")]
    waiting = [c.id for c in unit.criteria if progress.statuses[c.id] in ("evidence", "ready")]
    reply = Reply("answer", "progress_unit", title=f"{unit_label(unit)}: what's left",
                  facts=[("Met", f"{progress.count('met')} of {progress.total}")], refs=[Ref(unit.code)])
    reply.add_list("Still needing evidence", [f"AC{c.id} {c.text}" + (" (referred)" if progress.statuses[c.id] ==
                                                                       "referred" else "") for c in todo])
    if waiting:
        reply.paragraphs.append(f"{_and(waiting)} {'has' if len(waiting) == 1 else 'have'} evidence — waiting "
                                "for assessment.")
    if not todo and not waiting:
        reply.paragraphs.append("Every criterion of this unit is met. Well done!")
    if personal_fact(slots.text) == "results" and not (progress.count("met") or progress.count("referred")):
        # "Did I pass 502?" with no decision recorded: say that first; what is left is the detail.
        whose = "you" if _who(turn, person) == "you" else (person.name or person.id)
        decline = Reply("decline", "progress_unit", refs=[Ref(unit.code)], paragraphs=[
            f"No assessment decision is recorded for {whose} on {unit_label(unit)} yet, so I can't say — the "
            "tutor records decisions here and can tell you where it stands."])
        decline.more, decline.more_label = reply, "what's left in the unit"
        return decline
    return reply


_STATUS_WORDS = {"met": "met", "referred": "referred", "evidence": "evidence logged, waiting for assessment",
                 "ready": "ready for assessment", "todo": "no evidence yet"}


def _criteria_status(turn: Turn, reg: Registration, unit, acs: list[str], progress: UnitProgress) -> Reply:
    assert turn.db is not None
    lines = []
    for ac in acs:
        line = f"{unit.code} AC{ac}: {_STATUS_WORDS.get(progress.statuses[ac], progress.statuses[ac])}"
        row = next(iter(turn.db.query(
            "SELECT d.outcome, d.feedback, d.decided_at, p.name FROM decisions d LEFT JOIN people p ON p.id = "
            "d.assessor_id WHERE d.registration_id = ? AND d.unit_code = ? AND d.ac = ? ORDER BY d.decided_at DESC, "
            "d.id DESC LIMIT 1", [reg.id, unit.code, ac])), None)
        if row:
            by = f" by {row['name']}" if row["name"] else ""
            line += f" — {row['outcome']} on {uk_date(date.fromisoformat(row['decided_at'][:10]))}{by}"
            line += f": “{row['feedback']}”" if row["feedback"] else ""
        lines.append(line + ".")
    return Reply("answer", "progress_unit", paragraphs=lines, refs=[Ref(unit.code, a) for a in acs])


def _and(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


def progress_overall(turn: Turn, slots: Slots) -> Reply:
    found = _registration(turn, slots, "progress_overall")
    if isinstance(found, Reply):
        return found
    person, reg = found
    assert turn.db is not None
    plan = plan_of(turn.db, reg.id)
    progress = criterion_statuses(turn.db, turn.kb, reg, [u.code for u in plan])
    met, total = overall(progress)
    whose = "Your" if _who(turn, person) == "you" else f"{person.name or person.id}'s"
    reply = Reply("answer", "progress_overall", title=f"{whose} progress",
                  facts=[("Criteria met", f"{met} of {total}")], refs=[Ref(u.code) for u in plan])
    found = standings(turn.db, turn.kb, person_scope(person.id), turn.now.date(), with_evidence=True)
    reply.paragraphs.append(_on_track(person, turn, reg, met, total, found[0] if found else None))
    referred = _referred(turn, reg)
    reply.add_list("Referred — to do again", referred)
    if found:
        standing = found[0]
        reply.facts.append(("With evidence, awaiting assessment", str(standing.with_evidence)))
        if standing.expected_percent is not None:
            reply.facts.append(("Expected by now", f"{standing.expected_percent:.0f}%"))
        if standing.projected_finish:
            reply.facts.append(("On course to finish", finish_phrase(standing.projected_finish, reg.expires_on)
                                .removeprefix("around ")))
        if standing.last_active:
            reply.facts.append(("Last active", uk_date(standing.last_active.date())))
        reply.facts.append(("Status", standing.rag.title() if standing.rag in ("red", "amber", "green")
                            else standing.rag))
        reply.paragraphs.append(RAG_RULE)
    reply.add_list("By unit", [_unit_line(turn, u.code, progress.get(u.code), u.target_date) for u in plan])
    if reg.expires_on:
        reply.facts.append(("Registration expires", uk_date(reg.expires_on)))
    return reply


def _on_track(person: Person, turn: Turn, reg: Registration, met: int, total: int, standing) -> str:
    """The plain sentence first: how much is met, and whether that finishes before the registration expires."""
    you = _who(turn, person) == "you"
    who = "You have" if you else f"{person.name or person.id} has"
    line = f"{who} met {met} of {total} criteria in {'your' if you else 'their'} plan"
    line += f" ({100 * met / total:.0f}%)." if total else "."
    projected = standing.projected_finish if standing else None
    if projected and reg.expires_on:
        if projected <= reg.expires_on:
            line += (f" At the pace so far that finishes around {uk_date(projected)}, before the registration "
                     f"expires on {uk_date(reg.expires_on)} — on track.")
        else:
            when = (f"around {uk_date(projected)}" if projected.year <= reg.expires_on.year + 2
                    else "years too late")
            line += (f" At the pace so far that finishes {when}, after the registration expires on "
                     f"{uk_date(reg.expires_on)} — not on track yet; it's worth agreeing a plan with the tutor.")
    elif reg.expires_on:
        line += f" The registration expires on {uk_date(reg.expires_on)}."
    return line


def _referred(turn: Turn, reg: Registration) -> list[str]:
    """Criteria whose latest decision is a referral, with the feedback given."""
    assert turn.db is not None
    latest: dict[tuple[str, str], dict] = {}
    for row in turn.db.query("SELECT unit_code, ac, outcome, feedback, decided_at FROM decisions WHERE "
                             "registration_id = ? ORDER BY decided_at, id", [reg.id]):
        latest[(row["unit_code"], row["ac"])] = row
    return [f"{unit} AC{ac}" + (f" — “{row['feedback']}”" if row["feedback"] else "")
            for (unit, ac), row in sorted(latest.items()) if row["outcome"] == "referred"]


def mark_submitted(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None and slots.unit is not None
    reg = registration_of(turn, turn.person, "mark_submitted")
    if isinstance(reg, Reply):
        return reg
    unit = slots.unit
    if unit.code not in {u.code for u in plan_of(turn.db, reg.id)}:
        return Reply("error", "mark_submitted", paragraphs=[f"{unit_label(unit)} isn't in your plan."],
                     refs=[Ref(unit.code)])
    acs = [slots.criterion.id] if slots.criterion else None
    marked = mark_ready(turn.db, turn.kb, reg, unit.code, acs, turn.now, turn.person.id)
    statuses = criterion_statuses(turn.db, turn.kb, reg, [unit.code])[unit.code].statuses
    without = [ac for ac in (acs or statuses) if statuses[ac] == "todo"]
    if not marked:
        return Reply("error", "mark_submitted", paragraphs=[
            "There's nothing to mark as submitted: no criterion here has evidence logged that isn't already "
            "submitted or assessed. Log evidence first, e.g. “I have evidence for 501 2.2: the annual accounts”."],
            refs=[Ref(unit.code)])
    reply = Reply("done", "mark_submitted", paragraphs=[
        f"Marked ready for assessment: {unit.code} AC{_and(marked)}. Your assessor makes the decision."],
        refs=[Ref(unit.code, ac) for ac in marked])
    if without:
        reply.paragraphs.append(f"No evidence is logged yet for {_and(without)}, so those aren't marked.")
    return reply


# -- privacy ----------------------------------------------------------------------------------
def my_data(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    person, db = turn.person, turn.db
    identities = [r["id"] for r in db.query("SELECT id FROM identities WHERE person_id = ?", [person.id])]
    reply = Reply("answer", "my_data", title="What I hold about you",
                  facts=[("Person id", person.id), ("Name", person.name or "—"), ("E-mail", person.email or "—"),
                         ("Role", person.role or "not enrolled"), ("Linked accounts", ", ".join(identities) or "—")])
    regs = registrations_of(db, person.id)
    reply.add_list("Registrations", [
        f"{turn.kb.qualifications[r.qualification_id].title}: registered {uk_date(r.registered_on)}"
        + (f", expires {uk_date(r.expires_on)}" if r.expires_on else "") + f" ({r.status.replace('_', ' ')})"
        for r in regs])
    evidence = db.execute("SELECT count(*) FROM evidence WHERE person_id = ?", [person.id]).fetchone()[0]
    reply.facts.append(("Evidence items", str(evidence)))
    reply.paragraphs.append("I also keep the last thing we talked about in each conversation, so follow-up "
                            "questions work, and a log of changes to your records. Your centre can remove "
                            "your personal data.")
    return reply


INTENTS = (
    Intent("registration_expiry", registration_expiry, personal=True,
           examples=("when does my registration expire", "when does my registration run out",
                     "how long have i got left", "how much time do i have left", "when do i have to finish by")),
    Intent("show_plan", show_plan, personal=True,
           examples=("show my plan", "what's in my plan", "what units am i doing", "my assessment plan",
                     "show alice's plan")),
    Intent("progress_unit", progress_unit, personal=True, needs="unit", choose_from="planned",
           examples=("what's left for unit 501", "what have i still got to do on 502", "what's outstanding for 503",
                     "progress on 504", "how far am i with 505")),
    Intent("progress_overall", progress_overall, personal=True,
           examples=("how am i doing", "what's left", "show my progress", "how far have i got", "am i on track")),
    Intent("mark_submitted", mark_submitted, personal=True, needs="unit", acts=True, choose_from="planned",
           examples=("i've submitted 501", "501 is ready for assessment", "mark 502 as ready", "i have handed in 503")),
    Intent("my_data", my_data, personal=True,
           examples=("what do you hold about me", "what data do you have on me", "what do you know about me")),
)
