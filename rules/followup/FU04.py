from sheetsync.engine.findings import findings
from sheetsync.engine.leads import contacted, processed
from sheetsync.engine.registry import Rule

REACH_OUT_SPRINTS = (2, 4, 5)


class QuietLead(Rule):
    """An open lead with no activity for `days` days during a reach-out sprint (D5-D7;
    trackers nudge after 7-14 quiet days).

    **Anti-pattern**
        | Företag  | Status | Senast kontaktad | Följ upp |     (today is 2026-05-20)
        | Volvo AB | mejlat | 2026-04-28       |          |

    **Best practice**
        call again, or try another channel, and log it; or set a follow-up date.
    """
    code, name, severity = "FU04", "followup.quiet", "warning"
    config = {"days": 14}
    # "since DATE", not "N days": a count would change the flag, and cost a write, every night
    message = {"sv": "Ingen aktivitet sedan {date}",
               "en": "No activity since {date}"}
    explain = {"sv": "Inget har hänt med leadet på länge: ring, mejla eller avsluta det.",
               "en": "Nothing has happened with the lead for a long time: call, e-mail or close it."}

    def evaluate(self, frame, ctx):
        if ctx.calendar.sprint(ctx.now) not in REACH_OUT_SPRINTS:
            return findings(frame.iloc[0:0], self.code, self.severity)
        quiet_since = frame["last_contact"]
        idle = (ctx.today - quiet_since).dt.days
        planned = frame["follow_up"].notna() & (frame["follow_up"] >= ctx.today)
        hit = (contacted(frame) & ~processed(frame) & quiet_since.notna()
               & (idle >= ctx.settings["days"]) & ~planned)
        rows = frame[hit]
        return findings(rows, self.code, self.severity,
                        [{"days": int(d), "date": t.strftime("%Y-%m-%d")}
                         for d, t in zip(idle[hit], rows["last_contact"])])
