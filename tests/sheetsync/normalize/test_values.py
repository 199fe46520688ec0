"""Value families, as tables of real spellings -> what they must become."""
import datetime as dt

import pandas as pd
import pytest

from sheetsync.normalize.companies import company_key, domain_of, parse_email
from sheetsync.normalize.dates import parse_date, planned_date
from sheetsync.normalize.headers import ATTEMPT_COLUMN, map_header
from sheetsync.normalize.phones import parse_phone
from sheetsync.normalize.statuses import attempts_in, count_of, stage_of

D = dt.date


@pytest.mark.parametrize("text, expected", [
    ("2026-05-03", D(2026, 5, 3)), ("3/5", D(2026, 5, 3)), ("03.05.2026", D(2026, 5, 3)),
    ("3 maj", D(2026, 5, 3)), ("maj 3", D(2026, 5, 3)), ("3. maj 2026", D(2026, 5, 3)),
    ("May 3, 2026", D(2026, 5, 3)), ("3 May", D(2026, 5, 3)), ("46145", D(2026, 5, 3)),
    (46145, D(2026, 5, 3)), ("1/31/24", D(2024, 1, 31)), ("2026-05-03 14:30", D(2026, 5, 3)),
    ("3/5/26", D(2026, 5, 3)), ("30 april", D(2026, 4, 30)), ("17 okt", D(2026, 10, 17)),
    (dt.datetime(2026, 5, 3, 9), D(2026, 5, 3)), ("", None), ("idag", None), ("32/13", None),
    ("2026-02-30", None), ("ring på måndag", None), (3, None),
])
def test_dates(text, expected):
    assert parse_date(text, 2026) == expected


@pytest.mark.parametrize("text, expected", [    # the Monday of ISO week N of the cohort year
    ("v.23", D(2026, 6, 1)), ("v 23", D(2026, 6, 1)), ("v23", D(2026, 6, 1)), ("V. 23", D(2026, 6, 1)),
    ("vecka 23", D(2026, 6, 1)), ("Vecka 1", D(2025, 12, 29)), ("week 23", D(2026, 6, 1)),
    ("KW 23", D(2026, 6, 1)), ("uke 23", D(2026, 6, 1)), ("v.23 2027", D(2027, 6, 7)),
    ("v.54", None), ("v.0", None), ("vecka", None),
])
def test_week_numbers_are_absolute_dates(text, expected):
    assert parse_date(text, 2026) == expected


@pytest.mark.parametrize("text, expected", [    # as of Tuesday 2026-05-12
    ("nästa vecka", D(2026, 5, 18)), ("Nästa vecka!", D(2026, 5, 18)), ("fre", D(2026, 5, 15)),
    ("på fredag", D(2026, 5, 15)), ("tis", D(2026, 5, 19)), ("i morgon", D(2026, 5, 13)),
    ("om 2 veckor", D(2026, 5, 26)), ("next week", D(2026, 5, 18)), ("när de hör av sig", None),
])
def test_a_follow_up_in_words_gets_the_date_it_most_likely_means(text, expected):
    assert planned_date(text, D(2026, 5, 12)) == expected


def test_a_follow_up_in_words_gets_its_own_flag_naming_the_cell_and_a_date_to_write():
    from sheetsync.engine.context import Calendar
    from sheetsync.engine.registry import registry
    from sheetsync.engine.run import run_rules
    from sheetsync.normalize import normalize
    rows = [["Företag", "Status", "Följ upp"], ["Volvo AB", "pratat, återkommer", "nästa vecka"],
            ["Saab AB", "pratat, återkommer", "v.23"], ["Ikea", "pratat, återkommer", ""]]
    frame = normalize(rows, year=2026, student="s", tab="CRM").frame
    found, _ = run_rules(frame, now=D(2026, 5, 12), calendar=Calendar.default(2026))
    by_row = {(int(f.row), f.code): f.params for f in found.itertuples() if f.code in ("FU03", "FU05")}
    assert set(by_row) == {(2, "FU05"), (4, "FU03")}           # v.23 is a date; row 4 has none
    text = registry()["FU05"].text("sv", by_row[(2, "FU05")])
    assert text == "Oläsligt datum 'nästa vecka' i C2: skriv 2026-05-18"
    assert frame.loc[frame["row"] == 3, "follow_up"].iloc[0] == pd.Timestamp("2026-06-01")


@pytest.mark.parametrize("text, expected", [
    ("070-123 45 67", "+46701234567"), ("070-123 45 67 (mobil)", "+46701234567"),
    ("+46 70 123 45 67", "+46701234567"), ("0046701234567", "+46701234567"),
    ("0701234567", "+46701234567"), ("701234567", "+46701234567"),
    ("08-123 456 78", "+46812345678"), ("070 123 45 67, 08-555 123 45", "+46701234567"),
    ("+45 32 12 34 56", "+4532123456"), ("ring växeln", None), ("12345", None), ("", None),
])
def test_phones(text, expected):
    assert parse_phone(text) == expected


