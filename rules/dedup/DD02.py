from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from sheetsync.engine.findings import findings
from sheetsync.engine.registry import Rule


class PossibleDuplicate(Rule):
    """Two company names in one CRM that are spelled almost alike: possibly one firm.
    Only flagged, never merged: "Volvo Cars" and "AB Volvo" are different firms, and so
    are different stores of one chain.

    **Anti-pattern**
        | row | Företag  |
        | 4   | Ericsson |
        | 9   | Ericson  |

    **Best practice**
        one spelling per firm; if they really are two firms, make the names tell them
        apart ("Ericsson Kista", "Ericsson Lindholmen").
    """
    code, name, severity = "DD02", "dedup.possible_duplicate", "info"
    config = {"similarity": 90}
    message = {"sv": "möjligen samma företag som rad {first_row} ({other!r}): kontrollera",
               "en": "possibly the same company as row {first_row} ({other!r}): check"}

    def evaluate(self, frame, ctx):
        threshold = ctx.settings["similarity"]
        keyed = frame[frame["company_key"].notna()]
        rows, params = [], []
        for _, leads in keyed.groupby("student", sort=False):
            keys = leads["company_key"].tolist()
            if len(keys) < 2:
                continue
            scores = cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=threshold)
            sheet_rows = leads["row"].tolist()
            names = leads["company"].tolist()
            for j in range(len(keys)):
                for i in range(j):
                    if scores[i, j] and keys[i] != keys[j] and sheet_rows[i] < sheet_rows[j]:
                        rows.append(leads.index[j])
                        params.append({"first_row": int(sheet_rows[i]), "other": names[i]})
                        break
        return findings(frame.loc[rows], self.code, self.severity, params)
