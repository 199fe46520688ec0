"""Running every enabled rule over the whole cohort at once."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from sheetsync.engine import findings as F
from sheetsync.engine.context import Calendar, RuleContext
from sheetsync.engine.registry import registry


def run_rules(cohort: pd.DataFrame, *, now: dt.date, calendar: Calendar,
              settings: dict[str, dict] | None = None,
              draws: dict[str, list[str]] | None = None,
              only: tuple[str, ...] | None = None,
              cohort_wide: bool | None = None) -> tuple[pd.DataFrame, dict]:
    """All enabled rules (or `only` these codes; or only the rules that judge students
    together, `cohort_wide=True`, or one by one, `False`) -> (findings, draws made)."""
    settings = settings or {}
    parts, new_draws = [], {}
    for code, rule_cls in registry().items():
        if only and code not in only:
            continue
        if cohort_wide is not None and rule_cls.cohort_wide != cohort_wide:
            continue
        conf = {**rule_cls.config, **settings.get(code, {})}
        if not conf.pop("enabled", True):
            continue
        ctx = RuleContext(now=now, calendar=calendar, settings=conf, draws=draws or {})
        parts.append(rule_cls().evaluate(cohort, ctx))
        new_draws.update(ctx.new_draws)
    return F.concat(parts), new_draws