@pytest.mark.parametrize("name, key", [
    ("AB Volvo", "volvo"), ("Volvo AB", "volvo"), ("volvo ab (publ)", "volvo"),
    ("Volvo Cars", "volvo cars"), ("Novo Nordisk A/S", "novo nordisk"), ("Kodia ApS", "kodia"),
    ("Nokia Oyj", "nokia"), ("Equinor ASA", "equinor"), ("Spotify Technology S.A.", "spotify technology s a"),
    ("Ericsson Aktiebolag", "ericsson"), ("Bröderna Ek HB", "broderna ek"), ("ÅF Pöyry", "af poyry"),
])
def test_company_keys(name, key):
    assert company_key(name) == key


@pytest.mark.parametrize("text, stage", [
    ("Ja!", "yes"), ("ja", "yes"), ("LIA klar", "yes"), ("Yes", "yes"), ("nej tack", "no"),
    ("Nej", "no"), ("inte intresserade", "no"), ("afslag", "no"), ("ghosted", "no"),
    ("declined", "no"), ("inget svar x2", "attempted"), ("ringt 2 ggr", "attempted"),
    ("mejlat", "attempted"), ("väntar på svar", "attempted"), ("no answer", "attempted"),
    ("intervju bokad", "meeting"), ("Interview booked", "meeting"), ("erbjudande", "offer"),
    ("tilbud", "offer"), ("pratat, återkommer", "in_dialogue"), ("intresserade", "in_dialogue"),
    ("ej kontaktad", "new"), ("", "new"), ("Watching", "new"), ("blå?", "unknown"),
    # Danish
    ("ja tak", "yes"), ("nej tak", "no"), ("ikke interesseret", "no"), ("intet svar", "attempted"),
    ("ringet", "attempted"), ("møde booket", "meeting"), ("samtale aftalt", "meeting"),
    ("tilbud modtaget", "offer"), ("vender tilbage", "in_dialogue"), ("ikke kontaktet", "new"),
    # more Swedish and English
    ("Ja, LIA klar!", "yes"), ("fått LIA", "yes"), ("tackat nej", "no"), ("ej aktuellt", "no"),
    ("inget svar x3", "attempted"), ("röstbrevlåda", "attempted"), ("skickat mejl", "attempted"),
    ("arbetsprov", "meeting"), ("Intervju 12/5", "meeting"), ("erbjuden plats", "offer"),
    ("ska återkomma", "in_dialogue"), ("skickat CV", "in_dialogue"), ("applied", "attempted"),
    ("rejected", "no"), ("Offer!", "offer"), ("not interested", "no"), ("no reply", "attempted"),
])
def test_stages(text, stage):
    assert stage_of(text) == stage


@pytest.mark.parametrize("text, n", [
    ("ringt 3 ggr", 3), ("inget svar x2", 2), ("x3", 3), ("called 2 times", 2),
    ("mejlat", None), ("ringt 3 gånger", 3),
])
def test_attempt_phrases(text, n):
    assert attempts_in(text) == n


