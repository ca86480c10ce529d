"""AssessBot's knowledge base: the qualification specifications, curated and queryable.

Public API: ``knowledge.kb.load_kb()`` returns the loaded :class:`~knowledge.kb.KnowledgeBase`;
``knowledge.build`` rebuilds the curated files from the source documents.
"""
