"""Company names to a key for matching, and contact details to comparable forms.

The key folds case, accents and punctuation and drops legal forms wherever they
stand, so 'AB Volvo', 'Volvo AB' and 'volvo ab (publ)' share the key 'volvo' while
'Volvo Cars' keeps its own: different firms stay different.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlparse

from sheetsync.normalize.text import LETTERS_APART, fold

_NON_LETTER = re.compile(r"[\W_]+")

LEGAL_FORMS = frozenset({
    # Swedish, in full and in the definite form ("Aktiebolaget Volvo" is AB Volvo)
    "ab", "aktiebolag", "aktiebolaget", "hb", "handelsbolag", "handelsbolaget", "kb",
    "kommanditbolag", "kommanditbolaget", "publ", "ek for", "ek forening", "ekonomisk forening",
    "ekonomiska foreningen", "ideell forening", "ideella foreningen", "enskild firma",
    "enskilda firman", "ef",
    # the Nordic neighbours: Denmark, Norway, Finland
    "aps", "a s", "as", "asa", "i s", "k s", "p s", "ivs", "amba", "a m b a", "aktieselskab",
    "anpartsselskab", "aksjeselskap", "allmennaksjeselskap", "oy", "oyj", "ky", "tmi",
    "osakeyhtio", "julkinen osakeyhtio",
    # elsewhere
    "ltd", "limited", "inc", "incorporated", "llc", "gmbh", "ag", "kg", "bv", "nv", "sa",
    "plc", "corp", "corporation", "co"})
_MULTI = sorted((f for f in LEGAL_FORMS if " " in f), key=len, reverse=True)
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_EMAIL_FIND = re.compile(r"[^\s<>,;:()\[\]]+@[^\s<>,;:()\[\]]+")


@lru_cache(maxsize=65536)
def company_key(name: str) -> str:
    """'Volvo AB (publ)' -> 'volvo'; '' when nothing is left. Letters of every script
    count: 'شركة نور AB' and 'شركة أخرى AB' are two companies, not both 'ab'."""
    folded = _fold_any_script(name) if _other_script(name) else fold(name)
    key = f" {folded} "
    for form in _MULTI:
        key = key.replace(f" {form} ", " ")
    words = [w for w in key.split() if w not in LEGAL_FORMS]
    return " ".join(words) or folded


def _other_script(name: str) -> bool:
    """Does a name hold letters outside Latin, which fold() drops?"""
    return not name.isascii() and any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN")
                                       for ch in name)


def _fold_any_script(name: str) -> str:
    """fold() keeping the letters of every script (Arabic, Cyrillic, Greek, CJK)."""
    text = unicodedata.normalize("NFKD", str(name).lower().translate(LETTERS_APART))
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf")
    return _NON_LETTER.sub(" ", text).strip()


def parse_email(text: str) -> tuple[str | None, bool]:
    """(first e-mail address lower-cased or None, whether the cell looked valid)."""
    text = str(text).strip()
    if not text:
        return None, True
    found = _EMAIL_FIND.findall(text.replace("mailto:", ""))
    if found:
        email = found[0].strip(".").lower()
        return email, bool(_EMAIL.match(email))
    return None, False


def domain_of(url: str) -> str | None:
    """'https://www.volvo.se/jobb' -> 'volvo.se'."""
    text = str(url).strip().lower()
    if not text or " " in text or "." not in text:
        return None
    if "://" not in text:
        text = "http://" + text
    try:
        host = urlparse(text).hostname or ""
    except ValueError:          # 'http://.[' : not a URL at all
        return None
    host = host.removeprefix("www.")
    return host or None


def linkedin_url(text: str) -> str | None:
    text = str(text).strip()
    return text if "linkedin.com/" in text.lower() else None
