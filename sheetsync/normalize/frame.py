"""A grid of cells -> the canonical leads frame, plus a report of how it was read.

Pure: no I/O, no clock. Each distinct value of a column is parsed once (the parsers
are cached), so a cohort of 100,000 rows costs little more than its distinct values.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd

from sheetsync.a1 import cell, column_letter
from sheetsync.normalize.content import suspicious_columns
from sheetsync.normalize.companies import LEGAL_FORMS, company_key, domain_of, linkedin_url, parse_email
from sheetsync.normalize.dates import parse_date
from sheetsync.normalize.evidence import confirm_by_content, settle_by_profile
from sheetsync.normalize.shape import BY_CONTENT, header_by_shape, map_by_content
from sheetsync.normalize.headers import (ATTEMPT_COLUMN, ONE_CELL_SEPARATOR, find_header_row, map_header,
                                         split_header)
from sheetsync.normalize.phones import has_digits, parse_phone
from sheetsync.normalize.statuses import (
    attempts_in, channel_of, count_of, stage_of, temperature_of, work_mode_of)
from sheetsync.normalize.text import fold
from sheetsync.workbook import cell_text, is_owned_header

TEXT_FIELDS = ("company", "org_number", "website", "category", "size", "city", "contact_name",
               "contact_role", "source", "status_raw", "next_step", "notes", "position", "link")
DATE_FIELDS = ("last_contact", "follow_up", "applied_on")
CANONICAL = ("company", "company_key", "org_number", "website", "category", "size", "city",
             "work_mode", "contact_name", "contact_role", "phone", "email", "linkedin", "source",
             "temperature", "channel", "status_raw", "stage", "attempts", "last_contact",
             "follow_up", "next_step", "notes", "position", "applied_on", "link",
             "student", "tab", "row")
# kept beside the canonical fields so rules can point at what the student typed
EXTRA = ("phone_raw", "email_raw", "website_domain", "phone_ok", "email_ok", "channels",
         "stray_space",   # first cell (A1) typed with leading, trailing or double spaces
         "follow_up_unread")   # (cell, text) of a follow-up typed but not readable as a date
LEAD_COLUMNS = CANONICAL + EXTRA        # a leads frame's columns, in order
SAME_AS_ABOVE = frozenset({"↳", "〃", '"', "''", "ditto", "-\"-", "dito", "samma", "d:o", "do"})


@dataclass
class Column:
    index: int                 # 0-based column in the grid
    header: str
    field: str | None
    confidence: float
    note: str = ""             # why a header was left unmapped
    second: bool = False       # a second phone, e-mail or category column beside the first


@dataclass
class Problem:
    cell: str                  # A1 address in the student's tab
    field: str
    value: str
    kind: str                  # "date", "phone", "email", "status", "header", "row"


class Normalized:
    """One tab understood: its leads, how each column was mapped, what could not be read.

    The leads are kept as the canonical columns' lists and made a DataFrame only when
    one is asked for: a night joins every student's lists into one cohort frame
    (`joined_frame`), and building a frame per student as well cost more than the
    rules that judge them."""

    def __init__(self, frame: pd.DataFrame | dict[str, list], mapping: dict[str, str | None],
                 header_row: int | None, columns: list[Column] | None = None,
                 problems: list[Problem] | None = None):
        self._frame, self._values = (None, frame) if isinstance(frame, dict) else (frame, None)
        self.mapping, self.header_row = mapping, header_row
        self.columns = columns if columns is not None else []
        self.problems = problems if problems is not None else []

    @property
    def frame(self) -> pd.DataFrame:
        if self._frame is None:
            self._frame, self._values = _frame(self._values), None
        return self._frame

    @frame.setter
    def frame(self, value: pd.DataFrame) -> None:
        self._frame, self._values = value, None

    @property
    def leads(self) -> int:
        return len(self._values["row"]) if self._frame is None else len(self._frame)

    @property
    def unmapped(self) -> list[str]:
        return [c.header for c in self.columns if c.field is None]


def joined_frame(readings: list[Normalized]) -> pd.DataFrame:
    """The leads of all `readings` in one frame, in their order (index 0..n-1): the
    lists of those not yet made frames are joined column by column and built once."""
    parts, pending = [], []

    def flush() -> None:
        if pending:
            parts.append(_frame({k: list(chain.from_iterable(n._values[k] for n in pending))
                                 for k in LEAD_COLUMNS}))
            pending.clear()
    for n in readings:
        if n._frame is None:
            if n.leads:
                pending.append(n)
        else:
            flush()
            if len(n._frame):
                parts.append(n._frame)
    flush()
    if not parts:
        return _empty_frame()
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def map_columns(header: list, overrides: dict[str, str] | None = None) -> list[Column]:
    """Each header cell -> Column; of two columns for one field the better one wins."""
    overrides = {fold(k): v for k, v in (overrides or {}).items()}
    columns: list[Column] = []
    for i, raw in enumerate(header):
        text = cell_text(raw).strip()
        if not text or is_owned_header(text):
            continue
        if fold(text) in overrides:
            target = overrides[fold(text)]
            columns.append(Column(i, text, target or None, 1.0, "" if target else "ignored by config"))
            continue
        fld, conf = map_header(text)
        columns.append(Column(i, text, fld, conf))
    best: dict[str, Column] = {}
    for col in columns:
        if col.field in (None, ATTEMPT_COLUMN):
            continue
        keep = best.get(col.field)
        if keep is not None and col.field in SEVERAL:      # kept as a second one of its kind
            second = col if col.confidence <= keep.confidence else keep
            second.second, second.note = True, f"a second {col.field} column"
            best[col.field] = keep if second is col else col
        elif keep is None or col.confidence > keep.confidence:
            if keep is not None:
                keep.field, keep.note = None, f"also looks like {col.field}; column {col.header!r} kept"
            best[col.field] = col
        else:
            col.note = f"also looks like {col.field}; column {keep.header!r} kept"
            col.field = None
    return columns


# fields a sheet may hold in more than one column (phone and mobile, personal and
# generic e-mail, sector and activity): the first is the field, the others fill its gaps
SEVERAL = ("phone", "email", "category")
FIND = "find"              # normalize(header_row=FIND): look for the header


def _columns_by_content(header: list, data: list[list], year: int) -> list[Column]:
    """Columns mapped by their values alone (shape.map_by_content); [] when none looks
    like companies. Headers nobody recognised are kept as pass-through columns."""
    width = max([len(header)] + [len(r) for r in data[:200]], default=0)
    found = {i: (fld, why) for i, fld, why in map_by_content(data, width, year,
                                                            {i for i, v in enumerate(header)
                                                             if is_owned_header(cell_text(v))})}
    if not found:
        return []
    columns = []
    for i in range(width):
        text = cell_text(header[i]).strip() if i < len(header) else ""
        if i in found:
            fld, why = found[i]
            columns.append(Column(i, text or f"(column {column_letter(i + 1)})", fld, BY_CONTENT,
                                  f"by content: {why}"))
        elif text and not is_owned_header(text):
            columns.append(Column(i, text, None, 0.0, "no header word known; values unclear"))
    return columns


def _is_blank_row(row: list, skip: set[int]) -> bool:
    return all(cell_text(v).strip() == "" for i, v in enumerate(row) if i not in skip)


def _column(rows: list[list], index: int) -> list[str]:
    return [(v.strip() if type(v := r[index]) is str else cell_text(v).strip()) if index < len(r) else ""
            for r in rows]          # text inline: nearly every cell is, and a call per cell adds up


def normalize(rows: list[list], *, year: int | None = None, overrides: dict | None = None,
              student: str | None = None, tab: str | None = None,
              header_row: int | str | None = FIND) -> Normalized:
    """Read one tab's grid. Never raises on odd input: what it cannot read is reported.
    `header_row`: where the caller already found the header (None: no word of it is
    known; NO_HEADER: the first row is a lead)."""
    year = year or dt.date.today().year
    rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in (rows or [])]
    h = find_header_row(rows) if header_row == FIND else header_row
    if h is None:
        h = header_by_shape(rows, year)
    def no_header() -> Normalized:
        return Normalized(_empty_frame(), {}, None, problems=[Problem("A1", "", "", "no_header")])
    if h is None:
        return no_header()
    header = rows[h] if h >= 0 else []
    parts = split_header(header) if h >= 0 else None
    if parts:
        return _one_cell_leads(rows, h, parts, year=year, overrides=overrides, student=student, tab=tab)
    columns = map_columns(header, overrides)
    if not any(c.field for c in columns):        # no word known: the values say what they are
        columns = _columns_by_content(header, rows[h + 1:], year)
        if not columns:
            return no_header()
    confirm_by_content(columns, rows[h + 1:], {fold(k) for k in (overrides or {})}, year)
    settle_by_profile(columns, rows[h + 1:], {fold(k) for k in (overrides or {})}, year)
    owned = {i for i, v in enumerate(header) if is_owned_header(cell_text(v))}
    header_folded = [fold(cell_text(v)) for v in header]
    # a repeated header is checked in full only when its first cell repeats (cheap first)
    first = next((i for i, v in enumerate(header_folded) if v), 0)
    problems: list[Problem] = []
    data, sheet_rows = [], []
    for offset, row in enumerate(rows[h + 1:], start=h + 2):
        if _is_blank_row(row, owned):
            continue
        if (header_folded and len(row) > first and fold(cell_text(row[first])) == header_folded[first]
                and [fold(cell_text(v)) for v in row[:len(header)]] == header_folded[:len(row)]):
            problems.append(Problem(cell(offset, 1), "", "", "repeated_header"))
            continue
        data.append(row)
        sheet_rows.append(offset)
    _drop_totals(data, sheet_rows, columns, problems)
    out: dict[str, list] = {"row": sheet_rows}
    by_field = {c.field: c for c in columns if c.field and c.field != ATTEMPT_COLUMN and not c.second}
    seconds = [c for c in columns if c.second and c.field in ("phone", "email")]
    n = len(data)

    columns_read: dict[str, list[str]] = {}

    def raw(fld: str) -> list[str]:
        if fld not in columns_read:
            columns_read[fld] = _column(data, by_field[fld].index) if fld in by_field else [""] * n
        return columns_read[fld]

    def report(fld: str, values: list[str], ok: list[bool], kind: str) -> None:
        col = by_field[fld].index + 1
        for r, v, good in zip(sheet_rows, values, ok):
            if not good:
                problems.append(Problem(cell(r, col), fld, v, kind))

    for fld in TEXT_FIELDS:
        out[fld] = [v or None for v in raw(fld)]
    out["company"] = _fill_same_as_above(out["company"])
    out["company_key"] = [company_key(c) if c else None for c in out["company"]]
    for fld in DATE_FIELDS:
        values = raw(fld)
        parsed = [parse_date(v, year) for v in values]
        if fld in by_field:
            report(fld, values, [not v or p is not None for v, p in zip(values, parsed)], "date")
        out[fld] = parsed
    follow = by_field.get("follow_up")
    out["follow_up_unread"] = [None] * n if follow is None else [
        (cell(r, follow.index + 1), v.strip()) if v.strip() and p is None else None
        for r, v, p in zip(sheet_rows, raw("follow_up"), out["follow_up"])]
    phone_raw = raw("phone")
    if "phone" in by_field:
        report("phone", phone_raw, [not v or parse_phone(v) is not None or not has_digits(v)
                                    for v in phone_raw], "phone")
    phone_raw = _gaps_filled(phone_raw, data, [c.index for c in seconds if c.field == "phone"])
    out["phone_raw"] = [v or None for v in phone_raw]
    out["phone"] = [parse_phone(v) if v else None for v in phone_raw]
    out["phone_ok"] = [not v or p is not None for v, p in zip(phone_raw, out["phone"])]
    email_raw = raw("email")
    if "email" in by_field:
        report("email", email_raw, [parse_email(v)[1] for v in email_raw], "email")
    email_raw = _gaps_filled(email_raw, data, [c.index for c in seconds if c.field == "email"])
    emails = [parse_email(v) for v in email_raw]
    out["email_raw"] = [v or None for v in email_raw]
    out["email"] = [e for e, _ in emails]
    out["email_ok"] = [ok for _, ok in emails]
    out["linkedin"] = [linkedin_url(v) or linkedin_url(w) for v, w in
                       zip(raw("linkedin"), raw("contact_name"))]     # a profile URL as contact
    out["website_domain"] = [domain_of(v) if v else None for v in raw("website")]
    out["temperature"] = [temperature_of(v) for v in raw("temperature")]
    out["channel"] = [channel_of(v) for v in raw("channel")]
    out["channels"] = list(out["channel"])            # every channel used; a log adds more
    out["work_mode"] = [work_mode_of(v) for v in raw("work_mode")]
    _stages_and_attempts(out, data, raw, columns, by_field, year)
    if "status_raw" in by_field:
        report("status_raw", raw("status_raw"), [s != "unknown" for s in out["stage"]], "status")
    if "attempts" in by_field:          # 'ringde', '46701234567': no count of calls
        report("attempts", raw("attempts"), [not v or count_of(v) is not None for v in raw("attempts")],
               "attempts")
    out["stray_space"] = _stray_spaces(data, sheet_rows, [c.index for c in by_field.values()])
    out["student"] = [student] * n
    out["tab"] = [tab] * n
    for fld, reason in suspicious_columns(out):
        col = by_field[fld]
        problems.append(Problem(cell(h + 1, col.index + 1), fld, col.header, f"column: {reason}"))
    mapping = {c.header: c.field for c in columns}
    return Normalized({k: out[k] for k in LEAD_COLUMNS}, mapping, h, columns, problems)


def _one_cell_leads(rows: list[list], h: int, parts: list[str], **settings) -> Normalized:
    """A tab whose leads each sit in one cell, "Volvo AB - Anna - 070-123 45 67" under
    "Företag - kontakt - telefon": read as if each part had a column of its own. The
    column stays unmapped, so nothing is ever written into it (a tidied phone must not
    replace the company and the contact), and what cannot be read is named by its cell."""
    index = next(i for i, v in enumerate(rows[h]) if cell_text(v).strip())
    letter = column_letter(index + 1)

    def split(row: list) -> list[str]:
        text = cell_text(row[index]).strip() if index < len(row) else ""
        return [p.strip() for p in ONE_CELL_SEPARATOR.split(text, maxsplit=len(parts) - 1)] if text else []
    grid = [[] for _ in range(h)] + [parts] + [split(r) for r in rows[h + 1:]]
    norm = normalize(grid, header_row=h, **settings)
    header = cell_text(rows[h][index]).strip()
    fields = [c.field for c in norm.columns if c.field]
    norm.columns = [Column(index, header, None, 1.0, f"holds {', '.join(fields)} in one cell; read part by part")]
    norm.mapping = {header: None}

    def in_column(address: str) -> str:
        return letter + address.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for p in norm.problems:
        p.cell = in_column(p.cell)
    values = norm._values
    values["stray_space"] = [in_column(c) if c else c for c in values["stray_space"]]
    values["follow_up_unread"] = [(in_column(u[0]), u[1]) if u else u for u in values["follow_up_unread"]]
    return norm


# the first word of a totals row's label: "Summa", "Totalt antal företag: 12", "Total"
_TOTALS = re.compile(r"^(summa|summering|sum|totalt?|totals?|grand total|in all|gesamt|somme|yhteensa)"
                     r"( .*)?$")
_FIGURE = re.compile(r"^[\d\s.,%:+-]*$")       # what a totals row holds beside its label


def _drop_totals(data: list, sheet_rows: list[int], columns: list[Column], problems: list) -> None:
    """Rows at the bottom labelled as totals in the company column are no leads: they
    are dropped (and reported), so no flag is written beside them. Beside the label a
    totals row holds figures only: "Total" with a contact and a phone is a lead, and so
    is a company whose name carries a legal form ("Total AB")."""
    company = next((c.index for c in columns if c.field == "company" and not c.second), None)
    if company is None:
        return
    while data:
        row = data[-1]
        label = fold(cell_text(row[company])) if company < len(row) else ""
        if not _TOTALS.match(label) or set(label.split()) & LEGAL_FORMS or not all(
                _FIGURE.match(cell_text(v).strip()) for i, v in enumerate(row) if i != company):
            return
        problems.append(Problem(cell(sheet_rows[-1], company + 1), "company",
                                cell_text(data[-1][company]).strip(), "totals_row"))
        data.pop()
        sheet_rows.pop()


def _stages_and_attempts(out: dict, data: list, raw, columns: list[Column], by_field: dict,
                         year: int) -> None:
    """stage from the status text; attempts from the best evidence the sheet gives.
    `raw(field)`: a mapped column's texts, read once."""
    status, counts = raw("status_raw"), raw("attempts")
    per_attempt = [_column(data, c.index) for c in columns if c.field == ATTEMPT_COLUMN]
    stages, attempts = [], []
    for i in range(len(data)):
        filled = [v for v in (col[i] for col in per_attempt) if v]
        found = [count_of(counts[i]), attempts_in(status[i]), len(filled) or None]
        tries = max((x for x in found if x is not None), default=0)
        stage = stage_of(status[i]) if "status_raw" in by_field else ("attempted" if tries else "new")
        if stage == "new" and tries:
            stage = "attempted"
        if stage == "attempted" and not tries:
            tries = 1
        if filled and out["last_contact"][i] is None:     # latest date typed in an attempt cell
            dates = [d for d in (parse_date(v, year) for v in filled) if d]
            out["last_contact"][i] = max(dates) if dates else None
        stages.append(stage)
        attempts.append(tries)
    out["stage"], out["attempts"] = stages, attempts


