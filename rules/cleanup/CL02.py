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
    message = {"sv": "Ingen kontaktväg: lägg till person, telefon eller mejl",
               "en": "No way to reach them: add a person, phone or e-mail"}
    explain = {"sv": "Ett lead räknas först när det finns någon att nå: en kontaktperson, ett telefonnummer, en e-postadress eller en LinkedIn-länk.",
               "en": "A lead counts once there is someone to reach: a contact person, a phone number, an e-mail address or a LinkedIn link."}

    def evaluate(self, frame, ctx):
        none = (frame["contact_name"].isna() & frame["phone_raw"].isna()
                & frame["email_raw"].isna() & frame["linkedin"].isna() & frame["company"].notna())
        return findings(frame[none], self.code, self.severity)
