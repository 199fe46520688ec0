"""What the demo students type: names, companies, headers, statuses, in sv and en."""

FIRST = ("Anna", "Erik", "Sara", "Johan", "Lina", "Omar", "Elin", "Ali", "Maja", "Oskar",
         "Fatima", "Viktor", "Ida", "Hugo", "Nora", "Amir", "Klara", "Leo", "Ebba", "Noah",
         "Alva", "Liam", "Saga", "Elias", "Wilma", "Adam", "Tuva", "Isak", "Moa", "Yusuf")
LAST = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
        "Bengtsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson", "Hassan",
        "Ali", "Berg", "Holm", "Ek", "Lund", "Sandberg", "Forsberg", "Wallin", "Engström")
CONTACTS = ("Karin Ek", "Per Holm", "Mikael Berg", "Sofia Lund", "Jonas Wik", "Emma Sjö",
            "Anders Falk", "Lena Borg", "Marcus Ahl", "Hanna Roos", "David Ström", "Eva Dahl")
CATEGORIES = ("Konsultbolag", "Produktbolag", "Industri", "Offentlig sektor", "Startup",
              "Scale-up", "Vård", "Skola", "Energi", "Bank/finans")
CITIES = ("Stockholm", "Göteborg", "Malmö", "Uppsala", "Linköping", "Örebro", "Västerås", "Umeå")
_STEMS = ("Nordlys", "Kodverket", "Bitfabriken", "Molnsten", "Dataskogen", "Pixelhamn", "Svea Tech",
          "Fjällkod", "Älvdata", "Granit IT", "Västvind", "Stenbro", "Ljusväg", "Trädgren",
          "Havsbris", "Norrsken", "Solkraft", "Bergvik", "Lövkod", "Sjöfront", "Tallbacka", "Ekholm",
          "Myrstack", "Gläntan", "Kustlinje", "Blåbär", "Järnväg", "Snöflinga", "Vinterdata",
          "Sommarbit", "Rönnbär", "Ängskod", "Klippan", "Strömdal", "Vågbrytare", "Fyrbåk",
          "Hamnkod", "Brolänk", "Skärgård", "Tornet", "Kvarnen", "Smedjan", "Vävstolen",
          "Hjulet", "Kompassen", "Ankaret", "Seglet", "Rodret", "Masten", "Kajen")
COMPANIES = tuple(f"{stem} {form}".strip() for stem, form in
                  zip(_STEMS * 3, ("AB", "Group", "Sverige AB", "Consulting", "Digital", "AB (publ)") * 25))
COMPANIES = tuple(dict.fromkeys(COMPANIES))[:140]   # one legal-form-free name per firm
# a market as large as a real one: students researching on their own rarely pick the same
# firm, so the cap bites on a few popular companies, not on a third of everyone's leads
_TRADES = ("Data", "Labs", "Solutions", "Konsult", "Teknik", "Media", "Logistik", "Bygg", "Design",
           "Analys", "Säkerhet", "Energi", "Vård", "Finans", "Automation")
COMPANIES += tuple(f"{stem} {trade}{form}" for i, (stem, trade, form) in enumerate(
    (stem, trade, ("", " AB", " Sverige AB", " AB (publ)")[(j + k) % 4])
    for j, stem in enumerate(_STEMS) for k, trade in enumerate(_TRADES)))

HEADERS = {
    "sv": {"company": ("Företag", "Bolag", "Företagsnamn", "Arbetsgivare"),
           "contact_name": ("Kontaktperson", "Kontakt", "Namn"),
           "phone": ("Telefon", "Tel", "Mobil", "Tfn", "Telefonnr"),
           "email": ("E-post", "Epost", "Mejl", "Mail"),
           "status_raw": ("Status", "Läge", "Svar"),
           "notes": ("Kommentar", "Anteckningar", "Övrigt"),
           "last_contact": ("Senast kontaktad", "Datum"),
           "follow_up": ("Uppföljning", "Följ upp", "Nästa kontakt"),
           "category": ("Bransch", "Typ"), "city": ("Ort", "Stad"),
           "temperature": ("Varm/Kall",), "channel": ("Kanal",), "source": ("Källa",)},
    "en": {"company": ("Company", "Company name", "Employer"),
           "contact_name": ("Contact person", "Contact"),
           "phone": ("Phone", "Phone number", "Mobile"),
           "email": ("Email", "E-mail"),
           "status_raw": ("Status", "Outcome"),
           "notes": ("Notes", "Comments"),
           "last_contact": ("Last contact", "Date contacted"),
           "follow_up": ("Follow-up", "Next contact"),
           "category": ("Industry", "Category"), "city": ("City", "Location"),
           "temperature": ("Warm/Cold",), "channel": ("Channel",), "source": ("Source",)},
}
# the order most students start from; each demo student shuffles the optional part
CORE = ("company", "contact_name", "phone", "email", "status_raw")
OPTIONAL = ("category", "city", "last_contact", "follow_up", "notes", "temperature", "channel",
            "source")

STATUS = {  # stage -> phrases (attempt counts for 'attempted' are filled in)
    "sv": {"new": ("", "ej kontaktad", "ny"), "attempted": ("ringt {n} ggr", "inget svar x{n}",
                                                           "mejlat {n} ggr"),
           "in_dialogue": ("pratat, återkommer", "intresserade", "skickat CV"),
           "meeting": ("intervju bokad", "möte bokat"), "offer": ("erbjudande",),
           "yes": ("Ja!", "LIA klar"), "no": ("nej tack", "inte intresserade")},
    "en": {"new": ("", "not contacted", "new"), "attempted": ("called {n} times", "no answer x{n}",
                                                             "emailed {n} times"),
           "in_dialogue": ("interested", "in dialogue"), "meeting": ("interview booked",),
           "offer": ("offer",), "yes": ("Yes!", "LIA secured"), "no": ("declined", "not interested")},
}
NOTES = {"sv": ("Tar emot LIA-studenter varje år.", "Har Java- och React-team.",
                "Kontakt via mässan i mars.", ""),
         "en": ("Takes interns every year.", "Has Java and React teams.", "Met at the March fair.", "")}
SPECULATION = {"sv": ("tror de kanske anställer?", "verkar typ stressade??", "kanske intresserade"),
               "en": ("maybe hiring?", "I think they have a team??", "seems busy, maybe later")}
CHANNELS = {"sv": ("telefon", "mejl", "LinkedIn"), "en": ("phone", "email", "LinkedIn")}
TEMPERATURE = {"sv": ("varm", "kall"), "en": ("warm", "cold")}
SOURCES = ("Career-gruppen", "LinkedIn", "Allabolag", "Mässa", "Tips från lärare")
TITLES = {"sv": ("Mitt LIA-CRM", "CRM – LIA {year}", "Leads"), "en": ("My LIA CRM", "Internship leads {year}")}
