"""The local backend: a folder of .xlsx workbooks, one per student.

Needs no account, which makes it the embedded default and the demo's backend. Reading
is python-calamine's (values, formulas as their cached results), with the formulas
themselves and error texts from the sheet XML and our marks from the defined names. A student's workbook is written by patching its XML
(backends.ooxml): only the cells, tab, names and colours we own change, every other part
of the file stays as it was. The previous file is still copied to a timestamped backup
under the state folder first. The master, wholly ours, is written with openpyxl.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import stat
import zipfile
from pathlib import Path

from openpyxl import Workbook as XlWorkbook
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import column_index_from_string as column_index
from openpyxl.utils import get_column_letter as column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from lxml import etree

from sheetsync.backends.base import Backend
from python_calamine import CalamineWorkbook

from sheetsync.backends.ooxml import Package, PackageError
from sheetsync.config import Config, Student
from sheetsync.errors import BackendError, SheetBusy, SheetChangedError, SheetNotFound
from sheetsync.privacy.files import copy_private, create_private, private_dir
from sheetsync.workbook import Tab, Workbook, cell_text, trim_grid, without_far_blanks
from sheetsync.writeback.plan import MARK_KEY, Mark, WritePlan, plain

def printable(path) -> str:
    """A path as text anyone can print and store: bytes of a file name that are not UTF-8
    (kept by Python as surrogates) read as Windows-1252, the usual source of them."""
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("cp1252", errors="replace")


_BAD_FILE = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError)


def set_raw(cell, value) -> None:
    """Store a value as typed: text beginning with '=' stays text, never a formula."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


