"""Which tab of a workbook is the CRM: the one whose header looks most like leads."""
from __future__ import annotations

from sheetsync.normalize.headers import OWNED_PREFIX, find_header_row, header_score
from sheetsync.workbook import Workbook


def choose_crm_tab(workbook: Workbook, configured: str | None = None) -> str | None:
    """The configured tab if it exists, else the best-scoring tab; None if none has a header."""
    if configured:
        return configured if configured in workbook.tabs else None
    best, best_score = None, 0.0
    for title, tab in workbook.tabs.items():
        if title.strip().lower().startswith(OWNED_PREFIX):
            continue
        h = find_header_row(tab.rows)
        score = header_score(tab.rows[h]) if h is not None else 0.0
        if score > best_score:
            best, best_score = title, score
    return best
