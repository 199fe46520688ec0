from sheetsync.engine.categories import focus_group
from sheetsync.engine.findings import student_findings
from sheetsync.engine.registry import Rule

FOCUS = {1: "long", 3: "small"}


class ResearchMix(Rule):
    """Too few companies of the kind the current research sprint is about (D3).
    Sprint 1 (April): long hiring processes: large consultancies and product companies,
    heavy industry, public sector. Sprint 3 (July): small and mid-size companies,
    startups and scale-ups, and sectors with big IT departments (healthcare, schools,
    energy). Judged from the category column.

    **Anti-pattern**
        in April, 40 leads of which 3 are large or public employers.

    **Best practice**
        in April, at least a third of the leads are companies that hire months ahead.
    """
    code, name, severity = "PR03", "progress.research_mix", "info"
    config = {"min_share": 0.3, "min_leads": 10}
    message = {"sv": "{share} % passar sprintens fokus; sikta på {target} %",
               "en": "{share}% fit the sprint's focus; aim for {target}%"}
    explain = {"sv": "Varje sprint har ett fokus (t.ex. företag med långa rekryteringsprocesser): lägg till fler sådana företag.",
               "en": "Each sprint has a focus (e.g. companies with long hiring processes): add more companies of that kind."}
    _focus = {"sv": {"long": "långa rekryteringsprocesser: stora konsult- och produktbolag, industri,"
                             " offentlig sektor",
                     "small": "små och medelstora företag, startups, vård, skola, energi"},
              "en": {"long": "long hiring processes: large consultancies and product companies,"
                             " industry, public sector",
                     "small": "small and mid-size companies, startups, healthcare, schools, energy"}}

    def evaluate(self, frame, ctx):
        focus = FOCUS.get(ctx.calendar.sprint(ctx.now))
        if focus is None or frame.empty:
            return student_findings([], self.code, self.severity, [])
        fits = frame.assign(fit=focus_group(frame["category"]) == focus)
        per = fits.groupby("student")["fit"].agg(["mean", "size"])
        low = per[(per["size"] >= ctx.settings["min_leads"]) & (per["mean"] < ctx.settings["min_share"])]
        return student_findings(low.index, self.code, self.severity,
                                [{"share": round(100 * m), "focus": focus,
                                  "target": round(100 * ctx.settings["min_share"])} for m in low["mean"]])

    @classmethod
    def text(cls, language, params):
        return cls.message[language].format(**{**params, "focus": cls._focus[language].get(
            params.get("focus"), "")})
