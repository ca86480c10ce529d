"""Evidence suggestions: which criteria a piece of work could count for (advice, never a decision)."""
