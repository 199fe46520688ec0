from sheetsync.engine.findings import findings
from sheetsync.engine.registry import Rule


class NoContactPath(Rule):
    """A lead with no way to reach anyone: no person, phone, e-mail or LinkedIn (D5).

    **Anti-pattern**
        | Företag  | Kontaktperson | Telefon | E-post |
        | Volvo AB |               |         |        |

    **Best practice**
        | Företag  | Kontaktperson | Telefon       | E-post        |
        | Volvo AB | Anna Berg     | 070-123 45 67 | anna@volvo.se |
    """
    code, name, severity = "CL02", "cleanup.no_contact_path", "warning"
    message = {"sv": "ingen kontaktväg (person, telefon, e-post eller LinkedIn)",
               "en": "no contact path (person, phone, e-mail or LinkedIn)"}

    def evaluate(self, frame, ctx):
        none = (frame["contact_name"].isna() & frame["phone_raw"].isna()
                & frame["email_raw"].isna() & frame["linkedin"].isna() & frame["company"].notna())
        return findings(frame[none], self.code, self.severity)
