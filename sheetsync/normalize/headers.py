"""Header detection and mapping of a student's column names to canonical fields.

Matching runs on folded text (case, accents, punctuation removed), in this order:
an exact synonym (confidence 1.0), an attempt column "Försök 2" (1.0), a synonym
standing as a word inside a longer header, "Kontaktperson/roll" (0.75, the first
such word wins: the main noun comes first), and a close spelling of a synonym such as
a typo, "Kontakperson" (its similarity). Anything else is unmapped
and kept as a pass-through column.
"""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from sheetsync.normalize.text import fold

OWNED_PREFIX = "sheetsync"
ATTEMPT_COLUMN = "attempt_n"         # "Försök 1", "Attempt 2": one column per attempt

# field -> spellings in Swedish, English and Danish (folded at import).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "company": ("företag", "foretag", "företagsnamn", "bolag", "bolagsnamn", "arbetsgivare",
                "virksomhed", "virksomhet", "firma", "firmanavn", "firmanamn", "company",
                "company name", "employer", "organisation", "organization", "kund",
                "arbejdsgiver", "företag bolag", "företag namn"),
    "org_number": ("org nr", "orgnr", "organisationsnummer", "org nummer", "orgnummer",
                   "org number", "organisation number", "cvr", "cvr nr", "cvr nummer"),
    "website": ("webbplats", "hemsida", "webbsida", "website", "web", "webb", "url",
                "hjemmeside", "homepage", "sajt", "site"),
    "category": ("bransch", "typ", "kategori", "category", "industry", "sector", "sektor",
                 "branche", "företagstyp", "type", "company type", "typ av företag",
                 "virksomhedstype"),
    "size": ("storlek", "antal anställda", "anställda", "size", "employees", "company size",
             "storrelse", "ansatte", "antal ansatte"),
    "city": ("ort", "stad", "plats", "city", "location", "by", "kommun", "placering",
             "lokation", "ort stad", "region", "address", "adress"),
    "work_mode": ("upplägg", "arbetssätt", "distans", "work mode", "remote", "on site",
                  "arbejdsform", "remote hybrid", "på plats distans", "arbetsform",
                  "workplace", "work type"),
    "contact_name": ("kontaktperson", "kontakt", "namn", "contact", "contact person",
                     "contact name", "kontaktpersons namn", "navn", "person", "kontaktnamn",
                     "kontaktperson navn", "rekryterare", "recruiter", "hiring manager"),
    "contact_role": ("roll", "titel", "befattning", "role", "contact role", "stilling",
                     "kontaktens roll", "title"),
    "phone": ("telefon", "tel", "mobil", "tfn", "telefonnummer", "telefonnr", "tel nr",
              "phone", "phone number", "mobile", "tlf", "telefon nr", "mobilnummer",
              "mobilnr", "nummer", "telefon mobil"),
    "email": ("e post", "epost", "mejl", "mail", "e mail", "email", "e mailadresse",
              "mejladress", "mailadress", "e postadress", "epostadress", "email address",
              "e mail address", "mejl adress"),
    "linkedin": ("linkedin", "linked in", "linkedin profil", "linkedin url",
                 "linkedin profile", "li"),
    "source": ("källa", "source", "kilde", "hittad via", "lead source", "var hittad",
               "hittad", "found via", "source tracker"),
    "temperature": ("varm kall", "varm", "temperatur", "temperature", "warm cold",
                    "lead type", "varm eller kall", "varmt kallt", "leadtyp"),
    "channel": ("kanal", "channel", "kontaktväg", "medium", "kontaktsätt",
                "kontaktkanal", "contact method", "via", "kontaktform"),
    "status_raw": ("status", "läge", "svar", "resultat", "outcome", "state", "stage",
                   "response", "utfall", "status svar", "svar status", "resultat status"),
    "attempts": ("antal försök", "försök", "attempts", "antal kontakter",
                 "number of attempts", "forsog", "antal forsog", "kontaktförsök",
                 "antal kontaktförsök", "antal samtal", "tries", "attempts count"),
    "last_contact": ("senast kontaktad", "datum", "kontaktad", "last contact",
                     "date contacted", "contacted", "senaste kontakt", "sidst kontaktet",
                     "dato", "date", "kontaktdatum", "senast", "last contacted",
                     "datum kontakt", "kontakt datum"),
    "follow_up": ("uppföljning", "följ upp", "nästa kontakt", "opfølgning", "follow up",
                  "follow up date", "next contact", "uppföljningsdatum", "återkoppling",
                  "följ upp datum", "folj upp", "ring igen", "uppfoljning datum",
                  "reminder", "påminnelse"),
    "next_step": ("nästa steg", "next step", "next action", "næste skridt", "att göra",
                  "todo", "to do", "action", "åtgärd"),
    "notes": ("kommentar", "kommentarer", "anteckningar", "anteckning", "övrigt", "noter",
              "notes", "comments", "comment", "note", "bemærkninger", "noteringar", "info",
              "notat", "notater", "beskrivning", "description"),
    "position": ("tjänst", "position", "roll sökt", "role title", "job title", "stilling",
                 "sökt tjänst", "tjänst roll", "jobbtitel", "job", "jobb", "yrkesroll",
                 "lia roll"),
    "applied_on": ("ansökt", "ansökt datum", "applied", "applied on", "date applied",
                   "app submitted date", "ansøgt", "sökt", "ansökningsdatum",
                   "application date", "ansøgningsdato"),
    "link": ("länk", "link", "annons", "annonslänk", "job link", "job description link",
             "posting link", "job posting", "jobbannons", "annonce"),
}

