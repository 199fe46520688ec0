"""Header and content together: what a column's values look like confirms or overrules
what its header's words say.

- a job title or a contact's title ("Role", "Title", "Titel"): a contact's role only when
  it stands beside the contact person, else the position applied for;
- a link: to a job board or a job ad it is the ad (`link`), to a bare homepage it is the
  company's website;
- yes/no values ("Made contact?" with Yes/No) are never a name, a company or a place;
- a date field matched only by a word of its header needs values that read as dates
  ("application_id" holding 1042, 1043 is not a date).
Each change is noted on the column, so the mapping report says which evidence decided.
Columns staff set in `[[students]] columns` are never overruled.
"""
from __future__ import annotations

import re
from urllib.parse import urlparse

from sheetsync.normalize.dates import parse_date
from sheetsync.normalize.profile import PLACEHOLDERS, profile
from sheetsync.normalize.text import fold
from sheetsync.workbook import cell_text

AMBIGUOUS_TITLES = frozenset({"role", "title", "titel", "roll", "rolle", "tittel", "befattning", "stilling",
                              "funktion", "cargo", "fonction"})
JOB_BOARDS = ("linkedin.com/jobs", "greenhouse.io", "lever.co", "workday", "myworkdayjobs",
              "indeed.", "glassdoor.", "smartrecruiters", "teamtailor", "jobylon", "arbetsformedlingen",
              "platsbanken", "jobtechdev", "monster.", "stepstone", "ashbyhq", "recruitee",
              "jobs.", "careers.", "karriere", "karriar", "karriar.", "finn.no/job", "jobindex",
              "ziprecruiter", "handshake", "wellfound", "welcometothejungle", "icims", "taleo",
              "successfactors", "bamboohr", "breezy.hr", "workable", "jobvite", "simplyhired")
JOB_PATH = re.compile(r"/(jobs?|careers?|karriar|karriere|lediga[-_]jobb|job[-_]?posting|position|"
                      r"vacanc\w*|openings?|apply|ansok|stilling|stellen|vacatures?|empleo|offres?)\b")
YES_NO = frozenset({"yes", "no", "ja", "nej", "nei", "y", "n", "x", "true", "false", "sant",
                    "falskt", "si", "oui", "non", "ok", "done", "klar", "v", "✓", "✔", "✗", "1", "0"})
TEXT_FIELDS = ("company", "contact_name", "contact_role", "position", "city", "source", "category")
DATE_FIELDS = ("last_contact", "follow_up", "applied_on")
_US_STATE = re.compile(r"^[A-Z]{2}$")
PLACEHOLDERS_UPPER = frozenset(p.upper() for p in PLACEHOLDERS)


def _state_codes(values: list[str]) -> float:
    """Share of two-letter codes, when they vary: a column of "ND" (not available) or
    "NA" is a placeholder typed down a column, not a place."""
    codes = [v for v in values if _US_STATE.match(v)]
    return len(codes) / len(values) if len(set(codes) - PLACEHOLDERS_UPPER) >= 2 else 0.0


def _values(data: list[list], index: int, limit: int = 200) -> list[str]:
    """The first `limit` filled cells of a column, stripped."""
    out = []
    for row in data:
        if index < len(row):
            v = cell_text(row[index]).strip()
            if v:
                out.append(v)
                if len(out) >= limit:
                    break
    return out


def _path(text: str) -> str | None:
    try:
        return urlparse(text if "://" in text else "http://" + text).path or ""
    except ValueError:          # not a URL at all ('.[')
        return None


def _job_ad(url: str) -> bool:
    text = url.lower()
    return any(b in text for b in JOB_BOARDS) or bool(JOB_PATH.search(_path(text) or ""))


def _homepage(url: str) -> bool:
    text = url.lower()
    if " " in text or "." not in text:
        return False
    return _path(text) in ("", "/") and not _job_ad(text)