_OTHER_SPACE = re.compile(r"[^\S ]")          # whitespace but the plain space: tabs, nbsp, ...


def _stray_spaces(data: list, sheet_rows: list[int], columns: list[int]) -> list:
    """Per row, the first mapped cell whose text has stray spaces, or None."""
    out: list = [None] * len(data)
    for c in sorted(columns):
        cells = [row[c] if c < len(row) and isinstance(row[c], str) else "" for row in data]
        # a clean column ruled out in one pass: one character class and three substrings
        # run at C speed, where a regex of \s alternatives took 0.1 ms a column
        joined = "\x00" + "\x00".join(cells) + "\x00"
        if not _OTHER_SPACE.search(joined) and "\x00 " not in joined and " \x00" not in joined \
                and "  " not in joined:
            continue
        for i, v in enumerate(cells):
            if out[i] is None and (v[:1].isspace() or v[-1:].isspace() or "  " in v) and v.strip():
                out[i] = cell(sheet_rows[i], c + 1)
    return out


def _gaps_filled(values: list[str], data: list, others: list[int]) -> list[str]:
    """A row's empty cell in the first column of a kind takes the second's ('Tel
    portable' empty, 'Tel standard' filled)."""
    if not others or all(values):
        return values
    extra = [_column(data, i) for i in others]
    return [v or next((col[r] for col in extra if col[r]), "") for r, v in enumerate(values)]


