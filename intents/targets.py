"""Target dates: a learner's own ("what are my targets?"), one learner's for their tutor or manager, and
a window across the learners a tutor or manager may see ("whose targets fall between now and Christmas?",
"which units have overdue targets?"). A plain sentence first, then the list; dates in UK long form."""

from __future__ import annotations

from datetime import date

from bot.cite import unit_label
from bot.dates import uk_date
from bot.intent import Intent, Slots, Turn
from bot.records import cohort as views
from bot.records.people import Person
from bot.records.plan import plan_of
from bot.records.registration import current_registration
from bot.types import Ref, Reply
from bot.windows import ScheduleError, UnknownDate, Window, read_window
from intents.records import NOT_ENROLLED, named_person

MAX_LISTED = 25


def _when(day: date, today: date) -> str:
    if day < today:
        return f"{uk_date(day)} (passed)"
    return uk_date(day)


def _own(turn: Turn, person: Person, window: Window | None) -> Reply:
    assert turn.db is not None and turn.person is not None
    own = person.id == turn.person.id
    reg = current_registration(turn.db, person.id)
    if reg is None:
        return Reply("decline", "targets", paragraphs=[NOT_ENROLLED.format(who="you" if own else person.name)])
    today = turn.now.date()
    planned = [u for u in plan_of(turn.db, reg.id) if u.target_date and (window is None or
                                                                           window.contains(u.target_date))]
    whose = "your" if own else f"{person.name}'s"
    if not planned:
        where = f" {window.said}" if window else ""
        return Reply("answer", "targets", paragraphs=[f"There are no target dates in {whose} plan{where}."],
                     suggestions=["Aim to finish 501 by 31 March"] if own else [])
    planned.sort(key=lambda u: u.target_date)
    first = planned[0]
    lead = (f"{whose.capitalize()} next target is {unit_label(turn.kb.units[first.code])} by "
            f"{uk_date(first.target_date)}." if first.target_date >= today else
            f"{whose.capitalize()} target for {first.code} ({uk_date(first.target_date)}) has passed.")
    reply = Reply("answer", "targets", paragraphs=[lead], refs=[Ref(u.code) for u in planned],
                  about=None if own else person.id)
    reply.add_list(f"{whose.capitalize()} target dates", [f"{unit_label(turn.kb.units[u.code])}: "
                                                         f"{_when(u.target_date, today)}" for u in planned])
    if reg.expires_on:
        reply.paragraphs.append(f"{'Your' if own else whose.capitalize()} registration expires on "
                                f"{uk_date(reg.expires_on)}.")
    return reply


def _window(turn: Turn, slots: Slots, window: Window | None) -> Reply:
    """Targets across the learners the speaker may see, within the window (all coming ones without one)."""
    assert turn.db is not None and turn.person is not None
    scope = views.scope_for(turn.person)
    if scope is None:
        return Reply("denied", "targets", paragraphs=["Other learners' targets are for their tutors and centre "
                                                      "managers. I can show you your own — try “what are my "
                                                      "targets?”."])
    today = turn.now.date()
    rows = list(turn.db.query(
        "SELECT p.name, p.id, u.unit_code, u.target_date FROM plan_units u JOIN registrations r "
        "ON r.id = u.registration_id AND r.status IN ('active', 'on_break') JOIN people p ON p.id = r.person_id "
        f"WHERE {scope.where} AND u.target_date IS NOT NULL ORDER BY u.target_date, p.name", scope.params))
    found = [r for r in rows if (window.contains(date.fromisoformat(r["target_date"])) if window
                                 else date.fromisoformat(r["target_date"]) >= today)]
    if window is not None and window.start is None:
        # Overdue means passed and not finished: a unit whose criteria are all met is done, whatever its date.
        found = [r for r in found if not _finished(turn, r["id"], r["unit_code"])]
    said = window.said if window else "from today"
    if not found:
        return Reply("answer", "targets", paragraphs=[f"No target dates fall {said} for {scope.label}."])
    people = sorted({r["name"] for r in found})
    overdue = window is not None and window.start is None
    if overdue:
        units = sorted({r["unit_code"] for r in found})
        lead = (f"{len(found)} target{'s have' if len(found) != 1 else ' has'} passed without the unit being "
                f"finished, in {len(units)} unit{'s' if len(units) != 1 else ''}: {', '.join(units)}.")
    else:
        lead = (f"{len(found)} target date{'s' if len(found) != 1 else ''} fall {said}, for "
                f"{', '.join(people)}.")
    reply = Reply("answer", "targets", paragraphs=[lead], refs=[Ref(c) for c in dict.fromkeys(r["unit_code"]
                                                                                            for r in found)])
    reply.add_list("", [f"{r['name']}: {unit_label(turn.kb.units[r['unit_code']])} — "
                        f"{_when(date.fromisoformat(r['target_date']), today)}" for r in found[:MAX_LISTED]])
    return reply


def _finished(turn: Turn, person_id: str, unit_code: str) -> bool:
    assert turn.db is not None
    reg = current_registration(turn.db, person_id)
    if reg is None:
        return False
    latest: dict[str, str] = {}
    for r in turn.db.query("SELECT ac, outcome FROM decisions WHERE registration_id = ? AND unit_code = ? "
                           "ORDER BY decided_at, id", [reg.id, unit_code]):
        latest[r["ac"]] = r["outcome"]
    met = {ac for ac, outcome in latest.items() if outcome == "met"}
    return all(c.id in met for c in turn.kb.units[unit_code].criteria)


def targets(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    try:
        window = read_window(slots.text, turn.now.date())
    except UnknownDate as exc:
        return Reply("clarify", "targets", paragraphs=[str(exc)])
    except ScheduleError as exc:
        return Reply("error", "targets", paragraphs=[f"{exc}. Please give a date like “31 March 2027”."])
    person = named_person(turn, slots, "targets")
    if isinstance(person, Reply):
        return person
    if person is not None:
        return _own(turn, person, window)
    if turn.person.role in ("tutor", "manager", "admin") and (window is not None or not current_registration(
            turn.db, turn.person.id)):
        return _window(turn, slots, window)
    return _own(turn, turn.person, window)


INTENTS = (
    Intent("targets", targets, personal=True,
           examples=("what are my targets", "whose targets fall before christmas", "which targets are overdue")),
)
