"""A1 notation: column letters, cell addresses and quoted sheet names."""
import re

_CELL = re.compile(r"^([A-Za-z]*)(\d*)$")
_NEEDS_NO_QUOTES = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def column_letter(col: int) -> str:
    """1 -> A, 27 -> AA."""
    if col < 1:
        raise ValueError(f"column must be >= 1, got {col}")
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str) -> int:
    """A -> 1, AA -> 27."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"not a column: {letters!r}")
        n = n * 26 + ord(ch) - 64
    return n


def cell(row: int, col: int) -> str:
    """(row, col), both 1-based -> 'B3'."""
    return f"{column_letter(col)}{row}"


def looks_like_cell(name: str) -> bool:
    m = re.match(r"^[A-Za-z]{1,3}\d+$", name)
    return bool(m) or bool(re.match(r"^[Rr]\d+[Cc]\d+$", name))


def quote_sheet(title: str) -> str:
    """Quote a sheet title the way Google echoes it: only when needed."""
    if _NEEDS_NO_QUOTES.match(title) and not looks_like_cell(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def split_cell(ref: str) -> tuple[int | None, int | None]:
    """'B3' -> (3, 2); 'B' -> (None, 2); '3' -> (3, None)."""
    m = _CELL.match(ref)
    if not m or not ref:
        raise ValueError(f"not a cell reference: {ref!r}")
    letters, digits = m.groups()
    return (int(digits) if digits else None,
            column_number(letters) if letters else None)
