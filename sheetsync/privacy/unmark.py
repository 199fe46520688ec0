"""`student forget --remove-from-sheet`: the service's own parts taken out of a student's
sheet, found by their marks (Google developer metadata, .xlsx defined names), never by
guessing: the owned columns and the summary tab. Nothing of the student's own changes.

On Google the columns are deleted (the student's columns right of them move left, as
when a person deletes a column). In an .xlsx workbook they are emptied instead: deleting
a column there would mean rewriting every reference to the cells right of it (the
student's formulas, charts, validations), which a patch of the file cannot do safely.
"""
from __future__ import annotations

import os
from pathlib import Path

from sheetsync.backends.ooxml import Package
from sheetsync.config import Student
from sheetsync.errors import SheetsyncError


def remove_ours(backend, student_id: str, name: str, location: str | None) -> str:
    """Take our columns and summary tab out of the sheet the service last read; say what."""
    if not location:
        raise SheetsyncError(f"the service holds no sheet of {student_id!r}, so it cannot say where"
                             " their sheet is; nothing was removed from it")
    if backend.kind == "google":
        sheet = location.removeprefix("spreadsheet ").strip()       # how a Google read names it
        return _from_google(backend, Student(id=student_id, name=name, sheet=sheet))
    return _from_xlsx(Path(location), Student(id=student_id, name=name))


def _from_google(backend, student: Student) -> str:
    from sheetsync.backends.google_reading import spreadsheet_id
    book = backend.complete(student, backend.read(student))
    requests_, columns, tabs = [], 0, 0
    for tab in book.tabs.values():
        if tab.ours:
            requests_.append({"deleteSheet": {"sheetId": tab.sheet_id}})
            tabs += 1
            continue
        for col in sorted(set(tab.marks.values()), reverse=True):     # right-most first: indexes hold
            requests_.append({"deleteDimension": {"range": {"sheetId": tab.sheet_id, "dimension": "COLUMNS",
                                                            "startIndex": col - 1, "endIndex": col}}})
            columns += 1
    sid = spreadsheet_id(student.sheet)
    backend._structural(sid, requests_, student.id)
    return f"their sheet {sid}: {columns} column(s) and {tabs} summary tab(s) of ours deleted"


def _from_xlsx(path: Path, student: Student) -> str:
    from sheetsync.backends.xlsx import MARK_PREFIX, read_xlsx
    if not path.is_file():
        raise SheetsyncError(f"their workbook is no longer at {path}, where it was last read; nothing"
                             " was removed from it")
    book = read_xlsx(path, student, version=None)
    package = Package(path)
    columns = tabs = 0
    for tab in book.tabs.values():
        if tab.ours:
            package.remove_sheet(tab.title)
            tabs += 1
            continue
        owned = sorted(set(tab.marks.values()))
        if owned:
            package.set_cells(tab.title, [(r, c, "") for r in range(1, len(tab.rows) + 1) for c in owned])
            package.remove_conditional_formats(tab.title, set(owned))
            columns += len(owned)
    package.remove_defined_names(MARK_PREFIX)
    st = path.stat()
    tmp = path.with_name(f".{path.name}.sheetsync-tmp")
    with open(tmp, "wb") as f:
        package.save(f)
    os.chmod(tmp, st.st_mode & 0o7777)
    os.replace(tmp, path)
    return f"their workbook {path}: {columns} column(s) of ours emptied, {tabs} summary tab(s) removed"
