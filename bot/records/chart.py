"""A cohort progress chart as a PNG: RAG counts per cohort (matplotlib, headless).

matplotlib is imported only when a chart is drawn: it takes half a second, and most turns draw none.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict

from bot.records.standing import Standing

COLOURS = {"red": "#c0392b", "amber": "#e6a117", "green": "#2e8b57"}
MAX_COHORTS = 20


def cohort_chart(rows: list[Standing], cohort_of: dict[str, str | None], title: str) -> bytes:
    """Stacked bars of Red / Amber / Green learners for each cohort (the largest 20)."""
    import matplotlib

    matplotlib.use("Agg")               # no screen on a server
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for s in rows:
        counts[cohort_of.get(s.person_id) or "No cohort"][s.rag] += 1
    cohorts = sorted(counts, key=lambda c: -sum(counts[c].values()))[:MAX_COHORTS]
    figure, axes = plt.subplots(figsize=(8, max(2.5, 0.45 * len(cohorts) + 1.5)), dpi=110)
    left = [0] * len(cohorts)
    for rag in ("red", "amber", "green"):
        values = [counts[c][rag] for c in cohorts]
        axes.barh(cohorts, values, left=left, color=COLOURS[rag], label=rag.title())
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.invert_yaxis()
    axes.set_xlabel("Learners")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))      # people come whole
    axes.set_title(title)
    # Beside the bars, not on them: a legend over a red bar hides "Red".
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()
