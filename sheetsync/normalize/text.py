"""Folding text for matching: case, accents and punctuation do not matter."""
import re
import unicodedata
from functools import lru_cache

# letters NFKD does not take apart: folded by hand
LETTERS_APART = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "ð": "d", "þ": "th", "ł": "l"})
_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """'Företag / Bolag' -> 'foretag bolag'; 'Opfølgning' -> 'opfolgning'. Invisible
    format characters (zero-width space, direction marks) are dropped, not made a
    space: 'Vol\u200bvo' is 'volvo'."""
    text = unicodedata.normalize("NFKD", str(text).lower().translate(LETTERS_APART))
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf")
    return _NON_WORD.sub(" ", text).strip()


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
