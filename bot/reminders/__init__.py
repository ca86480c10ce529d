"""Reminders: rules in the database, occurrences computed from them and from learners' records,
delivered exactly once, in each person's own hours, through a platform ``Sender``.
"""
