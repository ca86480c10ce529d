"""The reminder intents: how people ask to set, list and cancel reminders, to change their reminder
hours, and to pause, restart or stop them — and which handler answers each.

The handlers live by job: :mod:`intents.reminder_set` (setting one, with
:mod:`intents.reminder_learners` for a tutor's learners and cohorts), :mod:`intents.reminder_list`
(listing and cancelling) and :mod:`intents.reminder_hours` (hours, pause, resume, opt-out).
"""

from __future__ import annotations

from bot.intent import Intent
from bot.reminders.hours import DAYS
from intents.reminder_hours import opt_out, pause_reminders, resume_reminders, set_preferences
from intents.reminder_list import cancel_reminder, list_reminders
from intents.reminder_set import set_reminder

_DAY_WORDS = "|".join(d + "s?" for d in DAYS) + "|weekends?|weekdays?|mornings?|afternoons?|evenings?"
_PLURAL_DAYS = "|".join(d + "s" for d in DAYS) + "|weekends|weekdays"
_TIME = r"\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\d{1,2}:\d{2}\b"
# A preference is a statement about reminders, not a question about the qualification: it starts with its
# negation or "only", or it names reminders ("don't remind me …", "reminders only …"). "Can I only do the
# evidence at weekends?" must stay a knowledge question.
_NOT = r"^\W*(?:(?:please|and|also)\W+)?(?:not|never|no reminders|nothing|none)\b"
_ABOUT_REMINDERS = r"\b(?:don't|do not|never) (?:remind|message|send|ping|contact|bother) me\b|\breminders?\b"
_REMINDERS = r"\b(?:reminders?|nudges)\b"

_REMIND = (r"^\W*(?:(?:please|hey|hi|ok|okay|oh)\W+)*(?:(?:can|could|would|will) (?:you|u|ya)\s+(?:please\s+)?)?"
           r"(?:please\s+)?remind\s+(?!me\s+(?:what|how|which|where|who|when|whether|if|why|of|again|the)\b)")

INTENTS = (
    Intent("reminder_set", set_reminder, personal=True, acts=True,
           examples=("remind me every monday at 9am to work on my portfolio", "remind me on friday to email my tutor",
                     "remind me tomorrow at 7pm to read my notes", "set a reminder for friday",
                     "remind my learners to submit unit 501 by 14 march 2027",
                     "remind alice to send her draft by friday",
                     # Reminders about actions other intents carry out: the request is the reminder, and
                     # "remind me to add 503 on Monday" must not add 503 today.
                     "remind me to add evidence for 501 on friday", "remind me to add 503 to my plan on monday",
                     "remind me to drop 504 tomorrow", "remind me tomorrow to mark 501 as ready",
                     "remind me to log evidence for 501 on friday", "remind me to set a target for 503 tomorrow"),
           # "Remind me what 2.2 says" / "remind me the pass mark" are questions, not reminders.
           leads=_REMIND,
           cues=((_REMIND, 1.0),
                 (r"\bset (?:up )?(?:a |an |some )?reminders?\b", 1.0),
                 (r"\b(?:add|new|create) (?:a )?reminder\b", 1.0),
                 (r"\bnudge (?:me|my learners)\b", 0.8))),
    Intent("reminder_list", list_reminders, personal=True,
           examples=("what reminders do i have", "show my reminders", "list my reminders", "my reminders"),
           cues=((r"\b(?:what|which|show|list|see|view|any)\b.*\breminders\b", 1.0),
                 (r"^\W*(?:my\s+)?reminders\W*$", 1.0),
                 (r"\breminders (?:do i have|have i got|have i set|are (?:set|on))\b", 1.0))),
    Intent("reminder_cancel", cancel_reminder, personal=True, acts=True,
           examples=("cancel the monday one", "cancel reminder 2", "stop the portfolio reminder",
                     "delete my reminder"),
           cues=((r"\b(?:cancel|delete|scrap|get rid of)\b.*\breminders?\b", 1.0),
                 (r"\b(?:cancel|delete|scrap)\s+(?:the|that|my)\s+(?:\w+\s+){0,2}one\b", 1.0),
                 (r"\b(?:remove|stop|turn off|switch off|drop)\b.*\breminder\b", 1.0))),
    Intent("reminder_prefs", set_preferences, personal=True, acts=True,
           examples=("not during the school day", "only sunday mornings", "only weekends", "only evenings",
                     "not on saturdays", "quiet hours 10pm to 7am", "no reminders after 8pm",
                     "my time zone is europe/paris"),
           cues=((rf"(?:{_NOT}|{_ABOUT_REMINDERS}).*\b(?:during|in)\s+(?:the\s+)?(?:school|working|work|office)\s+"
                  r"(?:day|hours)\b|\boutside (?:of )?(?:school|working|work|office) hours\b", 0.9),
                 (r"\bquiet hours\b", 1.0),
                 (r"\bmy time ?zone\b|\bset\b.*\btime ?zone\b|\btime ?zone to\b|\bi(?:'m| am) in [A-Za-z_]+/", 1.0),
                 (rf"^\W*only\b(?:\s+(?:on|at|in the|during))?\s+(?:{_DAY_WORDS})\b", 0.9),
                 (rf"\bonly (?:remind|message|send|ping|contact)\b|{_REMINDERS} only\b", 0.9),
                 (rf"(?:{_NOT}|{_ABOUT_REMINDERS}).*\b(?:on|at)\s+(?:{_PLURAL_DAYS})\b", 0.9),
                 (rf"(?:{_NOT}|{_ABOUT_REMINDERS}).*\b(?:after|before)\s+(?:{_TIME})", 0.9),
                 (r"\breminder (?:preferences|settings|hours)\b", 0.9))),
    Intent("reminder_pause", pause_reminders, personal=True, acts=True,
           examples=("pause my reminders until 5 january", "pause alice's reminders until 5 january",
                     "no reminders until after half-term"),
           # Only reminders: "can I pause my registration?" is a question for the rules, not an action here.
           cues=((rf"\b(?:pause|hold|suspend|mute)\b.*{_REMINDERS}", 1.0),
                 (r"\bno reminders (?:until|till|for)\b", 1.0))),
    Intent("reminder_resume", resume_reminders, personal=True, acts=True,
           examples=("start reminders again", "resume my reminders", "turn my reminders back on",
                     "unpause my reminders"),
           cues=((rf"\b(?:resume|unpause|un-pause|restart)\b.*{_REMINDERS}", 1.0),
                 (r"\b(?:start|turn on|switch on|send)\b.*\breminders\b.*\bagain\b", 1.0),
                 (r"\breminders\b.*\b(?:back on|again)\b", 0.9),
                 (r"\bturn (?:my |the )?reminders (?:back )?on\b", 1.0))),
    Intent("reminder_opt_out", opt_out, personal=True, acts=True,
           examples=("stop reminders", "no more reminders", "stop sending me reminders", "turn off my reminders"),
           cues=((r"\b(?:stop|no more|turn off|switch off|disable|unsubscribe from|opt out of|don't want|do not want|"
                  r"don't send|do not send)\b(?:\s+[\w'’]+){0,3}\s+reminders\b(?!.*\bagain\b)", 1.0),
                 (r"^\W*stop reminding me\W*$", 1.0))),
)
