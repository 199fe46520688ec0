"""Reading sheets nobody designed: headers and statuses in the region's languages, header
and content deciding together, headers found by shape, sheets with no header at all."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetsync.normalize import normalize
from sheetsync.normalize.headers import map_header
from sheetsync.normalize.statuses import stage_of
from sheetsync.normalize.vocabulary import LANGUAGES, load

# real spellings, as people type them, per language
HEADERS = {
    "sv": [("Företagsnamn", "company"), ("Kontaktperson", "contact_name"), ("Telefonnr", "phone"),
           ("E-postadress", "email"), ("Senast kontaktad", "last_contact"), ("Följ upp", "follow_up"),
           ("Sökt tjänst", "position"), ("Annonslänk", "link")],
    "en": [("Company Name", "company"), ("Hiring Manager", "contact_name"), ("Phone Number", "phone"),
           ("Email Address", "email"), ("Date Applied", "applied_on"), ("Next Follow-up", "follow_up"),
           ("Job Title", "position"), ("Application URL", "link"), ("Application Status", "status_raw"),
           ("Date of Application", "applied_on"), ("Company Website", "website")],
    "da": [("Virksomhed", "company"), ("Kontaktperson", "contact_name"), ("Tlf", "phone"),
           ("Opfølgning", "follow_up"), ("Stillingsbetegnelse", "position"), ("Ansøgningsdato", "applied_on")],
    "no": [("Bedrift", "company"), ("Selskap", "company"), ("Navn", "contact_name"), ("E-post", "email"),
           ("Oppfølging", "follow_up"), ("Stillingstittel", "position"), ("Søknadsdato", "applied_on"),
           ("Lenke", "link"), ("Notater", "notes")],
    "fi-sv": [("Yritys", "company"), ("Yhteyshenkilö", "contact_name"), ("Puhelin", "phone"),
              ("Sähköposti", "email"), ("Tila", "status_raw"), ("Tehtävä", "position"), ("FO-nummer", "org_number")],
    "de": [("Unternehmen", "company"), ("Arbeitgeber", "company"), ("Ansprechpartner", "contact_name"),
           ("Telefonnummer", "phone"), ("E-Mail", "email"), ("Bewerbungsdatum", "applied_on"),
           ("Stellenbezeichnung", "position"), ("Nächster Schritt", "next_step"), ("Notizen", "notes"),
           ("Wiedervorlage", "follow_up"), ("Stellenanzeige", "link")],
    "nl": [("Bedrijfsnaam", "company"), ("Contactpersoon", "contact_name"), ("Telefoonnummer", "phone"),
           ("Sollicitatiedatum", "applied_on"), ("Functie", "position"), ("Opmerkingen", "notes"),
           ("Volgende stap", "next_step"), ("Plaats", "city")],
    "fr": [("Entreprise", "company"), ("Société", "company"), ("Personne de contact", "contact_name"),
           ("Téléphone", "phone"), ("Courriel", "email"), ("Date de candidature", "applied_on"),
           ("Intitulé du poste", "position"), ("Statut", "status_raw"), ("Date de relance", "follow_up"),
           ("Lien de l'offre", "link")],
    "es": [("Empresa", "company"), ("Persona de contacto", "contact_name"), ("Teléfono", "phone"),
           ("Correo electrónico", "email"), ("Fecha de solicitud", "applied_on"), ("Puesto", "position"),
           ("Estado", "status_raw"), ("Próximo paso", "next_step"), ("Ubicación", "city")],
    "pt": [("Razão Social", "company"), ("Nome Fantasia", "company"), ("CNPJ", "org_number"),
           ("Responsável", "contact_name"), ("WhatsApp", "phone"), ("Cidade", "city"), ("Origem", "source"),
           ("Segmento", "category"), ("Observação", "notes"), ("Data de envio", "applied_on")],
    "it": [("Nome Azienda", "company"), ("Referente", "contact_name"), ("Partita IVA", "org_number"),
           ("Città", "city"), ("Settore", "category"), ("Esito", "status_raw"), ("Data candidatura", "applied_on"),
           ("Sollecito", "follow_up"), ("Note", "notes")],
    "is": [("Fyrirtæki", "company"), ("Kennitala", "org_number"), ("Tengiliður", "contact_name"),
           ("Sími", "phone"), ("Netfang", "email"), ("Staða", "status_raw"), ("Athugasemdir", "notes")],
    "sales": [("Lead Source", "source"), ("Account Manager", "contact_name"), ("Owner", "contact_name"),
              ("Registration number", "org_number"), ("Line of business", "category"), ("SIRET", "org_number"),
              ("Raison sociale", "company"), ("Organisationsnummer", "org_number"), ("Date sent", "applied_on"),
              ("Submission date", "applied_on"), ("Recruiter", "contact_name"), ("Dirigeant", "contact_name"),
              ("Nimi", "contact_name"), ("Osoite", "city"), ("Activité", "category")],
}
# headers that must not be taken for the field their first word suggests
NOT_FIELDS = [("Interview Date", None), ("Date Posted", None), ("Assessment Due Date", None),
              ("application_id", None), ("Made contact?", None), ("Messaged Recruiter", None),
              ("Job URL", "link"), ("URL", "link"), ("Role", "position"), ("Title", "position"),
              ("Role name", "position"), ("Response Date", "last_contact"), ("Applied Via", "source"),
              ("Hiring Manager Email", "email"), ("Contact Phone", "phone"), ("Portal", "source"),
              ("Status Date", "last_contact"),
              # words that qualify each other (issue 34): the head noun, a person of the company,
              # a status or source of something else, an identifier, a date of an event
              ("Statut site", None), ("Website status", None), ("status_site", None),
              ("ID entreprise Hubspot", None), ("Tél standard origine", None), ("fonte_proprietario", None),
              ("Phone Screen Date", None), ("Source PDF", None), ("The company's manager", "contact_name"),
              ("Gerente da empresa", "contact_name"), ("Name of company", "company"),
              ("Activité source Pharow", "category"), ("Description issue du site internet", "notes"),
              ("Cargo do contato", "contact_role"), ("Geographic sector", "city"), ("Kontaktperson/roll", "contact_name"),
              # follow-up counters are attempts; a name or a yes/no typed as a header is no field
              ("relance 2", "attempt_n"), ("2nd follow-up", "attempt_n"), ("Follow up 3", "attempt_n"),
              ("Anna Svensson", None), ("Falskt", None)]
STATUSES = [("Absage", "no"), ("Vorstellungsgespräch", "meeting"), ("beworben", "attempted"),
            ("afgewezen", "no"), ("gesprek gepland", "meeting"), ("gesolliciteerd", "attempted"),
            ("refusé", "no"), ("entretien", "meeting"), ("candidature envoyée", "attempted"),
            ("rechazado", "no"), ("entrevista", "meeting"), ("sin respuesta", "attempted"),
            ("avslag", "no"), ("intervju", "meeting"), ("søkt", "attempted"), ("ikke interessert", "no"),
            ("hylätty", "no"), ("haastattelu", "meeting"), ("Phone screen", "meeting"),
            ("Rejected", "no"), ("Offer received", "offer"), ("ghosted", "no"), ("Applied", "attempted")]


def test_every_language_has_its_file():
    assert set(load()) >= set(LANGUAGES)
    for language, data in load().items():
        assert data["headers"]["company"], language


@pytest.mark.parametrize("language, header, field",
                         [(lang, h, f) for lang, pairs in HEADERS.items() for h, f in pairs])
def test_headers_in_every_language(language, header, field):
    assert map_header(header)[0] == field


@pytest.mark.parametrize("header, field", NOT_FIELDS)
def test_a_headers_first_word_does_not_decide(header, field):
    assert map_header(header)[0] == field


@pytest.mark.parametrize("status, stage", STATUSES)
def test_statuses_in_every_language(status, stage):
    assert stage_of(status) == stage


def mapped(rows):
    return {c.header: c.field for c in normalize(rows, year=2026, student="s", tab="CRM").columns}


def test_title_beside_a_contact_person_is_their_role_elsewhere_the_job():
    beside = mapped([["Company", "Contact", "Title", "Phone"], ["Volvo AB", "Anna Berg", "HR-chef", "070-1234567"]])
    alone = mapped([["Company", "Title", "Location"], ["Volvo AB", "Backend Intern", "Göteborg"]])
    assert beside["Title"] == "contact_role" and alone["Title"] == "position"


def test_a_url_column_is_the_ad_or_the_website_by_what_it_links_to():
    ads = mapped([["Company", "Website"], ["Volvo AB", "https://jobs.lever.co/volvo/123"],
                  ["Saab AB", "https://boards.greenhouse.io/saab/jobs/9"]])
    homes = mapped([["Company", "URL"], ["Volvo AB", "https://www.volvo.se"], ["Saab AB", "saab.com"]])
    assert ads["Website"] == "link" and homes["URL"] == "website"


def test_a_state_column_of_state_codes_is_a_place_and_yes_no_is_not_a_date():
    found = mapped([["Company", "State", "Applied?", "Status"], ["SpaceX", "CA", "Yes", "applied"],
                    ["Stripe", "NY", "No", "rejected"], ["Figma", "WA", "yes", ""]])
    assert found["State"] == "city" and found["Applied?"] is None and found["Status"] == "status_raw"


def test_yes_no_values_are_not_a_name():
    found = mapped([["Company", "Recruiter", "Status"], ["Volvo AB", "Yes", "applied"],
                    ["Saab AB", "No", "applied"], ["Ikea", "yes", ""]])
    assert found["Recruiter"] is None


def test_a_header_with_no_known_word_is_found_by_shape_and_mapped_by_content():
    rows = [["Ställe", "Människa", "Lur", "Brev", "Hur det går", "När"],
            ["Volvo AB", "Anna Berg", "070-123 45 67", "anna@volvo.se", "ringt 1 ggr", "2026-05-10"],
            ["Saab AB", "Bo Ek", "070-222 22 22", "bo@saab.se", "nej tack", "2026-05-11"]]
    n = normalize(rows, year=2026, student="s", tab="CRM")
    assert n.header_row == 0 and list(n.frame["company"]) == ["Volvo AB", "Saab AB"]
    assert {c.header: c.field for c in n.columns} == {
        "Ställe": "company", "Människa": "contact_name", "Lur": "phone", "Brev": "email",
        "Hur det går": "status_raw", "När": "last_contact"}
    assert all(c.confidence < 1 and c.note.startswith("by content") for c in n.columns)


def test_a_sheet_without_a_header_keeps_its_first_row_as_a_lead():
    rows = [["Volvo AB", "Anna Berg", "anna@volvo.se", "2026-05-10"],
            ["Saab AB", "Bo Ek", "bo@saab.se", "2026-05-11"],
            ["Ikea", "Cia Lund", "cia@ikea.se", "2026-05-09"]]
    n = normalize(rows, year=2026, student="s", tab="CRM")
    assert n.header_row == -1
    assert list(n.frame["company"]) == ["Volvo AB", "Saab AB", "Ikea"] and list(n.frame["row"]) == [1, 2, 3]


def test_text_without_companies_is_still_not_a_crm():
    assert normalize([["Hej", "lite text"], ["mer", "text här"]], year=2026).header_row is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(st.text(max_size=12), st.integers(), st.floats(allow_nan=True),
                                   st.sampled_from(["Volvo AB", "anna@x.se", "070-1234567", "2026-05-01",
                                                    "https://jobs.lever.co/x", "ja", "nej", "v.23"])),
                         max_size=8), max_size=12))
def test_headerless_and_shapeless_grids_never_raise(rows):
    normalize(rows, year=2026, student="s", tab="CRM")


def test_a_value_that_breaks_a_url_parser_is_just_text():
    n = normalize([["Företag", "Hemsida", "Status"], ["Volvo AB", "http://.[", "ja"], ["0", ".[", ""]],
                  year=2026, student="s", tab="CRM")
    assert list(n.frame["company"]) == ["Volvo AB", "0"] and n.frame["website_domain"].isna().all()
