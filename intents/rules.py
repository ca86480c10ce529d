"""Qualification questions, one fact at a time: credits, GLH, TQT, level, numbers, registration, age,
entry, induction, tutorial support, structure, optional units, grading, purpose — and the long tail of
rules (witness testimony, simulations, RPL, referral …) answered from the statements that speak to it.

Facts with a field of their own are answered from the field; everything else quotes the specification's
own statements (``intents.rule_search``). Nothing is said that the specification does not say: when no
statement speaks to the question's subject, the reply is a ``decline``.
"""

from __future__ import annotations

import re

from bot.cite import cite_rules
from bot.facets import NAMES
from bot.intent import Intent, Slots, Turn
from bot.nlu.topics import detect_topics, more_specific
from bot.resolve import best
from bot.types import Ref, Reply
from intents.answerable import probability, unanswered
from intents.quantity import asks_quantity, gives_quantity
from intents.rule_search import MAX_SHOWN, asked_text, relevant_rules, says, search_words, speaks_to, subject_words
from knowledge.model import Qualification, Rule
from knowledge.search import stem

# A fact question with at least this many subject words besides the fact's own also gets the statements
# that speak to them.
FACT_CONTEXT = 2
_FACT_WORDS = frozenset("credit credits glh guided learning hours hour tqt total qualification time level worth value "
                        "many much".split())
# Facets broad enough that a statement filed under another topic may answer them ("what evidence …", "is
# this enough …", "how is it assessed …"); a specific fact (age, induction, registration) is its topic's or
# nobody's.
FACET_OTHER_TOPICS = frozenset({"evidence", "sufficiency", "assessment"})
MAX_LEAD = 2             # statements shown at once; the rest of a long answer is behind "more"
_HOW_MANY_UNITS = re.compile(r"\bhow many\s+(?:\w+\s+)?units?\b|\bnumber of units\b", re.IGNORECASE)
_NUMBER_WORDS = dict(enumerate("zero one two three four five six seven eight nine ten eleven twelve".split()))
_YEARS = {12: "one year", 24: "two years", 36: "three years", 48: "four years", 60: "five years"}
_TOPIC_NAMES = {
    "registration": "how long registration lasts", "age": "a minimum age", "induction": "induction",
    "tutorial_support": "tutorial support", "entry": "entry requirements", "epa": "an end-point assessment",
    "witness_testimony": "witness testimony", "simulation": "simulations", "recordings": "recordings",
    "reflective_account": "reflective accounts", "rpl": "recognition of prior learning",
    "evidence_matrix": "an evidence matrix", "evidence_header_footer": "headers and footers on evidence",
    "professional_discussion": "professional discussions", "plagiarism": "plagiarism",
    "authenticity": "authenticity", "referral": "referral", "grading": "grading", "word_count": "word counts",
    "standards": "links to occupational standards", "ksbs": "KSBs", "purpose": "who it is for",
}
# Facets answered from the statements filed under these topics.
_FACET_TOPICS = {"grading": ("grading", "marking", "referral"), "marks": ("marking", "grading"), "aim": ("purpose",),
                 "assessment": ("assessment_method", "portfolio", "assignment"), "word_count": ("word_count",),
                 "sufficiency": ("sufficiency",), "evidence": ("evidence_types",), "entry": ("entry",),
                 "age": ("age",), "induction": ("induction",), "tutorial": ("tutorial_support",),
                 "registration": ("registration",), "standards": ("standards",), "ksbs": ("ksbs",)}


def _hours(value: float | None) -> str:
    if value is None:
        return ""
    n = int(value) if float(value).is_integer() else value
    return f"{n} hour{'s' if n != 1 else ''}"


def _decline(q: Qualification, topic: str | None, facet: str | None = None) -> Reply:
    what = _TOPIC_NAMES.get(topic or facet or "", "that")
    return Reply("decline", "qualification_rules", facet=facet,
                 paragraphs=[f"The {q.title} specification doesn't say anything about {what}, so I can't "
                             "answer that from it. Your tutor or centre can tell you."],
                 citation=q.title)


def _printed_order(r: Rule) -> tuple[str, int]:
    return (r.source.document, r.source.line) if r.source else ("", 0)


