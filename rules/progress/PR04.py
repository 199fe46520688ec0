from sheetsync.engine.findings import student_findings
from sheetsync.engine.registry import Rule


class PlacementList(Rule):
    """No LIA secured once placement has started (D8: from October staff place the
    students who have none; an LIA of one's own registered after that may be refused).

    **Anti-pattern**
        2 October, no lead at "yes".

    **Best practice**
        register the LIA with the school the day it is agreed; tell staff about any
        offer still open.
    """
    code, name, severity = "PR04", "progress.placement", "error"
    message = {"sv": "Ingen LIA: personalen placerar från {date}; kontakta dem",
               "en": "No LIA: staff place students from {date}; contact them"}
    explain = {"sv": "Utan en säkrad LIA placerar personalen dig från och med det datumet: hör av dig till dem redan nu.",
               "en": "Without a secured LIA, staff place you from that date: get in touch with them now."}

    def evaluate(self, frame, ctx):
        if ctx.now < ctx.calendar.placement_start:
            return student_findings([], self.code, self.severity, [])
        secured = frame.groupby("student")["stage"].agg(lambda s: (s == "yes").any())
        without = secured[~secured].index
        date = ctx.calendar.placement_start.isoformat()
        return student_findings(without, self.code, self.severity, [{"date": date}] * len(without))
