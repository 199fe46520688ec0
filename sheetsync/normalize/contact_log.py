"""A contact-log tab (one row per attempt: date, company, channel, outcome) folded into
the leads: it raises `attempts`, moves `last_contact` and the channels used, and an
answer logged there moves a lead out of "new"/"attempted"."""
from __future__ import annotations

import pandas as pd

from sheetsync.normalize.headers import find_header_row, map_header
from sheetsync.normalize.tabs import looks_like_log_title
from sheetsync.workbook import Workbook

ANSWERED = ("in_dialogue", "meeting", "offer", "yes", "no")


def find_log_tab(workbook: Workbook, crm_tab: str) -> str | None:
    """A tab other than the CRM whose header has a company, a date and a channel or an
    outcome; a title such as "Kontaktlogg" settles a tie."""
    best, best_score = None, 0
    for title, tab in workbook.tabs.items():
        if title == crm_tab or title.lower().startswith("sheetsync") or tab.ours:
            continue
        h = find_header_row(tab.rows)
        if h is None:
            continue
        fields = {map_header(v)[0] for v in tab.rows[h] if isinstance(v, str)}
        if not ({"company", "last_contact"} <= fields and fields & {"channel", "status_raw"}):
            continue
        score = 1 + looks_like_log_title(title)
        if score > best_score:
            best, best_score = title, score
    return best


def apply_log(leads: pd.DataFrame, log: pd.DataFrame) -> pd.DataFrame:
    """Leads with the log's evidence merged in by company key."""
    log = log[log["company_key"].notna()]
    if log.empty or leads.empty:
        return leads
    log = log.sort_values("last_contact", na_position="first")
    per = log.groupby("company_key").agg(
        log_attempts=("company_key", "size"), log_last=("last_contact", "max"),
        log_channels=("channel", lambda s: ",".join(sorted(set(s.dropna())))),
        log_stage=("stage", "last"))
    merged = leads.join(per, on="company_key")
    has = merged["log_attempts"].notna()
    out = leads.copy()
    out.loc[has, "attempts"] = pd.concat([leads.loc[has, "attempts"],
                                          merged.loc[has, "log_attempts"].astype("int64")],
                                         axis=1).max(axis=1)
    out.loc[has, "last_contact"] = pd.concat([leads.loc[has, "last_contact"],
                                              merged.loc[has, "log_last"]], axis=1).max(axis=1)
    out["channels"] = _join(leads["channels"], merged["log_channels"])
    answered = has & merged["log_stage"].isin(ANSWERED) & leads["stage"].isin(("new", "attempted"))
    out.loc[answered, "stage"] = merged.loc[answered, "log_stage"]
    tried = has & (out["stage"] == "new")
    out.loc[tried, "stage"] = "attempted"
    return out


def _join(a: pd.Series, b: pd.Series) -> pd.Series:
    return pd.Series([",".join(sorted({c for part in (x, y) if isinstance(part, str) and part
                                       for c in part.split(",")})) or None
                      for x, y in zip(a, b)], index=a.index, dtype=object)
