"""Phone numbers to E.164 with Sweden as the default region (Google's libphonenumber).

'070-123 45 67 (mobil)', '+46 70 123 45 67', '0046701234567', '08-123 456 78' all
parse; a cell holding two numbers gives the first; a cell with digits that are not a
valid number gives None and is reported.
"""
from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

DEFAULT_REGION = "SE"
_ONE_NUMBER = re.compile(r"^\+?[\d\s\-()./]{5,20}$")
_WORDS_AROUND = re.compile(r"^[^\d+]*[:\s]|[\s(\[][^\d]*$")
_PLAIN_SWEDISH = re.compile(r"^(0|\+46[\s\-]*)([1-9][\d\s\-]{4,14}\d)$")
_SEPARATORS = re.compile(r"[\s\-]")


@lru_cache(maxsize=65536)
def parse_phone(text: str, region: str = DEFAULT_REGION) -> str | None:
    """First valid phone number in the text, in E.164, or None."""
    text = str(text).strip()
    if not text:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    if _ONE_NUMBER.match(text):          # the common case: one number, no words around it
        return _parse_one(text, region)
    bare = _WORDS_AROUND.sub("", text)   # 'mobil: 070-123 45 67 (mobil)': words hold no digits
    if bare != text and _ONE_NUMBER.match(bare):
        found = _parse_one(bare, region)
        if found:                        # the matcher is slow: only for what this misses
            return found
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
        return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return _parse_one(text, region)     # the matcher wants separators: '701234567' needs parse


def _parse_one(text: str, region: str) -> str | None:
    if region == "SE" and (plain := _PLAIN_SWEDISH.match(text)):
        # '070-123 45 67', '+46 70 123 45 67': the national number is the digits after
        # the 0 or +46; building it skips parse()'s general machinery, the costly part
        digits = _SEPARATORS.sub("", plain[2])
        if is_valid_national(digits, "SE"):
            return f"+46{digits}"
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


# the number types libphonenumber tries in turn; a number is valid when one matches
_NUMBER_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
                 "uan", "voicemail", "fixed_line", "mobile")


def is_valid_national(digits: str, region: str) -> bool:
    """phonenumbers.is_valid_number for a national significant number of `region`, from the
    same metadata: the general pattern, then one pattern that joins the types possible at
    this length, not ten pattern checks through the library's layers (a third of the
    time normalising a sheet took)."""
    general, by_length = _patterns(region)
    pattern = by_length.get(len(digits))
    return pattern is not None and general.fullmatch(digits) is not None \
        and pattern.fullmatch(digits) is not None


@lru_cache(maxsize=None)
def _patterns(region: str) -> tuple[re.Pattern, dict[int, re.Pattern]]:
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    general = meta.general_desc
    by_length = {}
    for length in range(1, 18):              # E.164 numbers have at most 15 digits
        if general.possible_length and length not in general.possible_length:
            continue
        parts = [desc.national_number_pattern for desc in (getattr(meta, t) for t in _NUMBER_TYPES)
                 if desc is not None and desc.national_number_pattern
                 and (not desc.possible_length or length in desc.possible_length)]
        if parts:
            by_length[length] = re.compile("|".join(f"(?:{p})" for p in parts))
    return re.compile(general.national_number_pattern or "(?!)"), by_length


def has_digits(text: str) -> bool:
    return any(ch.isdigit() for ch in str(text))
