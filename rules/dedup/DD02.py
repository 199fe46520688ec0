import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from sheetsync.engine.findings import findings
from sheetsync.engine.registry import Rule

ALL_PAIRS_UP_TO = 600     # leads in one CRM compared all against all; above: neighbours
WINDOW = 8                # neighbours compared in each sorted order


def similar_pairs(keys: list[str], threshold: int) -> set[tuple[int, int]]:
    """Index pairs (i < j) of keys at least `threshold` alike and not equal.

    A CRM of ordinary size is compared all against all. A huge one (a pasted export)
    would cost n² comparisons and memory, so there each key meets its neighbours in
    sorted order and in sorted order of the reversed keys: a typo near the end keeps
    a key close in the first order, one near the start keeps it close in the second.
    """
    n = len(keys)
    pairs = set()
    if n <= ALL_PAIRS_UP_TO:
        scores = cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=threshold)
        above, below = np.nonzero(np.triu(scores, 1))
        return {(i, j) for i, j in zip(above.tolist(), below.tolist()) if keys[i] != keys[j]}
    for order in (sorted(range(n), key=lambda k: keys[k]),
                  sorted(range(n), key=lambda k: keys[k][::-1])):
        for pos, i in enumerate(order):
            for j in order[pos + 1:pos + 1 + WINDOW]:
                if keys[i] != keys[j] and fuzz.ratio(keys[i], keys[j]) >= threshold:
                    pairs.add((min(i, j), max(i, j)))
    return pairs


def first_look_alikes(keys: list[str], threshold: int) -> dict[int, int]:
    """For each lead j that has one, the first lead i < j whose key is alike but not
    equal. A CRM repeats spellings (a firm per row of contacts), so the distinct keys
    are compared, each once; a lead's look-alikes are then where those keys first stand."""
    first: dict[str, int] = {}
    for i, k in enumerate(keys):
        first.setdefault(k, i)
    distinct = list(first)
    alike: dict[str, int] = {}            # key -> first index of any key alike to it
    for a, b in similar_pairs(distinct, threshold):
        ka, kb = distinct[a], distinct[b]
        alike[ka] = min(alike.get(ka, first[kb]), first[kb])
        alike[kb] = min(alike.get(kb, first[ka]), first[ka])
    return {j: alike[k] for j, k in enumerate(keys) if k in alike and alike[k] < j}


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
    message = {"sv": "Kanske samma företag som rad {first_row}: kontrollera",
               "en": "Maybe the same company as row {first_row}: check"}
    explain = {"sv": "Namnet liknar ett annat i din CRM (ett stavfel?). Är det samma företag, håll ihop det på en rad.",
               "en": "The name looks like another in your CRM (a typo?). If it is the same company, keep it on one row."}

    def evaluate(self, frame, ctx):
        keyed = frame[frame["company_key"].notna()].sort_values(["student", "row"])
        keys, sheet_rows = keyed["company_key"].tolist(), keyed["row"].tolist()
        companies, index = keyed["company"].tolist(), keyed.index
        rows, params = [], []
        for at in keyed.groupby("student", sort=False).indices.values():
            earlier = first_look_alikes([keys[k] for k in at], ctx.settings["similarity"])
            for j, i in sorted(earlier.items()):
                rows.append(index[at[j]])
                params.append({"first_row": int(sheet_rows[at[i]]), "other": companies[at[i]]})
        return findings(frame.loc[rows], self.code, self.severity, params)