class XlsxBackend(Backend):
    kind = "xlsx"

    def __init__(self, config: Config):
        self.config = config
        self.folder = config.resolve(config.backend["folder"])
        self.master_path = config.resolve(config.master["path"])
        self.backup_dir = config.state_path.parent / "backups"
        self._calls = {"reads": 0, "writes": 0}

    @property
    def calls(self) -> dict[str, int]:
        return dict(self._calls)

    def roster(self) -> list[Student]:
        """The roster's students, or every workbook in the folder. A folder that is not
        there is the operator's mistake (a typo in [backend] folder), never thirty
        students without a sheet: the night stops before anything is written."""
        if not self.folder.is_dir():
            raise BackendError(f"the students folder {printable(self.folder)} does not exist (check [backend]"
                               f" folder in {printable(self.config.path)}); nothing was read or written")
        if self.config.students:
            return list(self.config.students)
        # a file name need not be UTF-8 (a zip from Windows): the id and name are readable
        # text, the file is opened by the name the system gave
        return [Student(id=printable(p.stem), name=printable(p.stem), file=p.name)
                for p in sorted(self.folder.glob("*.xlsx"))
                if not p.name.startswith("~$") and p.resolve() != self.master_path.resolve()]

    def path(self, student: Student) -> Path:
        """The student's workbook, always inside the students folder."""
        path = self.folder / (student.file or f"{student.id}.xlsx")
        if not path.resolve().is_relative_to(self.folder.resolve()):
            raise BackendError("the workbook's path leads outside the students folder",
                               student=student.id, sheet=printable(path))
        return path

    def link(self, student: Student) -> str:
        return printable(self.path(student))

    @staticmethod
    def _version(path: Path) -> str:
        st = path.stat()
        return f"{st.st_mtime_ns}:{st.st_size}"

    def key(self, student: Student) -> str:
        return Path(student.file or f"{student.id}.xlsx").name

    def versions(self) -> dict[str, str]:
        return {p.name: self._version(p) for p in self.folder.glob("*.xlsx")} if self.folder.is_dir() else {}

    def version_now(self, student: Student) -> str | None:
        path = self.path(student)
        return self._version(path) if path.exists() else None

    def read(self, student: Student, version: str | None = None) -> Workbook:
        return self.read_file(self.path(student), student)

    def read_file(self, path: Path, student: Student) -> Workbook:
        """Any workbook, by the path given (a career group's CRM, say)."""
        if not path.is_file():
            raise SheetNotFound("workbook not found", student=student.id, sheet=printable(path))
        self._calls["reads"] += 1
        return read_xlsx(path, student, version=self._version(path))


    def write(self, student: Student, plan: WritePlan, read: Workbook) -> int:
        """Patch the workbook's XML: only the owned cells, the summary tab, our names and
        colours change; every other part of the file stays byte for byte (pictures,
        charts, the cached results of the student's formulas). The new file is written
        beside it, flushed to disk, and put in place only if the workbook has not
        changed since it was read: a save the student makes meanwhile is never lost."""
        if not plan:
            return 0
        path = self.path(student)
        self._check_free(student, path)
        if read.version and self._version(path) != read.version:
            raise SheetChangedError("the workbook changed after it was read", student=student.id,
                                    sheet=printable(path))
        try:
            package = Package(path)
            for title in plan.new_tabs:
                package.add_sheet(title)
            for title, writes in plan.by_tab().items():
                package.set_cells(title, [(w.row, w.col, plain(w.value)) for w in writes])
            for title, cols in plan.relaid.items():
                package.remove_conditional_formats(title, set(cols))
            for mark in plan.unmarks:
                package.remove_defined_names(MARK_PREFIX + mark.kind)
            for rule in plan.formats:
                held = len(read.tabs[rule.tab].rows) if rule.tab in read.tabs else 0
                last_row = max(held, rule.first_row + 999)
                package.add_conditional_format(
                    rule.tab, f"{column_letter(rule.first_col)}{rule.first_row}:"
                              f"{column_letter(rule.last_col)}{last_row}",
                    rule.formula.lstrip("="), "FF" + _hex(rule.color))
            for mark in plan.marks:
                package.set_defined_name(MARK_PREFIX + mark.kind, _mark_ref(mark))
            for look in plan.looks:
                package.style_column(look.tab, look.col, look.width, look.wrap, look.header_row,
                                     look.freeze)
            for title, (bold, rows) in plan.headings.items():
                package.set_bold(title, 1, set(bold), rows)
            for title, lines in plan.row_lines.items():
                if lines:
                    package.set_row_heights(title, lines)
        except (PackageError, etree.XMLSyntaxError) + _BAD_FILE as e:
            raise BackendError(f"cannot patch the workbook ({type(e).__name__}: {e})",
                               student=student.id, sheet=printable(path)) from None
        self._backup(path)
        self._replace_if_unchanged(student, path, package, read.version)
        self._calls["writes"] += 1
        return len(plan.writes)

    def wrote_alone(self, student: Student, checked: str | None, now: str | None) -> bool:
        """The file is replaced only if it is still the one we read (checked just before
        the rename), so a save by the student can only come after ours, and then shows
        in the file's time and size."""
        return now is not None

    def check_free(self, student: Student) -> None:
        """SheetBusy when the student's workbook is open in another program now."""
        self._check_free(student, self.path(student))

    def _check_free(self, student: Student, path: Path) -> None:
        """Open in Excel or LibreOffice (their lock file beside it), or read-only: one
        line naming the file; the next night tries again."""
        for lock in (f"~${path.name}", f"~${path.name[2:]}", f".~lock.{path.name}#"):
            if (path.parent / lock).exists():
                raise SheetBusy("open in another program (lock file "
                                f"{lock}); not written tonight", student=student.id, sheet=printable(path))
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise SheetBusy("read-only (no permission to change it); not written tonight",
                            student=student.id, sheet=printable(path))

    def _replace_if_unchanged(self, student: Student, path: Path, package, version: str | None) -> None:
        tmp = path.with_name(f".{path.name}.sheetsync-tmp")
        try:
            with open(tmp, "wb") as f:
                package.save(f)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))   # the student's file keeps its mode
            if version and self._version(path) != version:     # the student saved meanwhile
                raise SheetChangedError("the workbook changed while we wrote it", student=student.id,
                                        sheet=printable(path))
            os.replace(tmp, path)
        except PermissionError:
            raise SheetBusy("read-only (no permission to change it); not written tonight",
                            student=student.id, sheet=printable(path)) from None
        finally:
            if tmp.exists():
                tmp.unlink()

    def write_master(self, tabs: dict[str, list[list]], charts=(), formats=(), looks=None,
                     links=None) -> str:
        book = XlWorkbook()
        book.remove(book.active)
        for title, rows in tabs.items():
            ws = book.create_sheet(title[:31])
            for r, row in enumerate(rows, 1):
                for c, value in enumerate(row, 1):
                    value = plain(value)
                    if value != "":
                        set_raw(ws.cell(row=r, column=c), value)
            if rows:
                ws.freeze_panes = "A2"
            if looks and title in looks:
                self._lay_out(ws, looks[title])
            for (r, c), target in ((links or {}).get(title) or {}).items():
                ws.cell(row=r, column=c).hyperlink = self._relative(target)
        for spec in charts:
            add_chart(book, spec)
        for rule in formats:
            ws = book[rule.tab[:31]]
            color = _hex(rule.color)
            target = f"{column_letter(rule.first_col)}{rule.first_row}:{column_letter(rule.last_col)}{max(ws.max_row, rule.first_row)}"
            ws.conditional_formatting.add(target, FormulaRule(
                formula=[rule.formula.lstrip("=")], fill=PatternFill("solid", start_color=color, end_color=color)))
        private_dir(self.master_path.parent)
        if self.master_path.exists():
            self._backup(self.master_path)
        self._save(book, self.master_path, private=True)
        return str(self.master_path)

    @staticmethod
    def _lay_out(ws, look) -> None:
        """Widths that fit (openpyxl's unit is about a character of the default font;
        two more for proportional letters), long text wrapped, rows as tall as their lines."""
        for c, column in enumerate(look.columns, 1):
            ws.column_dimensions[column_letter(c)].width = column.width + 2
        top_wrapped = Alignment(wrap_text=True, vertical="top")
        for r, row in enumerate(ws.iter_rows(), 1):
            for c, cell in enumerate(row):
                if c < len(look.columns) and look.columns[c].numeric:    # header, rates, a 2nd header
                    cell.alignment = Alignment(wrap_text=r == 1, vertical="top", horizontal="right",
                                               indent=1)    # apart from the text to its right
                elif cell.value is not None and ((r == 1 and look.header)
                                                 or (c < len(look.columns) and look.columns[c].wrap)):
                    cell.alignment = top_wrapped
                elif r in look.lines:
                    cell.alignment = Alignment(vertical="top")
        for r, lines in look.lines.items():
            ws.row_dimensions[r].height = 15 * lines
        # printed (or made a PDF) a tab is one page wide, landscape, the header on each page
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        if sum(1 for c in ws[1] if c.value is not None) > 1:      # a header, not a title
            ws.print_title_rows = "1:1"

    def _relative(self, target: str) -> str:
        """A link to a student's workbook, relative to the master's folder (it opens
        wherever the two folders are copied together); a URL as it is."""
        if target.startswith(("http://", "https://")):
            return target
        try:
            return Path(os.path.relpath(target, self.master_path.parent)).as_posix()
        except ValueError:          # another drive on Windows
            return target

    def read_master(self) -> Workbook | None:
        if not self.master_path.is_file():
            return None
        return self.read_file(self.master_path, Student(id="master", name="master"))

    def create_crm(self, student: Student, spec, *, copy_of: str | None = None,
                   share_with: str | None = None) -> str:
        """A new workbook in the folder (never over an existing one)."""
        path = self.path(student)
        if path.exists():
            raise BackendError("a workbook already exists; not overwritten", student=student.id,
                               sheet=printable(path))
        self.folder.mkdir(parents=True, exist_ok=True)
        if copy_of:
            shutil.copy2(self.config.resolve(copy_of), path)
            return str(path)
        book = XlWorkbook()
        book.remove(book.active)
        for title, rows in spec.tabs.items():
            ws = book.create_sheet(title)
            for row in rows:
                ws.append(row)
            if spec.frozen.get(title):
                ws.freeze_panes = f"A{spec.frozen[title] + 1}"
            ws.column_dimensions["A"].width = 28
        for title, col, options in spec.dropdowns:
            validation = DataValidation(type="list", formula1='"' + ",".join(options) + '"',
                                        allow_blank=True, showDropDown=False)
            book[title].add_data_validation(validation)
            validation.add(f"{column_letter(col)}2:{column_letter(col)}1000")
        for title, col in spec.date_columns:
            for r in range(2, 1001):
                book[title].cell(row=r, column=col).number_format = "yyyy-mm-dd"
        self._save(book, path)
        return str(path)

    def list_spreadsheets(self) -> list[dict]:
        return [{"id": p.name, "name": p.stem, "owner": "",
                 "modified": dt.datetime.fromtimestamp(p.stat().st_mtime).isoformat(timespec="seconds")}
                for p in sorted(self.folder.glob("*.xlsx"))
                if not p.name.startswith("~$") and p.resolve() != self.master_path.resolve()]

    def _backup(self, path: Path) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
        target = self.backup_dir / path.stem / f"{path.stem}-{stamp}.xlsx"
        private_dir(target.parent)
        copy_private(path, target)

    @staticmethod
    def _save(book, path: Path, private: bool = False) -> None:
        """`private`: the master, owner-only (a new student's CRM is theirs to share)."""
        tmp = path.with_name(f".{path.name}.tmp")
        if private:
            create_private(tmp)        # openpyxl keeps the mode of the file it truncates
        book.save(tmp)
        os.replace(tmp, path)


