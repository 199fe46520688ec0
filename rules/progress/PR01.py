import datetime as dt

from sheetsync.engine.findings import student_findings
from sheetsync.engine.leads import quality_leads
from sheetsync.engine.registry import Rule


class TooFewQualityLeads(Rule):
    """Fewer quality companies than the target (D4: at least 50 by the end of April).

    A quality lead has a company, a contact path and a category (configurable); a company
    listed twice counts once, and a company lost in the draw
    (LC01) not at all. A student whose LIA is secured is not told any more.

    **Anti-pattern**
        30 companies on 25 April, 10 of them without any contact path.

    **Best practice**
        50 or more companies, each with someone to reach and its kind of company noted.
    """
    code, name, severity = "PR01", "progress.quality_leads", "warning"
    counts_after_draw = True
    config = {"require_category": True}
    message = {"sv": "{missing} kvar till {target} kvalitetsleads; {when}",
               "en": "{missing} more quality leads to reach {target}; {when}"}
    explain = {"sv": "Målet är minst {target} kvalitetsleads: företag med en kontaktväg och en typ av företag. Dubbletter och företag du förlorat i lottningen räknas inte.",
               "en": "The target is at least {target} quality leads: companies with a way to reach them and a kind of company. Duplicates and companies lost in the draw do not count."}

    def evaluate(self, frame, ctx):
        target = ctx.calendar.quality_target
        counts = (frame.assign(q=quality_leads(frame, ctx.settings["require_category"]))
                  .groupby("student")["q"].sum())
        secured = set(frame.loc[frame["stage"] == "yes", "student"])     # the hunt is over for them
        short = counts[(counts < target) & ~counts.index.isin(secured)]
        date = ctx.calendar.research_deadline.isoformat()
        passed = ctx.now > ctx.calendar.research_deadline
        return student_findings(short.index, self.code, self.severity,
                                [{"count": int(c), "missing": target - int(c), "target": target,
                                  "date": date, "passed": passed} for c in short])

    _when = {"sv": ("mål {day}", "målet var {day}"), "en": ("due {day}", "the target was {day}")}

    @classmethod
    def text(cls, language, params):
        """'22 kvar till 50 kvalitetsleads; målet var 30/4': a passed date says so."""
        try:
            day = dt.date.fromisoformat(params["date"])
            when = cls._when[language][bool(params.get("passed"))].format(day=f"{day.day}/{day.month}")
            missing = params.get("missing", params["target"] - params["count"])
        except (KeyError, ValueError, TypeError):      # a finding kept from before these params
            return super().text(language, params)
        return cls.message[language].format(missing=missing, target=params["target"], when=when)
