from sheetsync.engine.findings import findings
from sheetsync.engine.registry import Rule
from sheetsync.normalize.dates import planned_date


class UnreadableFollowUp(Rule):
    """A follow-up typed in words the service cannot read as a date (D7: the follow-up
    is agreed, so it needs a day everyone can act on). The student did book one, so this
    is not "no follow-up" (FU03); the flag says what to write instead.

    **Anti-pattern**
        | Företag  | Status              | Följ upp    |
        | Volvo AB | pratat, återkommer  | nästa vecka |

    **Best practice**
        | Företag  | Status              | Följ upp   |
        | Volvo AB | pratat, återkommer  | 2026-05-18 |
    """
    code, name, severity = "FU05", "followup.unreadable_date", "warning"
    message = {"sv": "Oläsligt datum {value!r} i {cell}: skriv {suggestion}",
               "en": "Unreadable date {value!r} in {cell}: write {suggestion}"}
    explain = {"sv": "Datum i ord ('nästa vecka') kan ingen annan läsa: skriv datumet som ÅÅÅÅ-MM-DD.",
               "en": "Dates in words ('next week') cannot be read by anyone else: write the date as YYYY-MM-DD."}

    def evaluate(self, frame, ctx):
        rows = frame[frame["follow_up_unread"].notna()]
        params = []
        for where, text in rows["follow_up_unread"]:
            day = planned_date(text, ctx.today.date())
            params.append({"value": text, "cell": where,
                           "suggestion": day.isoformat() if day else f"{ctx.today.year}-MM-DD"})
        return findings(rows, self.code, self.severity, params)
