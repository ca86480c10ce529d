"""Words that carry no meaning for search or likeness (shared by word search and the asked questions)."""

# Words that carry no meaning for search; dropping them keeps OR-queries from matching everything.
STOP_WORDS = frozenset("""
a about am an and any are as at be been but by can could do does for from has have how i if in
into is it its me my of on or our should so than that the their them then there these they this
to us was we what when where which who why will with would you your need needs want wants tell
please much many do does did ok okay hi hello
""".split())
