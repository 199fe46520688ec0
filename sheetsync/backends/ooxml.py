"""Patching an .xlsx workbook's Office Open XML in place: only the cells, tab, names and
colours the service owns change; every other zip member is copied as it is.

openpyxl rewrites a whole workbook from its own model when it saves, dropping what it
does not model: the cached results of the student's formulas, pictures, charts, pivot
tables, slicers, threaded comments, extensions. This writer opens the parts it must
change (the CRM sheet, the summary sheet, and the bookkeeping parts that list sheets,
names and styles) with lxml, which keeps every element, attribute and namespace prefix
it does not touch, and copies all other members unchanged.

Text goes in as inline strings (`t="inlineStr"`): never a formula, whatever it starts
with, and the shared-strings part is left alone.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from sheetsync.backends.ooxml_xml import (BEFORE_CF, BEFORE_DXFS, BEFORE_NAMES, CONTENT_TYPES, MAIN,
                                          OFFICE_DOCUMENT, PKG_REL, REF, REL, WORKSHEET_REL,
                                          WORKSHEET_TYPE, PackageError, column_letters, column_number,
                                          indexed_rows, insert_after, insert_sorted, local_name, q,
                                          serialise, set_value, update_dimension)

class Package:
    """One workbook's zip, with the parts changed so far."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as z:
            self.infos = z.infolist()
            self.data = _Members(path, {i.filename for i in self.infos})
        self.changed: dict[str, etree._Element] = {}
        self.workbook_part = self._office_document()
        self._sheets = self._sheet_parts()

    # ---- what a read needs beside the values ----------------------------------------
    @property
    def worksheets(self) -> list[str]:
        """Titles of the worksheets (not chart sheets), in the workbook's order."""
        return [t for t, part in self._sheets.items() if part]

    def formulas(self, title: str) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], str]]:
        """For every cell of the sheet holding a formula, (row, col) 1-based -> '=' + its
        text; and for every cell showing an error ('#REF!'), its text, which a fast
        value reader may not give."""
        data = self.data[self.sheet_part(title)]
        if b"<f" not in data and b":f" not in data and b't="e"' not in data:
            return {}, {}
        formulas, errors = {}, {}
        for _, el in etree.iterparse(io.BytesIO(data), huge_tree=True, resolve_entities=False):
            if local_name(el) == "c":
                m = REF.match(el.get("r", ""))
                if m:
                    at = (int(m[2]), column_number(m[1]))
                    for ch in el:
                        if local_name(ch) == "f":
                            formulas[at] = "=" + (ch.text or "")
                        elif local_name(ch) == "v" and el.get("t") == "e":
                            errors[at] = ch.text or ""
                el.clear()
        return formulas, errors

    def defined_names(self) -> list[tuple[str, str, str]]:
        """(name, sheet title, reference) of every workbook-wide defined name that points
        into one sheet; a name gone to #REF! is left out."""
        out = []
        names = etree.fromstring(self.data[self.workbook_part]).find(q("definedNames"))
        for n in (names if names is not None else []):
            text = (n.text or "").strip()
            if n.get("localSheetId") is not None or "!" not in text or "#REF" in text:
                continue
            sheet, ref = text.rsplit("!", 1)
            if sheet.startswith("'") and sheet.endswith("'"):
                sheet = sheet[1:-1].replace("''", "'")
            out.append((n.get("name", ""), sheet, ref))
        return out

    # ---- the parts --------------------------------------------------------------------
    def xml(self, name: str):
        if name not in self.changed:
            if name not in self.data:
                raise PackageError(f"the workbook has no part {name}")
            parser = etree.XMLParser(remove_blank_text=False, resolve_entities=False, huge_tree=True)
            self.changed[name] = etree.fromstring(self.data[name], parser)
        return self.changed[name]

    def _rels_of(self, part: str) -> str:
        folder, file = posixpath.split(part)
        return posixpath.join(folder, "_rels", file + ".rels")

    def _office_document(self) -> str:
        rels = etree.fromstring(self.data.get("_rels/.rels", b"<Relationships/>"))
        for r in rels:
            if r.get("Type") == OFFICE_DOCUMENT:
                return r.get("Target").lstrip("/")
        return "xl/workbook.xml"

    def _target(self, rels_part: str, target: str) -> str:
        if target.startswith("/"):
            return target.lstrip("/")
        base = posixpath.dirname(posixpath.dirname(rels_part))
        return posixpath.normpath(posixpath.join(base, target))

    def _sheet_parts(self) -> dict[str, str]:
        rels_part = self._rels_of(self.workbook_part)
        rels = etree.fromstring(self.data[rels_part]) if rels_part in self.data else None
        targets = {r.get("Id"): self._target(rels_part, r.get("Target"))
                   for r in (rels if rels is not None else []) if r.get("Type") == WORKSHEET_REL}
        book = etree.fromstring(self.data[self.workbook_part])
        sheets = book.find(q("sheets"))
        return {s.get("name"): targets.get(s.get(f"{{{REL}}}id"), "")
                for s in (sheets if sheets is not None else [])}

    def sheet_part(self, title: str) -> str:
        part = self._sheets.get(title)
        if not part:
            raise PackageError(f"no worksheet {title!r} in the workbook")
        return part

    # ---- cells ------------------------------------------------------------------------
    def set_cells(self, title: str, cells: list[tuple[int, int, object]]) -> None:
        """(row, col, value) 1-based; '' empties the cell (its style stays)."""
        root = self.xml(self.sheet_part(title))
        data = root.find(q("sheetData"))
        if data is None:
            raise PackageError(f"worksheet {title!r} has no sheetData")
        rows = indexed_rows(data)
        col_styles = {}
        cols = root.find(q("cols"))
        for entry in (cols if cols is not None else []):
            if entry.get("style") and entry.get("style") != "0":
                for i in range(int(entry.get("min", 1)), min(int(entry.get("max", 1)), 300) + 1):
                    col_styles[i] = entry.get("style")
        for r, c, value in cells:
            row = rows.get(r)
            if row is None:
                row = etree.Element(q("row"), r=str(r))
                insert_sorted(data, row, r, lambda el: int(el.get("r")))
                rows[r] = row
            row.attrib.pop("spans", None)          # a hint only; no longer true
            ref = f"{column_letters(c)}{r}"
            cell = next((el for el in row if local_name(el) == "c" and el.get("r") == ref), None)
            if cell is None:
                if value == "" or value is None:
                    continue
                cell = etree.Element(q("c"), r=ref)
                if c in col_styles:
                    cell.set("s", col_styles[c])
                insert_sorted(row, cell, c, lambda el: column_number(REF.match(el.get("r"))[1]))
            set_value(cell, value)
        update_dimension(root, rows)

    def set_bold(self, title: str, col: int, bold_rows: set[int], last_row: int) -> None:
        """Cells of column `col`, rows 1..`last_row`: bold in `bold_rows`, plain elsewhere
        (headings of a tab that is wholly ours move from night to night)."""
        bold_xf = self._xf(bold=True)
        if bold_xf is None:
            return
        root = self.xml(self.sheet_part(title))
        letters = column_letters(col)
        for cell in root.iter(q("c")):
            m = REF.match(cell.get("r", ""))
            if not m or m[1] != letters or int(m[2]) > last_row:
                continue
            if int(m[2]) in bold_rows:
                cell.set("s", str(bold_xf))
            elif cell.get("s") == str(bold_xf):
                cell.attrib.pop("s")

    def set_row_heights(self, title: str, lines: dict[int, int], points_per_line: float = 15.0) -> None:
        """Rows tall enough for `lines` lines of wrapped text (Excel and LibreOffice keep a
        written row one line high, so a second line would print over the next row); a row
        the student made taller stays as it is."""
        root = self.xml(self.sheet_part(title))
        data = root.find(q("sheetData"))
        if data is None:
            return
        rows = indexed_rows(data)
        for r, n in lines.items():
            row = rows.get(r)
            if row is None or n < 1:
                continue
            want = round(points_per_line * n + 2, 1)
            have = float(row.get("ht") or 0)
            if n > 1 and have < want or row.get("customHeight") == "1" and have != want and have % 15 == 2:
                row.set("ht", str(want))
                row.set("customHeight", "1")

    # ---- tabs, names, colours --------------------------------------------------------
    def add_sheet(self, title: str) -> None:
        if title in self._sheets:
            return
        n = 1
        while f"xl/worksheets/sheet{n}.xml" in self.data or f"xl/worksheets/sheet{n}.xml" in self.changed:
            n += 1
        part = f"xl/worksheets/sheet{n}.xml"
        self.changed[part] = etree.fromstring(
            f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetData/></worksheet>'.encode())
        rels_part = self._rels_of(self.workbook_part)
        rels = self.xml(rels_part)
        ids = {r.get("Id") for r in rels}
        k = len(ids) + 1
        while f"rId{k}" in ids:
            k += 1
        rel = etree.SubElement(rels, f"{{{PKG_REL}}}Relationship")
        rel.set("Id", f"rId{k}")
        rel.set("Type", WORKSHEET_REL)
        rel.set("Target", posixpath.relpath(part, posixpath.dirname(self.workbook_part)))
        book = self.xml(self.workbook_part)
        sheets = book.find(q("sheets"))
        used = [int(s.get("sheetId", 0)) for s in sheets]
        entry = etree.SubElement(sheets, q("sheet"))
        entry.set("name", title)
        entry.set("sheetId", str(max(used, default=0) + 1))
        entry.set(f"{{{REL}}}id", f"rId{k}")
        types = self.xml("[Content_Types].xml")
        override = etree.SubElement(types, f"{{{CONTENT_TYPES}}}Override")
        override.set("PartName", "/" + part)
        override.set("ContentType", WORKSHEET_TYPE)
        self._sheets[title] = part

    def set_defined_name(self, name: str, ref: str) -> None:
        book = self.xml(self.workbook_part)
        names = book.find(q("definedNames"))
        if names is None:
            names = etree.Element(q("definedNames"))
            insert_after(book, names, BEFORE_NAMES)
        for old in [n for n in names if n.get("name") == name and n.get("localSheetId") is None]:
            names.remove(old)
        entry = etree.SubElement(names, q("definedName"), name=name)
        entry.text = ref

    def remove_defined_names(self, prefix: str) -> None:
        """Every workbook defined name beginning with `prefix` (our marks) taken out."""
        book = self.xml(self.workbook_part)
        names = book.find(q("definedNames"))
        for n in list(names if names is not None else []):
            if n.get("name", "").startswith(prefix):
                names.remove(n)
        if names is not None and not len(names):
            book.remove(names)

    def remove_conditional_formats(self, title: str, columns: set[int]) -> None:
        """The conditional formats that colour only these columns (1-based) of a sheet."""
        root = self.xml(self.sheet_part(title))
        for cf in list(root.iter(q("conditionalFormatting"))):
            cols = set()
            for area in cf.get("sqref", "").split():
                ends = [column_number(m[1]) for m in (REF.match(a) for a in area.split(":")) if m]
                cols |= set(range(min(ends), max(ends) + 1)) if ends else {0}
            if cols and cols <= columns:
                cf.getparent().remove(cf)

    def remove_sheet(self, title: str) -> None:
        """A worksheet out of the package: its entry, relationship, content type and part;
        sheet-local names and the active tab follow the sheets that move up."""
        part = self.sheet_part(title)
        book = self.xml(self.workbook_part)
        sheets = book.find(q("sheets"))
        entry = next(s for s in sheets if s.get("name") == title)
        index, rel_id = list(sheets).index(entry), entry.get(f"{{{REL}}}id")
        sheets.remove(entry)
        rels = self.xml(self._rels_of(self.workbook_part))
        for r in [r for r in rels if r.get("Id") == rel_id]:
            rels.remove(r)
        types = self.xml("[Content_Types].xml")
        for o in [o for o in types if o.get("PartName") == "/" + part]:
            types.remove(o)
        names = book.find(q("definedNames"))
        for n in list(names if names is not None else []):
            local = n.get("localSheetId")
            if local is not None and int(local) == index:
                names.remove(n)
            elif local is not None and int(local) > index:
                n.set("localSheetId", str(int(local) - 1))
        for view in book.iter(q("workbookView")):
            for key in ("activeTab", "firstSheet"):
                if view.get(key) is not None and int(view.get(key)) >= index and int(view.get(key)) > 0:
                    view.set(key, str(int(view.get(key)) - 1))
        gone = {part, self._rels_of(part)}
        self.infos = [i for i in self.infos if i.filename not in gone]
        for name in gone:
            self.changed.pop(name, None)
        del self._sheets[title]

    def add_conditional_format(self, title: str, sqref: str, formula: str, rgb: str) -> bool:
        """A background colour where `formula` holds; False when the workbook has no
        stylesheet to hold the colour (nothing is added then)."""
        styles_part = self._styles_part()
        if styles_part is None:
            return False
        styles = self.xml(styles_part)
        dxfs = styles.find(q("dxfs"))
        if dxfs is None:
            dxfs = etree.Element(q("dxfs"), count="0")
            insert_after(styles, dxfs, BEFORE_DXFS)
        dxf = etree.SubElement(dxfs, q("dxf"))
        fill = etree.SubElement(etree.SubElement(dxf, q("fill")), q("patternFill"), patternType="solid")
        etree.SubElement(fill, q("fgColor"), rgb=rgb)
        etree.SubElement(fill, q("bgColor"), rgb=rgb)
        dxfs.set("count", str(len(dxfs)))
        root = self.xml(self.sheet_part(title))
        priorities = [int(r.get("priority", 0)) for r in root.iter(q("cfRule"))]
        cf = etree.Element(q("conditionalFormatting"), sqref=sqref)
        rule = etree.SubElement(cf, q("cfRule"), type="expression", dxfId=str(len(dxfs) - 1),
                                priority=str(max(priorities, default=0) + 1))
        etree.SubElement(rule, q("formula")).text = formula
        insert_after(root, cf, BEFORE_CF)
        return True

    def style_column(self, title: str, col: int, width: int, wrap: bool, header_row: int | None,
                     freeze: bool) -> None:
        """An owned column's look: its width (unless the student set one), wrapped text
        for its cells (new ones take it from the column), the header bold, the header row
        frozen when nothing is. Without a stylesheet only the width and the freeze."""
        root = self.xml(self.sheet_part(title))
        wrap_xf = self._xf(alignment=True) if wrap else None
        bold_xf = self._xf(bold=True) if header_row else None
        cols = root.find(q("cols"))
        if cols is None:
            cols = etree.Element(q("cols"))
            insert_after(root, cols, ("sheetPr", "dimension", "sheetViews", "sheetFormatPr"))
        if not any(int(c.get("min", 0)) <= col <= int(c.get("max", 0)) for c in cols):
            entry = etree.Element(q("col"), min=str(col), max=str(col), width=str(width), customWidth="1")
            if wrap_xf is not None:
                entry.set("style", str(wrap_xf))
            insert_sorted(cols, entry, col, lambda el: int(el.get("min", 0)))
        letters = column_letters(col)
        for cell in root.iter(q("c")):
            m = REF.match(cell.get("r", ""))
            if not m or m[1] != letters:
                continue
            row = int(m[2])
            if header_row and row == header_row and bold_xf is not None:
                cell.set("s", str(bold_xf))
            elif wrap_xf is not None and (not header_row or row > header_row) and cell.get("s", "0") == "0":
                cell.set("s", str(wrap_xf))
        if freeze and header_row:
            self._freeze(root, header_row)

    def _freeze(self, root, rows: int) -> None:
        views = root.find(q("sheetViews"))
        if views is None:
            views = etree.Element(q("sheetViews"))
            etree.SubElement(views, q("sheetView"), workbookViewId="0")
            insert_after(root, views, ("sheetPr", "dimension"))
        view = views.find(q("sheetView"))
        if view is None or view.find(q("pane")) is not None:
            return                          # the student's own split or freeze stays
        pane = etree.Element(q("pane"), ySplit=str(rows), topLeftCell=f"A{rows + 1}",
                             activePane="bottomLeft", state="frozen")
        view.insert(0, pane)
        for sel in view.findall(q("selection")):
            sel.set("pane", "bottomLeft")

    def _xf(self, *, bold: bool = False, alignment: bool = False) -> int | None:
        """The index of a cell format we add to the stylesheet (once per save)."""
        key = ("bold" if bold else "") + ("wrap" if alignment else "")
        cache = self.__dict__.setdefault("_xfs", {})
        if key in cache:
            return cache[key]
        part = self._styles_part()
        if part is None:
            return None
        styles = self.xml(part)
        xfs = styles.find(q("cellXfs"))
        if xfs is None:
            return None
        font_id = "0"
        if bold:
            fonts = styles.find(q("fonts"))
            if fonts is None:
                return None
            font = etree.SubElement(fonts, q("font"))
            etree.SubElement(font, q("b"))
            etree.SubElement(font, q("sz"), val="11")
            fonts.set("count", str(len(fonts)))
            font_id = str(len(fonts) - 1)
        xf = etree.SubElement(xfs, q("xf"), numFmtId="0", fontId=font_id, fillId="0", borderId="0",
                              xfId="0")
        if bold:
            xf.set("applyFont", "1")
        if alignment:
            xf.set("applyAlignment", "1")
            etree.SubElement(xf, q("alignment"), wrapText="1", vertical="top")
        xfs.set("count", str(len(xfs)))
        cache[key] = len(xfs) - 1
        return cache[key]

    def _styles_part(self) -> str | None:
        rels_part = self._rels_of(self.workbook_part)
        if rels_part not in self.data:
            return None
        for r in self.xml(rels_part):
            if r.get("Type", "").endswith("/styles"):
                part = self._target(rels_part, r.get("Target"))
                return part if part in self.data else None
        return None

    # ---- saving -----------------------------------------------------------------------
    def save(self, target) -> None:
        """Every member in its original order and compression; changed parts serialised
        again, the rest copied as read; new parts at the end."""
        self.data.load_all()
        with zipfile.ZipFile(target, "w") as out:
            for info in self.infos:
                name = info.filename
                data = serialise(self.changed[name]) if name in self.changed else self.data[name]
                out.writestr(info, data, compress_type=info.compress_type)
            for name, root in self.changed.items():
                if name not in self.data:
                    out.writestr(name, serialise(root), compress_type=zipfile.ZIP_DEFLATED)


class _Members(dict):
    """A zip's members, each read the first time it is asked for: a read needs only the
    workbook and sheet parts, not the pictures."""

    def __init__(self, path: Path, names: set[str]):
        super().__init__()
        self.path, self.names = path, names

    def __contains__(self, name) -> bool:
        return name in self.names

    def __getitem__(self, name: str) -> bytes:
        if not dict.__contains__(self, name):
            if name not in self.names:
                raise KeyError(name)
            with zipfile.ZipFile(self.path) as z:
                self[name] = z.read(name)
        return dict.__getitem__(self, name)

    def get(self, name, default=None):
        return self[name] if name in self.names else default

    def load_all(self) -> None:
        with zipfile.ZipFile(self.path) as z:
            for name in self.names:
                if not dict.__contains__(self, name):
                    self[name] = z.read(name)
