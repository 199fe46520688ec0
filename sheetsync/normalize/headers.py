"""Header detection and mapping of a student's column names to canonical fields.

Matching runs on folded text (case, accents, punctuation removed), in this order:
an exact spelling from the vocabulary files of nine languages (confidence 1.0), an
attempt column "Försök 2" (1.0), a spelling standing as a word inside a longer header,
"Kontaktperson/roll" (0.75, the first such word wins: the main noun comes first; words
too general to name a field, "date", "url", are not enough), and a close spelling such
as a typo, "Kontakperson" (its similarity). Anything else is unmapped
and kept as a pass-through column.
"""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from sheetsync.normalize.text import fold
from sheetsync.normalize.vocabulary import header_spellings

OWNED_PREFIX = "sheetsync"
ATTEMPT_COLUMN = "attempt_n"         # "Försök 1", "Attempt 2": one column per attempt

# field -> spellings, from the vocabulary files (one per language, folded at import);
# ignored headers name something a CRM row may hold but no rule uses: recognised, so
# they are not mistaken for a field by a word they share ("Posting Date" is not a
# contact date)
_EXACT: dict[str, str] = {}
_IGNORED_SET: set[str] = set()
for _lang, _field, _name in header_spellings():
    if _field == "ignored":
        _IGNORED_SET.add(fold(_name))
    elif fold(_name) not in _IGNORED_SET:
        _EXACT.setdefault(fold(_name), _field)
_IGNORED = frozenset(_IGNORED_SET)
# words too general to name a field from inside a longer header: "Date Posted" is not a
# contact date, "Job URL" is not the company's website; alone, they still count
WEAK_WORDS = frozenset({"date", "datum", "dato", "fecha", "url", "name", "namn", "navn", "nom",
                        "nombre", "naam", "nimi", "type", "typ", "id", "nr", "nummer", "number",
                        "site", "web", "via", "job", "jobb", "info", "person", "kontakt",
                        "contact", "contacted", "kontaktad", "link", "role", "title", "titel",
                        "roll", "rolle", "tittel", "position", "senast", "applied", "sokt"})
_ATTEMPT_RE = re.compile(r"^(forsok|attempt|forsog|kontaktforsok|try|samtal|kontakt)\s*(nr\s*)?[1-9]$")
_CHOICES = list(_EXACT)
_LETTER = re.compile(r"[^\W\d_]")
FUZZY_CUTOFF = 84
# words that name a kind of contact detail wherever they stand in a header
_CONTACT_WORDS = {"email": "email", "mail": "email", "epost": "email", "mejl": "email",
                  "sahkoposti": "email", "courriel": "email", "correo": "email",
                  "phone": "phone", "telefon": "phone", "telephone": "phone", "tlf": "phone",
                  "telefoon": "phone", "telefono": "phone", "puhelin": "phone", "linkedin": "linkedin"}


OWNED_MARK = "⚑"                     # our headers today; "sheetsync …" on sheets from before


def is_owned_header(text) -> bool:
    return isinstance(text, str) and text.strip().lower().startswith((OWNED_PREFIX, OWNED_MARK))


@lru_cache(maxsize=None)
def _choices_near(length: int) -> list[str]:
    """The spellings a header of `length` characters can reach the cutoff with: fuzz.ratio
    (Indel) of lengths a and b is at most 100 * (1 - |a - b| / (a + b)). A few dozen of
    the ~800, in the same order, so extractOne picks the same winner."""
    return [c for c in _CHOICES
            if 100 * (1 - abs(len(c) - length) / (len(c) + length)) >= FUZZY_CUTOFF - 0.01]


@lru_cache(maxsize=16384)
def map_header(text: str) -> tuple[str | None, float]:
    """A header cell's text -> (canonical field or None, confidence 0..1)."""
    key = fold(text)
    if not key or is_owned_header(text):
        return None, 0.0
    if key in _EXACT:
        return _EXACT[key], 1.0
    if key in _IGNORED:
        return None, 1.0
    if not _LETTER.search(key):              # '070-123 45 67', a date: every spelling has letters
        return None, 0.0
    if _ATTEMPT_RE.match(key):
        return ATTEMPT_COLUMN, 1.0
    words = key.split()
    for word in words:                       # a kind of contact detail decides: "Hiring Manager Email"
        if word in _CONTACT_WORDS:
            return _CONTACT_WORDS[word], 0.8
    for size in (2, 1):                      # a synonym inside a longer header
        for i in range(len(words) - size + 1):
            part = " ".join(words[i:i + size])
            if part in _EXACT and len(part) >= 3 and part not in WEAK_WORDS:
                return _EXACT[part], 0.75
    if len(key) >= 4:
        best = process.extractOne(key, _choices_near(len(key)), scorer=fuzz.ratio,
                                  score_cutoff=FUZZY_CUTOFF)
        if best:
            return _EXACT[best[0]], round(best[1] / 100, 2)
    return None, 0.0


def header_score(row: list) -> float:
    """How much a row looks like a CRM header: distinct fields it maps, weighted."""
    fields: dict[str, float] = {}
    for value in row:
        if isinstance(value, str) and value.strip():
            field, conf = map_header(value)
            if field:
                field = "attempts" if field == ATTEMPT_COLUMN else field
                fields[field] = max(fields.get(field, 0), conf)
    if len(fields) < 2:
        return 0.0
    return sum(fields.values()) + (0.5 if "company" in fields else 0.0)


def find_header_row(rows: list[list], scan: int = 25) -> int | None:
    """0-based index of the header row among the first `scan` rows, or None."""
    best, best_score = None, 0.0
    for i, row in enumerate(rows[:scan]):
        score = header_score(row)
        if score > best_score:
            best, best_score = i, score
    return best
