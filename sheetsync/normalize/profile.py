"""What a column's cells hold, as shares of its filled cells: people's names, company
names, phone numbers, e-mails, links, dates, yes/no values, plain numbers, state codes,
known stages, long free text. The evidence step reads these to confirm, overrule or
pick between the fields a header's words suggest (evidence.py).

Shapes only, no lists of names: a person is two to four capitalised words (or a title
such as "Dra." before a name), a company carries a legal form or a word that names a
kind of business ("Boucherie", "Instituto", "Tandartspraktijk"). A profile looks at a
column's first 60 filled cells; each distinct cell is judged once per kind (cached).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from sheetsync.normalize.companies import LEGAL_FORMS
from sheetsync.normalize.dates import parse_date
from sheetsync.normalize.statuses import stage_of
from sheetsync.normalize.text import fold
from sheetsync.workbook import cell_text

SAMPLE = 60
YES_NO = frozenset({"yes", "no", "ja", "nej", "nei", "y", "n", "x", "true", "false", "sant",
                    "falskt", "si", "oui", "non", "ok", "done", "klar", "v", "1", "0", "sim", "nao",
                    "kylla", "ei", "waar", "onwaar", "vrai", "faux", "wahr", "falsch"})
# cells that stand for "nothing here": not counted as a column's values
PLACEHOLDERS = frozenset({"-", "--", "—", "–", "?", "nd", "na", "n/a", "n.a.", "n.d.", "#n/a", "none", "null",
                          "nil", "xxx", "xxxx", "xxxxx", "xxxxxx", "...", "tbd", "saknas", "mangler",
                          "puuttuu", "nao informado", "não informado", "non renseigné", "non précisé"})
_HONORIFICS = frozenset({"dr", "dra", "mr", "mrs", "ms", "miss", "herr", "frau", "m", "mme", "mlle", "sr",
                         "sra", "srta", "dott", "dottssa", "ing", "prof", "fru"})
_PARTICLES = frozenset({"de", "da", "do", "dos", "das", "van", "von", "der", "den", "la", "le", "di",
                        "del", "du", "af", "ten", "ter", "e", "y"})
# words that name a kind of organisation or business, in the region's languages and
# those of the lists students copy from: one in a name makes it a company's
BUSINESS_WORDS = frozenset("""
restaurant restaurante ristorante cafe bar brasserie boucherie boulangerie patisserie traiteur
hotel hostel clinic clinique clinica klinik kliniken praktijk tandarts tandartspraktijk dental
pharmacy pharmacie farmacia apotek apotheke institut institute instituto istituto association
associacao associazione asociacion forening forbund verein stichting fondation foundation fundacao
fondazione fundacion stiftelse church eglise igreja chiesa iglesia kyrka paroisse paroquia
parrocchia school ecole escola scuola escuela skola universitet university universite
universidade universita college academy akademie group groupe grupo gruppo gruppen koncern
center centre centro centrum shop store boutique butik market marche mercado supermarket
supermercado solutions solution services service consulting conseil consultoria consulenza
konsult technologies technology tech systems software agency agence agencia agenzia byra
company compagnie companhia compania societe sociedade societa bolag selskab yhtio studio
atelier salon barber barbershop garage bakery bageri laboratoire laboratorio lab labs holding
partners capital ventures management design media digital bank banque banco banca finance
logistics logistique logistica transport transportes transportadora construction construtora
construzioni bygg industries industrie industria manufacturing energie energia energy
distribuidora distribution comercio commerce trading handel import export immobilier
imobiliaria immobiliare realty arkitekter arkitektkontor architects architecture
""".split())
_LEGAL_EXTRA = frozenset({"sarl", "sas", "sasu", "eurl", "sa", "srl", "spa", "snc", "ltda", "eireli", "ug",
                          "kg", "ohg", "vof", "ky", "tmi", "sl", "slu", "ab", "oy", "oyj", "gmbh", "bv",
                          "nv", "as", "asa", "aps", "ehf", "hf", "sf"})
_NAME_WORD = re.compile(r"^[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+$")
_PHONE = re.compile(r"^\+?[\d\s\-()./]{7,22}$")
_NUMBER = re.compile(r"^[+-]?[\d\s]*[\d]([.,]\d+)?\s*%?$")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[a-zA-Z]{2,}")
_URL = re.compile(r"^(https?://|www\.)\S+$|^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(/\S*)?$", re.I)
_STATE_CODE = re.compile(r"^[A-Z]{2}$")


_KINDS = {
    "person": lambda v, year: looks_like_person(v),
    "company": lambda v, year: looks_like_company(fold(v)),
    "phone": lambda v, year: bool(_PHONE.match(v)) and sum(c.isdigit() for c in v) >= 7,
    "email": lambda v, year: bool(_EMAIL.search(v)),
    "url": lambda v, year: bool(_URL.match(v)) and "@" not in v,
    "date": lambda v, year: (not _NUMBER.match(v) and any(c.isdigit() for c in v)
                             and parse_date(v, year) is not None),
    "yes_no": lambda v, year: fold(v) in YES_NO,
    "number": lambda v, year: bool(_NUMBER.match(v)),
    "state_code": lambda v, year: bool(_STATE_CODE.match(v)),
    "stage": lambda v, year: stage_of(v) not in ("unknown", "new"),   # a stage other than "unknown"
    "digits": lambda v, year: any(c.isdigit() for c in v),            # a street address, not a town
    "long_text": lambda v, year: len(v.split()) >= 5,                 # free text
}


@lru_cache(maxsize=131072)
def _is(kind: str, value: str, year: int) -> bool:
    return _KINDS[kind](value, year)


class Profile:
    """A column's profile. Each share (`p.person`, `p.phone`, ... one per name in
    _KINDS) is worked out when first read, over the column's first SAMPLE filled
    cells, each distinct cell once: a rule reads two or three of them."""

    def __init__(self, data: list[list], index: int, year: int):
        self._data, self._index, self._year = data, index, year
        self._filled: int | None = None
        self.sample = Counter(_filled_cells(data, index, SAMPLE))
        self.n = sum(self.sample.values())

    @property
    def filled(self) -> int:
        """Filled cells in the whole column."""
        if self._filled is None:
            self._filled = self.n if self.n < SAMPLE else len(_filled_cells(self._data, self._index))
        return self._filled

    def __getattr__(self, kind: str) -> float:
        if kind not in _KINDS:
            raise AttributeError(kind)
        share = sum(t for v, t in self.sample.items() if _is(kind, v, self._year)) / self.n if self.n else 0.0
        setattr(self, kind, share)
        return share


def looks_like_person(value: str) -> bool:
    """'Anna Svensson', 'Dra. Lara Pinto', 'Jan van der Berg'; not 'Boucherie du Midi'."""
    words = value.replace(",", " ").split()
    if len(words) >= 2 and fold(words[0]) in _HONORIFICS and _NAME_WORD.match(words[1]):
        return True
    names = [w for w in words if fold(w) not in _PARTICLES]
    if not 2 <= len(names) <= 4 or len(names) < len(words) - 2:
        return False
    return all(_NAME_WORD.match(w) for w in names) and not looks_like_company(fold(value))


def looks_like_company(folded: str) -> bool:
    words = set(folded.split())
    return bool(words & LEGAL_FORMS or words & _LEGAL_EXTRA or words & BUSINESS_WORDS)


def profile(data: list[list], index: int, year: int) -> Profile:
    return Profile(data, index, year)


def _filled_cells(data: list[list], index: int, limit: int | None = None) -> list[str]:
    """A column's filled cells, stripped (text inline: nearly every cell is)."""
    out = []
    for row in data:
        if index < len(row):
            v = row[index]
            t = v.strip() if type(v) is str else cell_text(v).strip()
            if t and t.lower() not in PLACEHOLDERS:
                out.append(t)
                if limit is not None and len(out) >= limit:
                    break
    return out
