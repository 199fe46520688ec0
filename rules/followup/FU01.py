from sheetsync.engine.findings import findings
from sheetsync.engine.leads import processed
from sheetsync.engine.registry import Rule


class OverdueFollowUp(Rule):
    """A follow-up date that has passed on a lead that is still open (D7: following up
    is the student's job).

    **Anti-pattern**
        | Företag  | Status        | Följ upp   |     (today is 2026-05-20)
        | Volvo AB | ska återkomma | 2026-05-12 |

    **Best practice**
        call on the agreed day, log it, and set the next follow-up date.
    """
    code, name, severity = "FU01", "followup.overdue", "error"
    message = {"sv": "Uppföljningen {date} har passerat",
               "en": "Follow-up {date} has passed"}
    explain = {"sv": "Ni kom överens om att höras, och dagen har passerat: hör av dig nu, eller skriv ett nytt datum.",
               "en": "You agreed to be in touch and the day has passed: get in touch now, or write a new date."}

    def evaluate(self, frame, ctx):
        late = frame["follow_up"].notna() & (frame["follow_up"] < ctx.today) & ~processed(frame)
        rows = frame[late]
        return findings(rows, self.code, self.severity,
                        [{"date": d.strftime("%Y-%m-%d")} for d in rows["follow_up"]])
