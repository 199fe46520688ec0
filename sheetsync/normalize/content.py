"""Columns whose content does not fit their header: reported, never silently re-mapped.

A header swapped with its neighbour ("OrgNr" above company names, "FirmaNavn" above
numbers) or a column shifted by a stray comma shows in its values. The service names the
column so a person fixes it; guessing would put wrong flags in front of a student.
"""
from __future__ import annotations

import re

_NUMBERISH = re.compile(r"^[\d\s\-+./()]+$")
_LETTERS = re.compile(r"[^\W\d_]{3,}")


def suspicious_columns(columns, min_values: int = 5, share: float = 0.6) -> list[tuple[str, str]]:
    """[(field, reason)] for columns whose values look like another kind of data.
    `columns`: field -> values (a dict of lists, or a frame), None or NaN for missing."""
    out = []
    checks = {
        "company": (lambda v: bool(_NUMBERISH.match(v)), "holds numbers, not company names"),
        "org_number": (lambda v: bool(_LETTERS.search(v)), "holds names, not organisation numbers"),
        "contact_name": (lambda v: "@" in v or bool(_NUMBERISH.match(v)),
                         "holds e-mails or numbers, not names"),
    }
    for fld, (odd, reason) in checks.items():
        values = [str(v) for v in columns[fld] if _present(v) and str(v).strip()]
        if len(values) >= min_values and sum(map(odd, values)) / len(values) >= share:
            out.append((fld, reason))
    for fld, raw_ok in (("phone", "phone_ok"), ("email", "email_ok")):
        ok = [bool(good) for raw, good in zip(columns[f"{fld}_raw"], columns[raw_ok]) if _present(raw)]
        if len(ok) >= min_values and ok.count(False) / len(ok) >= share:
            out.append((fld, f"most values are not {'phone numbers' if fld == 'phone' else 'e-mail addresses'}"))
    return out


def _present(value) -> bool:
    return value is not None and value == value          # NaN is the one value unequal to itself