@pytest.mark.parametrize("header, field", [
    ("Företag", "company"), ("Foretag", "company"), ("Bolag", "company"),
    ("Arbetsgivare", "company"), ("Virksomhed", "company"), ("COMPANY", "company"),
    ("Kontaktperson", "contact_name"), ("Kontaktperson/roll", "contact_name"),
    ("Telefon", "phone"), ("Tel", "phone"), ("Mobil", "phone"), ("Tfn", "phone"),
    ("Telefonnr", "phone"), ("E-post", "email"), ("Epost", "email"), ("Mejl", "email"),
    ("Status", "status_raw"), ("Läge", "status_raw"), ("Svar", "status_raw"),
    ("Kommentar", "notes"), ("Anteckningar", "notes"), ("Övrigt", "notes"), ("Noter", "notes"),
    ("Senast kontaktad", "last_contact"), ("Datum", "last_contact"),
    ("Uppföljning", "follow_up"), ("Följ upp", "follow_up"), ("Nästa kontakt", "follow_up"),
    ("Opfølgning", "follow_up"), ("Antal försök", "attempts"), ("Försök 2", ATTEMPT_COLUMN),
    ("Källa", "source"), ("Varm/Kall", "temperature"), ("Upplägg", "work_mode"),
    ("Bransch", "category"), ("Typ", "category"), ("Ort", "city"), ("Tjänst", "position"),
    ("Ansökt", "applied_on"), ("Länk", "link"), ("Telefonnummer", "phone"),
    ("Kontakperson", "contact_name"), ("⚑ Flaggor", None), ("Prioritet", None),
    # Danish
    ("Virksomhed", "company"), ("Firmanavn", "company"), ("Arbejdsgiver", "company"),
    ("Navn", "contact_name"), ("Tlf", "phone"), ("Telefonnummer", "phone"), ("E-mail", "email"),
    ("Noter", "notes"), ("Bemærkninger", "notes"), ("Opfølgning", "follow_up"),
    ("Sidst kontaktet", "last_contact"), ("Dato", "last_contact"), ("Kilde", "source"),
    ("Stilling", "position"), ("Antal forsøg", "attempts"), ("Ansøgt", "applied_on"),
    ("CVR", "org_number"), ("Hjemmeside", "website"), ("Branche", "category"),
    # English and more Swedish spellings
    ("Company name", "company"), ("Employer", "company"), ("Contact person", "contact_name"),
    ("Phone number", "phone"), ("Mobile", "phone"), ("E-mail address", "email"),
    ("Follow-up date", "follow_up"), ("Next contact", "follow_up"), ("Last contact", "last_contact"),
    ("Date applied", "applied_on"), ("Job title", "position"), ("Job link", "link"),
    ("Notes", "notes"), ("Comments", "notes"), ("Outcome", "status_raw"), ("Warm/Cold", "temperature"),
    ("Industry", "category"), ("Location", "city"), ("Org.nr", "org_number"), ("Hemsida", "website"),
    ("Webbplats", "website"), ("LinkedIn", "linkedin"), ("Kanal", "channel"), ("Källa", "source"),
    ("Nästa steg", "next_step"), ("Roll", "contact_role"), ("Titel", "contact_role"),
    ("Mejladress", "email"), ("Telefon (mobil)", "phone"), ("Företag/Bolag", "company"),
    ("Kontaktpersons namn", "contact_name"), ("Uppföljningsdatum", "follow_up"),
    ("Antal kontaktförsök", "attempts"), ("Försök 1", ATTEMPT_COLUMN), ("Attempt 3", ATTEMPT_COLUMN),
    ("Upplägg (distans/hybrid)", "work_mode"), ("Storlek", "size"), ("Antal anställda", "size"),
    ("Posting Date", None), ("Salary", None),
])
def test_headers(header, field):
    assert map_header(header)[0] == field


def test_emails_and_domains():
    assert parse_email("Anna <anna@volvo.se>") == ("anna@volvo.se", True)
    assert parse_email("anna(at)volvo") == (None, False)
    assert parse_email("anna@volvo")[1] is False
    assert domain_of("https://www.volvo.se/jobb") == "volvo.se"


def test_the_fast_swedish_path_agrees_with_libphonenumber_on_random_numbers():
    import random

    import phonenumbers

    from sheetsync.normalize.phones import _parse_one

    def library(text):
        try:
            number = phonenumbers.parse(text, "SE")
        except phonenumbers.NumberParseException:
            return None
        return (phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                if phonenumbers.is_valid_number(number) else None)

    rng = random.Random(7)
    texts = []
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(5, 12)))
        spaced = "".join(d + rng.choice(["", "", " ", "-"]) for d in digits).strip(" -")
        texts.append(rng.choice(["0", "+46", "+46 ", "+46-"]) + spaced)
    assert sum(library(t) is not None for t in texts) > 300          # valid ones are in play
    assert [_parse_one(t, "SE") for t in texts] == [library(t) for t in texts]


def test_swedish_validity_from_the_metadata_is_libphonenumbers_on_every_length():
    import random

    import phonenumbers

    from sheetsync.normalize.phones import is_valid_national

    rng = random.Random(11)
    numbers = [str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(length - 1))
               for length in range(1, 15) for _ in range(1500)]
    numbers += ["7" + rng.choice("0236789") + "".join(rng.choice("0123456789") for _ in range(7))
                for _ in range(1000)]                      # mobiles, most of a real sheet
    library = [phonenumbers.is_valid_number(phonenumbers.PhoneNumber(country_code=46, national_number=int(n)))
               for n in numbers]
    assert sum(library) > 2000
    assert [is_valid_national(n, "SE") for n in numbers] == library


def test_a_cell_without_letters_is_never_a_header_and_every_spelling_has_one():
    from sheetsync.normalize.headers import _EXACT

    for text in ("070-123 45 67", "+46 70 123 45 67", "2026-05-12", "12.5", "---"):
        assert map_header(text) == (None, 0.0)
    # the shortcut is safe only while no spelling in the vocabulary is digits alone
    assert all(any(ch.isalpha() for ch in spelling) for spelling in _EXACT)


@pytest.mark.parametrize("text, expected", [
    ("3", 3), ("3.0", 3), ("III", 3), ("2 ggr", 2), ("", None), ("50", 50),
    ("46701234567", None), ("123456789012345678901234", None), ("I" * 60, None)])
def test_an_attempts_cell_past_fifty_is_no_count(text, expected):
    assert count_of(text) == expected
