"""Hostile and strange student workbooks, one per kind, made with openpyxl as a student
(or Excel) would leave them. Each case is a function building the workbook and what a
person looking at it would expect the night to find."""
from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl import Workbook, load_workbook

HEADER = ["Företag", "Kontaktperson", "Telefon", "Status", "Senast kontaktad", "Kommentar"]
# text a spreadsheet would run as a formula if it were written as typed (CSV/formula injection)
FORMULA_TEXTS = ['=HYPERLINK("http://evil.example","Klicka")', "+1-555-0100", "@SUM(A1:A9)",
                 "-cmd|' /C calc'!A0"]
ZWSP, RLM = "\u200b", "\u200f"


@dataclass
class Case:
    book: Workbook
    companies: set[str] = field(default_factory=set)   # the leads a person would count
    skipped: tuple[str, ...] = ()    # words the one clear message must hold, when skipped


def _text(ws, row: int, col: int, value) -> None:
    """A cell typed as text, as Excel keeps '=…' typed after an apostrophe."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"


def _crm(rows: list[list], header: list = HEADER, title: str = "CRM", start: int = 1) -> Workbook:
    book = Workbook()
    ws = book.active
    ws.title = title
    for c, h in enumerate(header, 1):
        _text(ws, start, c, h)
    for r, row in enumerate(rows, start + 1):
        for c, v in enumerate(row, 1):
            if v not in ("", None):
                _text(ws, r, c, v)
    return book


def _leads(prefix: str, n: int = 3) -> list[list]:
    return [[f"{prefix} {i} AB", f"Person {i}", f"070-{i:03d} 11 22", "ringt 1 ggr", "2026-05-04", "ok"]
            for i in range(1, n + 1)]


def formula_text() -> Case:
    rows = [[FORMULA_TEXTS[0], FORMULA_TEXTS[1], "070-111 22 33", "ringt 1 ggr", "2026-05-04", FORMULA_TEXTS[2]],
            [FORMULA_TEXTS[3], "@Anna", "+46 70 111 22 44", "inget svar x3", "2026-05-04", FORMULA_TEXTS[1]],
            ["+Plus Konsult AB", "=Bo", "070-111 22 55", "blå?", "2026-05-04", FORMULA_TEXTS[3]]]
    return Case(_crm(rows), {FORMULA_TEXTS[0], FORMULA_TEXTS[3], "+Plus Konsult AB"})


def header_below_title() -> Case:
    book = _crm(_leads("Titelrad"), start=6)
    ws = book.active
    ws["A1"] = "[logga]"
    ws["A2"] = "Mitt LIA-CRM – Anna"
    ws.merge_cells("A2:F2")
    ws["A4"] = "Uppdaterad varje fredag"
    return Case(book, {f"Titelrad {i} AB" for i in (1, 2, 3)})


def header_under_blank_rows() -> Case:
    book = _crm(_leads("Djup"), start=40)      # a tall logo and instructions: 39 rows above
    book.active["A1"] = "[logga]"
    book.active["A38"] = "Fyll i en rad per företag"
    return Case(book, {f"Djup {i} AB" for i in (1, 2, 3)})


def empty_template_before_crm() -> Case:
    book = _crm(_leads("Riktig"), title="CRM")
    template = book.create_sheet("Mall", 0)
    for c, h in enumerate(HEADER, 1):
        template.cell(row=1, column=c, value=h)
    return Case(book, {f"Riktig {i} AB" for i in (1, 2, 3)})


def two_header_rows() -> Case:
    header = ["Företag", "Namn", "Telefon", "E-post", "Status"]
    rows = [[f"Grupp {i} AB", f"Person {i}", f"070-{i:03d} 22 33", f"p{i}@grupp{i}.se", "ringt"] for i in (1, 2)]
    book = _crm(rows, header, start=2)
    ws = book.active
    ws["B1"] = "Kontakt"
    ws.merge_cells("B1:D1")
    ws["E1"] = "Läge"
    return Case(book, {"Grupp 1 AB", "Grupp 2 AB"})


def merged_in_data() -> Case:
    book = _crm(_leads("Sammanslagen", 4))
    ws = book.active
    ws.merge_cells("F2:F3")              # one comment over two leads
    ws.merge_cells("D4:E4")
    return Case(book, {f"Sammanslagen {i} AB" for i in (1, 2, 3, 4)})


def duplicate_headers() -> Case:
    header = ["Företag", "Datum", "Status", "Datum", "Status", "Telefon"]
    rows = [[f"Dubbel {i} AB", "2026-05-01", "ringt", "2026-05-20", "intresserad", f"070-{i:03d} 33 44"]
            for i in (1, 2)]
    return Case(_crm(rows, header), {"Dubbel 1 AB", "Dubbel 2 AB"})


def odd_headers() -> Case:
    header = ["COMPANY NAME ", "Kontakperson", "📞 Telefon", "Status:", "Företag:", "Anteckningar ✍️"]
    rows = [[f"Udda {i} AB", f"Person {i}", f"070-{i:03d} 44 55", "ringt", f"Udda {i} AB", "x"] for i in (1, 2)]
    return Case(_crm(rows, header), {"Udda 1 AB", "Udda 2 AB"})


def crm_on_third_tab() -> Case:
    book = _crm(_leads("Tredje"), title="Leads")
    book.create_sheet("Blad1", 0)
    notes = book.create_sheet("Anteckningar", 1)
    notes["A1"] = "Att göra"
    notes["A2"] = "Ringa Volvo på måndag"
    notes["A3"] = "Fråga om Status på LIA"
    return Case(book, {f"Tredje {i} AB" for i in (1, 2, 3)})


def hidden_and_filtered() -> Case:
    book = _crm(_leads("Dold", 4))
    ws = book.active
    ws.row_dimensions[3].hidden = True
    ws.column_dimensions["B"].hidden = True
    ws.auto_filter.ref = "A1:F5"
    ws.auto_filter.add_filter_column(3, ["ringt 1 ggr"])
    return Case(book, {f"Dold {i} AB" for i in (1, 2, 3, 4)})


def dates_and_numbers_as_text() -> Case:
    header = ["Företag", "Senast kontaktad", "Följ upp", "Antal försök", "Status"]
    rows = [["Datum 1 AB", 46146, "2026-05-20", "3", "ringt"],          # an Excel serial: 2026-05-04
            ["Datum 2 AB", "2026-03-04", "4/3", "2", "ringt"],
            ["Datum 3 AB", "4 mars", "igår", " 1 ", "ringt"],
            ["Datum 4 AB", "04.03.2026", "nästa vecka", "två", "ringt"]]
    return Case(_crm(rows, header), {f"Datum {i} AB" for i in (1, 2, 3, 4)})


def phone_forms() -> Case:
    phones = ["070-123 45 67", "+46 70 123 45 68", "0046701234569", "(08) 123 456 70", "46701234571",
              "070 1234572 ankn. 12", "vxl 08-555 000 00", "+46 (0)70-123 45 74", "tel: 0701234575", "070/1234576"]
    rows = [[f"Telefon {i} AB", f"Person {i}", p, "ringt", "2026-05-04", ""] for i, p in enumerate(phones, 1)]
    book = _crm(rows)
    book.active.cell(row=6, column=3, value=46701234571)          # a number, not text
    return Case(book, {f"Telefon {i} AB" for i in range(1, 11)})


def long_and_multiline_text() -> Case:
    rows = [["Lång 1 AB", "Anna\nAndersson", "070-111 00 00", "ringt\n1 ggr", "2026-05-04",
             "rad ett\nrad två\r\nrad tre"],
            ["Lång 2 AB", "Bo", "070-111 00 01", "ringt", "2026-05-04", "x" * 40_000],
            ["Lång\n3 AB", "Cia", "070-111 00 02", "ringt", "2026-05-04", "ö" * 32_000]]
    return Case(_crm(rows), {"Lång 1 AB", "Lång 2 AB", "Lång\n3 AB"})


def tall_mostly_empty() -> Case:
    book = _crm(_leads("Lång lista", 5))
    ws = book.active
    for r in range(7, 20_001, 1):           # formatted but empty down to row 20,000
        ws.cell(row=r, column=1).number_format = "@"
    ws.cell(row=20_000, column=6, value=" ")
    return Case(book, {f"Lång lista {i} AB" for i in range(1, 6)})


def stray_cells_far_away() -> Case:
    """A space typed in the last column of row 1 and in the last row (Ctrl+End, a slip)."""
    book = _crm(_leads("Hörn"))
    book.active["XFD1"] = " "
    book.active["A1048576"] = " "
    return Case(book, {f"Hörn {i} AB" for i in (1, 2, 3)})


def totals_row() -> Case:
    book = _crm(_leads("Summerad", 3))
    ws = book.active
    ws["A6"] = "Summa"
    ws["B6"] = "=COUNTA(A2:A4)"
    ws["C6"] = '=COUNTIF(D2:D4,"ringt*")'
    ws["A7"] = "Totalt antal företag: 3"
    return Case(book, {f"Summerad {i} AB" for i in (1, 2, 3)})


def typed_into_owned_columns() -> Case:
    """Columns headed like ours before any night, holding the student's own words."""
    header = HEADER + ["⚑ Flaggor", "⚑ Läge"]
    rows = [row + ["min egen flagga", ""] for row in _leads("Ägd", 2)]
    return Case(_crm(rows, header), {"Ägd 1 AB", "Ägd 2 AB"})


