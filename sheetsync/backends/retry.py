"""Retrying Google calls: truncated exponential backoff with jitter, capped attempts.

Google's advice: wait min(2^n + random(0..1) s, 64 s) after the n-th failure of a
request that may succeed later (429, 408, 5xx, a 403 for usage limits, a dropped
connection). Anything else fails at once with the project's own exception.
"""
from __future__ import annotations

import random

RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "usageLimits",
                          "RATE_LIMIT_EXCEEDED"})
MAX_BACKOFF = 64.0


def backoff(attempt: int, rng=random.random) -> float:
    """Seconds to wait after failed attempt number `attempt` (0-based)."""
    return min(2 ** attempt + rng(), MAX_BACKOFF)


def is_retryable(status: int, error: dict) -> bool:
    if status in RETRY_STATUS:
        return True
    if status == 403:
        reasons = {d.get("reason") for d in error.get("details", []) if isinstance(d, dict)}
        reasons |= {e.get("reason") for e in error.get("errors", []) if isinstance(e, dict)}
        return bool(reasons & RATE_REASONS)
    return False
