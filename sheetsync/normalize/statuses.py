"""Free-text statuses (nine languages, sheetsync/normalize/vocabulary/) to a lead stage, and attempt counts from phrases.

Stages, from DESIGN.md: new, attempted, in_dialogue, meeting, offer, yes, no, unknown.
Phrases are matched as whole words on folded text; the first family that matches
wins, in an order chosen so that "inte intresserade" is a no before "intresserad"
is a dialogue, and "ej kontaktad" is new before "kontaktad" is an attempt.
"""
from __future__ import annotations

import re
from functools import lru_cache

from sheetsync.normalize.text import fold
from sheetsync.normalize.vocabulary import status_phrases

STAGES = ("new", "attempted", "in_dialogue", "meeting", "offer", "yes", "no", "unknown")
ANSWERED = frozenset({"in_dialogue", "meeting", "offer", "yes", "no"})

_FAMILIES = status_phrases()       # from the vocabulary files, one per language
_COMPILED = [(stage, re.compile(r"\b(" + "|".join(re.escape(fold(p)) for p in phrases) + r")\b"))
             for stage, phrases in _FAMILIES]
_COUNT = re.compile(r"(?:(\d+)\s*(?:ggr|gang|ganger|gange|times|x|forsok|forsog|attempts|samtal)\b)"
                    r"|(?:\bx\s*(\d+)\b)")


@lru_cache(maxsize=65536)
def stage_of(status: str) -> str:
    """'Ja!' -> 'yes'; 'inget svar x2' -> 'attempted'; '' -> 'new'; 'blå' -> 'unknown'."""
    key = fold(status)
    if not key:
        return "new"
    for stage, pattern in _COMPILED:
        if pattern.search(key):
            return stage
    return "unknown"


MAX_ATTEMPTS = 50          # more is not a count of calls made: a number typed in the wrong place


@lru_cache(maxsize=65536)
def attempts_in(text: str) -> int | None:
    """'ringt 3 ggr' -> 3; 'inget svar x2' -> 2; None when the text names no count."""
    m = _COUNT.search(fold(text))
    if not m:
        return None
    n = int(m[1] or m[2])
    return n if 0 <= n <= MAX_ATTEMPTS else None


@lru_cache(maxsize=4096)
def count_of(value: str) -> int | None:
    """An attempts column cell: '3', '3.0', 'III', '2 ggr' -> int; '' -> None. Past
    MAX_ATTEMPTS it is no count ('46701234567': a phone number in the wrong column)."""
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"\d+(\.0+)?", text):
        n = int(text.split(".")[0])
    elif re.fullmatch(r"[iIxX|]+", text):
        n = len(text)
    else:
        return attempts_in(text)
    return n if n <= MAX_ATTEMPTS else None


def temperature_of(text: str) -> str | None:
    key = fold(text)
    if not key:
        return None
    if re.search(r"\b(varm|warm|hot|het|varmt|ja|yes)\b", key):
        return "warm"
    if re.search(r"\b(kall|cold|kallt|kold|nej|no)\b", key):
        return "cold"
    return None


def channel_of(text: str) -> str | None:
    key = fold(text)
    if not key:
        return None
    if re.search(r"\blinked ?in\b", key):
        return "linkedin"
    if re.search(r"\b(mejl|mail|e ?post|email|e mail|mejlat|mailat)\b", key):
        return "email"
    if re.search(r"\b(telefon|tel|phone|ring|ringt|samtal|call|sms|mobil|opkald)\b", key):
        return "phone"
    if re.search(r"\b(besok|mote|visit|event|massa|fair|in person)\b", key):
        return "in_person"
    return "other"


def work_mode_of(text: str) -> str | None:
    key = fold(text)
    if not key:
        return None
    if "hybrid" in key:
        return "hybrid"
    if re.search(r"\b(distans|remote|hemifran|fjern)\b", key):
        return "remote"
    if re.search(r"\b(pa plats|onsite|on site|kontor|office|plats)\b", key):
        return "onsite"
    return None