MARK_PREFIX = f"{MARK_KEY}_"       # defined names sheetsync_flags, ..., sheetsync_summary


def _mark_ref(mark: Mark) -> str:
    """Our mark as a workbook defined name: Excel and LibreOffice move it with the column
    (or follow the tab when it is renamed), as Google moves developer metadata."""
    title = "'" + mark.tab.replace("'", "''") + "'"
    if mark.col is None:
        return f"{title}!$A$1"
    letter = column_letter(mark.col)
    return f"{title}!${letter}:${letter}"


def _hex(color) -> str:
    return "".join(f"{round(255 * c):02X}" for c in color)


def _read_marks(names: list[tuple[str, str, str]], tabs: dict[str, Tab]) -> None:
    for name, title, ref in names:
        tab = tabs.get(title)
        if not name.startswith(MARK_PREFIX) or tab is None:
            continue
        kind = name[len(MARK_PREFIX):]
        if kind == "summary":
            tab.ours = True
            continue
        letters = ref.replace("$", "").split(":")[0].rstrip("0123456789")
        if letters.isalpha():
            tab.marks.setdefault(kind, column_index(letters.upper()))


# calamine lays a tab out as one dense grid from A1 to its farthest cell, 32 bytes a
# cell, before anything can be asked of it: a stray space typed in XFD1048576 asks for
# 550 GB and aborts the process (not an exception), taking every student's night with
# it. A tab reaching beyond this many cells is read row by row instead.
MAX_DENSE_CELLS = 4_000_000
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="([0-9]{1,7})"')
_WIDE_REF = re.compile(rb'\sr="([A-Z]{2,3})[0-9]')     # cells past column Z: few in a CRM


