"""What the intent model reads: the message with its references replaced by placeholders, as word
and character n-grams.

The same two functions serve training (scikit-learn calls :func:`analyse` as its analyzer) and the
run time (``bot.nlu.model``), so the features can never drift apart between the two.
Delexicalising (Snips' habit, ../shared/docs/NLU.md) makes "what evidence does 8391-501 AC2.2 need"
and "what evidence does M6.03 1.1 need" the same sentence to the model: it learns what is asked
from the words around the references, not from which unit happened to be named.
"""

from __future__ import annotations

import re

from bot.nlu.refs import References

PLACEHOLDERS = {"unit": "zunit", "ac": "zac", "lo": "zlo", "qualification": "zqual", "person": "zperson"}
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|[?]")
# A few spellings that mean one thing to the model; the words stay what people typed elsewhere.
_APOSTROPHE = re.compile(r"[\u2018\u2019`]")
CHAR_RANGE = (3, 5)


ROLES = ("learner", "tutor", "manager", "admin")


def role_token(role: str | None) -> str:
    """The speaker's role as one word the model reads ("zrolelearner"); "zrolenone" for a stranger."""
    return f"zrole{role if role in ROLES else 'none'}"


# Chat shorthand, read as the words it stands for: apostrophes left out ("whats"), texting forms ("pls").
# Not clipped words that could stand for two ("min": minimum or minutes), nor "id" (i'd or an ID). The
# model then learns one form of each, not every way of typing it.
_SHORTHANDS = {"whats": "what's", "hows": "how's", "wheres": "where's", "whos": "who's", "thats": "that's",
               "dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "cant": "can't", "wont": "won't",
               "isnt": "isn't", "arent": "aren't", "havent": "haven't", "im": "i'm", "ive": "i've",
               "pls": "please", "plz": "please", "u": "you",
               "ur": "your", "thru": "through", "abt": "about", "wrt": "about"}
_SHORTHAND = re.compile(r"\b(?:" + "|".join(sorted(_SHORTHANDS, key=len, reverse=True)) + r")\b(?!')")


def delexicalise(text: str, refs: References, role: str | None = None, people: tuple[str, ...] | list[str] = ()
                 ) -> str:
    """``text`` lower-cased, each reference replaced by its placeholder and other numbers by "znum", and the
    speaker's role appended: who asks is part of what is asked ("how is Priya doing?" from her tutor)."""
    out, last = [], 0
    for span in refs.spans:
        if span.start < last:
            continue
        out.append(text[last:span.start])
        out.append(f" {PLACEHOLDERS[span.kind]} ")
        last = span.end
    out.append(text[last:])
    flat = _SHORTHAND.sub(lambda m: _SHORTHANDS[m.group(0)], _APOSTROPHE.sub("'", "".join(out).lower()))
    for name in sorted(people, key=len, reverse=True):
        # A person on the roster is "zperson": "how is Lena doing?" reads like "how is Priya doing?".
        flat = re.sub(rf"\b{re.escape(name.lower())}\b", " zperson ", flat)
    return f"{_NUMBER.sub(' znum ', flat)} {role_token(role)}"


def tokens(delexicalised: str) -> list[str]:
    return _TOKEN.findall(delexicalised)


def analyse(delexicalised: str) -> list[str]:
    """Features of a delexicalised message: words, word pairs and character n-grams within words.

    Character n-grams forgive typos ("evidnce", "sufficent"); word pairs keep "how many" apart from
    "how long"; prefixes keep the three kinds from colliding.
    """
    words = tokens(delexicalised)
    out = [f"w {w}" for w in words]
    out += [f"b {a} {b}" for a, b in zip(["^", *words], [*words, "$"], strict=True)]
    low, high = CHAR_RANGE
    for w in words:
        if w in _PLACEHOLDER_WORDS:
            continue              # a placeholder is one word feature, not a bag of letters
        padded = f" {w} "
        for n in range(low, high + 1):
            out += [f"c {padded[i:i + n]}" for i in range(len(padded) - n + 1)]
    return out


_PLACEHOLDER_WORDS = frozenset([*PLACEHOLDERS.values(), "znum", *(role_token(r) for r in (*ROLES, None))])
