"""Header detection and mapping of a student's column names to canonical fields.

Matching runs on folded text (case, accents and punctuation removed), in this order:
an exact spelling from the vocabulary files of twelve languages (confidence 1.0), an
attempt column "Försök 2", "relance 2", "2nd follow-up" (1.0), a kind of contact detail
named anywhere in the header, "Hiring Manager Email" (0.8, not when the header names a
date: "Phone Screen Date" is an interview), spellings standing as words inside a longer
header (0.75), and a close spelling such as a typo, "Kontakperson" (its similarity).

Inside a longer header the left-most spelling is the head noun ("Activité source
Pharow" is an activity, "Description issue du site internet" a description), longer
spellings first at each place; words too general to name a field ("date", "url") are
not enough. Two spellings together can say something neither does alone: a person of
the company is the contact ("Company's manager", "gerente da empresa"), a contact's
title is the contact's role, a website's status or the source of a phone number or of
an owner's name is nothing a rule uses, and an identifier of a company is not its name
("ID entreprise Hubspot"). A close spelling is never taken from a header that reads as
a person's name or a yes/no value. Anything else is unmapped and kept as a
pass-through column.
"""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from sheetsync.normalize.text import fold
from sheetsync.normalize.vocabulary import header_spellings
from sheetsync.workbook import cell_text, is_owned_header
ATTEMPT_COLUMN = "attempt_n"         # "Försök 1", "Attempt 2": one column per attempt

# field -> spellings, from the vocabulary files (one per language, folded at import);
# ignored headers name something a CRM row may hold but no rule uses: recognised, so
# they are not mistaken for a field by a word they share ("Posting Date" is not a
# contact date)
_EXACT: dict[str, str] = {}
_IGNORED_SET: set[str] = set()
for _lang, _field, _name in header_spellings():
    if _field == "ignored":
        _IGNORED_SET.add(fold(_name))
    elif fold(_name) not in _IGNORED_SET:
        _EXACT.setdefault(fold(_name), _field)
_IGNORED = frozenset(_IGNORED_SET)
# words too general to name a field from inside a longer header: "Date Posted" is not a
# contact date, "Job URL" is not the company's website; alone, they still count
WEAK_WORDS = frozenset({"date", "datum", "dato", "fecha", "url", "name", "namn", "navn", "nom",
                        "nombre", "naam", "nimi", "type", "typ", "id", "nr", "nummer", "number",
                        "site", "web", "via", "job", "jobb", "info", "person", "kontakt",
                        "contact", "contacted", "kontaktad", "link", "role", "title", "titel",
                        "roll", "rolle", "tittel", "position", "senast", "applied", "sokt"})
_ATTEMPT_RE = re.compile(r"^(forsok|attempt|forsog|kontaktforsok|try|samtal|kontakt|relance|rappel|follow up|"
                         r"followup|sollecito|tentativa|tentative|tentativo|poging|versuch|yritys nro)"
                         r"\s*(nr\s*|n\s*|no\s*)?[1-9]$"
                         r"|^[1-9](st|nd|rd|th|e|er|eme|re|a|o|ª|º)?\s+(follow up|followup|relance|attempt|"
                         r"try|call|rappel|forsok|tentativa|sollecito)$")
_CHOICES = list(_EXACT)
# one-word spellings of the fields whose values can confirm a close spelling (phones,
# e-mails, links, stages): only these are looked for as a typo inside a longer header
_CHECKABLE = [c for c in _CHOICES if " " not in c and len(c) >= 5 and _EXACT[c] in
              ("phone", "email", "website", "link", "linkedin", "status_raw")]
_LETTER = re.compile(r"[^\W\d_]")
FUZZY_CUTOFF = 84
# words that name a kind of contact detail wherever they stand in a header
# a date word in a header makes it a date of something, not a contact detail
_DATE_WORDS = frozenset({"date", "datum", "dato", "fecha", "data", "paivamaara", "pvm", "dagsetning", "when"})
# a header naming an identifier or a file is not the thing it identifies
_ID_WORDS = frozenset({"id", "ids", "uuid", "identifiant", "identificador", "identificativo", "pdf", "file",
                       "fichier", "arquivo", "documento", "fil", "tiedosto", "datei"})
