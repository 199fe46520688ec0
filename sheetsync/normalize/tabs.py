"""Which tab of a workbook is the CRM: the one whose header looks most like leads.

Besides the header, two things tell a CRM from a contact log kept beside it: a log's
title says so ("Kontaktlogg", "Activity"), and in a log the same company recurs row
after row while a CRM lists each company about once.
"""
from __future__ import annotations

import datetime as dt

from sheetsync.normalize.shape import header_by_shape, map_by_content
from sheetsync.normalize.headers import find_header_row, header_score, map_header
from sheetsync.workbook import OWNED_PREFIX
from sheetsync.normalize.text import fold
from sheetsync.workbook import Tab, Workbook

# the most a tab with a header and nothing under it scores: a copy of the template
# kept in front of the CRM is not the CRM, yet a workbook of only a header still is one
EMPTY_TAB_SCORE = 0.5
LOG_WORDS = frozenset({"logg", "log", "kontaktlogg", "aktivitet", "aktiviteter", "activity",
                       "activities", "kontakthistorik", "historik", "history", "calls"})


def looks_like_log_title(title: str) -> bool:
    return bool(set(fold(title).split()) & LOG_WORDS)


def _company_repeats(tab: Tab, header_row: int) -> bool:
    header = tab.rows[header_row]
    col = next((i for i, v in enumerate(header) if map_header(v)[0] == "company"), None)
    if col is None:
        return False
    names = [fold(r[col]) for r in tab.rows[header_row + 1:] if col < len(r) and r[col].strip()]
    return len(names) >= 4 and len(set(names)) / len(names) < 0.6


def crm_score(title: str, tab: Tab, header_rows: dict | None = None) -> float:
    h = find_header_row(tab.rows)
    if h is None:           # no header word known: a table by its shape and values scores low
        h = header_by_shape(tab.rows, dt.date.today().year)
        if header_rows is not None:
            header_rows[title] = h
        if h is None:
            return 0.0
        data = tab.rows[h + 1:]
        width = max((len(r) for r in data[:200]), default=0)
        return 0.25 if map_by_content(data, width, dt.date.today().year) else 0.0
    if header_rows is not None:
        header_rows[title] = h
    score = header_score(tab.rows[h])
    if not any(v.strip() for r in tab.rows[h + 1:] for v in r):
        score = min(score, EMPTY_TAB_SCORE)     # an empty template loses to the tab with the leads
    if looks_like_log_title(title):
        score -= 2
    if _company_repeats(tab, h):
        score -= 1.5
    return max(score, 0.01) if score > 0 or header_score(tab.rows[h]) > 0 else 0.0


def choose_crm_tab(workbook: Workbook, configured: str | None = None,
                   header_rows: dict | None = None) -> str | None:
    """The configured tab if it exists, else the best-scoring tab; None if none has a header.
    `header_rows`, if given, gets each scored tab's header row, to be found once only."""
    if configured:
        return configured if configured in workbook.tabs else None
    best, best_score = None, 0.0
    for title, tab in workbook.tabs.items():
        if title.strip().lower().startswith(OWNED_PREFIX) or tab.ours:
            continue
        score = crm_score(title, tab, header_rows)
        if score > best_score:
            best, best_score = title, score
    return best
