"""Rules register themselves by code; the registry refuses a duplicate code.

A rule is a class in `rules/<family>/<CODE>.py`. Its docstring is its documentation:
the first line describes it, then **Anti-pattern** (rows that trigger it) and
**Best practice** (the fixed rows). `sheetsync rules` prints them.
"""
from __future__ import annotations

import importlib
import pkgutil
import re

import pandas as pd

from sheetsync.errors import SheetsyncError

CODE_RE = re.compile(r"^(CL|DD|LC|FU|PR)\d\d$")
_RULES: dict[str, type["Rule"]] = {}
_LOADED = False          # every module under rules/ imported (one may be imported alone first)


class Rule:
    code: str = ""
    name: str = ""
    severity: str = "warning"
    config: dict = {}                       # setting -> default; types checked in config
    message: dict[str, str] = {}            # language -> a short phrase with {params}
    explain: dict[str, str] = {}            # language -> the legend's full explanation
    cohort_wide: bool = False               # judges students together (D1's cap), not one by one
    columns: tuple[str, ...] = ()           # a cohort-wide rule: the lead fields it reads
    judged_per: str | None = None           # ...and the field whose holders decide together
    counts_after_draw: bool = False         # counts a student's leads: judged again without
                                            # the companies they lost in the draw (D1)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not CODE_RE.match(cls.code):
            raise SheetsyncError(f"rule {cls.__name__}: code {cls.code!r} is not two capitals "
                                 "of CL/DD/LC/FU/PR and two digits")
        if cls.code in _RULES and _RULES[cls.code] is not cls:
            raise SheetsyncError(f"rule code {cls.code} is defined twice")
        if set(cls.message) != {"sv", "en"}:
            raise SheetsyncError(f"rule {cls.code}: message needs 'sv' and 'en'")
        _RULES[cls.code] = cls

    def evaluate(self, frame: pd.DataFrame, ctx) -> pd.DataFrame:
        raise NotImplementedError

    @classmethod
    def describe(cls) -> str:
        """The docstring, a number setting named in it ("for `days` days") read as its
        default ("for 14 days"); a switch keeps its name."""
        def value(m):
            v = cls.config.get(m[1])
            return str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else m[0]
        return re.sub(r"`(\w+)`", value, (cls.__doc__ or "").strip())

    @classmethod
    def text(cls, language: str, params: dict) -> str:
        """The short phrase a flag shows (about 60 characters at most): a student's own
        text quoted in it is cut to CLIP characters."""
        try:
            return cls.message[language].format(**{k: clip(v) for k, v in params.items()})
        except (KeyError, IndexError):
            return cls.message[language]

    @classmethod
    def explanation(cls, language: str, params: dict) -> str:
        """The full explanation, once, in the summary tab's legend."""
        text = cls.explain.get(language) or cls.explain.get("en") or cls.describe().split("\n")[0]
        try:
            return text.format(**params)
        except (KeyError, IndexError):
            return text


CLIP = 18


def clip(value):
    if isinstance(value, str) and len(value) > CLIP:
        return value[:CLIP - 1].rstrip() + "…"
    return value


def registry() -> dict[str, type[Rule]]:
    """Every rule in the `rules` package, by code, sorted."""
    global _LOADED
    if not _LOADED:
        import rules
        for mod in pkgutil.walk_packages(rules.__path__, prefix="rules."):
            importlib.import_module(mod.name)
        _LOADED = True
    return dict(sorted(_RULES.items()))
