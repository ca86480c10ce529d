"""Qualification rules: structure, registration, age, induction, tutorials, evidence rules, EPA …

Facts with a field of their own (validity, age, hours, credits) are answered from the field;
everything else quotes the specification's own rule statements for the topic, and falls back to
a word search within the qualification. Nothing is said that the specification does not say.
"""

from __future__ import annotations

import re

from bot.cite import cite_rules
from bot.intent import Intent, Slots, Turn
from bot.nlu.topics import detect_fact
from bot.types import Reply
from knowledge.model import Qualification, Rule

MAX_RULES = 6            # statements chosen for an answer; a list they belong to comes whole …
MAX_SHOWN = 12           # … up to this many lines
# Words that name a qualification rather than ask about it (with the qualification's own title words);
# "level 6" and the like are already out (``References.without_hints``).
_NAMING_WORDS = frozenset({"level", "lvl", "diploma", "award", "certificate", "qualification", "ilm"})
_WORD = re.compile(r"[\w']+")
_LIST_ITEM_CHARS = 60
_YEARS = {12: "one year", 24: "two years", 36: "three years", 48: "four years", 60: "five years"}
_TOPIC_NAMES = {
    "registration": "how long registration lasts", "age": "a minimum age", "induction": "induction",
    "tutorial_support": "tutorial support", "entry": "entry requirements", "epa": "an end-point assessment",
    "witness_testimony": "witness testimony", "simulation": "simulations", "recordings": "recordings",
    "reflective_account": "reflective accounts", "rpl": "recognition of prior learning",
    "evidence_matrix": "an evidence matrix", "evidence_header_footer": "headers and footers on evidence",
    "professional_discussion": "professional discussions", "plagiarism": "plagiarism",
    "authenticity": "authenticity", "referral": "referral", "grading": "grading",
}


def _hours(value: float | None) -> str:
    if value is None:
        return ""
    n = int(value) if float(value).is_integer() else value
    return f"{n} hour{'s' if n != 1 else ''}"


def _decline(q: Qualification, topic: str | None) -> Reply:
    what = _TOPIC_NAMES.get(topic or "", "that")
    return Reply("decline", "qualification_rules", title=q.title,
                 paragraphs=[f"The {q.title} specification doesn't say anything about {what}, so I can't "
                             "answer that from it. Your tutor or centre can tell you."],
                 citation=q.title)


def relevant_rules(turn: Turn, q: Qualification, topic: str | None, text: str,
                   other_topics: bool = True) -> list[Rule]:
    """The qualification's statements that best answer ``text``: the topic's rules first, ranked by how
    well they match the question's words, then (``other_topics``) strong word matches filed elsewhere."""
    hits = turn.search.search(text, limit=25, kind="rule", qualification=q.id)
    score = {h.text: h.score for h in hits}
    best = max(score.values(), default=0.0)
    topical = sorted(turn.kb.rules_for(q.id, topic) if topic else [], key=lambda r: -score.get(r.text, 0.0))
    others: list[Rule] = []
    if best > 0 and other_topics:
        others = sorted((r for r in turn.kb.rules_for(q.id)
                         if r not in topical and score.get(r.text, 0.0) >= 0.75 * best),
                        key=lambda r: -score.get(r.text, 0.0))
    # Keep room for both: the topic's own statements and the best word matches from elsewhere.
    chosen = topical[:MAX_RULES - min(2, len(others))] + others
    unique: list[Rule] = []
    for r in chosen:
        if len(unique) >= MAX_RULES:
            break
        for item in _list_around(turn.kb.rules_for(q.id), r):
            if item.text not in {u.text for u in unique}:
                unique.append(item)
    return unique


def _list_key(r: Rule) -> str | None:
    """What a list item shares with the rest of its list: the lead-in of a flattened bullet ("Types of
    evidence could be: Work products, such as: ·"), or nothing for a short line ("Pass 50 – 59%"); None
    for an ordinary statement."""
    if "·" in r.text:
        return r.text[:r.text.rindex("·")]
    return "" if len(r.text) <= _LIST_ITEM_CHARS and not r.text.rstrip().endswith(".") else None


