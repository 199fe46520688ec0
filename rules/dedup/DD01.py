import numpy as np

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
        students, rows = frame["student"].tolist(), frame["row"].tolist()
        first = list(rows)                    # per lead: the first row sharing an identity
        for column in IDENTITIES:             # plain dicts: a grouped transform per column
            values = frame[column].tolist()   # costs more than the whole pass
            earliest: dict[tuple, int] = {}
            for student, value, row in zip(students, values, rows):
                if _present(value):
                    key = (student, value)
                    earliest[key] = min(row, earliest.get(key, row))
            for i, (student, value) in enumerate(zip(students, values)):
                if _present(value):
                    first[i] = min(first[i], earliest[(student, value)])
        dup = np.array([f < r for f, r in zip(first, rows)], dtype=bool)
        return findings(frame[dup], self.code, self.severity,
                        [{"first_row": int(f)} for f, d in zip(first, dup) if d])


def _present(value) -> bool:
    return value is not None and value == value and str(value) != ""    # NaN != NaN
