"""Reading a school's class list (a CSV export: name, e-mail, sometimes an id and a link)
into roster entries. Swedish or English headers, any column order, any delimiter
(csv.Sniffer), the name in one column or as first and last name, UTF-8 (with or without
Excel's BOM) or Windows-1252 as Excel saves it in Sweden. The e-mail column is found by
the normaliser's own header reading; the rest by a small vocabulary of its own. Every
bad row is reported with its line number, and then nothing is used of the list."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from sheetsync.errors import SheetsyncError
from sheetsync.normalize.headers import map_header
from sheetsync.normalize.text import fold

# folded header -> column kind; the e-mail column is the normaliser's (map_header)
_VOCABULARY = {
    "name": ["namn", "name", "elev", "elevnamn", "elevens namn", "student", "student name",
             "studerande", "deltagare", "fullstandigt namn", "full name", "for och efternamn",
             "fornamn och efternamn", "first and last name"],
    "first": ["fornamn", "tilltalsnamn", "first name", "firstname", "given name", "forename"],
    "last": ["efternamn", "last name", "lastname", "surname", "family name"],
    "id": ["id", "elev id", "elevid", "student id", "studentid", "anvandarnamn", "anvandar id",
           "username", "user id", "userid", "login", "nr", "elevnummer", "student number"],
    "sheet": ["lank", "lankar", "link", "url", "crm", "crm lank", "crm link", "lia crm", "sheet",
              "google sheet", "kalkylark", "blad", "ark", "fil", "file", "arbetsbok", "workbook"],
}
_KIND = {spelling: kind for kind, spellings in _VOCABULARY.items() for spelling in spellings}
_NOT_THE_STUDENTS = re.compile(r"\b(vardnadshavare|foralder|foraldrar|guardian|parent|mentor|larare|teacher)\b")
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]{2,}$")


class ClassListError(SheetsyncError):
    """The class list cannot be used: `problems` are its bad rows, one line each."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass
class ClassRow:
    line: int               # the line of the file, the header being line 1 (or further down)
    name: str
    email: str | None = None
    id: str | None = None
    sheet: str | None = None


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")          # Excel's "CSV (semicolon)" in a Swedish Windows


def _dialect(text: str):
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=";,\t|")
    except csv.Error:                        # one column, or a sniffer in doubt: the usual ones
        head = text.splitlines()[0] if text else ""
        delimiter = max(";,\t|", key=head.count) if any(d in head for d in ";,\t|") else ","
        return type("Dialect", (csv.excel,), {"delimiter": delimiter})


def column_kinds(header: list[str]) -> dict[str, int]:
    """kind -> column index: name, first, last, email, id, sheet (the first of each)."""
    kinds: dict[str, int] = {}
    for col, text in enumerate(header):
        folded = fold(text)
        if not folded or _NOT_THE_STUDENTS.search(folded):
            continue
        kind = _KIND.get(folded)
        if kind is None and map_header(text)[0] == "email":
            kind = "email"
        if kind is None and folded.startswith(("e post", "epost", "mejl", "mail", "email", "e mail")):
            kind = "email"
        if kind is not None:
            kinds.setdefault(kind, col)
    return kinds


def read_class_list(path: Path) -> list[ClassRow]:
    """Every student row of the list; ClassListError naming each bad row."""
    try:
        text = _decode(Path(path).read_bytes())
    except OSError as e:
        raise ClassListError(f"cannot read the class list {path}: {e.strerror or e}") from None
    reader = csv.reader(io.StringIO(text), _dialect(text))
    header, kinds = None, {}
    for row in reader:
        kinds = column_kinds(row)
        if "name" in kinds or "first" in kinds or "last" in kinds:
            header = row
            break
        if any(cell.strip() for cell in row) and reader.line_num >= 10:
            break
    if header is None:
        raise ClassListError(f"the class list {path} has no header row naming the students (Namn, or"
                             " Förnamn and Efternamn; Name, or First name and Last name)")
    rows, problems, seen = [], [], {}

    def cell(row, kind):
        col = kinds.get(kind)
        return row[col].strip() if col is not None and col < len(row) else ""

    for row in reader:
        if not any(c.strip() for c in row):
            continue
        line = reader.line_num
        name = cell(row, "name")
        if "," in name and "first" not in kinds:          # "Andersson, Anna" as many exports write it
            last, _, first = name.partition(",")
            name = f"{first.strip()} {last.strip()}"
        name = " ".join((name or f"{cell(row, 'first')} {cell(row, 'last')}").split())
        email = cell(row, "email")
        if not name:
            problems.append(f"line {line}: no name")
            continue
        if email and not EMAIL.match(email):
            problems.append(f"line {line}: {name}: {email!r} is not an e-mail address")
            continue
        if email and email.lower() in seen:
            problems.append(f"line {line}: {name}: the e-mail {email} is also on line {seen[email.lower()]}")
            continue
        if email:
            seen[email.lower()] = line
        rows.append(ClassRow(line, name, email or None, cell(row, "id") or None, cell(row, "sheet") or None))
    if problems:
        raise ClassListError(f"the class list {path} has {len(problems)} bad row(s); nothing was written",
                             problems)
    return rows
