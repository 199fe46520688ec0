from sheetsync.engine.findings import findings
from sheetsync.engine.registry import Rule


class MissingCompany(Rule):
    """A lead without a company name.

    **Anti-pattern**
        | Företag | Kontaktperson | Telefon       |
        |         | Anna Berg     | 070-123 45 67 |

    **Best practice**
        | Företag  | Kontaktperson | Telefon       |
        | Volvo AB | Anna Berg     | 070-123 45 67 |
    """
    code, name, severity = "CL01", "cleanup.missing_company", "error"
    message = {"sv": "Företagsnamn saknas",
               "en": "Company name missing"}
    explain = {"sv": "Raden har kontaktuppgifter men inget företag: skriv företagets namn.",
               "en": "The row has contact details but no company: write the company's name."}

    def evaluate(self, frame, ctx):
        return findings(frame[frame["company"].isna()], self.code, self.severity)