def _fill_same_as_above(companies: list) -> list:
    """'↳' or '〃' in the company column means the company of the row above."""
    filled, last = [], None
    for c in companies:
        if c is not None and c.strip().lower() in SAME_AS_ABOVE:
            c = last
        filled.append(c)
        last = c if c else last
    return filled


_TYPED = {"row": "int64", "attempts": "int64", "phone_ok": "bool", "email_ok": "bool"}


def _frame(columns: dict[str, list]) -> pd.DataFrame:
    """The canonical frame: text as plain objects (None when empty), the rest typed.
    Saying so, rather than letting pandas infer a string type column by column, halves
    the cost of building it; and a column then has one type in every student's frame."""
    frame = pd.DataFrame({k: columns[k] for k in LEAD_COLUMNS}, columns=list(LEAD_COLUMNS), dtype=object)
    for name, kind in _TYPED.items():
        frame[name] = np.asarray(columns[name], dtype=kind)
    for name in DATE_FIELDS:
        frame[name] = _datetimes(columns[name])
    return frame


_EPOCH = dt.date(1970, 1, 1).toordinal()
_NAT = np.iinfo(np.int64).min          # NaT's integer


def _datetimes(dates: list) -> np.ndarray:
    """Dates (None for none) as datetime64[s], the unit pandas gives parsed dates. Built
    from day numbers: numpy converting date objects itself is ten times slower."""
    days = np.fromiter((_NAT if d is None else d.toordinal() - _EPOCH for d in dates),
                       dtype=np.int64, count=len(dates))
    return days.view("datetime64[D]").astype("datetime64[s]")


def _empty_frame() -> pd.DataFrame:
    return _frame({name: [] for name in LEAD_COLUMNS})
