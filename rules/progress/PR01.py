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
    message = {"sv": "{count} kvalitetsleads av målet {target} (senast {date})",
               "en": "{count} quality leads of the target {target} (by {date})"}

    def evaluate(self, frame, ctx):
        target = ctx.calendar.quality_target
        counts = (frame.assign(q=quality_leads(frame, ctx.settings["require_category"]))
                  .groupby("student")["q"].sum())
        secured = set(frame.loc[frame["stage"] == "yes", "student"])     # the hunt is over for them
        short = counts[(counts < target) & ~counts.index.isin(secured)]
        date = ctx.calendar.research_deadline.isoformat()
        return student_findings(short.index, self.code, self.severity,
                                [{"count": int(c), "target": target, "date": date} for c in short])
