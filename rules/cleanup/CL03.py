from sheetsync.engine.findings import findings
from sheetsync.engine.registry import Rule, clip


class MalformedContact(Rule):
    """A phone number that is not a number, or an e-mail address that is malformed.

    **Anti-pattern**
        | Företag  | Telefon     | E-post         |
        | Volvo AB | ring växeln | anna(at)volvo  |

    **Best practice**
        | Företag  | Telefon       | E-post        |
        | Volvo AB | 031-66 00 00  | anna@volvo.se |
    """
    code, name, severity = "CL03", "cleanup.malformed_contact", "warning"
    message = {"sv": "Kontrollera {field}: {value!r}",
               "en": "Check {field}: {value!r}"}
    explain = {"sv": "Telefonnumret eller e-postadressen ser inte giltig ut. Skriv t.ex. 070-123 45 67 eller namn@foretag.se.",
               "en": "The phone number or e-mail address does not look valid. Write e.g. 070-123 45 67 or name@company.se."}
    _label = {"sv": {"phone": "telefonnumret", "email": "e-postadressen"},
              "en": {"phone": "the phone number", "email": "the e-mail address"}}

    def evaluate(self, frame, ctx):
        bad_phone = frame["phone_raw"].notna() & ~frame["phone_ok"].astype(bool)
        bad_email = frame["email_raw"].notna() & ~frame["email_ok"].astype(bool)
        phone = frame[bad_phone]
        email = frame[bad_email & ~bad_phone]
        return findings(
            frame.loc[list(phone.index) + list(email.index)], self.code, self.severity,
            [{"field": "phone", "value": v} for v in phone["phone_raw"]]
            + [{"field": "email", "value": v} for v in email["email_raw"]])

    @classmethod
    def text(cls, language, params):
        label = cls._label[language].get(params.get("field"), params.get("field", ""))
        return cls.message[language].format(field=label, value=clip(params.get("value", "")))
