"""The owned columns right of a student's table: where they are, or where they go.

They are found by their header (it starts with "sheetsync"), wherever the student has
moved them. Missing ones are placed after the right-most cell holding anything (a
column without a header still counts, so no student text is ever overwritten). A
student column added right of ours later is simply left alone.
"""
from __future__ import annotations

from sheetsync.i18n import t
from sheetsync.normalize.headers import is_owned_header
from sheetsync.normalize.text import fold
from sheetsync.workbook import Tab

KINDS = ("flags", "state", "next")
# words that tell which owned column a header is, in any language we write
_KIND_WORDS = {"flags": ("flag", "flagg"), "state": ("lage", "state", "status"),
               "next": ("nasta", "next", "steg", "step")}


def kind_of(header: str) -> str | None:
    if not is_owned_header(header):
        return None
    words = fold(header).split()[1:]
    for kind, keys in _KIND_WORDS.items():
        if any(w.startswith(k) for w in words for k in keys):
            return kind
    return None


def owned_columns(tab: Tab, header_row: int, language: str) -> tuple[dict[str, int], dict[str, str]]:
    """kind -> 1-based column, and kind -> header text, for this tab (header_row is 0-based)."""
    header = tab.rows[header_row] if header_row < len(tab.rows) else []
    found: dict[str, int] = {}
    for c, text in enumerate(header, 1):
        kind = kind_of(text)
        if kind and kind not in found:
            found[kind] = c
    taken = set(found.values())
    edge = max((_last_student_cell(row, taken) for row in tab.rows), default=0)
    nxt = max([edge] + [c for c in taken if c > edge]) + 1 if taken else edge + 1
    for kind in KINDS:
        if kind not in found:
            while nxt in taken:
                nxt += 1
            found[kind] = nxt
            taken.add(nxt)
            nxt += 1
    headers = {"flags": t("col.flags", language), "state": t("col.state", language),
               "next": t("col.next", language)}
    return found, headers


def _last_student_cell(row: list, taken: set[int]) -> int:
    """1-based column of the row's right-most cell that is not ours, 0 if none."""
    for c in range(len(row), 0, -1):
        v = row[c - 1]
        if v != "" and c not in taken and not is_owned_header(v):
            return c
    return 0
