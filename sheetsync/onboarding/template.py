"""The CRM a new student starts from, in Swedish or English (seed: "Sätt upp ditt
individuella CRM"). Described once as data; each backend renders it: dropdowns, date
columns, a frozen header, a contact-log tab and a short how-to tab (D1-D9 in a student's
words)."""
from __future__ import annotations

from dataclasses import dataclass, field

# (canonical field, sv header, en header, dropdown key or None, is a date)
COLUMNS = [
    ("company", "Företag", "Company", None, False),
    ("category", "Typ av företag", "Company type", "category", False),
    ("city", "Ort", "City", None, False),
    ("work_mode", "Upplägg", "Work mode", "work_mode", False),
    ("temperature", "Varm/Kall", "Warm/Cold", "temperature", False),
    ("source", "Källa", "Source", None, False),
    ("contact_name", "Kontaktperson", "Contact person", None, False),
    ("contact_role", "Roll", "Role", None, False),
    ("phone", "Telefon", "Phone", None, False),
    ("email", "E-post", "Email", None, False),
    ("linkedin", "LinkedIn", "LinkedIn", None, False),
    ("channel", "Kanal", "Channel", "channel", False),
    ("status_raw", "Status", "Status", "status", False),
    ("attempts", "Antal försök", "Attempts", None, False),
    ("last_contact", "Senast kontaktad", "Last contact", None, True),
    ("follow_up", "Följ upp", "Follow-up", None, True),
    ("next_step", "Nästa steg", "Next step", None, False),
    ("notes", "Kommentar", "Notes", None, False),
]
DROPDOWNS = {
    "sv": {"status": ["ej kontaktad", "ringt – inget svar", "mejlat", "i dialog", "intervju bokad",
                      "erbjudande", "ja", "nej"],
           "channel": ["telefon", "mejl", "LinkedIn", "besök"],
           "temperature": ["varm", "kall"],
           "category": ["Konsultbolag", "Produktbolag", "Industri", "Offentlig sektor", "Startup",
                        "Scale-up", "Vård", "Skola", "Energi", "Annat"],
           "work_mode": ["på plats", "hybrid", "distans"]},
    "en": {"status": ["not contacted", "called – no answer", "emailed", "in dialogue",
                      "interview booked", "offer", "yes", "no"],
           "channel": ["phone", "email", "LinkedIn", "visit"],
           "temperature": ["warm", "cold"],
           "category": ["Consultancy", "Product company", "Industry", "Public sector", "Startup",
                        "Scale-up", "Healthcare", "School", "Energy", "Other"],
           "work_mode": ["on-site", "hybrid", "remote"]},
}
LOG = {"sv": ("Kontaktlogg", ["Datum", "Företag", "Kanal", "Utfall", "Kommentar"]),
       "en": ("Contact log", ["Date", "Company", "Channel", "Outcome", "Notes"])}
CRM_TAB = {"sv": "CRM", "en": "CRM"}
HOWTO = {
    "sv": ("Så använder du", [
        "Så använder du ditt LIA-CRM",
        "",
        "En rad per företag. Fyll i företag, en kontaktväg och typ av företag: då räknas det som ett kvalitetslead.",
        "Mål: minst 50 kvalitetsföretag i CRM:et innan april är slut, varma leads inräknade. (D4)",
        "Högst 3 studenter per företag. Vill fler ha samma lead dras lott; lotten visas i kolumnen ⚑ Flaggor. (D1)",
        "Håll CRM:et rent: bara fakta, inga gissningar som \"tror de anställer?\". (D2)",
        "April: researcha företag med långa rekryteringsprocesser. Juli: små och medelstora företag. (D3)",
        "Ring först, sedan mejl och LinkedIn. Logga varje kontakt direkt, gärna i fliken Kontaktlogg. (D5)",
        "Ett lead är bearbetat efter ett ja, ett nej eller 3 försök utan svar. Prova en annan kanal innan du ger upp. (D6)",
        "Efter varje samtal: bestäm när du följer upp och skriv datumet i Följ upp. Uppföljningen är ditt ansvar. (D7)",
        "Mjuk deadline 30 juni, hård 30 september; från oktober placerar personalen dem som saknar LIA. (D8)",
        "Förbered varje lead: varför just de, din öppningsfråga, argument, invändningar och ett CV för dem. (D9)",
        "",
        "Varje natt läser sheetsync ditt CRM och skriver flaggor, läge och nästa steg i kolumnerna som börjar med",
        "\"sheetsync\", och en sammanfattning i fliken sheetsync. Allt annat i bladet rör den aldrig.",
    ]),
    "en": ("How to use", [
        "How to use your LIA CRM",
        "",
        "One row per company. Fill in the company, a way to reach someone and the company type: then it is a quality lead.",
        "Goal: at least 50 quality companies in the CRM by the end of April, warm leads included. (D4)",
        "At most 3 students per company. If more want the same lead, lots are drawn; a lost draw shows in ⚑ Flags. (D1)",
        "Keep the CRM clean: facts only, no guesses like \"maybe hiring?\". (D2)",
        "April: research companies with long hiring processes. July: small and mid-size companies. (D3)",
        "Call first, then e-mail and LinkedIn. Log every contact as it happens, e.g. in the Contact log tab. (D5)",
        "A lead is processed after a yes, a no or 3 attempts without an answer. Try another channel before giving up. (D6)",
        "After each conversation: agree when you follow up and write the date under Follow-up. Following up is your job. (D7)",
        "Soft deadline 30 June, hard 30 September; from October staff place the students without an LIA. (D8)",
        "Prepare each lead: why them, your opening question, arguments, objections and a CV for them. (D9)",
        "",
        "Every night sheetsync reads your CRM and writes flags, state and next step into the columns whose header",
        "starts with \"sheetsync\", and a summary into the sheetsync tab. It never touches anything else.",
    ]),
}


@dataclass
class TemplateSpec:
    tabs: dict[str, list[list]]                       # title -> rows
    dropdowns: list[tuple[str, int, list[str]]] = field(default_factory=list)   # tab, col, options
    date_columns: list[tuple[str, int]] = field(default_factory=list)          # tab, col (1-based)
    frozen: dict[str, int] = field(default_factory=dict)                       # tab -> rows


def template(language: str) -> TemplateSpec:
    crm = CRM_TAB[language]
    header = [sv if language == "sv" else en for _, sv, en, _, _ in COLUMNS]
    log_title, log_header = LOG[language]
    how_title, how_rows = HOWTO[language]
    spec = TemplateSpec({crm: [header], log_title: [log_header], how_title: [[r] for r in how_rows]},
                        frozen={crm: 1, log_title: 1})
    for col, (_, _, _, dropdown, is_date) in enumerate(COLUMNS, start=1):
        if dropdown:
            spec.dropdowns.append((crm, col, DROPDOWNS[language][dropdown]))
        if is_date:
            spec.date_columns.append((crm, col))
    spec.dropdowns.append((log_title, 3, DROPDOWNS[language]["channel"]))
    spec.date_columns.append((log_title, 1))
    return spec