def one_column() -> Case:
    header = ["Företag - kontakt - telefon"]
    rows = [[f"Ensam {i} AB - Person {i} - 070-{i:03d} 55 66"] for i in (1, 2, 3)]
    return Case(_crm(rows, header), {f"Ensam {i} AB" for i in (1, 2, 3)})


def empty_workbook() -> Case:
    return Case(Workbook(), skipped=("empty",))


def header_only() -> Case:
    return Case(_crm([]))


def rtl_and_zero_width() -> Case:
    rows = [[f"Vol{ZWSP}vo Cars AB", "Anna", "070-777 00 01", "ringt", "2026-05-04", ""],
            [f"{RLM}شركة نور AB", "نور", "070-777 00 02", "ringt", "2026-05-04", "مرحبا"],
            ["\u202eBA nevelE", "Eve", "070-777 00 03", "ringt", "2026-05-04", ""]]
    return Case(_crm(rows), {f"Vol{ZWSP}vo Cars AB", f"{RLM}شركة نور AB", "\u202eBA nevelE"})


CASES = {f.__name__: f for f in (
    formula_text, header_below_title, header_under_blank_rows, empty_template_before_crm, two_header_rows, merged_in_data, duplicate_headers, odd_headers,
    crm_on_third_tab, hidden_and_filtered, dates_and_numbers_as_text, phone_forms,
    long_and_multiline_text, tall_mostly_empty, stray_cells_far_away, totals_row, typed_into_owned_columns, one_column, empty_workbook, header_only,
    rtl_and_zero_width)}


def book_cells(path) -> dict[tuple[str, int, int], tuple[object, str]]:
    """Every non-empty cell of a workbook file: (tab, row, col) -> (value, openpyxl data
    type, 'f' a formula). Read row by row, each row only as long as its own cells, so a
    cell in XFD1048576 costs one cell, not the whole sheet."""
    book = load_workbook(path, read_only=True)
    try:
        out = {}
        for ws in book.worksheets:
            ws.reset_dimensions()
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        out[(ws.title, c.row, c.column)] = (c.value, c.data_type)
        return out
    finally:
        book.close()
