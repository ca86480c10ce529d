"""Natural-language understanding: references (slots), topics and intent choice."""
