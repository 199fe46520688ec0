"""Reading workbooks back the way a person would see them."""
from openpyxl import load_workbook


def cells(path) -> dict[tuple[str, int, int], object]:
    """Every non-empty cell of a workbook: (tab, row, col) -> value."""
    book = load_workbook(path)
    out = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out[(ws.title, c.row, c.column)] = c.value
    return out


def owned(book_cells: dict, header_row_of: dict | None = None) -> set:
    """Keys of cells the service owns: its tab, and columns headed 'sheetsync…'."""
    owned_cols = {(tab, col) for (tab, _, col), v in book_cells.items()
                  if isinstance(v, str) and v.lower().startswith(("sheetsync", "⚑"))}
    return {k for k in book_cells if k[0] == "sheetsync" or (k[0], k[2]) in owned_cols}


# a small CRM whose every lead has one known flag (None: no flag), for write-back tests
HEADER = ["Företag", "Kontaktperson", "Telefon", "Status", "Senast kontaktad", "Kommentar"]
LEADS = [["Volvo AB", "Anna", "070-111 11 11", "ringt 1 ggr", "2026-05-10", "tror de kanske anställer"],
         ["Saab AB", "Bo", "070-222 22 22", "blå?", "2026-05-10", "Har Java-team"],
         ["Ikea", "Cia", "070-333 33 33", "inget svar x3", "2026-05-10", "Tar emot LIA"],
         ["Ericsson", "Dan", "070-444 44 44", "ringt 1 ggr", "2026-05-10", "Kontakt via mässan"]]
EXPECT = {"Volvo AB": "CL05", "Saab AB": "CL04", "Ikea": "FU02", "Ericsson": None}