def _rules_reply(q: Qualification, rules: list[Rule], lead: list[str] | None = None,
                 facet: str | None = None) -> Reply:
    """The statements quoted verbatim: the first few at once, the rest behind "more"; cited by line."""
    # The most relevant first; those shown are then put in the order the specification prints them, so
    # lists read as lists, and a printed list is quoted whole (one item alone misleads: "Referral 0 – 49%"
    # without the other bands).
    ranked = rules[:MAX_SHOWN]
    head = ranked[:MAX_LEAD]
    grown = True
    while grown:            # the printed neighbours of what is shown, and theirs: a lead-in with its items
        grown = False
        for r in ranked:
            if r not in head and r.source and any(h.source and h.source.document == r.source.document
                                                  and abs(h.source.line - r.source.line) <= 1 for h in head):
                head.append(r)
                grown = True
    rest = [r for r in ranked if r not in head]
    head.sort(key=_printed_order)
    rest.sort(key=_printed_order)
    reply = Reply("answer", "qualification_rules", paragraphs=list(lead or []),
                  citation=cite_rules(q, head) if head else q.title, facet=facet)
    reply.add_list("The specification says", [r.text for r in head])  # the citation names it
    if rest:
        more = Reply("answer", "qualification_rules", citation=cite_rules(q, rest))
        more.add_list("It also says", [r.text for r in rest])
        reply.more, reply.more_label = more, f"{len(rest)} more statement{'s' if len(rest) > 1 else ''}"
    return reply


def _registration(turn: Turn, q: Qualification) -> Reply:
    months = q.registration_validity_months
    if months is None:
        return _decline(q, "registration", "registration")
    span = _YEARS.get(months, f"{months} months")
    lead = [f"Registration on the {q.title} is valid for {span} ({months} months) from the date you are "
            "registered."]
    if q.registration_validity_text:
        lead.append(f"The specification says: “{q.registration_validity_text}”")
    rules = [r for r in turn.kb.rules_for(q.id, "registration") if r.text != q.registration_validity_text]
    reply = _rules_reply(q, [], lead, "registration")
    reply.citation = q.title + (f", specification line {q.source.line}" if q.source else "")
    if rules:
        more = Reply("answer", "qualification_rules", citation=cite_rules(q, rules))
        more.add_list("It also says", [r.text for r in rules])
        reply.more, reply.more_label = more, "what else it says about registration"
    return reply


def _label(turn: Turn, code: str) -> str:
    names = turn.kb.units
    return f"{code} {names[code].title}" if code in names else code


def _structure(turn: Turn, q: Qualification, facet: str, text: str = "") -> Reply:
    roc = q.rules_of_combination
    lead = list(roc.get("text") or []) or [f"The units of the {q.title}:"]
    printed = [r.text for r in relevant_rules(turn, q, "structure", search_words(text, q), other_topics=False)
               if r.text not in lead][:2]
    reply = Reply("answer", "qualification_rules", paragraphs=lead + printed, facet=facet,
                  citation=q.title + (f", specification line {q.source.line}" if q.source else ""))
    if roc.get("all_units_required"):
        reply.add_list("All of these units are required", [_label(turn, c) for c in q.units])
        if _HOW_MANY_UNITS.search(text):
            # The count asked for, first ("so how many units is that?"), not left to be counted in the list.
            count = _NUMBER_WORDS.get(len(q.units), str(len(q.units)))
            reply.paragraphs.insert(0, f"The {q.title} has {count} units, and every one is required.")
        if facet == "optional":
            reply.paragraphs.insert(0, f"None of the {q.title} units is optional: every one is required.")
    else:
        if facet != "optional":
            reply.add_list("Mandatory units", [_label(turn, c) for c in roc.get("mandatory") or []])
        reply.add_list("Optional units", [_label(turn, c) for c in roc.get("optional") or []])
        for group in roc.get("groups") or []:
            heading = group["name"] + (f" (at least {group['min_credits']} credits)"
                                       if group.get("min_credits") else "")
            reply.add_list(heading, [_label(turn, c) for c in group.get("units") or []])
    return reply


