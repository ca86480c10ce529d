"""Learner records: people, registrations, plans, evidence and progress — the domain rules on the store.

Every function takes the database and an injected ``now``; none reads the clock or knows a platform.
Authorisation (who may see or change whose records) is decided here (``authz``), once, for every
caller.
"""
