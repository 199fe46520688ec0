from sheetsync.engine.findings import findings
from sheetsync.engine.registry import Rule


class UnknownStatus(Rule):
    """A status the service could not place as new, attempted, in dialogue, meeting,
    offer, yes or no.

    **Anti-pattern**
        | Företag  | Status |
        | Volvo AB | blå    |

    **Best practice**
        | Företag  | Status         |
        | Volvo AB | intervju bokad |
    """
    code, name, severity = "CL04", "cleanup.unknown_status", "warning"
    message = {"sv": "Okänd status {status!r}: skriv t.ex. ja, nej, inget svar",
               "en": "Unknown status {status!r}: write e.g. yes, no, no answer"}
    explain = {"sv": "Statusen går inte att förstå. Skriv t.ex. ringt 1 ggr, inget svar, i dialog, intervju bokad, ja eller nej.",
               "en": "The status cannot be understood. Write e.g. called once, no answer, in dialogue, interview booked, yes or no."}

    def evaluate(self, frame, ctx):
        rows = frame[frame["stage"] == "unknown"]
        return findings(rows, self.code, self.severity,
                        [{"status": s} for s in rows["status_raw"]])