def _fact(q: Qualification, fact: str, rules: list[Rule]) -> Reply:
    value = {"credits": q.credits, "glh": q.glh, "tqt": q.tqt, "level": q.level}[fact]
    label = {"credits": "credits", "glh": "guided learning hours (GLH)", "tqt": "total qualification time (TQT)"}
    cite = q.title + (f", specification line {q.source.line}" if q.source else "")
    if value is None:
        nearest = [f"{name} {v:,}" for name, v in (("GLH", q.glh), ("TQT", q.tqt), ("credits", q.credits))
                   if v is not None and name.lower() != fact]
        return Reply("decline", "qualification_rules", facet=fact, citation=cite, paragraphs=[
            f"The {q.title} specification doesn't state {label[fact]}, so I won't guess."
            + (f" It does give: {', '.join(nearest)}." if nearest else "")])
    if fact == "level":
        return Reply("answer", "qualification_rules", facet=fact, citation=cite,
                     paragraphs=[f"The {q.title} is a Level {value} qualification."])
    printed = _printed_value(rules, fact, value)
    # As printed: "GLH: 150 -155" is a range, not 150.
    span = next((f"{value:,}–{m.group(1)}" for r in printed
                 if (m := re.search(rf"\b{value}\s*[-–]\s*(\d+)", r.text))), f"{value:,}")
    text = f"The {q.title} has {span} {label[fact]}."
    if printed:
        cite = f"{cite}; also {cite_rules(q, printed).removeprefix(q.title + ', specification ')}"
    reply = Reply("answer", "qualification_rules", facet=fact, citation=cite, paragraphs=[text])
    said = [r.text for r in printed if _says_more(r.text, text)]
    if fact == "credits":
        # The rules of combination say how those credits are made up: part of "how many credits do I need?".
        said += [t for t in q.rules_of_combination.get("text") or [] if "credit" in t.lower() and t not in said]
    reply.add_list("The specification says", said)
    return reply


_FACT_LABEL = {"credits": re.compile(r"credit", re.IGNORECASE), "glh": re.compile(r"\bglh\b|guided", re.IGNORECASE),
               "tqt": re.compile(r"\btqt\b|total qualification", re.IGNORECASE)}


_LABEL_WORDS = frozenset("credit credits value glh tqt guided learning hours hour total qualification time".split())


def _says_more(printed: str, lead: str) -> bool:
    """Whether a printed line says more than the answer's lead: "Credit Value: 42 (minimum)" does, "TQT: 435"
    and "Credit Value: 78 credits" don't."""
    words = {w for w in re.findall(r"[a-z]+", printed.lower()) if w not in _LABEL_WORDS}
    numbers = set(re.findall(r"\d+", printed)) - set(re.findall(r"\d+", lead.replace(",", "")))
    return bool(words or numbers)


def _printed_value(rules: list[Rule], fact: str, value: int) -> list[Rule]:
    """The qualification's statements that print the fact's value ("Credit Value: 42 (minimum)"): quoted with
    the figure, which can say more than the number ("minimum", a range)."""
    number = re.compile(rf"(?<![\d.])(?:{value:,}|{value})(?!\d)(?!,\d)")
    seen: set[str] = set()
    out = []
    for r in rules:
        if r.text not in seen and _FACT_LABEL[fact].search(r.text) and number.search(r.text):
            seen.add(r.text)
            out.append(r)
    return out


def _with_statements(turn: Turn, q: Qualification, reply: Reply, text: str) -> Reply:
    """A fact with the statements that speak to the rest of the question, when it asks more than the fact
    ("is guided learning counted inside the TQT figure?" is about how the two relate, not the GLH alone)."""
    rest = [w for w in subject_words(text, q) if w not in _FACT_WORDS]
    if reply.kind != "answer" or len(rest) < FACT_CONTEXT:
        return reply
    shown = {line for b in reply.bullets for line in b.items}
    added = [r for r in _speaking(turn, q, None, text, rest)[:MAX_LEAD] if r.text not in shown]
    if added:
        reply.add_list("The specification also says", [r.text for r in added])
        # Cited too: the fact's line, then theirs.
        reply.citation = f"{reply.citation}; also {cite_rules(q, added).removeprefix(q.title + ', specification ')}"
    return reply


def _numbers(q: Qualification) -> Reply:
    if not q.numbers:
        return Reply("decline", "qualification_rules", citation=q.title, facet="number",
                     paragraphs=[f"The {q.title} specification prints no qualification number."])
    names = {"ofqual": "Ofqual accreditation number", "ilm": "ILM number"}
    values = "; ".join(f"{names.get(n['kind'], n['kind'])} {n['value']}" + (f" ({n['note']})" if n.get("note") else "")
                       for n in q.numbers)
    return Reply("answer", "qualification_rules", citation=q.title, facet="number",
                 paragraphs=[f"The {q.title}: {values}."])


def _hours_topic(turn: Turn, q: Qualification, facet: str, hours: float | None, name: str, text: str) -> Reply:
    topic = _FACET_TOPICS[facet][0]
    rules = relevant_rules(turn, q, topic, text, other_topics=False)
    if hours is None and not rules:
        return _decline(q, topic, facet)
    lead = [f"{name} on the {q.title}: {_hours(hours)}."] if hours is not None else []
    return _rules_reply(q, rules, lead, facet)


