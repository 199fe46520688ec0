"""The normaliser's vocabulary: one TOML file per language of the region.

Each file has `[headers]` (canonical field -> header spellings, plus `ignored`: headers
recognised as holding nothing a rule uses) and `[statuses]` (a family of stage phrases
-> phrases). A newcomer adds a language by adding a file; the order of LANGUAGES decides
which field a spelling means when two languages disagree ("titel" is a contact's title
in Swedish before it is a job title anywhere else).
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("sv", "en", "da", "no", "fi-sv", "is", "de", "nl", "fr", "es", "pt", "it")
# status families in the order they are tried, and the stage each means: the first that
# matches wins, so "inte intresserad" is a no before "intresserad" is a dialogue
STATUS_FAMILIES = (("not_contacted", "new"), ("no_answer", "attempted"), ("secured", "yes"),
                   ("no", "no"), ("offer", "offer"), ("meeting", "meeting"), ("yes", "yes"),
                   ("dialogue", "in_dialogue"), ("attempted", "attempted"), ("new", "new"))
_FOLDER = Path(__file__).parent


@lru_cache(maxsize=1)
def load() -> dict[str, dict]:
    """language -> its file's content."""
    out = {}
    for language in LANGUAGES:
        with open(_FOLDER / f"{language}.toml", "rb") as f:
            out[language] = tomllib.load(f)
    extra = sorted(p.stem for p in _FOLDER.glob("*.toml") if p.stem not in LANGUAGES)
    for language in extra:                  # a newcomer's file, after the known ones
        with open(_FOLDER / f"{language}.toml", "rb") as f:
            out[language] = tomllib.load(f)
    return out


def header_spellings() -> list[tuple[str, str, str]]:
    """(language, field, spelling) in priority order; field 'ignored' for ignored headers."""
    return [(lang, fld, spelling) for lang, data in load().items()
            for fld, spellings in data.get("headers", {}).items() for spelling in spellings]


def status_phrases() -> list[tuple[str, tuple[str, ...]]]:
    """(stage, phrases of every language) per family, in the order they are tried."""
    return [(stage, tuple(p for data in load().values() for p in data.get("statuses", {}).get(family, ())))
            for family, stage in STATUS_FAMILIES]
