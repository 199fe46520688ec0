import re

from sheetsync.engine.findings import findings
from sheetsync.engine.registry import Rule

# whole words, on lower-cased text; '??' anywhere
_WORDS = ("tror", "kanske", "verkar", "typ", "antagligen", "troligen", "eventuellt",
          "maybe", "i think", "probably", "perhaps", "seems", "guess", "måske", "tror jeg",
          "nok", "vet inte", "ingen aning", "möjligen")
SPECULATION = re.compile(r"\?\?|\b(?:" + "|".join(re.escape(w) for w in _WORDS) + r")\b",
                         re.IGNORECASE)


class SpeculativeNote(Rule):
    """A note that is speculation or filler rather than fact (D2: keep the CRM crisp).

    **Anti-pattern**
        | Företag  | Kommentar                   |
        | Volvo AB | tror de kanske anställer??  |

    **Best practice**
        | Företag  | Kommentar                                   |
        | Volvo AB | Tar emot 2 LIA-studenter HT, enligt Anna B. |
    """
    code, name, severity = "CL05", "cleanup.speculative_note", "info"
    message = {"sv": "Kommentaren låter som en gissning: skriv bara fakta",
               "en": "The note reads as a guess: keep to facts"}
    explain = {"sv": "Kommentarer som 'tror de kanske anställer' hjälper ingen. Skriv vad som hänt och vad ni kom överens om.",
               "en": "Notes like 'think they might hire' help nobody. Write what happened and what was agreed."}

    def evaluate(self, frame, ctx):
        notes = frame["notes"].dropna().astype(str)
        # each distinct note searched once: most are empty or repeat a few phrases
        speculative = {v for v in notes.unique() if SPECULATION.search(v)}
        return findings(frame.loc[notes.index[notes.isin(speculative)]], self.code, self.severity)
