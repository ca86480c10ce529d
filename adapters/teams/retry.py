"""The retry policy around Bot Framework connector calls (botbuilder makes exactly one request).

Teams throttles (429), reports a conflicting update (412) and has gateway hiccups (502, 504): those are
retried here with exponential backoff and jitter, at most five attempts, honouring ``Retry-After``.
403 and 404 mean the conversation is gone (bot removed or blocked, chat deleted): never retried.
Anything else is left to the caller. No botbuilder import: the status is read off the exception.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

log = logging.getLogger(__name__)

RETRYABLE = frozenset({412, 429, 502, 504})
GONE = frozenset({403, 404})

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[object]]


@dataclass(frozen=True)
class Backoff:
    """At most ``attempts`` tries; waits grow ``base``·2ⁿ up to ``cap`` seconds, half of each wait random."""

    attempts: int = 5
    base: float = 1.0
    cap: float = 30.0

    def delay(self, failures: int, rng: random.Random, retry_after: float | None = None) -> float:
        """The wait after the ``failures``-th failure (1-based)."""
        ceiling = min(self.cap, self.base * 2 ** (failures - 1))
        # "Equal jitter": always at least half the ceiling, so waits still grow, yet many reminders
        # throttled at the same moment do not come back at the same moment.
        wait = ceiling / 2 + rng.uniform(0, ceiling / 2)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.cap))
        return wait


# Proactive reminders can afford to wait; a reply inside a turn must finish well within the 15 s after
# which Teams gives up on the request and sends the message again.
PROACTIVE = Backoff()
IN_TURN = Backoff(attempts=3, base=0.5, cap=2.0)


def status_of(error: BaseException) -> int | None:
    """The HTTP status of a connector error (msrest's HttpOperationError keeps the response)."""
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    return status if isinstance(status, int) else None


def retry_after_of(error: BaseException) -> float | None:
    """``Retry-After`` in seconds, when the service sent one as a number."""
    headers = getattr(getattr(error, "response", None), "headers", None) or {}
    try:
        value = headers.get("Retry-After")
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


async def with_retries(call: Callable[[], Awaitable[T]], backoff: Backoff = PROACTIVE, *,
                       sleep: Sleep = asyncio.sleep, rng: random.Random | None = None) -> T:
    """``await call()``, again after a wait while it fails with a retryable status; the last error is raised."""
    rng = rng or random.Random()
    failures = 0
    while True:
        try:
            return await call()
        except Exception as error:
            status = status_of(error)
            failures += 1
            if status not in RETRYABLE or failures >= backoff.attempts:
                raise
            wait = backoff.delay(failures, rng, retry_after_of(error))
            log.info("Teams answered %s; attempt %d of %d again in %.1f s", status, failures + 1,
                     backoff.attempts, wait)
            await sleep(wait)
