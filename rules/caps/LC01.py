import numpy as np

from rules.caps.lottery import extend_order
from sheetsync.engine.findings import findings
from sheetsync.engine.leads import contacted
from sheetsync.engine.registry import Rule


class LeadCap(Rule):
    """A company held by more students than the cap (D1: at most 3, lots drawn).

    Students already in contact with the company (an attempt, a dialogue, an outcome)
    keep it first, when `protect_contacted` is on; the remaining places go by a seeded
    lottery, made once and kept on later nights. A holder whose lead ended with No frees
    their place for the next in the drawn order. A student who lost is told to pick
    another lead, never who holds it.

    **Anti-pattern**
        five students hold "Volvo AB", none has called yet.

    **Best practice**
        three keep it by lot; the other two see LC01 and choose other companies.
    """
    code, name, severity = "LC01", "caps.over_cap", "warning"
    cohort_wide = True
    columns = ("student", "row", "company", "company_key", "stage", "attempts")
    judged_per = "company_key"
    config = {"cap": 3, "protect_contacted": True, "seed": "sheetsync"}
    message = {"sv": "Lotten föll inte på dig: välj ett annat företag",
               "en": "Not drawn for you: pick another company"}
    explain = {"sv": "Högst {cap} studenter får ha samma företag. Fler hade det här, ingen av er hade kontaktat det, och lotten föll på andra. Välj ett annat företag; vem som har det visas aldrig.",
               "en": "At most {cap} students may hold the same company. More held this one, none of you had contacted it, and the draw picked others. Choose another company; who holds it is never shown."}

    def evaluate(self, frame, ctx):
        cap = ctx.settings["cap"]
        active = frame[frame["company_key"].notna() & (frame["stage"] != "no")]
        holders = active.groupby("company_key")["student"].nunique()
        over = holders[holders > cap].index
        if not len(over):
            return findings(frame.iloc[0:0], self.code, self.severity)
        sub = active[active["company_key"].isin(over)]
        sub = sub.assign(in_contact=contacted(sub))
        per = sub.groupby(["company_key", "student"])["in_contact"].any()
        holders: dict[str, list[tuple[str, bool]]] = {}     # plain lists: one pass, no per-key pandas
        keys, students = (per.index.get_level_values(i).tolist() for i in (0, 1))
        for key, student, in_contact in zip(keys, students, per.tolist()):    # no index tuples
            holders.setdefault(key, []).append((student, bool(in_contact)))
        lost = set()
        for key, pairs in holders.items():
            keep = {s for s, c in pairs if c} if ctx.settings["protect_contacted"] else set()
            others = sorted({s for s, _ in pairs} - keep)
            order, new = extend_order(ctx.draws.get(key, []), others, ctx.settings["seed"], key)
            if new:
                ctx.new_draws[key] = new
            places = max(cap - len(keep), 0)
            candidates = set(others)
            ranked = [s for s in order if s in candidates]
            lost.update((key, s) for s in ranked[places:])
        if not lost:
            return findings(frame.iloc[0:0], self.code, self.severity)
        mask = [pair in lost for pair in zip(sub["company_key"].tolist(), sub["student"].tolist())]
        rows = sub[np.array(mask, dtype=bool)]
        return findings(rows, self.code, self.severity,
                        [{"company": c, "cap": cap} for c in rows["company"]])
