"""The lead-cap lottery: a seeded draw, made once per company and kept.

A draw orders the candidates for a company. Students who join the company later are
drawn among themselves and queue behind the stored order, so an earlier draw never
changes. Everything here is pure: stored draws come in, new draws go out.
"""
from __future__ import annotations

import hashlib
import random


def draw(candidates: list[str], seed: str, company_key: str, round_no: int) -> tuple[str, list[str]]:
    """A uniform random order of `candidates`, reproducible from (seed, company, round)."""
    draw_seed = f"{seed}:{company_key}:{round_no}"
    rng = random.Random(int.from_bytes(hashlib.sha256(draw_seed.encode()).digest()[:8], "big"))
    order = sorted(candidates)
    rng.shuffle(order)
    return draw_seed, order


def extend_order(stored: list[str], candidates: list[str], seed: str,
                 company_key: str) -> tuple[list[str], dict | None]:
    """The stored order with any new candidates drawn and appended; the new draw or None."""
    newcomers = [c for c in candidates if c not in stored]
    if not newcomers:
        return stored, None
    draw_seed, order = draw(newcomers, seed, company_key, len(stored))
    return stored + order, {"seed": draw_seed, "candidates": sorted(newcomers), "order": order}
