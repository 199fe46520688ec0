"""The Office Open XML an .xlsx holds, as the in-place patcher (backends.ooxml) needs it:
the namespaces and part types, cell references, and small edits of lxml elements that
keep the order Excel requires and every element they do not touch."""
from __future__ import annotations

import re

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKSHEET_REL = f"{REL}/worksheet"
OFFICE_DOCUMENT = f"{REL}/officeDocument"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
REF = re.compile(r"^([A-Z]+)(\d+)$")
# what may come before <conditionalFormatting> in a worksheet, in schema order
BEFORE_CF = ("sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData",
              "sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter",
              "sortState", "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr",
              "conditionalFormatting")
# ... and before <dxfs> in a stylesheet
BEFORE_DXFS = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles")
# ... and before <definedNames> in a workbook
BEFORE_NAMES = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews",
                 "sheets", "functionGroups", "externalReferences")


class PackageError(Exception):
    """The workbook's parts are not what an .xlsx must hold."""


def q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


def local_name(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def indexed_rows(data) -> dict[int, etree._Element]:
    """row number -> <row>; rows and cells without an `r` (allowed: their place is
    implied) get one first, so edits can address them."""
    rows, last = {}, 0
    for row in data:
        if local_name(row) != "row":
            continue
        last = int(row.get("r") or last + 1)
        row.set("r", str(last))
        rows[last] = row
        col = 0
        for cell in row:
            if local_name(cell) != "c":
                continue
            m = REF.match(cell.get("r", ""))
            col = column_number(m[1]) if m else col + 1
            if not m:
                cell.set("r", f"{column_letters(col)}{last}")
    return rows


def insert_sorted(parent, child, key: int, key_of) -> None:
    """Among its kind in order of `key`; before an <extLst>, which stays last."""
    kind = local_name(child)
    for i, el in enumerate(parent):
        if (local_name(el) == kind and key_of(el) > key) or local_name(el) == "extLst":
            parent.insert(i, child)
            return
    parent.append(child)


def insert_after(parent, child, before_kinds) -> None:
    """Insert `child` right after the last child whose kind may precede it."""
    at = 0
    for i, el in enumerate(parent):
        if local_name(el) in before_kinds:
            at = i + 1
    parent.insert(at, child)


def set_value(cell, value) -> None:
    for child in list(cell):
        if local_name(child) in ("v", "is", "f"):
            cell.remove(child)
    cell.attrib.pop("t", None)
    if value is None or value == "":
        return
    if isinstance(value, bool):
        cell.set("t", "b")
        etree.SubElement(cell, q("v")).text = "1" if value else "0"
    elif isinstance(value, (int, float)):
        etree.SubElement(cell, q("v")).text = repr(value) if isinstance(value, float) else str(value)
    else:
        cell.set("t", "inlineStr")
        text = etree.SubElement(etree.SubElement(cell, q("is")), q("t"))
        text.text = xml_safe(str(value))
        if text.text != text.text.strip() or "\n" in text.text:
            text.set(XML_SPACE, "preserve")
    # an <extLst> inside a cell stays last
    ext = [c for c in cell if local_name(c) == "extLst"]
    for e in ext:
        cell.remove(e)
        cell.append(e)


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters; Excel writes them as _xHHHH_."""
    return CONTROL.sub(lambda m: f"_x{ord(m[0]):04X}_", text)


def update_dimension(root, rows: dict[int, etree._Element]) -> None:
    dim = root.find(q("dimension"))
    if dim is None or not rows:
        return
    cols = [column_number(REF.match(c.get("r"))[1]) for row in rows.values() for c in row
            if local_name(c) == "c" and REF.match(c.get("r", ""))]
    if cols:
        dim.set("ref", f"A1:{column_letters(max(cols))}{max(rows)}")