# headers that name something a CRM row may hold but no rule uses: recognised, so they
# are not mistaken for a field by a word they share ("Posting Date" is not a contact date)
IGNORED = ("posting date", "internship season", "season", "priority", "priority score",
           "prioritet", "prio", "salary", "lön", "løn", "benefits", "förmåner", "referred by",
           "deadline", "sista ansökningsdag", "ansøgningsfrist", "keywords", "nyckelord",
           "total interviews", "id", "nr", "#", "rank")
_IGNORED = frozenset(fold(h) for h in IGNORED)

_ATTEMPT_RE = re.compile(r"^(forsok|attempt|forsog|kontaktforsok|try|samtal|kontakt)\s*(nr\s*)?[1-9]$")
_EXACT: dict[str, str] = {}
for _field, _names in SYNONYMS.items():
    for _name in _names:
        _EXACT.setdefault(fold(_name), _field)
_CHOICES = list(_EXACT)


def is_owned_header(text) -> bool:
    return isinstance(text, str) and text.strip().lower().startswith(OWNED_PREFIX)


@lru_cache(maxsize=16384)
def map_header(text: str) -> tuple[str | None, float]:
    """A header cell's text -> (canonical field or None, confidence 0..1)."""
    key = fold(text)
    if not key or is_owned_header(text):
        return None, 0.0
    if key in _EXACT:
        return _EXACT[key], 1.0
    if key in _IGNORED:
        return None, 1.0
    if _ATTEMPT_RE.match(key):
        return ATTEMPT_COLUMN, 1.0
    words = key.split()
    for size in (2, 1):                      # a synonym inside a longer header
        for i in range(len(words) - size + 1):
            part = " ".join(words[i:i + size])
            if part in _EXACT and len(part) >= 3:
                return _EXACT[part], 0.75
    if len(key) >= 4:
        best = process.extractOne(key, _CHOICES, scorer=fuzz.ratio, score_cutoff=84)
        if best:
            return _EXACT[best[0]], round(best[1] / 100, 2)
    return None, 0.0


def header_score(row: list) -> float:
    """How much a row looks like a CRM header: distinct fields it maps, weighted."""
    fields: dict[str, float] = {}
    for value in row:
        if isinstance(value, str) and value.strip():
            field, conf = map_header(value)
            if field:
                field = "attempts" if field == ATTEMPT_COLUMN else field
                fields[field] = max(fields.get(field, 0), conf)
    if len(fields) < 2:
        return 0.0
    return sum(fields.values()) + (0.5 if "company" in fields else 0.0)


def find_header_row(rows: list[list], scan: int = 25) -> int | None:
    """0-based index of the header row among the first `scan` rows, or None."""
    best, best_score = None, 0.0
    for i, row in enumerate(rows[:scan]):
        score = header_score(row)
        if score > best_score:
            best, best_score = i, score
    return best
