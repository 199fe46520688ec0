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
    message = {"sv": "ingen LIA registrerad: personalen börjar placera från {date}; hör av dig till dem",
               "en": "no LIA registered: staff start placing students from {date}; contact them"}

    def evaluate(self, frame, ctx):
        if ctx.now < ctx.calendar.placement_start:
            return student_findings([], self.code, self.severity, [])
        secured = frame.groupby("student")["stage"].agg(lambda s: (s == "yes").any())
        without = secured[~secured].index
        date = ctx.calendar.placement_start.isoformat()
        return student_findings(without, self.code, self.severity, [{"date": date}] * len(without))