def _overview(turn: Turn, q: Qualification) -> Reply:
    facts = [f"Level {q.level}"] + [f"{v:,} {n}" for n, v in (("credits", q.credits), ("GLH", q.glh),
                                                               ("hours TQT", q.tqt)) if v is not None]
    lead = f"The {q.title}: {', '.join(facts)}; {len(q.units)} units."
    reply = Reply("answer", "qualification_rules", paragraphs=[lead], facet="overview",
                  citation=q.title + (f", specification line {q.source.line}" if q.source else ""))
    more = _structure(turn, q, "structure")
    more.citation = None
    reply.more, reply.more_label = more, "its structure and units"
    return reply


def _standards(turn: Turn, q: Qualification, facet: str) -> Reply:
    """The occupational standard a qualification maps to, and each unit's KSB grouping, as printed."""
    standard = q.extra.get("apprenticeship_standard")
    groupings = [(code, next((line for line in turn.kb.units[code].standards if "KSB" in line),
                             turn.kb.units[code].standards[0]))
                 for code in q.units if code in turn.kb.units and turn.kb.units[code].standards]
    if facet == "ksbs":
        groupings = [(code, line) for code, line in groupings if "KSB" in line]
    if not standard and not groupings:
        return _decline(q, "standards", facet)
    lead = f"The {q.title} maps to the {standard}." if standard else f"The {q.title}, unit by unit:"
    reply = Reply("answer", "qualification_rules", paragraphs=[lead], facet=facet,
                  citation=q.title + (f", specification line {q.source.line}" if q.source else ""))
    more = Reply("answer", "qualification_rules")
    more.add_list("What each unit maps to", [f"{code}: {line}" for code, line in groupings])
    if facet == "ksbs" or not standard:
        reply.add_list("What each unit maps to", [f"{code}: {line}" for code, line in groupings])
    elif more.bullets:
        reply.more, reply.more_label = more, "what each unit maps to"
    return reply


def _nearer_silent(turn: Turn, q: Qualification, words: str, question: str) -> bool:
    """Whether a fact's question is nearer one the specification is silent on (a near miss of
    ``knowledge.asked``) than to any of its statements and to every question they answer. The answerability
    model (``intents.answerable.unanswered``, used for statement answers) weighs statements; a fact printed in
    the tables needs none to answer, so only the nearer near miss speaks against it (the model declined right
    credits, numbers and structures on the older sets)."""
    answered, silent = turn.search.nearest(words, q.id, question)
    if not silent:
        return False
    best = turn.search.search(words, limit=1, kind="rule", qualification=q.id)
    return bool(best) and silent >= best[0].score and silent >= answered


def _nearest_is(q: Qualification, reply: Reply) -> Reply:
    """An answer near the question (a fact, a structure, statements) that doesn't answer it: offered as the
    nearest, in a decline."""
    return Reply("decline", "qualification_rules", facet=reply.facet, citation=reply.citation, paragraphs=[
        f"The {q.title} specification doesn't answer that, so I won't guess: your tutor or centre can tell "
        "you. The nearest it gives:", *reply.paragraphs], bullets=list(reply.bullets))


def _speaking(turn: Turn, q: Qualification, topic: str | None, text: str,
              subject: list[str] | None = None) -> list[Rule]:
    """The statements ranked for ``text`` (``topic`` only a boost) when they speak to its subject (``subject``
    words, else the question's own), or none. The questions asked of a statement (``knowledge.asked``)
    count as its words here too."""
    words = search_words(turn.search.expand(text), q)
    rules = relevant_rules(turn, q, topic, words)
    if rules and unanswered(turn, q, words, text):
        return []
    if rules and _topic_only_elsewhere(turn, q, topic, rules, text):
        return []
    every = turn.kb.rule_texts(q.id)
    said = subject_words(text, q) if subject is None else subject
    if rules and speaks_to([asked_text(turn, r) for r in rules], said, every, turn.search.spelt):
        return rules
    return []


def _topic_only_elsewhere(turn: Turn, q: Qualification, topic: str | None, rules: list[Rule], text: str) -> bool:
    """Whether the question's rule topic is one other specifications have statements on and this one has none,
    and the statements found say none of the question's subject words: then they are not about it (a digital
    credential asked of a specification that prints nothing on certification). On the asked questions' folds
    this declines 28 near misses for 2 answerable questions."""
    if not topic or topic == "purpose" or turn.kb.rules_for(q.id, topic):
        return False
    if not any(turn.kb.rules_for(other, topic) for other in turn.kb.qualifications if other != q.id):
        return False
    shown = " ".join(r.text for r in rules[:MAX_LEAD + 1]).lower()
    return not any(says(shown, stem(w), turn.search.spelt) for w in subject_words(text, q))