def confirm_by_content(columns: list, data: list[list], overrides: dict, year: int) -> None:
    """Adjust `columns` (frame.Column) in place from their values."""
    by_index = {c.index: c for c in columns}
    taken = {c.field for c in columns if c.field}
    for col in columns:
        if fold(col.header) in overrides:
            continue
        key = fold(col.header)
        if key in AMBIGUOUS_TITLES and col.field in ("position", "contact_role"):
            beside = [by_index.get(col.index - 1), by_index.get(col.index + 1)]
            wanted = "contact_role" if any(b is not None and b.field == "contact_name" for b in beside) \
                else "position"
            if wanted != col.field and wanted not in taken:
                taken.discard(col.field)
                col.field, col.note = wanted, ("beside the contact person" if wanted == "contact_role"
                                               else "no contact person beside it: the job applied for")
                taken.add(wanted)
        needs = col.field in ("website", "link", "status_raw", "email", "phone") or \
            col.field in TEXT_FIELDS or col.field in DATE_FIELDS
        values = _values(data, col.index, 30) if needs else []
        if not values:
            continue
        if col.field in ("website", "link"):
            urls = [v for v in values if "." in v and " " not in v]
            if urls:
                ads = sum(_job_ad(v) for v in urls) / len(urls)
                homes = sum(_homepage(v) for v in urls) / len(urls)
                if col.field == "website" and ads >= 0.5 and "link" not in taken:
                    taken.discard("website")
                    col.field, col.note = "link", f"values are job ads ({ads:.0%})"
                    taken.add("link")
                elif col.field == "link" and homes >= 0.6 and "website" not in taken:
                    taken.discard("link")
                    col.field, col.note = "website", f"values are homepages ({homes:.0%})"
                    taken.add("website")
        if col.field == "status_raw" and _state_codes(values) >= 0.6 \
                and "city" not in taken:
            taken.discard("status_raw")          # "State" above CA, NY, WA: a place, not a stage
            col.field, col.note = "city", "values are state codes (CA, NY, ...)"
            taken.add("city")
            _give_back(columns, "status_raw", taken)
        if col.field in TEXT_FIELDS + DATE_FIELDS + ("email", "phone"):
            yes_no = sum(fold(v) in YES_NO for v in values) / len(values)
            if yes_no >= 0.6:
                lost = col.field
                taken.discard(lost)
                col.note = f"yes/no values ({yes_no:.0%}), not {lost}"
                col.field, col.confidence = None, 0.0
                _give_back(columns, lost, taken)
        if col.field in DATE_FIELDS and col.confidence < 1.0:
            dated = sum(parse_date(v, year) is not None for v in values) / len(values)
            if dated < 0.5:
                lost = col.field
                taken.discard(lost)
                col.note = f"header says {lost} but {dated:.0%} of its values are dates"
                col.field, col.confidence = None, 0.0
                _give_back(columns, lost, taken)


def _give_back(columns: list, field: str, taken: set) -> None:
    """A field one column no longer holds goes to the column that lost it to that one."""
    if any(c.field == field and not c.second for c in columns):
        return
    for c in columns:
        if c.field is None and c.note.startswith(f"also looks like {field};"):
            c.field, c.confidence, c.note = field, 1.0, "its rival's values are something else"
            taken.add(field)
            return


# fields whose yes/no cells confirm_by_content has not already looked at
_YES_NO_HERE = frozenset({"next_step", "notes", "org_number", "website", "link", "size", "linkedin"})
# text fields a column of plain numbers (a star rating, a count) cannot be; a company or
# contact column of numbers is a swapped header, reported by content.py, not re-mapped
_NOT_NUMBERS = frozenset({"notes", "category", "source", "next_step", "contact_role", "position"})
# what a close spelling's column must hold to be believed ("Actief" is no next step)
_FUZZY_AGREES = {"phone": lambda p: p.phone >= 0.5, "email": lambda p: p.email >= 0.5,
                 "website": lambda p: p.url >= 0.5, "link": lambda p: p.url >= 0.5,
                 "linkedin": lambda p: p.url >= 0.5, "status_raw": lambda p: p.stage >= 0.3}


_LOOKED_AT = _YES_NO_HERE | _NOT_NUMBERS | {"status_raw", "contact_name", "company"}


def _is_close_spelling(col) -> bool:
    return 0.8 < col.confidence < 1.0          # 1.0 exact, 0.8 contact word, 0.75 a word inside


