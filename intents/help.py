"""Help, greetings, thanks, and questions outside the specifications (declined honestly)."""

from __future__ import annotations

from bot.intent import Intent, Slots, Turn
from bot.types import Reply

EXAMPLES = (
    "what evidence does 8391-501 AC2.2 need?",
    "is one model enough for 1.3 in 8431-700?",
    "tell me about unit 503",
    "what's the word count for 8431-705?",
    "can I use witness testimony on the level 5?",
    "how long is registration valid on the Level 7?",
)


def help_reply(turn: Turn, slots: Slots) -> Reply:
    quals = "; ".join(q.title for q in turn.kb.qualifications.values())
    reply = Reply("answer", "help", title="What you can ask me",
                  paragraphs=["I answer from the qualification specifications: what a criterion asks for and "
                              "what evidence fits it, whether what you have is likely to be enough (advice — "
                              "your assessor decides), what a unit involves, and the qualification's rules.",
                              f"I know: {quals}."])
    reply.add_list("For example", list(EXAMPLES))
    return reply


def greeting(turn: Turn, slots: Slots) -> Reply:
    return Reply("answer", "greeting", paragraphs=[
        "Hello! I'm AssessBot. Ask me about any unit or assessment criterion of your qualification — "
        "for example “what evidence does 8391-501 AC2.2 need?”"], suggestions=["What can you do?"])


def thanks(turn: Turn, slots: Slots) -> Reply:
    return Reply("answer", "thanks", paragraphs=["You're welcome — good luck with it."])


def out_of_scope(turn: Turn, slots: Slots) -> Reply:
    return Reply("decline", "out_of_scope", paragraphs=[
        "That's outside what the qualification specifications cover, so I can't answer it reliably. "
        "Your tutor or your centre is the best person to ask.",
        "I can help with units, assessment criteria, evidence and the qualification's rules."],
        suggestions=["What can you do?"])


INTENTS = (
    Intent("help", help_reply,
           examples=("help", "what can you do", "what can i ask", "how do i use this", "what do you know")),
    Intent("greeting", greeting, examples=("hi", "hello", "good morning", "hey there")),
    Intent("thanks", thanks, examples=("thanks", "thank you", "cheers")),
    Intent("out_of_scope", out_of_scope,
           examples=("how much does the course cost", "what's the weather", "write my assignment for me",
                     "what is the pass rate", "what is my tutor's phone number", "when does the next cohort start")),
)
