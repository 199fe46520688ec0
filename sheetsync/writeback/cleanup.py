"""Cleanup in place (opt-in, `[cleanup] in_place = true`): the student's own cells made
tidy. Stray spaces trimmed, phone numbers in one national format, dates as ISO text.

Each change carries the old value, so it is logged and `sheetsync undo RUN` can put it
back. Nothing else of the student's is ever written, and a value the service cannot
read with certainty is left exactly as typed.
"""
from __future__ import annotations

import phonenumbers

from sheetsync.normalize.dates import parse_date
from sheetsync.normalize.frame import DATE_FIELDS, Normalized
from sheetsync.normalize.phones import parse_phone
from sheetsync.workbook import Tab
from sheetsync.writeback.plan import CellWrite

TEXT_FIELDS = frozenset({"company", "contact_name", "contact_role", "category", "city", "source",
                         "status_raw", "notes", "next_step", "position", "email", "org_number"})


def tidy_phone(text: str) -> str | None:
    e164 = parse_phone(text)
    if e164 is None or "," in text or "/" in text:        # several numbers: leave as typed
        return None
    number = phonenumbers.parse(e164, None)
    fmt = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 46
           else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, fmt)


def tidy(field: str, text: str, year: int) -> str | None:
    """The tidy form of a cell, or None when it is already tidy or cannot be tidied."""
    if not text.strip():
        return None
    if field == "phone":
        new = tidy_phone(text)
    elif field in DATE_FIELDS:
        day = parse_date(text, year)
        new = day.isoformat() if day else None
    elif field in TEXT_FIELDS:
        new = " ".join(text.split()) if "\n" not in text else text.strip()
    else:
        return None
    return new if new is not None and new != text else None


def cleanup_writes(tab: Tab, normalized: Normalized, year: int) -> list[CellWrite]:
    writes = []
    rows = set(int(r) for r in normalized.frame["row"])
    for col in normalized.columns:
        if col.field is None:
            continue
        for r in sorted(rows):
            text = tab.value(r, col.index + 1)
            new = tidy(col.field, text, year)
            if new is not None:
                writes.append(CellWrite(tab.title, r, col.index + 1, new, old=text))
    return writes
