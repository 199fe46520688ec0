"""Looking for a person's words in the raw bytes of files: the bytes as they are, every
member of a zip (.xlsx), and in a SQLite file every value of every table (compressed
blobs inflated) plus every zlib stream found anywhere in its pages (free pages too)."""
from __future__ import annotations

import os
import sqlite3
import zipfile
import zlib
from pathlib import Path

ZLIB_HEADERS = (b"\x78\x01", b"\x78\x5e", b"\x78\x9c", b"\x78\xda")


def _inflate_all(data: bytes) -> list[bytes]:
    """Whatever each zlib stream in `data` inflates to, as far as it goes."""
    out = []
    for header in ZLIB_HEADERS:
        start = data.find(header)
        while start != -1:
            d, got = zlib.decompressobj(), []
            try:
                for i in range(start, len(data), 256):
                    got.append(d.decompress(data[i:i + 256]))
                    if d.eof:
                        break
            except zlib.error:
                pass
            if got and any(got):
                out.append(b"".join(got))
            start = data.find(header, start + 1)
    return out


def _sqlite_values(path: Path) -> list[bytes]:
    out = []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            for row in db.execute(f'SELECT * FROM "{table}"'):
                for v in row:
                    if isinstance(v, bytes):
                        out.append(v)
                        try:
                            out.append(zlib.decompress(v))
                        except zlib.error:
                            pass
                    elif v is not None:
                        out.append(str(v).encode("utf-8"))
    finally:
        db.close()
    return out


def contents(path: Path) -> list[bytes]:
    data = path.read_bytes()
    parts = [data]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            parts += [z.read(m) for m in z.namelist()]
    if data.startswith(b"SQLite format 3"):
        parts += _sqlite_values(path) + _inflate_all(data)
    return parts


def files_under(paths) -> list[Path]:
    out = []
    for top in paths:
        top = Path(top)
        if top.is_file():
            out.append(top)
        elif top.is_dir():
            out += [Path(root) / f for root, _, files in os.walk(top) for f in files]
    return out


def where_found(paths, words: list[str]) -> dict[str, list[str]]:
    """word -> the files holding it (as UTF-8, or escaped as JSON writes it)."""
    import json
    forms = {w: {w.encode("utf-8"), json.dumps(w)[1:-1].encode("ascii")} for w in words}
    found: dict[str, list[str]] = {}
    for path in files_under(paths):
        parts = contents(path)
        for w, encodings in forms.items():
            if any(e in part for part in parts for e in encodings):
                found.setdefault(w, []).append(str(path))
    return found
