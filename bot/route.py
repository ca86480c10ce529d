"""Which level a knowledge question is about — a criterion, a unit or a qualification — from the
facet asked, what the message names, and the conversation.

"What are 501's credits?" is about a unit, "… is the level 5?" about a qualification, and a bare
"credits?" after an answer about unit 501 about that unit again.
"""

from __future__ import annotations

from bot.context import Context
from bot.facets import CRITERION_FACETS, QUALIFICATION_FACETS, UNIT_FACETS
from bot.nlu.refs import References

CRITERION, UNIT, QUALIFICATION = "criterion", "unit", "qualification"


def level_for(facet: str, refs: References, context: Context, own_qualifications: list[str]) -> str:
    names_criterion = bool(refs.acs or refs.lo or refs.relative)
    names_unit = refs.names_a_unit
    names_qualification = bool(refs.qualifications)
    if facet in CRITERION_FACETS:
        if names_criterion:
            return CRITERION
        if names_unit:
            return UNIT
        if context.level == CRITERION and context.ac and not names_qualification:
            return CRITERION          # a follow-up asking whether some evidence will do for "that"
        if context.unit and not names_qualification:
            return UNIT
        if facet == "sufficiency" and (names_qualification or context.qualification or own_qualifications):
            return QUALIFICATION      # "<qualification>: is describing enough?": its sufficiency rules
        return CRITERION
    if facet in UNIT_FACETS:
        if names_qualification and not (names_unit or names_criterion) and not context.unit:
            return QUALIFICATION      # a unit fact asked of a named qualification alone: its rules
        return UNIT
    if facet == "rules" and not names_qualification and (names_unit or (context.unit and context.level in
                                                                          (UNIT, CRITERION))):
        return UNIT               # a rules question (the topics allowed) of the unit being discussed
    if facet in QUALIFICATION_FACETS:
        return QUALIFICATION
    # Asked of either: what the message names decides, then what was being discussed.
    if names_unit or names_criterion:
        return UNIT
    if names_qualification:
        return QUALIFICATION
    if context.level in (UNIT, CRITERION) and context.unit:
        return UNIT
    return QUALIFICATION


def default_facet(refs: References, context: Context) -> str | None:
    """What a follow-up that asks nothing new ("and 2.3?") asks: the last facet, else the obvious one."""
    if context.facet:
        criterion_now = bool(refs.acs or refs.lo or refs.relative)
        if criterion_now and context.facet not in CRITERION_FACETS | {"ksbs"}:
            return "evidence"       # "and the last AC in it?" after a unit fact asks about a criterion
        return context.facet
    if refs.acs or refs.lo or refs.relative:
        return "evidence"
    if refs.names_a_unit:
        return "overview"
    if refs.qualifications:
        return "overview"
    return None
