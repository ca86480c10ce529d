"""Command verbs: what a criterion asks the learner to *do* (explain, analyse, evaluate, reflect…) and
whether a piece of work shows that act. The criterion's verb is its first word(s); the work's acts are
read from the words people use for them ("looking back", "compared", "what worked", "I drew up").

Used twice: a small lift in the ranking for criteria whose act the work shows, and in the reply, what a
criterion asks that the work doesn't seem to show yet (the AC says *evaluate*, the work only *describes*)."""

from __future__ import annotations

import re

# Family of each command verb the specifications use (first word, or "critically <verb>").
FAMILY = {
    "evaluate": "evaluate", "assess": "evaluate", "appraise": "evaluate", "critique": "evaluate",
    "review": "evaluate", "judge": "evaluate",
    "analyse": "analyse", "examine": "analyse", "interpret": "analyse", "investigate": "analyse",
    "compare": "analyse", "synthesise": "analyse",
    "explain": "explain", "describe": "explain", "define": "explain", "identify": "explain",
    "summarise": "explain", "articulate": "explain", "outline": "explain",
    "justify": "justify", "recommend": "justify", "suggest": "justify", "determine": "justify",
    "select": "justify",
    "develop": "plan", "plan": "plan", "design": "plan", "devise": "plan", "produce": "plan",
    "prepare": "plan", "create": "plan", "establish": "plan", "set": "plan",
    "manage": "do", "lead": "do", "implement": "do", "use": "do", "apply": "do", "monitor": "do",
    "ensure": "do", "coordinate": "do", "co-ordinate": "do", "agree": "do", "demonstrate": "do",
    "deliver": "do", "conduct": "do", "undertake": "do", "employ": "do", "present": "do",
    "complete": "do", "optimise": "do", "adapt": "do", "encourage": "do", "make": "do",
    "reflect": "reflect",
    "research": "research", "collect": "research",
}

# How work shows each act, in the words people write about their work (not the specifications').
_SHOWN = {
    "evaluate": r"evaluat\w*|assess(?:ed|ing|ment of)|review(?:ed|ing)?|(?:what|how well) (?:it |this )?work(?:ed|s)|"
                r"(?:did|didn't|did not) work|effective(?:ness)?|impact|strengths?|weakness(?:es)?|"
                r"value for money|success(?:ful)?|judg(?:e|ed|ement)|pros and cons|lessons",
    "analyse": r"analy[sz]\w*|compar(?:ed|ing|ison)|trends?|patterns?|breakdown|broke (?:it )?down|"
               r"figures|data|variance|root cause|why|because|benchmark\w*|survey results",
    "explain": r"explain\w*|describ\w*|set out|outlin\w*|summar\w*|overview|how (?:we|it|the)",
    "justify": r"justif\w*|recommend\w*|reasons?|rationale|the case for|argued|propos\w*|chose|option",
    "plan": r"plan(?:s|ned|ning)?|design\w*|drew up|drafted|produced|created|wrote|timeline|timetable|"
            r"strategy|policy|proposal|set up|put together",
    "do": r"\bled\b|leading|ran\b|managed|implement\w*|introduc\w*|rolled out|delivered|organis\w*|"
          r"presented|co-?ordinat\w*|monitor\w*|negotiat\w*|chaired",
    "reflect": r"reflect\w*|looking back|(?:i|I) (?:learn(?:ed|t)|realised|realized)|differently|"
               r"my own|myself|about me|feedback on (?:me|my)|my (?:strengths|weaknesses|development)|"
               r"what i(?:'d| would) do",
    "research": r"research\w*|survey\w*|interview\w*|questionnaire|focus groups?|literature|reading|"
                r"evidence[- ]gathering",
}
_SHOWN_RE = {family: re.compile(rf"\b(?:{pattern})", re.IGNORECASE) for family, pattern in _SHOWN.items()}
_LEAD = re.compile(r"^\s*(critically|proactively)?\s*([A-Za-z-]+)", re.IGNORECASE)
# When a criterion's act is missing, the nearest act the work does show, weakest first.
_ORDER = ("explain", "do", "plan", "research", "analyse", "justify", "evaluate", "reflect")


def command(criterion_text: str) -> tuple[str, str | None]:
    """(the verb as written, its family) of a criterion: ("critically evaluate", "evaluate")."""
    m = _LEAD.match(criterion_text)
    if not m:
        return "", None
    verb = m.group(2).lower().rstrip(",")
    written = f"{m.group(1).lower()} {verb}" if m.group(1) else verb
    return written, FAMILY.get(verb)


def shown(text: str) -> dict[str, int]:
    """How many times the work shows each act."""
    return {family: len(pattern.findall(text)) for family, pattern in _SHOWN_RE.items()}


def shows(acts: dict[str, int], family: str | None) -> bool:
    return family is None or acts.get(family, 0) > 0


def strongest(acts: dict[str, int]) -> str | None:
    """The most demanding act the work shows (for "it mostly *describes*")."""
    present = [f for f in _ORDER if acts.get(f, 0)]
    return present[-1] if present else None