def settle_by_profile(columns: list, data: list[list], overrides: set, year: int) -> None:
    """Let every column's content profile (profile.py) confirm, overrule or pick between
    the fields its header suggests; each change is noted on the column. In order:
    a field its values cannot hold is dropped (and goes back to the column that lost
    it); a "name" column of companies is the company, a company column of people the
    contact; of two columns for one field the fuller wins, a town beats a street
    address; of several phone, e-mail or category columns the fuller is the first;
    a column of companies under an unknown word is the company when no column is;
    free text nobody claimed is the notes. Columns staff configured are never touched."""
    free = [c for c in columns if fold(c.header) not in overrides]
    profiles = _Profiles(data, year)

    def holder(field: str):
        return next((c for c in columns if c.field == field and not c.second), None)

    def drop(col, why: str) -> None:
        lost, was_second = col.field, col.second
        col.field, col.confidence, col.note, col.second = None, 0.0, why, False
        if not was_second:
            _promote_second(columns, lost, profiles) or _give_back(columns, lost, {c.field for c in columns})

    def move(col, field: str, why: str) -> None:
        lost = col.field
        col.field, col.note, col.second = field, why, False
        if lost != field:
            _promote_second(columns, lost, profiles) or _give_back(columns, lost, {c.field for c in columns})

    for col in free:
        field = col.field
        if field not in _LOOKED_AT and not col.second and not _is_close_spelling(col):
            continue                         # an exact header no rule below can overrule
        p = profiles[col.index]
        if col.second and field in _FUZZY_AGREES and not _FUZZY_AGREES[field](p):
            drop(col, f"a second {field} column holds no {field} values")    # 'Type d'email'
            continue
        if not p.n:
            continue
        if field in _YES_NO_HERE and p.yes_no >= 0.6:
            drop(col, f"yes/no values ({p.yes_no:.0%}), not {field}")
        elif field == "status_raw" and p.state_code >= 0.6:
            if holder("city") is None:
                move(col, "city", "values are state codes (CA, NY, SP, ...)")
            else:
                drop(col, "values are state or region codes, not statuses")
        elif field == "status_raw" and col.confidence < 1.0 and p.stage < 0.3 and p.n >= 3:
            drop(col, f"header names a status but {p.stage:.0%} of its values read as one")
        elif field in _NOT_NUMBERS and p.number >= 0.8 and p.n >= 3:
            drop(col, f"values are numbers ({p.number:.0%}), not {field}")
        elif _is_close_spelling(col) and field in _FUZZY_AGREES and not _FUZZY_AGREES[field](p):
            drop(col, f"header is close to {field} but its values are not")
        elif field == "contact_name" and p.company >= 0.3 and p.person < 0.5 and holder("company") is None:
            move(col, "company", f"values are company names ({p.company:.0%} carry a legal form or a trade)")
        elif field == "company" and p.person >= 0.7 and p.company < 0.1 and holder("contact_name") is None:
            move(col, "contact_name", f"values are people's names ({p.person:.0%})")
    _fuller_wins(free, columns, profiles)
    for field in ("phone", "email", "category"):
        _fullest_first(columns, field, profiles)
    if holder("company") is None:               # a column of companies under a word nobody knows
        named = [c for c in free if c.field is None and c.confidence < 1.0 and not c.note.startswith("ignored")
                 and profiles[c.index].company >= 0.5]
        if named:
            best = max(named, key=lambda c: profiles[c.index].company)
            best.field, best.confidence = "company", 0.6
            best.note = f"by content: {profiles[best.index].company:.0%} of its values are company names"
    if holder("notes") is None:
        text = [c for c in free if c.field is None and not c.note.startswith("ignored")
                and profiles[c.index].long_text >= 0.6 and profiles[c.index].digits < 0.5]   # not addresses
        if text:
            best = max(text, key=lambda c: profiles[c.index].filled)
            best.field, best.confidence = "notes", 0.6
            best.note = f"by content: free text ({profiles[best.index].long_text:.0%} of it five words or more)"


class _Profiles(dict):
    """Column index -> Profile, made when first asked for: a column no rule looks at
    costs nothing."""

    def __init__(self, data: list[list], year: int):
        super().__init__()
        self.data, self.year = data, year

    def __missing__(self, index: int):
        self[index] = found = profile(self.data, index, self.year)
        return found


def _promote_second(columns: list, field: str | None, profiles: dict) -> bool:
    """A field whose first column was dropped goes to its fullest second column."""
    seconds = [c for c in columns if c.field == field and c.second]
    if not seconds:
        return False
    best = max(seconds, key=lambda c: profiles[c.index].filled)
    best.second, best.note = False, f"the first {field} column held something else"
    return True


def _fuller_wins(free: list, columns: list, profiles: dict) -> None:
    """A column that lost its field to a rival takes it back when the rival is near
    empty beside it (1.5 times the cells, and a header about as sure), or, for a place,
    when the rival holds street addresses and it holds towns."""
    by_header = {c.header: c for c in columns}
    for col in free:
        m = re.match(r"also looks like (\w+); column (.+) kept$", col.note)
        if col.field is not None or not m:
            continue
        field, rival = m[1], by_header.get(m[2].strip("'\""))
        if rival is None or rival.field != field:
            continue
        mine, theirs = profiles[col.index], profiles[rival.index]
        fuller = mine.filled >= max(1.0, 1.5 * theirs.filled) and col.confidence >= rival.confidence - 0.25
        town = field == "city" and theirs.digits >= 0.5 and mine.digits < 0.2 and mine.filled >= theirs.filled / 2
        if fuller or town:
            why = "fuller than" if fuller else "towns, where the other holds street addresses:"
            col.field, col.confidence, col.note = field, rival.confidence, f"{why} column {rival.header!r}"
            rival.field, rival.note = None, f"also looks like {field}; column {col.header!r} kept"


def _fullest_first(columns: list, field: str, profiles: dict) -> None:
    """Of several columns of one kind, the one with clearly more cells is the first."""
    cols = [c for c in columns if c.field == field]
    first = next((c for c in cols if not c.second), None)
    if first is None or len(cols) < 2:
        return
    best = max(cols, key=lambda c: profiles[c.index].filled)
    if best is not first and profiles[best.index].filled >= 1.5 * max(1, profiles[first.index].filled):
        first.second, first.note = True, f"a second {field} column (emptier than {best.header!r})"
        best.second, best.note = False, ""
