"""The owned columns right of a student's table: where they are, or where they go.

They are found by the service's mark (Google developer metadata on the column, an .xlsx
defined name), which moves with the column and survives the student renaming or
clearing its header; a sheet from before marks is recognised by the header ("sheetsync
…") and gets its marks. Missing ones are placed after the right-most cell holding
anything, value or formula (a column of formulas that show nothing is still the
student's, so no student cell is ever overwritten). A student column added right of ours
later is simply left alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sheetsync.i18n import TEXT, t
from sheetsync.workbook import OWNED_MARK, OWNED_PREFIX, is_owned_header
from sheetsync.normalize.text import fold
from sheetsync.workbook import Tab

KINDS = ("flags", "state", "next")
# words that tell which owned column a header is, in any language we write
_KIND_WORDS = {"flags": ("flag", "flagg"), "state": ("lage", "state", "status"),
               "next": ("nasta", "next", "steg", "step")}


def kind_of(header: str) -> str | None:
    if not is_owned_header(header):
        return None
    rest = header.strip()
    rest = rest[len(OWNED_MARK):] if rest.startswith(OWNED_MARK) else rest[len(OWNED_PREFIX):]
    words = fold(rest).split()
    for kind, keys in _KIND_WORDS.items():
        if any(w.startswith(k) for w in words for k in keys):
            return kind
    return None


@dataclass
class OwnedColumns:
    cols: dict[str, int]          # kind -> 1-based column
    headers: dict[str, str]       # kind -> the header we write
    placed: set[str]              # kinds placed tonight (new, or back after a deletion)
    unmarked: set[str]            # kinds whose column does not carry our mark yet


def owned_columns(tab: Tab, header_row: int, language: str) -> OwnedColumns:
    """Where the owned columns of this tab are or go (header_row is 0-based)."""
    found: dict[str, int] = {}
    for kind, col in tab.marks.items():
        if kind in KINDS and col >= 1 and col not in found.values():
            found[kind] = col
    marked = set(found)
    header = tab.rows[header_row] if 0 <= header_row < len(tab.rows) else []   # -1: no header
    for c, text in enumerate(header, 1):
        kind = kind_of(text)
        if kind and kind not in found and c not in found.values():
            found[kind] = c
    recognised = set(found)
    taken = set(found.values())
    edge = max([_last_student_cell(row, taken) for row in tab.rows]
               + [c for (_, c) in tab.formulas if c not in taken], default=0)
    nxt = max([edge] + [c for c in taken if c > edge]) + 1 if taken else edge + 1
    for kind in KINDS:
        if kind not in found:
            while nxt in taken:
                nxt += 1
            found[kind] = nxt
            taken.add(nxt)
            nxt += 1
    headers = {k: t(f"col.{k}", language) for k in KINDS}
    return OwnedColumns(found, headers, set(KINDS) - recognised, set(KINDS) - marked)


def _last_student_cell(row: list, taken: set[int]) -> int:
    """1-based column of the row's right-most cell that is not ours, 0 if none."""
    for c in range(len(row), 0, -1):
        v = row[c - 1]
        if v != "" and c not in taken and not is_owned_header(v):
            return c
    return 0


_CODE = re.compile(r"^[A-Z]{2}\d{2}\b|\([A-Z]{2}\d{2}\)$", re.M)     # a code first (before round 3) or last


def _prefixes(group: str) -> tuple[str, ...]:
    out = set()
    for key, texts in TEXT.items():
        if key.startswith(group):
            for text in texts.values():
                head = text.split("{")[0].strip()
                if head:
                    out.add(head)
    return tuple(out)


_STATE_TEXTS = frozenset(v for k, texts in TEXT.items() if k.startswith("state.") for v in texts.values())
_NEXT_PREFIXES = _prefixes("next.")


def written_by_us(kind: str, text: str) -> bool:
    """Could the service have written this text in an owned column of this kind (in any
    language)? Used when no snapshot tells what we left there."""
    if kind == "flags":
        return bool(_CODE.search(text))
    if kind == "state":
        return text in _STATE_TEXTS
    return text.startswith(_NEXT_PREFIXES)
