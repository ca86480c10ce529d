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
           examples=("help", "what can you do", "what can i ask", "how do i use this", "what do you know"),
           cues=((r"^\s*help\b", 0.9), (r"what can (?:you|i) (?:do|ask)", 0.9),
                 (r"what can you help(?: me)? with|how can you help|what are you for", 0.9),
                 (r"how (?:do|does) (?:i use (?:this|you)|this work)", 0.7), (r"\bwhat do you know\b", 0.8))),
    Intent("greeting", greeting, examples=("hi", "hello", "good morning", "hey there"),
           cues=((r"^\s*(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|morning)\b[\s!,.]*"
                  r"(?:there|all|assessbot|bot)?[\s!,.]*$", 1.0),
                 (r"^\s*(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening))\b", 0.6),
                 (r"\bis this (?:the|an?)\b.*\b(?:bot|helper|assistant)\b", 0.5))),
    Intent("thanks", thanks, examples=("thanks", "thank you", "cheers"),
           cues=((r"^\s*(?:thanks|thank you|cheers|ta|many thanks)\b[\s!,.]*(?:very much|a lot)?[\s!,.]*$", 1.0),)),
    Intent("out_of_scope", out_of_scope,
           examples=("how much does the course cost", "what's the weather", "write my assignment for me",
                     "what is the pass rate", "what is my tutor's phone number", "when does the next cohort start"),
           cues=((r"\bfees?\b|\bcosts?\b|\bprice\b|\bhow much (?:is|does|will) (?:it|the course)\b|\binvoice", 0.9),
                 (r"\bweather\b|\bjoke\b|\bfootball\b|\brecipe\b", 1.0),
                 (r"\bwrite (?:my|the|an|this|it)\b.*\b(?:for me|assignment|essay)|\bdo my (?:assignment|essay|work)\b",
                  1.0),
                 # Asking the bot to do the work or to make an assessment decision.
                 (r"\b(?:can|could|will|would) you (?:please )?(?:write|do|complete|draft|overturn|change|mark|"
                  r"grade|sign (?:it |this )?off|approve)\b", 1.0),
                 (r"\bpass rates?\b|\bstatistics\b|\bsuccess rates?\b", 0.9),
                 (r"\bphone\b|\bemail address\b|\bcontact details\b|\bmobile number\b", 0.9),
                 (r"\bsalary\b|\bpayroll\b|\bpension\b|\bholiday pay\b", 0.9), (r"\bofsted\b", 0.8),
                 (r"\bnext cohort\b|\bstart date\b|\bwhen does the (?:course|programme) start\b", 0.8),
                 # Personal records and accounts are not in the specifications.
                 (r"\bmy\b[^.?!]{0,30}\b(?:deadline|due date|grade|mark|result|submission date|feedback|"
                  r"login|password|account)s?\b|"
                  r"\b(?:deadline|due date|grade|mark|result|feedback)s? (?:for|on|of) my\b|"
                  r"\bdid i (?:get|pass|fail)\b|\bwhat (?:grade|mark) did\b", 1.0),
                 (r"\bpassword\b|\blog ?in\b|\bsign in\b|\bportal\b|\bvle\b|\blearning platform\b", 0.9),
                 (r"\blevy\b|\bfunding\b|\bbursar(?:y|ies)\b|\bloan\b", 0.9))),
)
