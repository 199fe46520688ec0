"""Rule cases as data: sheet rows, and the sheet rows (or students) that must be flagged.

Each case is one CRM (or, for cohort rules, several students' CRMs) judged as of NOW by
one rule. `flagged` lists sheet rows (1-based, header on row 1) for a single CRM, or
(student, row) pairs, or student ids for student-level rules.
"""
import datetime as dt
from dataclasses import dataclass, field

NOW = dt.date(2026, 5, 12)       # sprint 2


@dataclass
class Case:
    code: str
    id: str
    rows: list[list] | None = None
    flagged: set = field(default_factory=set)
    settings: dict = field(default_factory=dict)
    now: dt.date = NOW
    students: dict[str, list[list]] | None = None


H = ["Företag", "Kontaktperson", "Telefon", "E-post", "Status", "Senast kontaktad",
     "Följ upp", "Bransch", "Kommentar"]


def crm(*leads):
    return [H] + [list(lead) + [""] * (len(H) - len(lead)) for lead in leads]


OK = ("Volvo AB", "Anna Berg", "070-123 45 67", "anna@volvo.se", "ringt 1 ggr", "2026-05-10", "",
      "Industri", "Tar emot LIA varje år")

CASES = [
    Case("CL01", "missing company flagged", crm(OK, ("", "Bo Ek", "070-1111111")), {3}),
    Case("CL01", "every lead named is clean", crm(OK, ("Saab", "Bo Ek")), set()),
    Case("CL02", "no way to reach anyone", crm(OK, ("Saab AB",)), {3}),
    Case("CL02", "a LinkedIn URL as contact is a path",
         crm(OK, ("Saab AB", "https://linkedin.com/in/bo")), set()),
    Case("CL03", "phone without a number", crm(OK, ("Saab", "Bo", "ring växeln")), {3}),
    Case("CL03", "malformed e-mail", crm(OK, ("Saab", "Bo", "", "bo(at)saab")), {3}),
    Case("CL03", "well-formed contacts", crm(OK, ("Saab", "Bo", "+46 8 123 456 78", "bo@saab.se")), set()),
    Case("CL04", "unknown status", crm(OK, ("Saab", "Bo", "", "", "blå?")), {3}),
    Case("CL04", "every status understood", crm(OK, ("Saab", "Bo", "", "", "intervju bokad")), set()),
    Case("CL05", "speculation in notes", crm(OK, ("Saab", "Bo", "", "", "", "", "", "", "tror de kanske anställer")),
         {3}),
    Case("CL05", "english speculation", crm(OK, ("Saab", "Bo", "", "", "", "", "", "", "I think they hire??")), {3}),
    Case("CL05", "facts only", crm(OK, ("Saab", "Bo", "", "", "", "", "", "", "Typiskt svar: ring i augusti")),
         set()),
    Case("CL06", "spaces around a name", crm(OK, (" Saab ", "Bo")), {3}),
    Case("CL06", "a double space inside", crm(OK, ("Saab", "Bo  Ek")), {3}),
    Case("CL06", "single spaces are fine", crm(OK, ("Saab AB", "Bo Ek")), set()),
    Case("CL06", "a no-break space pasted after a name", crm(OK, ("Saab\u00a0", "Bo")), {3}),
    Case("CL06", "a tab before a name", crm(OK, ("Saab", "\tBo")), {3}),
    Case("CL06", "a no-break space inside is a space", crm(OK, ("Saab\u00a0AB", "Bo")), set()),
    Case("DD01", "same firm, legal form moved", crm(OK, ("Ikea",), ("AB Volvo",)), {4}),
    Case("DD01", "same e-mail, other name", crm(OK, ("Volvo Group", "", "", "anna@volvo.se")), {3}),
    Case("DD01", "a chain's other firm is not a duplicate", crm(OK, ("Volvo Cars",)), set()),
    Case("DD02", "a typo is a possible duplicate", crm(("Ericsson", "Bo"), ("Ericson", "Al")), {3}),
    Case("DD02", "different firms are not", crm(("Ericsson", "Bo"), ("Erlandsson", "Al")), set()),
    Case("DD02", "stricter similarity", crm(("Ericsson", "Bo"), ("Ericson", "Al")), set(),
         {"similarity": 97}),
    Case("FU01", "follow-up date passed", crm(OK, ("Saab", "Bo", "", "", "pratat, återkommer", "", "2026-05-05")),
         {3}),
    Case("FU01", "a processed lead is never overdue", crm(("Saab", "Bo", "", "", "nej tack", "", "2026-05-05")),
         set()),
    Case("FU01", "today is not overdue", crm(("Saab", "Bo", "", "", "intresserade", "", "2026-05-12")), set()),
    Case("FU02", "three unanswered", crm(OK, ("Saab", "Bo", "", "", "inget svar x3")), {3}),
    Case("FU02", "two unanswered", crm(OK, ("Saab", "Bo", "", "", "inget svar x2")), set()),
    Case("FU03", "dialogue with no date", crm(OK, ("Saab", "Bo", "", "", "pratat, återkommer")), {3}),
    Case("FU03", "dialogue with a date", crm(("Saab", "Bo", "", "", "intervju bokad", "", "2026-05-20")), set()),
    Case("FU03", "a follow-up booked in words is booked (FU05 says how to write it)",
         crm(("Saab", "Bo", "", "", "pratat, återkommer", "", "nästa vecka")), set()),
    Case("FU03", "a Swedish week number is a date", crm(("Saab", "Bo", "", "", "pratat, återkommer", "", "v.23"),
                                                        ("Ikea", "Cia", "", "", "pratat, återkommer", "", "vecka 24")), set()),
    Case("FU05", "follow-ups in words flagged", crm(OK, ("Saab", "Bo", "", "", "pratat, återkommer", "", "nästa vecka"),
                                                    ("Ikea", "Cia", "", "", "intervju bokad", "", "fre")), {3, 4}),
    Case("FU05", "dates and week numbers are read", crm(OK, ("Saab", "Bo", "", "", "pratat", "", "2026-05-20"),
                                                        ("Ikea", "Cia", "", "", "pratat", "", "v 23")), set()),
    Case("FU04", "quiet for three weeks", crm(OK, ("Saab", "Bo", "", "", "mejlat", "2026-04-20")), {3}),
    Case("FU04", "quiet but follow-up planned", crm(("Saab", "Bo", "", "", "mejlat", "2026-04-20", "2026-05-14")),
         set()),
    Case("FU04", "not in a research sprint", crm(("Saab", "Bo", "", "", "mejlat", "2026-03-01")), set(),
         now=dt.date(2026, 4, 10)),
    Case("PR01", "fewer than 50", crm(OK), {"s"}),
    Case("PR01", "50 quality leads", crm(*[(f"Firma {i}", "Bo", "", "", "", "", "", "IT") for i in range(50)]),
         set()),
    Case("PR01", "a target of 1 is met", crm(OK), set(), now=NOW),  # see test for calendar
    Case("PR01", "a company listed 50 times is one quality lead",
         crm(*[("Volvo AB", "Bo", "", "", "", "", "", "IT") for _ in range(50)]), {"s"}),
    Case("PR01", "no nagging once the LIA is secured", crm(OK, ("Saab AB", "Bo", "", "", "LIA klar")), set()),
    Case("PR02", "three weeks to the soft deadline, no LIA", crm(OK), {"s"}, now=dt.date(2026, 6, 15)),
    Case("PR02", "LIA secured", crm(("Saab", "Bo", "", "", "LIA klar")), set(), now=dt.date(2026, 6, 15)),
    Case("PR02", "far from a deadline", crm(OK), set()),
    Case("PR03", "April with no large employers",
         crm(*[(f"Startup {i}", "Bo", "", "", "", "", "", "Startup") for i in range(12)]), {"s"},
         now=dt.date(2026, 4, 10)),
    Case("PR03", "April with enough large employers",
         crm(*[(f"Firma {i}", "Bo", "", "", "", "", "", "Offentlig sektor" if i % 2 else "Startup")
               for i in range(12)]), set(), now=dt.date(2026, 4, 10)),
    Case("PR04", "October, no LIA", crm(OK), {"s"}, now=dt.date(2026, 10, 2)),
    Case("PR04", "September, no LIA yet", crm(OK), set(), now=dt.date(2026, 9, 20)),
    Case("LC01", "four hold it, nobody called: one loses",
         students={s: crm(("Volvo AB", "Bo")) for s in "abcd"}, flagged={1}),
    Case("LC01", "three hold it: nobody loses",
         students={s: crm(("Volvo AB", "Bo")) for s in "abc"}, flagged={0}),
    Case("LC01", "callers keep it: the one who has not called loses",
         students={**{s: crm(("Volvo AB", "Bo", "", "", "ringt 1 ggr")) for s in "abc"},
                   "d": crm(("Volvo AB", "Bo"))}, flagged={("d", 2)}),
    Case("LC01", "a No frees a place", students={**{s: crm(("Volvo AB", "Bo")) for s in "abc"},
                                                 "d": crm(("AB Volvo", "Bo", "", "", "nej tack"))},
         flagged={0}),
    Case("LC01", "registered names and the definite form are one company",
         students={s: crm((name, "Bo")) for s, name in zip("abcd", [
             "Aktiebolaget Volvo (publ)", "AB Volvo", "Volvo Aktiebolag", "volvo ab"])}, flagged={1}),
    Case("LC01", "Nordic legal forms are one company",
         students={s: crm((name, "Bo")) for s, name in zip("abcd", [
             "Novo Nordisk A/S", "Novo Nordisk", "Novo Nordisk Aktieselskab", "NOVO NORDISK AS"])},
         flagged={1}),
    Case("LC01", "handelsbolaget and HB, ekonomiska föreningen and ek. för.",
         students={"a": crm(("Handelsbolaget Berg & Son", "Bo"), ("Ekonomiska föreningen Coop", "Cy")),
                   "b": crm(("Berg & Son HB", "Bo"), ("Coop ek. för.", "Cy")),
                   "c": crm(("Berg & Son", "Bo"), ("Coop ekonomisk förening", "Cy")),
                   "d": crm(("berg & son hb", "Bo"), ("COOP", "Cy"))}, flagged={2}),
    Case("LC01", "a cap of 2", students={s: crm(("Volvo AB", "Bo")) for s in "abcd"}, flagged={2},
         settings={"cap": 2}),
]
