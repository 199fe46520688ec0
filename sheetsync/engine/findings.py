"""Findings: what rules return, one row each, in a DataFrame with fixed columns.

`row` is the 1-based sheet row of the lead, or <NA> for a finding about the student
as a whole (progress against the 50, a deadline). `params` fills the rule's message.
"""
from __future__ import annotations

import pandas as pd

COLUMNS = ("student", "row", "code", "severity", "params")
SEVERITIES = ("info", "warning", "error")


def findings(frame: pd.DataFrame, code: str, severity: str, params=None) -> pd.DataFrame:
    """Findings for every lead in `frame`; `params` is a dict or a Series of dicts."""
    if params is None:
        params = [{}] * len(frame)
    out = pd.DataFrame({
        "student": frame["student"].to_numpy(),
        "row": frame["row"].astype("Int64").to_numpy(),
        "code": code, "severity": severity,
        "params": list(params)})
    return out[list(COLUMNS)]


def student_findings(students, code: str, severity: str, params) -> pd.DataFrame:
    out = pd.DataFrame({"student": list(students), "row": pd.array([pd.NA] * len(students), "Int64"),
                        "code": code, "severity": severity, "params": list(params)})
    return out[list(COLUMNS)]


def empty() -> pd.DataFrame:
    return pd.DataFrame({"student": pd.Series(dtype=object), "row": pd.Series(dtype="Int64"),
                         "code": pd.Series(dtype=object), "severity": pd.Series(dtype=object),
                         "params": pd.Series(dtype=object)})


def concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else empty()