def _list_around(rules: list[Rule], rule: Rule) -> list[Rule]:
    """``rule`` with the rest of its list when it is one item of a list printed line by line in the
    specification: one item alone misleads ("Referral 0 – 49%" without the other grade bands). A list is
    a run of items of one topic, with one lead-in, on consecutive source lines."""
    if rule.source is not None and rule.text.rstrip().endswith(":"):
        # A lead-in ("… will be comprised of individuals who have:") brings the lines that follow it.
        follows = {r.source.line: r for r in rules if r.source and r.source.document == rule.source.document
                   and r.topic == rule.topic}
        run, line = [rule], rule.source.line + 1
        while line in follows and len(run) < MAX_SHOWN:
            run.append(follows[line])
            line += 1
        return run
    key = _list_key(rule)
    if rule.source is None or key is None:
        return [rule]
    by_line = {r.source.line: r for r in rules if r.source and r.source.document == rule.source.document
               and r.topic == rule.topic and _list_key(r) == key}
    first = last = rule.source.line
    while first - 1 in by_line:
        first -= 1
    while last + 1 in by_line:
        last += 1
    return [by_line[line] for line in range(first, last + 1)] if last > first else [rule]


def search_words(text: str, q: Qualification) -> str:
    """The question without the words that only name the qualification ("level 6", "diploma", its title):
    every statement of the qualification shares them, so they rank nothing and drag in its name."""
    naming = _NAMING_WORDS | {w.lower() for w in _WORD.findall(q.title)}
    kept = [w for w in _WORD.findall(text) if w.lower() not in naming]
    return " ".join(kept) if kept else text


def _rules_reply(q: Qualification, title: str, rules: list[Rule], lead: list[str] | None = None) -> Reply:
    # ``relevant_rules`` already chose; the cap only guards against a very long printed list, and the
    # citation names exactly the lines shown.
    shown = rules[:MAX_SHOWN]
    reply = Reply("answer", "qualification_rules", title=title, paragraphs=list(lead or []),
                  citation=cite_rules(q, shown) if shown else q.title)
    reply.add_list("The specification says", [r.text for r in shown])
    return reply


def _registration(turn: Turn, q: Qualification) -> Reply:
    rules = turn.kb.rules_for(q.id, "registration")
    months = q.registration_validity_months
    if months is None:
        return _decline(q, "registration")
    span = _YEARS.get(months, f"{months} months")
    lead = [f"Registration on the {q.title} is valid for {span} ({months} months) from the date you are "
            "registered."]
    if q.registration_validity_text:
        lead.append(f"The specification says: “{q.registration_validity_text}”")
    reply = _rules_reply(q, f"{q.title}: registration", [r for r in rules
                                                         if r.text != q.registration_validity_text][:MAX_RULES], lead)
    reply.suggestions = ["When does my registration expire?"]
    return reply


def _structure(turn: Turn, q: Qualification, text: str) -> Reply:
    roc = q.rules_of_combination
    lead = list(roc.get("text") or [])
    # The printed structure sentences, then the statements that best fit the question's words.
    extra = [r for r in relevant_rules(turn, q, "structure", text) if r.text not in lead][:3]
    reply = _rules_reply(q, f"{q.title}: structure", extra, lead)
    names = turn.kb.units

    def label(code: str) -> str:
        return f"{code} {names[code].title}" if code in names else code

    if roc.get("all_units_required"):
        reply.add_list("All of these units", [label(c) for c in q.units])
    else:
        reply.add_list("Mandatory units", [label(c) for c in roc.get("mandatory") or []])
        reply.add_list("Optional units", [label(c) for c in roc.get("optional") or []])
        for group in roc.get("groups") or []:
            heading = group["name"] + (f" (at least {group['min_credits']} credits)"
                                       if group.get("min_credits") else "")
            reply.add_list(heading, [label(c) for c in group.get("units") or []])
    if q.credits is not None:
        reply.facts.append(("Credits", str(q.credits)))
    if not extra:
        reply.citation = q.title + (f", specification line {q.source.line}" if q.source else "")
    return reply


def _fact(turn: Turn, q: Qualification, fact: str) -> Reply:
    value = {"credits": q.credits, "glh": q.glh, "tqt": q.tqt}[fact]
    label = {"credits": "credits", "glh": "guided learning hours (GLH)", "tqt": "total qualification time (TQT)"}
    if value is None:
        return Reply("decline", "qualification_rules", title=q.title,
                     paragraphs=[f"The {q.title} specification doesn't state {label[fact]}, so I won't guess."],
                     citation=q.title)
    reply = Reply("answer", "qualification_rules", title=q.title,
                  paragraphs=[f"The {q.title} has {value:,} {label[fact]}."], citation=q.title)
    if fact == "credits" and (q.rules_of_combination.get("text")):
        reply.add_list("Rules of combination", list(q.rules_of_combination["text"]))
    return reply


