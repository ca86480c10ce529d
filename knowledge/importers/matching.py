"""Which criterion a line of an assessment task restates, by the word stems they share.

Prescribed tasks (002) restate each assessment criterion in their own words, one bullet per AC
after a section's marks line. Matching those bullets to the criteria ties every task section,
and the instructions under it, to the criteria it assesses.
"""

from __future__ import annotations

import re
from typing import Any

# Words too common to tell two criteria apart.
_STOP = {"that", "with", "this", "from", "their", "there", "have", "been", "which", "these", "those",
         "into", "about", "them", "they", "will", "your", "were"}


def stems(text: str) -> set[str]:
    """Crude word stems (first six letters of longer words) to match restated criteria."""
    return {w[:6] for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3 and w not in _STOP}


def best_criterion(text: str, by_id: dict[str, set[str]]) -> str | None:
    """The AC whose wording shares most word stems with ``text`` (None when unclear)."""
    words = stems(text)
    if not words:
        return None
    scores = sorted(((len(words & ac) / len(words), ac_id) for ac_id, ac in by_id.items()), reverse=True)
    if not scores or scores[0][0] < 0.5 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]


def restates_a_criterion(text: str, by_id: dict[str, set[str]]) -> bool:
    words = stems(text)
    return bool(words) and any(len(words & ac) / len(words) >= 0.5 for ac in by_id.values())


def instruction_items(lines: list[str]) -> list[list[str]]:
    """Instruction lines grouped into items: a bullet with the paragraphs under it ("· Critically
    review …" + "You should review …"), a paragraph on its own, and a lead-in ending with ":"
    together with the lower-case sub-bullets that complete it ("· Prepare:" + "· a rationale …")."""
    items: list[list[str]] = []
    for t in lines:
        bullet = t.startswith("·")
        body = t.lstrip("· ")
        if items and bullet and body[:1].islower() and items[-1][0].endswith(":"):
            items[-1].append(t)                      # sub-bullet completing a lead-in
        elif items and not bullet and items[-1][0].startswith("·"):
            items[-1].append(t)                      # paragraph under a bullet
        else:
            items.append([t])
    return items


def assign(bullets: list[str], ac_ids: list[str], by_id: dict[str, set[str]]) -> list[str]:
    """One AC per bullet, maximising the total word overlap (Dice) over all bullets.

    Tasks may take the ACs out of order (530 asks for the barriers, AC 2.2, before the business
    case, AC 2.1); near-identical restatements (610 AC 1.1/1.2) are settled by the whole set.
    Exhaustive over subsets of ACs (units have at most a dozen).
    """
    words = [stems(b) for b in bullets]

    def dice(i: int, j: int) -> float:
        a, b = words[i], by_id[ac_ids[j]]
        return 2 * len(a & b) / max(len(a) + len(b), 1)

    n = len(ac_ids)
    best: dict[int, tuple[float, list[int]]] = {0: (0.0, [])}
    for i in range(len(bullets)):
        step: dict[int, tuple[float, list[int]]] = {}
        for mask, (score, picks) in best.items():
            for j in range(n):
                if mask & (1 << j):
                    continue
                # A hair of preference for document order breaks exact ties.
                cand = (score + dice(i, j) + (1e-6 if j == i else 0.0), picks + [j])
                key = mask | (1 << j)
                if key not in step or cand[0] > step[key][0]:
                    step[key] = cand
        best = step
    _, picks = max(best.values(), key=lambda v: v[0])
    return [ac_ids[j] for j in picks]


def requirements_from_sections(unit: dict[str, Any], sections: list[dict[str, Any]],
                               marks_line: re.Pattern[str]) -> None:
    """Give each criterion the lines of the task section that assesses it.

    The bullets after a section's marks line (``marks_line``: "(min N marks …)") restate the
    ACs in order ("Own ability to set direction … is critically reviewed"), one bullet per AC,
    which ties each section to its ACs. Where a section covers several ACs, each instruction
    item goes to the AC it restates (by shared word stems); items that match no single AC, and
    the marks line, go to all of them.
    """
    by_id = {c["id"]: stems(c["text"]) for c in unit["criteria"]}
    restating = [(s_i, b) for s_i, s in enumerate(sections) for b in s["_bullets"]
                 if restates_a_criterion(b, by_id)]
    if len(restating) == len(unit["criteria"]):
        ids = assign([b for _, b in restating], [c["id"] for c in unit["criteria"]], by_id)
        owner = dict(zip(restating, ids, strict=True))
    else:   # not one bullet per AC: fall back to the best match of each bullet
        owner = {(s_i, b): ac for s_i, b in restating if (ac := best_criterion(b, by_id))}
    for s_i, s in enumerate(sections):
        bullets = [(b, owner.get((s_i, b))) for b in s["_bullets"]]
        covered = list(dict.fromkeys(ac for _, ac in bullets if ac))
        if not covered:
            continue
        local = {ac: by_id[ac] for ac in covered}
        lines: list[str] = s["text"]
        marks_at = next(i for i, t in enumerate(lines) if marks_line.match(t))
        owned: list[tuple[list[str], str | None]] = []
        for item in instruction_items(lines[:marks_at]):
            ac = best_criterion(item[0], local) if len(covered) > 1 else covered[0]
            owned.append((item, ac or best_criterion(" ".join(item), local)))
        owned.append(([lines[marks_at]], None))
        owned += [([b], ac) for b, ac in bullets]
        for c in unit["criteria"]:
            if c["id"] in covered:
                for item, ac in owned:
                    if ac is None or ac == c["id"]:
                        c["requirements"].extend(item)
