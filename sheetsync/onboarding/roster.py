"""The roster in sheetsync.toml: registering a new CRM, and discovering the sheets shared
with the service account. Entries are appended as text, so staff's comments and order
stay as they wrote them, and an entry is never dropped."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from sheetsync.config import Config
from sheetsync.normalize.text import fold

_NOISE = re.compile(r"\b(lia|crm|leads?|tracker|kopia av|copy of|mitt|my|min|sheet|blad|"
                    r"kalkylark|spreadsheet|praktik|internship|\d{4})\b", re.IGNORECASE)


@dataclass
class Proposal:
    id: str
    name: str
    sheet: str
    title: str
    guessed_from: str          # "title" or "owner"


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escaping (\\", \\\\, \\uXXXX) is valid TOML."""
    return json.dumps(text, ensure_ascii=False)


def register(config_path: Path, *, id: str, name: str, sheet: str | None = None,
             file: str | None = None, email: str | None = None, comment: str | None = None) -> None:
    """Append one [[students]] entry to the config file."""
    lines = ["", f"# {comment}" if comment else None, "[[students]]", f"id = {_toml_string(id)}",
             f"name = {_toml_string(name)}",
             f"sheet = {_toml_string(sheet)}" if sheet else None,
             f"file = {_toml_string(file)}" if file else None,
             f"email = {_toml_string(email)}" if email else None]
    with open(config_path, "a", encoding="utf-8") as f:
        f.write("\n".join(line for line in lines if line is not None) + "\n")


def guess_name(title: str, owner: str) -> tuple[str, str]:
    """A student's name from a sheet title such as "Anna Andersson – LIA CRM 2026", or
    else from the owner's name."""
    words = [w for w in re.split(r"[\s\-–_:|/]+", _NOISE.sub(" ", title)) if w]
    words = [re.sub(r"'?s$", "", w) if w.endswith("'s") else w for w in words]
    if 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return " ".join(words), "title"
    return (owner or title).strip(), "owner"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "student"


def discover(config: Config, files: list[dict]) -> list[Proposal]:
    """A proposed entry for every visible spreadsheet not yet in the roster (nor the master)."""
    known = {_sheet_id(s.sheet or s.file or f"{s.id}.xlsx") for s in config.students}
    master = _sheet_id(config.master.get("sheet") or "")
    taken = {s.id for s in config.students}
    out = []
    for f in sorted(files, key=lambda f: f["name"]):
        if f["id"] in known or f["id"] == master:
            continue
        name, source = guess_name(f["name"], f.get("owner", ""))
        sid, n = slug(name), 2
        while sid in taken:
            sid, n = f"{slug(name)}-{n}", n + 1
        taken.add(sid)
        out.append(Proposal(sid, name, f["id"], f["name"], source))
    return out


def _sheet_id(sheet: str) -> str:
    m = re.search(r"/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)", sheet)
    return m[1] if m else sheet.strip()
