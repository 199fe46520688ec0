"""A sheet whose header has no word we know, or no header at all: found by its shape and
mapped by what its columns hold.

A header row is text above rows whose cells change kind (dates, numbers, e-mails, phone
numbers, links under plain words). A sheet whose first row already holds those kinds has
no header: every row is a lead (the header row is then -1, "above the first row").
Columns are then mapped by content alone, each decision noted with its evidence and a
lower confidence; a column no kind claims clearly stays unmapped. Without a column that
looks like companies the sheet is not taken for a CRM at all.
"""
from __future__ import annotations

import re

from sheetsync.normalize.companies import LEGAL_FORMS, domain_of, parse_email
from sheetsync.normalize.dates import parse_date
from sheetsync.normalize.evidence import YES_NO, _job_ad
from sheetsync.normalize.phones import parse_phone
from sheetsync.normalize.statuses import stage_of
from sheetsync.normalize.text import fold
from sheetsync.workbook import cell_text

BY_CONTENT = 0.6           # the confidence of a mapping made from values alone
NO_HEADER = -1             # header_row of a sheet whose first row is already a lead
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")
_PERSON = re.compile(r"^[A-ZÅÄÖÆØÜÉ][a-zåäöæøüéèáíóúñ'-]+( [A-ZÅÄÖÆØÜÉ][a-zåäöæøüéèáíóúñ'-]+){1,2}$")


def kind_of(text: str, year: int) -> str:
    """What one cell's text looks like: email, linkedin, url, phone, date, number,
    yes_no, or text."""
    v = text.strip()
    if not v:
        return ""
    if "@" in v and parse_email(v)[1]:
        return "email"
    if "linkedin.com/" in v.lower():
        return "linkedin"
    if " " not in v and "." in v and domain_of(v) and re.search(r"[a-z]{2,}\.[a-z]{2,}", v.lower()):
        return "url"
    if fold(v) in YES_NO:
        return "yes_no"
    if re.search(r"\d", v) and parse_date(v, year) is not None and not _NUMBER.match(v):
        return "date"
    if sum(ch.isdigit() for ch in v) >= 7 and parse_phone(v):
        return "phone"
    if _NUMBER.match(v):
        return "number"
    return "text"


def _typed(kinds: list[str]) -> int:
    return sum(k not in ("", "text") for k in kinds)


def header_by_shape(rows: list[list], year: int, scan: int = 25) -> int | None:
    """The header row found by shape, NO_HEADER when the first row is a lead, or None."""
    filled = [i for i, r in enumerate(rows[:scan]) if sum(cell_text(v).strip() != "" for v in r) >= 2]
    if len(filled) < 2:
        return None
    first, second = filled[0], filled[1]
    kinds = [kind_of(cell_text(v), year) for v in rows[first]]
    if _typed(kinds):             # the first full row already holds data: no header
        return NO_HEADER if first == 0 else first - 1     # a title line above stands in
    below = [kind_of(cell_text(v), year) for v in rows[second]]
    changed = sum(1 for a, b in zip(kinds, below) if a == "text" and b not in ("", "text"))
    return first if changed else None


def map_by_content(data: list[list], width: int, year: int, skip: set[int] = frozenset()) -> list[tuple[int, str, str]]:
    """[(column index, field, evidence)] for the columns whose values say what they are;
    empty when no column looks like companies."""
    shares, texts = {}, {}
    for i in range(width):
        if i in skip:
            continue
        values = [cell_text(r[i]).strip() for r in data[:200] if i < len(r) and cell_text(r[i]).strip()]
        if not values:
            continue
        kinds = [kind_of(v, year) for v in values]
        shares[i] = {k: kinds.count(k) / len(kinds) for k in set(kinds)}
        texts[i] = values
    out, used = [], set()

    def take(i, fld, why):
        out.append((i, fld, why))
        used.add(fld)

    for i, share in shares.items():
        best = max(share, key=share.get)
        if share[best] < 0.6 or best in ("text", "number", "yes_no"):
            continue
        fld = {"email": "email", "linkedin": "linkedin", "phone": "phone"}.get(best)
        if best == "url":
            ads = sum(_job_ad(v) for v in texts[i]) / len(texts[i])
            fld = "link" if ads >= 0.5 else "website"
        if best == "date":
            fld = "last_contact" if "last_contact" not in used else "follow_up"
        if fld and fld not in used:
            take(i, fld, f"{share[best]:.0%} of its values are {best}s")
    for i, share in shares.items():
        if share.get("text", 0) < 0.6 or any(o[0] == i for o in out):
            continue
        values = texts[i]
        legal = sum(bool(set(fold(v).split()) & LEGAL_FORMS) for v in values) / len(values)
        status = sum(stage_of(v) not in ("unknown", "new") for v in values) / len(values)
        person = sum(bool(_PERSON.match(v)) for v in values) / len(values)
        if "company" not in used and legal >= 0.3:
            take(i, "company", f"{legal:.0%} of its values carry a legal form (AB, AS, GmbH, ...)")
        elif "status_raw" not in used and status >= 0.5:
            take(i, "status_raw", f"{status:.0%} of its values read as statuses")
        elif "contact_name" not in used and person >= 0.6:
            take(i, "contact_name", f"{person:.0%} of its values look like people's names")
    if "company" not in used:      # the left-most column of distinct names, not people's
        for i, share in shares.items():
            values = texts[i]
            if any(o[0] == i for o in out) or share.get("text", 0) < 0.8 or len(values) < 2:
                continue
            if len(set(map(fold, values))) / len(values) >= 0.8:
                take(i, "company", "the left-most column of distinct names")
                break
    return out if "company" in used else []
