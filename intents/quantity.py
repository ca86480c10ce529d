"""Questions that ask for a quantity ("how many", "how long", "how often", "what percentage"), and whether a
printed line gives one of that kind: the check that keeps an answer from quoting a line with no number for a
question that asks for one."""

from __future__ import annotations

import re

_QUANTITY = re.compile(r"\bhow (?:many|much|long|often|soon|quickly)\b|\bwhat (?:percentage|number|%)|"
                       r"\b(?:minimum|maximum) (?:number|amount)\b", re.IGNORECASE)
# Numbers written as words, in the specifications and in questions.
_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|sixty|ninety"
_NUMBER = re.compile(rf"\d|\b(?:{_NUMBER_WORDS}|hundred|half|all|every|no)\b", re.IGNORECASE)
_NAMING_NUMBER = re.compile(r"\b\d{4}-\d{3}\b|\b(?:AC|LO)\s?\d+(?:\.\d+)?|\blevel \d+|\bunit \d+(?:-\d+)?|"
                            r"\b[A-Z]{1,4}\d+\w*(?:/\w+)?|\(\d+\)|\b\d+(?:\.\d+)+\b", re.IGNORECASE)
_HOW_LONG = re.compile(r"\bhow long\b", re.IGNORECASE)
_MEASURE = re.compile(r"\bhow (?:many|much)\s+(?:\w+\s+)?(?:hours?|minutes?|mins?|words?|pages?|days?|weeks?|"
                      r"months?|years?|time)\b", re.IGNORECASE)
# A price asked ("how much does it cost", "how much is the unit payment route per unit"): only a sum of money
# answers it, and no specification prints one.
_MONEY_ASKED = re.compile(r"\bhow much\b[^?.]*\b(?:cost|costs|costing|fees?|price|priced|pay|paying|payment|charge|"
                          r"charged|charges|funding|levy)\b|\b(?:cost|price|fee)s? (?:of|for)\b", re.IGNORECASE)
_MONEY = re.compile(r"£\s?\d|\d\s?(?:pounds|gbp)\b|\bfees? (?:of|is|are)\s+£", re.IGNORECASE)
_HOW_OFTEN = re.compile(r"\bhow often\b|\bhow frequently\b", re.IGNORECASE)
_FREQUENCY = re.compile(r"\b(?:continual|continuous|regular|annual|termly|monthly|weekly|daily|throughout|ongoing|"
                        r"periodic)\w*", re.IGNORECASE)
_LENGTH = re.compile(rf"(?:\d[\d,.]*|\b(?:{_NUMBER_WORDS}|a|an|half an?)\b)\s*(?:-\s*)?(?:minutes?|mins?|hours?|"
                     r"hrs?|days?|weeks?|months?|years?|words?|pages?)\b", re.IGNORECASE)


def asks_quantity(text: str) -> bool:
    """Whether ``text`` asks for a quantity: a number, a length, a frequency or a price."""
    return bool(_QUANTITY.search(text) or _MONEY_ASKED.search(text))


def gives_quantity(question: str, statement: str) -> bool:
    """Whether the statement gives a quantity of the kind asked: a price a sum of money, "how long" a duration
    or a length, any other "how many/much" a number. Numbers that only name something ("Level 7",
    "ST0480/AP03", "8431-704") give none."""
    if _MONEY_ASKED.search(question):
        return bool(_MONEY.search(statement))
    named = _NAMING_NUMBER.sub(" ", statement)
    if _HOW_OFTEN.search(question) and _FREQUENCY.search(named):
        return True        # "how often is the plan reviewed?" — "continually"
    if _HOW_LONG.search(question) or _MEASURE.search(question):
        # A length or a duration ("how many hours …") is a number with its measure, not "all" or "two".
        return bool(_LENGTH.search(named))
    return bool(_NUMBER.search(named))