def _extent(sheet_xml: bytes) -> int:
    """Cells in the rectangle from A1 to the farthest row and column the sheet's XML
    holds (a scan of its references, not of a <dimension> a file may get wrong)."""
    rows = max(map(int, _ROW_REF.findall(sheet_xml)), default=0)
    letters = max(_WIDE_REF.findall(sheet_xml), key=lambda c: (len(c), c), default=b"Z")
    return rows * column_index(letters.decode())


# Excel saves a workbook with a password to open as an OLE compound file, not a zip
_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _is_compound_file(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(8) == _COMPOUND_FILE
    except OSError:
        return False


def _cell_values(path: Path, package: Package) -> dict[str, list[list]]:
    """Each worksheet's cells as typed values, formulas as their cached results, by
    python-calamine (Rust): about 25 times faster than openpyxl's read-only mode on the
    demo's workbooks (benchmarks/local.py). openpyxl reads what calamine refuses, and
    the tabs too wide and tall for calamine's grid (MAX_DENSE_CELLS)."""
    titles = package.worksheets
    sparse = [t for t in titles if _extent(package.data[package.sheet_part(t)]) > MAX_DENSE_CELLS]
    try:
        book = CalamineWorkbook.from_path(str(path))
        values = {t: book.get_sheet_by_name(t).to_python(skip_empty_area=False)
                  for t in titles if t not in sparse}
    except Exception:           # calamine's own error types vary by version
        values, sparse = {}, titles
    if sparse:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            for t in sparse:
                ws = book[t]
                ws.reset_dimensions()      # each row as long as its own cells, not the widest's
                values[t] = [list(r) for r in ws.iter_rows(values_only=True)]
        finally:
            book.close()
    return values


def add_chart(book, spec) -> None:
    """An openpyxl chart drawn from a ChartSpec (0-based rows and columns)."""
    data_ws, anchor_ws = book[spec.data_tab[:31]], book[spec.anchor_tab[:31]]
    chart = LineChart() if spec.kind == "line" else BarChart()
    chart.title, chart.height, chart.width = spec.title, 7.5, 16
    last = max(spec.last_row, spec.first_row + 2)
    categories = Reference(data_ws, min_col=spec.domain_col + 1, min_row=spec.first_row + 2, max_row=last)
    for col in spec.series_cols:
        chart.add_data(Reference(data_ws, min_col=col + 1, min_row=spec.first_row + 1, max_row=last),
                       titles_from_data=True)
    chart.set_categories(categories)
    if spec.line_cols:                # on the same axes as the bars (openpyxl's default ids)
        line = LineChart()
        for col in spec.line_cols:
            line.add_data(Reference(data_ws, min_col=col + 1, min_row=spec.first_row + 1, max_row=last),
                          titles_from_data=True)
        line.set_categories(categories)
        chart += line
    anchor_ws.add_chart(chart, f"{column_letter(spec.anchor_col + 1)}{spec.anchor_row + 1}")


def read_xlsx(path: Path, student: Student, *, version: str | None, location: str | None = None) -> Workbook:
    """An .xlsx file as a Workbook: the local backend's reading, and the Google backend's
    when it reads a Drive export (the same reader, so both give the same cells)."""
    try:
        package = Package(path)
        values = _cell_values(path, package)
        tabs = {}
        for title in package.worksheets:
            formulas, errors = package.formulas(title)
            rows = [[cell_text(v) for v in row] for row in values[title]]
            for (r, c), shown in errors.items():       # '#REF!' as the student sees it
                while len(rows) < r:
                    rows.append([])
                rows[r - 1] += [""] * (c - len(rows[r - 1]))
                rows[r - 1][c - 1] = shown
            tabs[title] = Tab(title, trim_grid([without_far_blanks(r) for r in rows]), formulas=formulas)
        _read_marks(package.defined_names(), tabs)
    except _BAD_FILE + (PackageError, etree.XMLSyntaxError) as e:
        if _is_compound_file(path):
            raise BackendError("a password-protected workbook (or an old .xls): not a readable .xlsx;"
                               " save it as .xlsx without a password", student=student.id,
                               sheet=location or printable(path)) from None
        raise BackendError(f"not a readable .xlsx workbook ({type(e).__name__}: {e})",
                           student=student.id, sheet=location or printable(path)) from None
    return Workbook(title=printable(path.stem), tabs=tabs, version=version, location=location or printable(path))
