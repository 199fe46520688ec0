from sheetsync.engine.findings import findings
from sheetsync.engine.leads import IN_DIALOGUE
from sheetsync.engine.registry import Rule


class DialogueWithoutFollowUp(Rule):
    """A conversation with no follow-up agreed (D7: after each conversation agree when
    and how to follow up; never leave it to the company).

    **Anti-pattern**
        | Företag  | Status                | Följ upp |
        | Volvo AB | pratat, återkommer    |          |

    **Best practice**
        | Företag  | Status                | Följ upp   |
        | Volvo AB | pratat, återkommer    | 2026-05-22 |
    """
    code, name, severity = "FU03", "followup.no_date", "warning"
    message = {"sv": "I dialog men ingen uppföljning bokad",
               "en": "In dialogue but no follow-up agreed"}
    explain = {"sv": "En dialog utan nästa datum rinner ut i sanden: boka när ni hörs nästa gång och skriv datumet.",
               "en": "A dialogue without a next date peters out: agree when you next talk and write the date."}

    def evaluate(self, frame, ctx):
        booked_in_words = frame["follow_up_unread"].notna()          # FU05 says how to write it
        rows = frame[frame["stage"].isin(IN_DIALOGUE) & frame["follow_up"].isna() & ~booked_in_words]
        return findings(rows, self.code, self.severity)