def _hours_topic(turn: Turn, q: Qualification, topic: str, hours: float | None, name: str, text: str) -> Reply:
    rules = relevant_rules(turn, q, topic, text, other_topics=False)
    if hours is None and not rules:
        return _decline(q, topic)
    rules = relevant_rules(turn, q, topic, text)
    lead = [f"{name} on the {q.title}: {_hours(hours)}."] if hours is not None else []
    return _rules_reply(q, f"{q.title}: {name.lower()}", rules, lead)


def answer(turn: Turn, slots: Slots) -> Reply:
    q, topic = slots.qualification, slots.topic
    assert q is not None
    fact = detect_fact(slots.text)
    if topic == "registration":
        return _registration(turn, q)
    if fact == "credits" and q.credits is None:
        return _fact(turn, q, "credits")          # says plainly that no credit value is printed
    if topic == "structure" or (fact == "credits" and topic is None):
        return _structure(turn, q, slots.text) if topic == "structure" else _fact(turn, q, fact)
    if fact in ("glh", "tqt") and topic is None:
        return _fact(turn, q, fact)
    if topic == "age":
        rules = relevant_rules(turn, q, "age", slots.text, other_topics=False)
        if q.minimum_age is None and not rules:
            return _decline(q, "age")
        rules = relevant_rules(turn, q, "age", slots.text)
        lead = [f"The minimum age for the {q.title} is {q.minimum_age}."] if q.minimum_age else []
        return _rules_reply(q, f"{q.title}: age", rules, lead)
    if topic == "induction":
        return _hours_topic(turn, q, topic, q.induction_hours, "Induction", slots.text)
    if topic == "tutorial_support":
        return _hours_topic(turn, q, topic, q.tutorial_hours, "Tutorial support", slots.text)
    if fact == "number" and topic is None:
        return _numbers(q)
    # The qualification's own name is not what the question is about: search without it.
    rules = relevant_rules(turn, q, topic, search_words(slots.refs.without_hints or slots.text, q))
    if topic and any(r.topic == topic for r in rules):
        return _rules_reply(q, f"{q.title}: {_TOPIC_NAMES.get(topic, topic.replace('_', ' '))}", rules)
    if rules:
        # Nothing filed under the topic: the statements that match the question's words best.
        return _rules_reply(q, q.title, rules, ["The closest statements I can find in the specification:"])
    return _decline(q, topic)


def _numbers(q: Qualification) -> Reply:
    if not q.numbers:
        return Reply("decline", "qualification_rules", title=q.title, citation=q.title,
                     paragraphs=[f"The {q.title} specification prints no qualification number."])
    reply = Reply("answer", "qualification_rules", title=f"{q.title}: numbers", citation=q.title)
    names = {"ofqual": "Ofqual accreditation number", "ilm": "ILM number"}
    reply.facts = [(names.get(n["kind"], n["kind"]), n["value"] + (f" ({n['note']})" if n.get("note") else ""))
                   for n in q.numbers]
    return reply


INTENTS = (
    Intent(
        "qualification_rules", answer, needs="qualification",
        examples=(
            "can i use witness testimony", "how long is my registration valid", "what happens if i get referred",
            "how many optional units do i need", "can i use a simulation", "are recordings allowed",
            "what is rpl", "do i need a reflective account", "what types of evidence can i use",
            "what is the minimum age", "how many hours of induction", "what is the epa",
            "do i need an evidence matrix", "what goes in the header and footer", "what if i plagiarise",
            "how many credits do i need for the qualification", "what are the rules of combination",
        ),
        cues=((r"\bcan (?:i|we) (?:use|submit|include|record)\b", 0.4), (r"\ballowed\b|\baccept(?:ed|able)\b", 0.4),
              (r"\brules?\b", 0.4), (r"\bqualification\b|\bdiploma\b|\baward\b|\bcourse\b|\bprogramme\b", 0.3),
              (r"\bhappens if\b", 0.5), (r"\bpolicy\b", 0.4)),
        vocabulary=frozenset({"qualification", "diploma", "award", "course", "programme"}),
    ),
)
