"""`sheetsync roster import`: a class list's students into the roster (the config's
[[students]]), none twice (the same e-mail or id, or the same name on a workbook already
in the folder), and with `create` a CRM from the template for each one without a sheet:
a workbook in the folder, or on Google a copy shared with the student as editor.

Everything is checked before anything is written: a bad row, or on Google a student with
no sheet and no `create`, leaves the config and the folder as they were."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sheetsync.config import Config, Student
from sheetsync.normalize.text import fold
from sheetsync.onboarding.classlist import ClassListError, ClassRow, read_class_list
from sheetsync.onboarding.roster import register, slug


@dataclass
class ImportResult:
    added: list[Student] = field(default_factory=list)
    created: list[str] = field(default_factory=list)        # where each new CRM is
    already: list[tuple[ClassRow, Student]] = field(default_factory=list)
    kept_from_folder: list[Student] = field(default_factory=list)
    unshared: list[str] = field(default_factory=list)        # new Google CRMs with no e-mail to share with


def _same(row: ClassRow, known: list[Student]) -> Student | None:
    for s in known:
        if row.id and s.id == row.id:
            return s
        if row.email and s.email and s.email.lower() == row.email.lower():
            return s
    if not row.id:                  # a workbook named after the student, from the folder roster
        return next((s for s in known if s.id == slug(row.name) and not s.email), None)
    return None


def import_class_list(config: Config, backend, list_path: Path, *, create: bool = False,
                      copy_of: str | None = None) -> ImportResult:
    from sheetsync.onboarding.template import template
    rows = read_class_list(list_path)
    google = config.backend["kind"] == "google"
    result = ImportResult()
    folder_roster = not google and not config.students and backend.folder.is_dir()
    known = list(config.students) or (backend.roster() if folder_roster else [])
    if folder_roster:
        result.kept_from_folder = list(known)       # the first [[students]] ends the folder roster
    taken = {s.id for s in known}
    new: list[tuple[ClassRow, Student]] = []
    problems = []
    for row in rows:
        same = _same(row, known + [s for _, s in new])
        if same is not None:
            result.already.append((row, same))
            continue
        sid, n = row.id or slug(row.name), 2
        while sid in taken:
            sid, n = f"{row.id or slug(row.name)}-{n}", n + 1
        taken.add(sid)
        student = Student(id=sid, name=row.name, email=row.email)
        if google:
            student.sheet = row.sheet
            if not row.sheet and not create:
                problems.append(f"line {row.line}: {row.name}: no sheet link (add --create to make"
                                " one from the template)")
        else:
            student.file = row.sheet if row.sheet and row.sheet.lower().endswith(".xlsx") \
                and "/" not in row.sheet and "\\" not in row.sheet else f"{sid}.xlsx"
        new.append((row, student))
    if problems:
        raise ClassListError(f"the class list {list_path} has {len(problems)} student(s) without a"
                             " sheet; nothing was written", problems)
    try:
        if create:
            spec = template(config.language)
            for row, student in new:
                if google and not student.sheet:
                    made = backend.create_crm(student, spec, copy_of=copy_of, share_with=student.email)
                    student.sheet = f"https://docs.google.com/spreadsheets/d/{made}/edit"
                    result.created.append(made)
                    if not student.email:
                        result.unshared.append(student.name)
                elif not google and not backend.path(student).exists():
                    result.created.append(backend.create_crm(student, spec, copy_of=copy_of))
    finally:      # whatever was made is registered, so no CRM is left outside the roster
        made = [(r, s) for r, s in new if not google or s.sheet]
        made = [(r, s) for r, s in made if not create or google or backend.path(s).exists()]
        for s in result.kept_from_folder if made else []:
            register(config.path, id=s.id, name=s.name, file=s.file,
                     comment="was in the folder roster: kept when the class list was imported")
        for row, s in made:
            register(config.path, id=s.id, name=s.name, sheet=s.sheet, file=s.file, email=s.email,
                     comment=f"from the class list {Path(list_path).name}, line {row.line}")
            result.added.append(s)
    return result


def describe(result: ImportResult) -> list[str]:
    lines = [f"added {s.name} ({s.id}{', ' + s.email if s.email else ''})" for s in result.added]
    lines += [f"created {where}" for where in result.created]
    lines += [f"already in the roster: {row.name} (line {row.line}) as {s.id}"
              for row, s in result.already if fold(row.name) != fold(s.name) or row.email != s.email]
    lines += [f"not shared with anyone: {name} has no e-mail in the list" for name in result.unshared]
    return lines
