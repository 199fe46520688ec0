from sheetsync.engine.findings import student_findings
from sheetsync.engine.registry import Rule


class DeadlineRisk(Rule):
    """No LIA secured and a deadline near or past (D8: soft 30 June, hard 30 September;
    from October staff place students without a registered LIA).

    **Anti-pattern**
        20 June, no lead at "yes", two in dialogue.

    **Best practice**
        book follow-ups with every lead in dialogue this week; widen the search (D3).
    """
    code, name, severity = "PR02", "progress.deadline_risk", "warning"
    config = {"warn_days": 21}
    message = {"sv": "Ingen LIA än: {days} dagar kvar till {deadline} ({date})",
               "en": "No LIA yet: {days} days to the {deadline} ({date})"}
    explain = {"sv": "Deadlinen närmar sig utan en säkrad LIA: prioritera leads i dialog och boka möten.",
               "en": "The deadline is near without a secured LIA: put the leads in dialogue first and book meetings."}
    _names = {"sv": {"soft": "mjuka deadline", "hard": "hårda deadline"},
              "en": {"soft": "soft deadline", "hard": "hard deadline"}}

    def evaluate(self, frame, ctx):
        cal, today = ctx.calendar, ctx.now
        secured = frame.groupby("student")["stage"].apply(lambda s: (s == "yes").any())
        without = secured[~secured].index
        if today <= cal.soft_deadline:
            deadline, date = "soft", cal.soft_deadline
        elif today <= cal.hard_deadline:
            deadline, date = "hard", cal.hard_deadline
        else:                                    # past the hard deadline: PR04's placement list
            return student_findings([], self.code, self.severity, [])
        days = (date - today).days
        if days > ctx.settings["warn_days"]:
            return student_findings([], self.code, self.severity, [])
        return student_findings(without, self.code, self.severity,
                                [{"days": days, "deadline": deadline, "date": date.isoformat()}
                                 for _ in without])

    @classmethod
    def text(cls, language, params):
        name = cls._names[language].get(params.get("deadline"), "")
        return cls.message[language].format(**{**params, "deadline": name})
