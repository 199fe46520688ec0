import numpy as np
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
    message = {"sv": "Samma företag som rad {first_row}",
               "en": "Same company as row {first_row}"}
    explain = {"sv": "Företaget står två gånger i din CRM: håll ihop allt om det på en rad.",
               "en": "The company is in your CRM twice: keep everything about it on one row."}

    def evaluate(self, frame, ctx):
        rows = frame["row"].to_numpy(dtype="int64")
        first = rows.copy()                   # per lead: the first row sharing an identity
        for column in IDENTITIES:
            values = frame[column]
            has = (values.notna() & (values.astype(str) != "")).to_numpy(dtype=bool)
            if not has.any():
                continue
            held = pd.DataFrame({"student": frame["student"].to_numpy()[has],
                                 "value": values.to_numpy(dtype=object)[has]})
            group = held.groupby(["student", "value"], sort=False).ngroup().to_numpy()
            earliest = np.full(group.max() + 1, np.iinfo("int64").max)
            np.minimum.at(earliest, group, rows[has])
            first[has] = np.minimum(first[has], earliest[group])
        dup = first < rows
        return findings(frame[dup], self.code, self.severity,
                        [{"first_row": int(f)} for f in first[dup]])
