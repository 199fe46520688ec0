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
                  if isinstance(v, str) and v.lower().startswith("sheetsync")}
    return {k for k in book_cells if k[0] == "sheetsync" or (k[0], k[2]) in owned_cols}
