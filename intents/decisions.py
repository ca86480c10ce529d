"""Assessment decisions, recorded by a learner's tutor (or an admin) in their own words: "mark Alice's 501
2.2 as met", "yep 2.2 is fine for Priya, sign it off", "refer Dawn's 500 1.1 and 1.2 — the vision work is
described but not coordinated", "Sam Whitfield's transforming schools 2.1-2.3 are all fine". A learner
asking to have a criterion marked is told kindly who decides, and nothing changes. The learner is told of
each decision; it can be undone right after, or corrected ("sorry, meant referred - …")."""

from __future__ import annotations

import re

from bot.intent import Intent, Slots, Turn
from bot.records.decisions import DecisionError, NotPermitted, record_decision
from bot.records.people import Person, get_person
from bot.records.plan import plan_of
from bot.records.registration import current_registration
from bot.types import Choice, Ref, Reply
from intents.plan import units_named
from intents.records import named_person

_REFER = re.compile(r"\brefer(?:red|ral)?\b|\bnot (?:yet )?met\b|\bnot (?:good )?enough\b|\bneeds? (?:more|to)\b|"
                    r"\bnot there yet\b|\bsend (?:it )?back\b|\bresubmit\b(?!ted)", re.IGNORECASE)
_MET = re.compile(r"\bmet\b|\bachieved\b|\bpass(?:ed)?\b|\bapproved?\b|\bsign(?:ed)? (?:it |them )?off\b|"
                  r"\b(?:is|are|looks?|it's|its|all) (?:fine|good|great|ok|okay|spot on|there)\b|\bfine now\b|"
                  r"\bgood to go\b|\btick (?:it|them) off\b", re.IGNORECASE)
_FEEDBACK = re.compile(r"(?::|\s[-\u2013\u2014]\s|,\s*(?=(?:she|he|they|needs?|the|it|but)\b))\s*(.+)$", re.IGNORECASE)


def _outcome(text: str) -> str | None:
    """"met" or "referred", as the message says it, or None when it says neither."""
    refer, met = _REFER.search(text), _MET.search(text)
    if refer and (not met or refer.start() < met.start()):
        return "referred"
    return "met" if met else None


def _tutors_of(turn: Turn, learner_id: str) -> list[str]:
    assert turn.db is not None
    return [p.name or p.id for r in turn.db.query("SELECT tutor_id FROM tutor_learners WHERE learner_id = ?",
                                                    [learner_id]) if (p := get_person(turn.db, r["tutor_id"]))]


def _criteria(turn: Turn, learner: Person, slots: Slots) -> tuple[list[tuple[str, str]], Reply | None]:
    """The (unit, AC) pairs decided on: units as named (settled by the learner's qualification and plan), else
    the planned unit that has the AC — preferring one whose criterion has evidence and no decision yet."""
    assert turn.db is not None
    reg = current_registration(turn.db, learner.id)
    if reg is None:
        return [], Reply("error", "decision", paragraphs=[f"{learner.name} has no registration to record against."])
    q = turn.kb.qualifications[reg.qualification_id]
    planned = [u.code for u in plan_of(turn.db, reg.id)]
    acs = slots.refs.acs
    if not acs:
        return [], Reply("error", "decision", paragraphs=["Which criterion? Say the unit and AC, e.g. “501 2.2”."])
    units = [c for c in units_named(turn, slots, list(q.units)) if c in planned] or units_named(turn, slots,
                                                                                                list(q.units))
    if not units:
        having = [c for c in planned if all(turn.kb.units[c].criterion(a) for a in acs)]
        waiting = [c for c in having if _awaiting(turn, reg.id, c, acs)]
        units = waiting if len(waiting) == 1 else having
    if len(units) != 1:
        if not units:
            return [], Reply("error", "decision", paragraphs=[
                f"None of {learner.name}'s planned units has AC{', '.join(acs)}."])
        return [], Reply("clarify", "decision", paragraphs=[f"Which unit is AC{acs[0]} in?"],
                         choices=[Choice(c, c) for c in units], asks={"phrase": acs[0]})
    return [(units[0], ac) for ac in acs], None


def _awaiting(turn: Turn, registration_id: int, unit: str, acs: list[str]) -> bool:
    """Whether the criteria have evidence and no decision yet (what a tutor is most likely signing off)."""
    assert turn.db is not None
    for ac in acs:
        evidenced = turn.db.execute(
            "SELECT count(*) FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id JOIN registrations r "
            "ON r.person_id = e.person_id WHERE r.id = ? AND l.unit_code = ? AND l.ac = ?",
            [registration_id, unit, ac]).fetchone()[0]
        if not evidenced:
            return False
        decided = turn.db.execute("SELECT count(*) FROM decisions WHERE registration_id = ? AND unit_code = ? "
                                  "AND ac = ? AND outcome = 'met'", [registration_id, unit, ac]).fetchone()[0]
        if decided:
            return False
    return True


def decide(turn: Turn, slots: Slots) -> Reply:
    assert turn.person is not None and turn.db is not None
    if turn.person.role not in ("tutor", "admin"):
        tutors = _tutors_of(turn, turn.person.id)
        who = f"your tutor, {' or '.join(tutors)}," if tutors else "your tutor (your assessor)"
        return Reply("denied", "decision", paragraphs=[
            f"I can't mark criteria as met — assessment decisions are made and recorded by {who} once they've "
            "seen your evidence. If they've told you it's fine, they'll record it; you can log the evidence "
            "meanwhile."])
    learner = named_person(turn, slots, "decision", denied="Only a learner's tutor (or an admin) can record their "
                                                            "assessment decisions.")
    if isinstance(learner, Reply):
        return learner
    if learner is None:
        return Reply("clarify", "decision", paragraphs=["Whose criterion is it? Say it like “mark Alice Able's 501 "
                                                        "2.2 as met”."], asks={"phrase": ""})
    outcome = _outcome(slots.text)
    if outcome is None:
        return Reply("clarify", "decision", paragraphs=["Met, or referred?"],
                     choices=[Choice("Met", "met"), Choice("Referred", "referred")], asks={"phrase": ""})
    pairs, problem = _criteria(turn, learner, slots)
    if problem is not None:
        return problem
    found = _FEEDBACK.search(slots.text)
    feedback = found.group(1).strip() if found and outcome == "referred" else None
    try:
        with turn.db.atomic():
            decisions = [record_decision(turn.db, turn.kb, turn.person, learner.id, unit, ac, outcome, feedback,
                                         turn.now) for unit, ac in pairs]
    except NotPermitted as exc:
        return Reply("denied", "decision", paragraphs=[str(exc)])
    except DecisionError as exc:
        return Reply("error", "decision", paragraphs=[str(exc)])
    unit = pairs[0][0]
    acs = ", ".join(f"AC{ac}" for _, ac in pairs)
    said = f"Recorded {learner.name or learner.id}'s {unit} {acs} as {outcome}"
    said += f", with feedback “{feedback}”." if feedback else "."
    return Reply("done", "decision", refs=[Ref(u, a) for u, a in pairs], about=learner.id,
                 paragraphs=[said, f"{learner.name or learner.id} will be told."],
                 undo={"op": "decision", "decisions": [d.id for d in decisions], "person": learner.id,
                       "criteria": [f"{u} AC{a}" for u, a in pairs]})


INTENTS = (
    Intent("decision", decide, personal=True, acts=True,
           examples=("mark alice's 501 2.2 as met", "refer alice's 501 2.3: needs two purchasing strategies",
                     "record 502 1.1 as met for bob")),
)
