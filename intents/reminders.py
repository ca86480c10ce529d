"""The reminder intents: how people ask to set, list and cancel reminders, to change their reminder
hours, and to pause, restart or stop them — and which handler answers each.

The handlers live by job: :mod:`intents.reminder_set` (setting one, with
:mod:`intents.reminder_learners` for a tutor's learners and cohorts), :mod:`intents.reminder_list`
(listing and cancelling) and :mod:`intents.reminder_hours` (hours, pause, resume, opt-out).
"""

from __future__ import annotations

from bot.intent import Intent
from intents.reminder_hours import opt_out, pause_reminders, resume_reminders, set_preferences
from intents.reminder_list import cancel_reminder, list_reminders
from intents.reminder_set import set_reminder

INTENTS = (
    Intent("reminder_set", set_reminder, personal=True, acts=True,
           examples=("remind me every thursday at 6pm to write up my reflective log",
                     "remind me on friday to email my tutor",
                     "remind me tomorrow at 7pm to read my notes", "set a reminder for friday",
                     "remind my learners to submit unit 501 by 14 march 2027",
                     "remind alice to send her draft by friday",
                     # Reminders about actions other intents carry out: the request is the reminder, and
                     # "remind me to add 503 on Monday" must not add 503 today.
                     "remind me to add evidence for 501 on friday", "remind me to add 503 to my plan on monday",
                     "remind me to drop 504 tomorrow", "remind me tomorrow to mark 501 as ready",
                     "remind me to log evidence for 501 on friday", "remind me to set a target for 503 tomorrow")),
    Intent("reminder_list", list_reminders, personal=True,
           examples=("what reminders do i have", "show my reminders", "list my reminders", "my reminders")),
    Intent("reminder_cancel", cancel_reminder, personal=True, acts=True,
           examples=("cancel the monday one", "cancel reminder 2", "stop the portfolio reminder",
                     "delete my reminder")),
    Intent("reminder_prefs", set_preferences, personal=True, acts=True,
           examples=("not during the school day", "only sunday mornings", "only weekends", "only evenings",
                     "not on saturdays", "quiet hours 10pm to 7am", "no reminders after 8pm",
                     "my time zone is europe/paris")),
    Intent("reminder_pause", pause_reminders, personal=True, acts=True,
           examples=("pause my reminders until 5 january", "pause alice's reminders until 5 january",
                     "no reminders until after half-term")),
    Intent("reminder_resume", resume_reminders, personal=True, acts=True,
           examples=("start reminders again", "resume my reminders", "turn my reminders back on",
                     "unpause my reminders")),
    Intent("reminder_opt_out", opt_out, personal=True, acts=True,
           examples=("stop reminders", "no more reminders", "stop sending me reminders", "turn off my reminders")),
)
