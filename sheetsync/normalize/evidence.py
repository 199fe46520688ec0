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


def _values(data: list[list], index: int, limit: int = 200) -> list[str]:
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
        if col.field == "status_raw" and sum(bool(_US_STATE.match(v)) for v in values) / len(values) >= 0.6 \
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
    for c in columns:
        if c.field is None and c.note.startswith(f"also looks like {field};"):
            c.field, c.confidence, c.note = field, 1.0, "its rival's values are something else"
            taken.add(field)
            return
