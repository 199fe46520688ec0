"""Dates typed every which way, read day-first as Swedes write them.

'2026-05-03', '3/5', '03.05.2026', '3 maj', 'maj 3', '3. maj 2026', 'May 3, 2026',
Sheets serial numbers (days since 1899-12-30) and date objects all become a date, and so
do week numbers as Swedes plan by them ('v.23', 'v 23', 'vecka 23', 'week 23', 'KW 23'):
the Monday of that ISO week in the cohort year, an absolute date.
A date without a year is taken in the cohort year. '1/31/24' cannot be day-first, so
it is read month-first. Anything else is None, and the caller reports the cell.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from sheetsync.normalize.text import fold

SHEETS_EPOCH = dt.date(1899, 12, 30)
_MONTHS = {}
for _n, _names in enumerate((
        ("jan", "januari", "january", "januar"), ("feb", "februari", "february", "februar"),
        ("mar", "mars", "march", "marts"), ("apr", "april"), ("maj", "may", "mai"),
        ("jun", "juni", "june"), ("jul", "juli", "july"), ("aug", "augusti", "august"),
        ("sep", "sept", "september"), ("okt", "oct", "oktober", "october"),
        ("nov", "november"), ("dec", "december")), start=1):
    for _name in _names:
        _MONTHS[_name] = _n

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?\.?$")
_YMD_SLASH = re.compile(r"^(\d{4})[./](\d{1,2})[./](\d{1,2})$")
_WEEK = re.compile(r"^(?:v|v\.|vk|vecka|veckan|week|wk|w|uge|uke|kw)\s*\.?\s*(\d{1,2})(?:\s*[,/-]?\s*(\d{4}))?$")
_WORDS = re.compile(r"^(?:(\d{1,2}) ([a-z]+)|([a-z]+) (\d{1,2}))(?: (\d{4}))?$")


def from_serial(serial: float) -> dt.date | None:
    if 20000 <= serial <= 80000:      # 1954..2119: a plausible date, not a count
        return SHEETS_EPOCH + dt.timedelta(days=int(serial))
    return None


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year(text: str | None, default: int) -> int:
    if not text:
        return default
    y = int(text)
    return y + 2000 if y < 100 else y


@lru_cache(maxsize=65536)
def _parse_text(text: str, year: int) -> dt.date | None:
    text = text.strip().lower()
    if m := _ISO.match(text):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _YMD_SLASH.match(text):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC.match(text):
        a, b, y = int(m[1]), int(m[2]), _year(m[3], year)
        if b > 12 and a <= 12:            # 1/31/24: month first, as an American wrote it
            a, b = b, a
        return _make(y, b, a)
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return from_serial(float(text))
    if m := _WEEK.match(text):
        try:
            return dt.date.fromisocalendar(_year(m[2], year), int(m[1]), 1)
        except ValueError:               # week 0 or 54
            return None
    folded = fold(text)
    if m := _WORDS.match(folded):
        day = m[1] or m[4]
        month = _MONTHS.get(m[2] or m[3])
        if month:
            return _make(_year(m[5], year), month, int(day))
    return None


def parse_date(value, year: int) -> dt.date | None:
    """Any cell value -> date, or None when it is empty or not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return from_serial(float(value))
    return _parse_text(str(value), year)


_WEEKDAYS = {name: i for i, names in enumerate((
    ("man", "mandag", "monday", "mon"), ("tis", "tisdag", "tuesday", "tue", "tues"),
    ("ons", "onsdag", "wednesday", "wed"), ("tor", "tors", "torsdag", "thursday", "thu", "thurs"),
    ("fre", "fredag", "friday", "fri"), ("lor", "lordag", "saturday", "sat"),
    ("son", "sondag", "sunday", "sun"))) for name in names}
_IN_N = re.compile(r"^(?:om|in)\s+(\d{1,2})\s+(dag|dagar|days?|vecka|veckor|weeks?)$")


def planned_date(text: str, today: dt.date) -> dt.date | None:
    """What a follow-up written in words most likely means, as of `today`: 'i morgon',
    'nästa vecka' (its Monday), 'fre' (the next Friday), 'om 2 veckor'. Only to suggest
    the date the student should write; it is never taken as their date."""
    words = fold(str(text)).strip(" .!?").replace("-", " ")
    if words in ("imorgon", "i morgon", "tomorrow", "imorn", "i morn"):
        return today + dt.timedelta(days=1)
    if words in ("nasta vecka", "nasta veckan", "next week", "till veckan"):
        return today + dt.timedelta(days=7 - today.weekday())
    for prefix in ("pa ", "nasta ", "next ", "on "):
        if words.startswith(prefix) and words[len(prefix):] in _WEEKDAYS:
            words = words[len(prefix):]
    if words in _WEEKDAYS:
        ahead = (_WEEKDAYS[words] - today.weekday()) % 7 or 7
        return today + dt.timedelta(days=ahead)
    if m := _IN_N.match(words):
        n = int(m[1])
        return today + dt.timedelta(days=n * (7 if m[2].startswith(("v", "w")) else 1))
    return None