def _quoted(q: Qualification, rules: list[Rule], facet: str, text: str) -> Reply:
    if asks_quantity(text) and not any(gives_quantity(text, r.text) for r in rules[:MAX_LEAD]):
        # Asked for a number the statements never give ("how long does marking take?"): say so.
        return _no_number(q, rules, facet)
    return _rules_reply(q, rules, None, facet)


def _by_topic(turn: Turn, q: Qualification, facet: str, topic: str | None, text: str) -> Reply:
    """The statements that answer the question. A facet with topics of its own ("grading") is answered
    from the statements filed under them — a broad one (``FACET_OTHER_TOPICS``) from any statement that
    speaks to it first; any other question is ranked over all the qualification's statements, its rule
    topic (if one is recognised) only a boost, and declined when none speaks to it."""
    topics = _FACET_TOPICS.get(facet, ())
    if not topics:
        rules = _speaking(turn, q, topic, text)
        return _quoted(q, rules, facet, text) if rules else _decline(q, topic, facet)
    # A rule topic the words name is narrower than the facet's own: the assessment methods of the
    # end-point assessment are its own, not the qualification's.
    named = [t for t in detect_topics(text) if more_specific(t, topics) and turn.kb.rules_for(q.id, t)]
    topics = (*named[:1], *topics)
    # "What evidence …" is often answered by a statement filed under another topic: the facet's topic is
    # then a boost and the words decide.
    rules = _speaking(turn, q, topics[0], text) if facet in FACET_OTHER_TOPICS else []
    if not rules:
        words = search_words(turn.search.expand(text), q)
        for t in topics:
            rules += [r for r in relevant_rules(turn, q, t, words, other_topics=False) if r not in rules]
        if rules and unanswered(turn, q, words, text):
            # Statements filed under the facet's topics, on a question they are silent on ("what score gets
            # a distinction in the EPA?"): offered as the nearest.
            return _nearest_is(q, _rules_reply(q, rules, None, facet))
    if not rules:
        # Nothing filed under the facet's topics: a statement filed elsewhere may still speak to it ("who is
        # it aimed at?" of a specification that says so among its entry statements).
        rules = _speaking(turn, q, topics[0], text)
    return _quoted(q, rules, facet, text) if rules else _decline(q, topics[0], facet)


def _no_number(q: Qualification, rules: list[Rule], facet: str) -> Reply:
    reply = Reply("decline", "qualification_rules", facet=facet, citation=q.title, paragraphs=[
        f"The {q.title} specification doesn't give that number, so I won't guess. Your tutor or centre can "
        "tell you. The closest it comes:"])
    reply.add_list("", [r.text for r in rules[:2]])
    return reply


def answer(turn: Turn, slots: Slots) -> Reply:
    reply = _answer(turn, slots)
    if reply.kind != "answer":
        return reply
    # The unit the question named stays with the answer ("does my 704 proposal go in at gateway?"), by its
    # code or, failing that, by title words that point at one unit of the qualification alone.
    named = list(slots.refs.units)
    if not named and slots.refs.title_units and slots.qualification is not None:
        named = best({c: s for c, s in slots.refs.title_units if c in slots.qualification.units})
    if len(named) == 1:
        reply.refs.append(Ref(named[0]))
    return reply


def _asks_more_than(slots: Slots, q: Qualification, facet: str) -> bool:
    """Whether a question asks more than a unit's fact: two subject words besides the fact's own name and the
    title words of the units it might be about ("is the depth the minimum the centre must teach?", not "what
    does the depth say?" or "what does the managing unit cover?")."""
    own = {w.lower() for w in re.findall(r"[a-z]+", f"{facet} {NAMES.get(facet, '')}", re.IGNORECASE)}
    own |= slots.unit_words
    return len([w for w in subject_words(slots.refs.without_hints or slots.text, q) if w not in own]) >= FACT_CONTEXT


