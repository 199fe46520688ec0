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
    message = {"sv": "{attempts} försök utan svar: prova en annan kanal",
               "en": "{attempts} tries, no answer: try another channel"}
    explain = {"sv": "Tre försök utan svar räknas som bearbetat. Prova en kanal du inte använt (telefon, mejl, LinkedIn) eller en annan person på företaget.",
               "en": "Three tries without an answer count as processed. Try a channel you have not used (phone, e-mail, LinkedIn) or another person at the company."}

    def evaluate(self, frame, ctx):
        rows = frame[frame["stage"].isin(("new", "attempted"))
                     & (frame["attempts"] >= ctx.settings["attempts"])]
        return findings(rows, self.code, self.severity,
                        [{"attempts": int(a)} for a in rows["attempts"]])
