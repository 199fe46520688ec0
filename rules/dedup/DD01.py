import pandas as pd

from sheetsync.engine.findings import findings
from sheetsync.engine.registry import Rule

IDENTITIES = ("company_key", "org_number", "website_domain", "email", "phone")


class SameCompanyTwice(Rule):
    """The same company twice in one CRM: same name (legal form ignored), org number,
    website domain, or contact e-mail or phone. The later rows are flagged with the row
    of the first; nothing is merged (Salesforce's "allow and alert").

    **Anti-pattern**
        | row | Företag         |
        | 4   | Volvo AB        |
        | 9   | AB Volvo (publ) |

    **Best practice**
        one row per company; further contacts at Volvo go in the first row's notes or
        a contact-log tab.
    """
    code, name, severity = "DD01", "dedup.same_company", "warning"
    message = {"sv": "samma företag som rad {first_row}", "en": "same company as row {first_row}"}

    def evaluate(self, frame, ctx):
        first = pd.Series(frame["row"].max() + 1 if len(frame) else 0, index=frame.index)
        for column in IDENTITIES:
            has = frame[column].notna() & (frame[column].astype(str) != "")
            if not has.any():
                continue
            sub = frame.loc[has, ["student", column, "row"]]
            earliest = sub.groupby(["student", column])["row"].transform("min")
            first.loc[has] = first.loc[has].where(first.loc[has] <= earliest, earliest)
        dup = first < frame["row"]
        return findings(frame[dup], self.code, self.severity,
                        [{"first_row": int(r)} for r in first[dup]])