# A fact one rule topic's statements speak to (how long registration lasts) is declined, with the fact offered
# as the nearest, when the answerability model is this sure the question asks something else of it ("can ILM
# extend my registration?"); a low bar, as the model weighs statements and the fact needs none (0.1 declined a
# right answer of the first held-out set seen in aggregate; the asked CV is flat between them).
ONE_TOPIC_SILENT = 0.05
# Facts that one rule topic's statements speak to.
_ONE_TOPIC = frozenset({"registration", "age", "entry", "induction", "tutorial"})


def _about_its_topic(turn: Turn, q: Qualification, facet: str, text: str) -> bool:
    """Whether the question speaks of what the fact's own statements (and the questions asked of them) do."""
    rules = turn.kb.rules_for(q.id, _FACET_TOPICS[facet][0])
    every = turn.kb.rule_texts(q.id)
    return not rules or speaks_to([asked_text(turn, r) for r in rules], subject_words(text, q), every,
                                  turn.search.spelt)


def _answer(turn: Turn, slots: Slots) -> Reply:
    q = slots.qualification
    assert q is not None
    if slots.unit_facet and not _asks_more_than(slots, q, slots.unit_facet):
        return _decline(q, slots.topic, slots.unit_facet)
    reply = _answer_facet(turn, slots)
    text = slots.refs.without_hints or slots.text
    if reply.kind == "answer" and slots.facet in _ONE_TOPIC and not _about_its_topic(turn, q, slots.facet, text):
        # Read as the fact, but not about it ("does our IV need school management experience?" is no
        # learner's entry requirement): the statements that speak to it answer, if any do.
        instead = _by_topic(turn, q, "rules", slots.topic, text)
        if instead.kind == "answer":
            reply = instead
    words = search_words(turn.search.expand(text), q)
    if reply.kind == "answer" and (_nearer_silent(turn, q, words, text) or (
            slots.facet in _ONE_TOPIC and probability(turn, q, words, text) < ONE_TOPIC_SILENT)):
        return _nearest_is(q, reply)
    return reply


def _answer_facet(turn: Turn, slots: Slots) -> Reply:
    q = slots.qualification
    assert q is not None
    facet = slots.facet or "rules"
    text = slots.refs.without_hints or slots.text
    if facet == "registration" or (facet == "rules" and slots.topic == "registration"):
        return _registration(turn, q)
    if facet in ("credits", "glh", "tqt", "level"):
        return _with_statements(turn, q, _fact(q, facet, turn.kb.rules_for(q.id)), text)
    if facet == "number":
        return _numbers(q)
    if facet in ("structure", "optional"):
        return _structure(turn, q, facet, text)
    if facet == "aim" and not _asks_more_than(slots, q, facet):
        reply = _by_topic(turn, q, facet, slots.topic, text)
        if reply.kind == "answer":
            return reply
        # "What is <qualification>?" of a specification that prints no statement of its purpose: what it does
        # print of what it is and whom it is for.
        reply = _overview(turn, q)
        if q.entry_requirements:
            reply.paragraphs.append(f"Entry requirements: {q.entry_requirements}")
        return reply
    if facet == "overview":
        return _overview(turn, q)
    if facet in ("standards", "ksbs"):
        return _standards(turn, q, facet)
    if facet == "age" and q.minimum_age is not None:
        lead = [f"The minimum age for the {q.title} is {q.minimum_age}."]
        return _rules_reply(q, relevant_rules(turn, q, "age", text, other_topics=False), lead, facet)
    if facet == "induction":
        return _hours_topic(turn, q, facet, q.induction_hours, "Induction", text)
    if facet == "tutorial":
        return _hours_topic(turn, q, facet, q.tutorial_hours, "Tutorial support", text)
    if facet == "entry" and q.entry_requirements:
        lead = [f"Entry requirements for the {q.title}: {q.entry_requirements}"]
        return _rules_reply(q, relevant_rules(turn, q, "entry", text, other_topics=False), lead, facet)
    return _by_topic(turn, q, facet, slots.topic, text)


QUALIFICATION_FACET_NAMES = frozenset({
    "registration", "age", "entry", "induction", "tutorial", "structure", "rules", "marks", "timing", "outcomes",
    "criteria", "credits", "glh", "tqt", "level", "number", "optional", "grading", "aim", "standards", "assessment",
    "word_count", "ksbs", "overview", "sufficiency", "evidence"})

INTENTS = (
    Intent("qualification_rules", answer, needs="qualification", facets=QUALIFICATION_FACET_NAMES,
           examples=("can i use witness testimony", "how long is my registration valid",
                     "what happens if i get referred", "how many optional units do i need"),
           vocabulary=frozenset({"qualification", "diploma", "award", "course", "programme"})),
)
