from sheetsync.engine.findings import findings
from sheetsync.engine.registry import Rule


class UnansweredThreeTimes(Rule):
    """A lead tried 3 times without an answer: it counts as processed (D6). Before giving
    up, call again or try another channel; then find a new contact at the company.

    **Anti-pattern**
        | Företag  | Status            |
        | Volvo AB | ringt 3 ggr, inget svar |

    **Best practice**
        | Företag  | Status            | Kommentar                          |
        | Volvo AB | inget svar x3     | mejlat HR 2026-05-14, ny kontakt: … |
    """
    code, name, severity = "FU02", "followup.unanswered", "info"
    config = {"attempts": 3}
    message = {"sv": "{attempts} försök utan svar: räknas som bearbetad; prova en annan kanal"
                     " eller en ny kontakt",
               "en": "{attempts} attempts without an answer: counts as processed; try another"
                     " channel or a new contact"}

    def evaluate(self, frame, ctx):
        rows = frame[frame["stage"].isin(("new", "attempted"))
                     & (frame["attempts"] >= ctx.settings["attempts"])]
        return findings(rows, self.code, self.severity,
                        [{"attempts": int(a)} for a in rows["attempts"]])
