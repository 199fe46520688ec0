"""Company types for the research focus of each sprint (D3)."""
from __future__ import annotations

import re

import pandas as pd

from sheetsync.normalize.text import fold

# D3, sprint 1: long hiring processes; sprint 3: small and mid-size, and sectors with
# big IT departments
LONG_PROCESS = re.compile(r"\b(konsult\w*|consult\w*|produkt\w*|product\w*|industri\w*|industry|"
                          r"tung|heavy|offentlig\w*|public|myndighet\w*|kommun\w*|region\w*|"
                          r"stat\w*|government|koncern|enterprise|storbolag|large|stor\w*)\b")
SMALL_MID = re.compile(r"\b(startup\w*|start up|scale ?up\w*|scaleup\w*|sma\w*|small|liten|"
                       r"medelstor\w*|mid\w*|sme|hub|inkubator\w*|incubator\w*|byra\w*|agency|"
                       r"vard\w*|health\w*|skola\w*|school\w*|energi\w*|energy|challenger\w*)\b")


def focus_group(categories: pd.Series) -> pd.Series:
    """'long', 'small' or None per lead, from its category text."""
    def group(text) -> str | None:
        if not isinstance(text, str) or not text.strip():
            return None
        key = fold(text)
        if SMALL_MID.search(key):
            return "small"
        if LONG_PROCESS.search(key):
            return "long"
        return None
    distinct = {text: group(text) for text in pd.unique(categories)}    # few distinct texts
    return categories.map(distinct.get)
