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
    message = {"sv": "okänd status {status!r}: skriv t.ex. ja, nej, inget svar, intervju bokad",
               "en": "unknown status {status!r}: write e.g. yes, no, no answer, interview booked"}

    def evaluate(self, frame, ctx):
        rows = frame[frame["stage"] == "unknown"]
        return findings(rows, self.code, self.severity,
                        [{"status": s} for s in rows["status_raw"]])