# fields a source word may qualify: "Tél standard origine" is where a number came from
_DATED = frozenset({"last_contact", "follow_up", "applied_on"})
_DETAIL_FIELDS = frozenset({"contact_name", "phone", "email", "website", "linkedin", "org_number"})
_CONTACT_WORDS = {"email": "email", "mail": "email", "epost": "email", "mejl": "email",
                  "sahkoposti": "email", "courriel": "email", "correo": "email",
                  "phone": "phone", "telefon": "phone", "telephone": "phone", "tlf": "phone",
                  "telefoon": "phone", "telefono": "phone", "puhelin": "phone", "linkedin": "linkedin",
                  "telefone": "phone", "whatsapp": "phone", "sahkopostiosoite": "email", "netfang": "email"}


@lru_cache(maxsize=None)
def _choices_near(length: int) -> list[str]:
    """The spellings a header of `length` characters can reach the cutoff with: fuzz.ratio
    (Indel) of lengths a and b is at most 100 * (1 - |a - b| / (a + b)). A few dozen of
    the ~800, in the same order, so extractOne picks the same winner."""
    return [c for c in _CHOICES
            if 100 * (1 - abs(len(c) - length) / (len(c) + length)) >= FUZZY_CUTOFF - 0.01]


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
    if not _LETTER.search(key):              # '070-123 45 67', a date: every spelling has letters
        return None, 0.0
    if _ATTEMPT_RE.match(key):
        return ATTEMPT_COLUMN, 1.0
    words = key.split()
    if not _DATE_WORDS.intersection(words):
        for word in words:                   # a kind of contact detail decides: "Hiring Manager Email"
            if word in _CONTACT_WORDS:
                return _CONTACT_WORDS[word], 0.8
    found = _words_inside(words)
    if any(strong for _, strong in found):
        return _compound(found, words), 0.75
    if len(key) >= 4 and not _reads_as_value(text, key):
        best = process.extractOne(key, _choices_near(len(key)), scorer=fuzz.ratio,
                                  score_cutoff=FUZZY_CUTOFF)
        if best:
            return _EXACT[best[0]], round(best[1] / 100, 2)
    for word in words:        # a typo inside a longer header, "Zoom Webiste": the values must agree
        if len(word) >= 6:
            best = process.extractOne(word, _CHECKABLE, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if best:
                return _EXACT[best[0]], round(best[1] / 100, 2)
    return None, 0.0


def _words_inside(words: list[str]) -> list[tuple[str, bool]]:
    """(field, strong) of the spellings standing as words in a header, left to right; at
    each place the longest spelling (up to four words) wins and its words are used up.
    A weak word ("site", "date") names no field alone but still qualifies the others."""
    found, i = [], 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            part = " ".join(words[i:i + size])
            if i + size <= len(words) and part in _EXACT and len(part) >= 3:
                found.append((_EXACT[part], part not in WEAK_WORDS))
                i += size
                break
        else:
            i += 1
    return found


def _compound(found: list[tuple[str, bool]], words: list[str]) -> str | None:
    """The field a header of several known words names (see the module's docstring)."""
    head = next(field for field, strong in found if strong)
    fields = {field for field, _ in found}
    if _ID_WORDS.intersection(words):
        return None
    if "status_raw" in fields and "website" in fields:
        return None
    if "source" in fields and fields & _DETAIL_FIELDS:
        return None
    if _DATE_WORDS.intersection(words) and head not in _DATED:    # "Phone Screen Date": an interview
        return None
    if head in ("position", "contact_role") and "contact_name" in fields:   # "Cargo do contato"
        return "contact_role"
    if "company" in fields and ("contact_name", True) in found:      # not "Name of company"
        return "contact_name"
    return head


_PERSON_HEADER = re.compile(r"^[A-ZÅÄÖÆØÜÉ][a-zåäöæøüéèáíóúñ'-]+( [A-ZÅÄÖÆØÜÉ][a-zåäöæøüéèáíóúñ'-]+){1,2}$")
_YES_NO_HEADER = frozenset({"yes", "no", "ja", "nej", "nei", "true", "false", "sant", "falskt", "oui", "non",
                            "sim", "nao", "si", "kylla", "ei", "waar", "onwaar", "vrai", "faux", "x"})


@lru_cache(maxsize=1)
def _vocabulary_words() -> frozenset[str]:
    return frozenset(w for spelling in _CHOICES for w in spelling.split())


def _reads_as_value(text: str, key: str) -> bool:
    """A header that is a person's name ('Anna Svensson') or a yes/no value ('Falskt')
    is a value typed in the header row: no close spelling is looked for in it."""
    if key in _YES_NO_HEADER:
        return True
    return bool(_PERSON_HEADER.match(text.strip())) and not _vocabulary_words().intersection(key.split())


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
        parts = split_header(row)        # a header of separate cells beats one of parts
        return ONE_CELL_WEIGHT * header_score(parts) if parts else 0.0
    return sum(fields.values()) + (0.5 if "company" in fields else 0.0)


# "Företag - kontakt - telefon": one column holding several fields, split by a dash
# with spaces around it (a phone's own dashes have none), a bar or a semicolon
ONE_CELL_WEIGHT = 0.5                # a title "Företag – kontakt – status" is no header
ONE_CELL_SEPARATOR = re.compile(r"\s+[-–—|/]\s+|\s*[|;]\s*")


def split_header(row: list) -> list[str] | None:
    """The parts of a row's only header cell when it names the company and at least
    one other field between separators; None otherwise."""
    only = None
    for value in row:
        text = cell_text(value).strip()
        if text:
            if only is not None:          # a second filled cell: a row of cells, not of parts
                return None
            only = text
    if only is None:
        return None
    parts = [p for p in ONE_CELL_SEPARATOR.split(only) if p]
    if len(parts) < 2:
        return None
    fields = {map_header(p)[0] for p in parts} - {None}
    return parts if "company" in fields and len(fields) >= 2 else None


def find_header_row(rows: list[list], scan: int = 25) -> int | None:
    """0-based index of the header row among the first `scan` rows that hold anything
    (blank rows under a logo or a title do not count), or None. The row whose words are
    most known, unless it reads as data and a full row above it does not: a header of
    words no vocabulary knows still beats the data rows below it."""
    best, best_score = None, 0.0
    for i, row in _first_filled(rows, scan):
        score = header_score(row)
        if score > best_score:
            best, best_score = i, score
    if best:
        best = _header_above(rows, best)
    return best


def _first_filled(rows: list[list], count: int, limit: int = 1000):
    """(index, row) of the first `count` rows holding a cell, among the first `limit`."""
    found = 0
    for i, row in enumerate(rows[:limit]):
        if any(cell_text(v).strip() for v in row):
            yield i, row
            found += 1
            if found == count:
                return


def _filled(row: list) -> int:
    return sum(1 for v in row if v is not None and str(v).strip())


def _header_above(rows: list[list], best: int) -> int:
    """The first row above `best` as wide as a header, when `best` looks like the data
    of its columns (cells of the same kind as those below, or repeating them) and that
    row does not."""
    width = _filled(rows[best])
    above = next((i for i in range(best) if _filled(rows[i]) >= max(2, 0.6 * width)), None)
    if above is None:
        return best
    if _data_likeness(rows, best) >= 0.5 and _data_likeness(rows, above) < 0.25:
        return above
    return best


def _data_likeness(rows: list[list], index: int, below: int = 12) -> float:
    """Share of a row's filled cells that look like the cells under them: a value
    repeated below, or a typed value (date, phone, number...) where the column holds
    that type."""
    from sheetsync.normalize.shape import kind_of       # shape reads headers' neighbours
    import datetime as dt
    year = dt.date.today().year
    row, under = rows[index], [r for r in rows[index + 1:index + 1 + below] if _filled(r)]
    cells = [(j, cell_text(v).strip()) for j, v in enumerate(row) if cell_text(v).strip()]
    if not cells or not under:
        return 0.0
    alike = 0
    for j, text in cells:
        column = [cell_text(r[j]).strip() for r in under if j < len(r) and cell_text(r[j]).strip()]
        if not column:
            continue
        if fold(text) in {fold(v) for v in column}:
            alike += 1
            continue
        kinds = [kind_of(v, year) for v in column]
        common = max(set(kinds), key=kinds.count)
        if common not in ("", "text") and kinds.count(common) >= len(kinds) / 2 and kind_of(text, year) == common:
            alike += 1
    return alike / len(cells)
