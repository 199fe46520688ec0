"""Drive files that are not Google Sheets (an uploaded .ics, a CSV), uploads, downloads
and `files.export` of a spreadsheet, as Drive v3 answers them.

The export is a real .xlsx made from the stored cells the way Google's export makes it:
every tab, text as text, numbers and dates typed (dates with a date format), formulas
with their shown value cached, booleans as booleans. Developer metadata does not travel
(Google's export drops it too). The size limit is Google's: 10 MB of exported content.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import secrets
import zipfile
from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import HTTP
from xml.sax.saxutils import escape

from sheetsync.testing.drive_api import drive_error
from sheetsync.testing.store import CHANGES, Spreadsheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS = (XLSX, "text/csv", "application/pdf")
EXPORT_LIMIT = 10 * 1024 * 1024


@dataclass
class DriveFile:
    id: str
    name: str
    mime_type: str
    content: bytes
    owner: str
    permissions: list[dict] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    version: int = 1
    modified: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    modified_by: str = ""
    shared_with_service: bool = True
    change: int = field(default_factory=lambda: next(CHANGES))

    @property
    def title(self) -> str:          # the spreadsheet-shaped name file_json reads
        return self.name

    def replace(self, content: bytes, by: str) -> None:
        self.content, self.modified_by = content, by
        self.version += 1
        self.modified = max(dt.datetime.now(dt.timezone.utc), self.modified + dt.timedelta(milliseconds=1))
        self.change = next(CHANGES)


def new_id() -> str:
    return secrets.token_urlsafe(33)[:33].replace("-", "x").replace("_", "y")


def parse_upload(body: bytes, content_type: str, upload_type: str) -> tuple[dict, bytes]:
    """(metadata, media) of an upload: uploadType=media (the bytes alone) or multipart
    (a multipart/related body: the JSON metadata, then the media)."""
    if upload_type == "media":
        return {}, body
    if upload_type != "multipart":
        raise drive_error(400, f"Invalid value '{upload_type}' for uploadType", "invalid", "uploadType")
    parts = message_from_bytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body, policy=HTTP)
    if not parts.is_multipart():
        raise drive_error(400, "Malformed multipart body.", "badContent")
    pieces = list(parts.iter_parts())
    if len(pieces) != 2:
        raise drive_error(400, "Malformed multipart body.", "badContent")
    meta = json.loads(pieces[0].get_payload(decode=True) or b"{}")
    return meta, pieces[1].get_payload(decode=True) or b""


def export(book: Spreadsheet, mime_type: str) -> tuple[bytes, str]:
    if mime_type not in EXPORTS:
        raise drive_error(400, "The requested conversion is not supported.", "badRequest", "convertTo")
    if mime_type == "text/csv":           # the first tab, as Google exports CSV
        sheet = book.sheets[0]
        grid = _grid(sheet)
        out = io.StringIO()
        import csv
        csv.writer(out, lineterminator="\n").writerows([[c.formatted() if c else "" for c in row] for row in grid])
        # no line break after the last row: 'a1,B2' is 5 bytes (ClientTest.test_export_spreadsheet.json)
        content = out.getvalue().removesuffix("\n").encode("utf-8")
    elif mime_type == "application/pdf":
        content = b"%PDF-1.4\n% sheetsync fake: a placeholder, not a rendering\n%%EOF\n"
    else:
        content = xlsx_of(book)
    if len(content) > EXPORT_LIMIT:
        raise drive_error(403, "This file is too large to be exported.", "exportSizeLimitExceeded")
    return content, mime_type


def _grid(sheet) -> list[list]:
    if not sheet.cells:
        return []
    rows = max(r for r, _ in sheet.cells) + 1
    cols = max(c for _, c in sheet.cells) + 1
    grid = [[None] * cols for _ in range(rows)]
    for (r, c), cell in sheet.cells.items():
        grid[r][c] = cell
    return grid


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell_xml(ref: str, cell) -> str:
    if cell.kind == "number":
        return f'<c r="{ref}"><v>{cell.unformatted()}</v></c>'
    if cell.kind == "date":
        return f'<c r="{ref}" s="1"><v>{cell.unformatted()}</v></c>'
    if cell.kind == "bool":
        return f'<c r="{ref}" t="b"><v>{int(bool(cell.value))}</v></c>'
    if cell.kind == "formula":
        formula = escape(str(cell.value).lstrip("="))
        shown = cell.shown if cell.shown is not None else ""
        try:
            float(shown)
            return f'<c r="{ref}"><f>{formula}</f><v>{shown}</v></c>'
        except ValueError:
            return f'<c r="{ref}" t="str"><f>{formula}</f><v>{escape(shown)}</v></c>'
    return (f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(cell.value))}'
            '</t></is></c>')


def xlsx_of(book: Spreadsheet) -> bytes:
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(book.sheets) + 1))
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        sheets = "".join(f'<sheet name="{escape(s.title, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, s in enumerate(book.sheets, 1))
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                      f'<workbook {ns} {rel_ns}><sheets>{sheets}</sheets></workbook>')
        rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
                       f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, len(book.sheets) + 1))
        styles_id = len(book.sheets) + 1
        rels += (f'<Relationship Id="rId{styles_id}" Type="http://schemas.openxmlformats.org/officeDocument/'
                 '2006/relationships/styles" Target="styles.xml"/>')
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
            '</Relationships>'))
        z.writestr("xl/styles.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet {ns}>'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
            '<fonts count="1"><font><sz val="10"/><name val="Arial"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '</cellXfs></styleSheet>'))
        for i, sheet in enumerate(book.sheets, 1):
            rows = []
            for r, row in enumerate(_grid(sheet), 1):
                cells = "".join(_cell_xml(f"{_column(c)}{r}", cell) for c, cell in enumerate(row) if cell)
                if cells:
                    rows.append(f'<row r="{r}">{cells}</row>')
            z.writestr(f"xl/worksheets/sheet{i}.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                                       f'<worksheet {ns}><sheetData>{"".join(rows)}</sheetData>'
                                                       '</worksheet>')
    return out.getvalue()
