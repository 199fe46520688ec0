"""What the cells hold confirms, overrules or picks between the fields a header suggests
(issue 34): each kind of miss met on real prospect lists, on a small sheet of its own."""
from sheetsync.normalize import normalize
from sheetsync.normalize.headers import find_header_row
from sheetsync.normalize.profile import looks_like_company, looks_like_person, profile
from sheetsync.normalize.text import fold


def read(rows):
    n = normalize(rows, year=2026, student="s", tab="CRM")
    return n, {c.header: c.field for c in n.columns}


def test_a_name_column_of_companies_is_the_company():
    _, fields = read([["Nimi", "Osoite", "Puhelin"], ["Datadrivers Oy", "Tornio", "040 123 4567"],
                      ["Metsys Oy", "Jyväskylä", "040 222 3344"], ["Boucherie du Midi", "Sion", ""],
                      ["Wapice Oy", "Vaasa", ""]])
    assert fields["Nimi"] == "company"


def test_a_name_column_of_people_stays_the_contact():
    _, fields = read([["Nome", "Cidade", "WhatsApp"], ["Dra. Lara Pinto", "Rio de Janeiro", "(21) 97666-7788"],
                      ["Carla Dias", "São Paulo", "(11) 99222-3344"], ["Clínica Leme", "São Paulo", ""],
                      ["Dr. Paulo Nunes", "Curitiba", ""]])
    assert fields["Nome"] == "contact_name"


def test_a_company_column_of_peoples_names_is_the_contact():
    _, fields = read([["Company", "Phone", "Status"], ["Anna Berg", "070-1234567", "ringt"],
                      ["Bo Ek", "070-2222222", "nej"], ["Cia Lund", "070-3333333", "ja"]])
    assert fields["Company"] == "contact_name"


def test_state_codes_are_no_status_and_the_status_column_keeps_its_field():
    _, fields = read([["Empresa", "Cidade", "Estado", "Status"], ["Varejo Moderno S.A.", "Belo Horizonte", "MG", "Novo"],
                      ["TechFarma", "São Paulo", "SP", "em contato"], ["Veloz Ltda", "Goiânia", "GO", "sem interesse"]])
    assert fields["Estado"] is None and fields["Status"] == "status_raw" and fields["Cidade"] == "city"


def test_a_star_rating_is_no_note_and_the_comments_column_is():
    n, fields = read([["Företag", "Note", "Commentaires"], ["Volvo AB", "4", "ringde, återkommer i maj"],
                      ["Saab AB", "5", "vill ha cv"], ["Ikea", "3", ""]])
    assert fields["Note"] is None and fields["Commentaires"] == "notes"
    assert list(n.frame["notes"])[:2] == ["ringde, återkommer i maj", "vill ha cv"]


def test_the_fuller_of_two_columns_for_one_field_wins():
    _, fields = read([["Entreprise", "Notes", "Commentaire AI"], ["Le Midi", "", "Pas de site, seulement Facebook."],
                      ["La Sitterie", "", "Design daté, navigation peu claire."], ["Grenier", "", "Aucun site web."]])
    assert fields["Commentaire AI"] == "notes" and fields["Notes"] is None


def test_a_town_column_beats_a_street_address():
    _, fields = read([["Company", "Address", "City"], ["Volvo AB", "Gropegårdsgatan 2", "Göteborg"],
                      ["Saab AB", "Olof Palmes gata 17", "Stockholm"], ["Ikea", "Ikeagatan 1", "Älmhult"]])
    assert fields["City"] == "city" and fields["Address"] is None


def test_a_second_phone_and_email_are_kept_and_fill_the_gaps_of_the_first():
    n, fields = read([["Empresa", "WhatsApp", "Telefone", "Email", "Email 2"],
                      ["Casa da Lavoura Ltda", "(64) 99661-1049", "", "a@casa.com.br", ""],
                      ["Agromix Ltda", "", "(77) 3611-7259", "", "vendas@agromix.com.br"],
                      ["Polivet Ltda", "(77) 99827-0702", "(77) 3611-0000", "", ""]])
    assert fields["WhatsApp"] == fields["Telefone"] == "phone"
    assert fields["Email"] == fields["Email 2"] == "email"
    second = {c.header for c in n.columns if c.second}
    assert second == {"Telefone", "Email 2"}
    assert list(n.frame["phone_raw"]) == ["(64) 99661-1049", "(77) 3611-7259", "(77) 99827-0702"]
    assert list(n.frame["email"]) == ["a@casa.com.br", "vendas@agromix.com.br", None]


def test_an_empty_mobile_column_is_not_the_first_phone():
    n, _ = read([["Company", "Mobile", "Phone"], ["Volvo AB", "", "031-66 00 00"], ["Saab AB", "", "08-463 00 00"],
                 ["Ikea", "", "0476-64 10 00"]])
    first = next(c for c in n.columns if c.field == "phone" and not c.second)
    assert first.header == "Phone"


def test_a_second_email_column_without_emails_is_dropped():
    _, fields = read([["Entreprise", "Email", "Type d'email", "Fiabilité de l'email"],
                      ["Knauf", "a@knauf.com", "", ""], ["Unilabs", "b@unilabs.com", "", ""]])
    assert fields["Type d'email"] is None and fields["Fiabilité de l'email"] is None


def test_a_close_spelling_of_a_yes_no_column_is_no_field():
    _, fields = read([["Bedrijf", "Actief", "Status"], ["Philips", "True", "gesolliciteerd"],
                      ["ASML", "False", "afgewezen"], ["Booking", "True", ""]])
    assert fields["Actief"] is None


def test_free_text_no_header_word_claims_is_the_notes():
    _, fields = read([["business_name", "city", "scraped_text"],
                      ["Dental Studio Noord", "Amsterdam", "Tandartspraktijk en mondhygiëne in Amsterdam Noord."],
                      ["Smile Factory", "Eindhoven", "Toonaangevende tandartspraktijk in het centrum van Eindhoven."],
                      ["Delft Mondzorg", "Delft", "Tandheelkundige zorg dichtbij de TU Delft campus."]])
    assert fields["scraped_text"] == "notes"


def test_people_and_companies_are_told_apart_by_shape():
    assert looks_like_person("Anna Svensson") and looks_like_person("Dra. Lara Pinto")
    assert looks_like_person("Jan van der Berg")
    assert not looks_like_person("Boucherie Art de Vivre") and not looks_like_person("Volvo AB")
    assert looks_like_company(fold("Datadrivers Oy")) and looks_like_company(fold("IGREJA CRISTA MARANATA"))
    p = profile([["Anna Berg"], ["Bo Ek"], [""], ["Volvo AB"]], 0, 2026)
    assert p.n == 3 and round(p.person, 2) == 0.67 and round(p.company, 2) == 0.33


def test_a_header_of_unknown_words_beats_a_data_row_below_it():
    rows = [["Vállalat", "Település", "Csatorna 1", "Csatorna 2", "Mikor", "Állapot"],     # Hungarian
            ["Volvo AB", "Göteborg", "Telefon", "Mail", "2026-05-02", "ND"],
            ["Saab AB", "Linköping", "Telefon", "", "2026-05-03", "ND"],
            ["Ikea AB", "Älmhult", "Mail", "Telefon", "2026-05-04", "nej"],
            ["Scania AB", "Södertälje", "Telefon", "Mail", "2026-05-05", "ND"]]
    assert find_header_row(rows[1:]) == 0                 # without it, the first data row would do
    n = normalize(rows, year=2026, student="s", tab="CRM")
    assert n.header_row == 0 and list(n.frame["company"]) == ["Volvo AB", "Saab AB", "Ikea AB", "Scania AB"]


def test_a_title_line_above_the_header_is_still_no_header():
    rows = [["Mina LIA-kontakter 2026"], [],
            ["Företag", "Telefon", "Status"], ["Volvo AB", "070-123 45 67", "ja"], ["Saab AB", "070-222 22 22", "nej"]]
    assert normalize(rows, year=2026).header_row == 2


def test_companies_under_a_word_nobody_knows_are_the_company_when_no_column_is():
    _, fields = read([["Vállalat", "Telefon", "Status"], ["Volvo AB", "070-123 45 67", "ja"],
                      ["Saab AB", "070-222 22 22", "nej"], ["Richter GmbH", "", ""]])
    assert fields["Vállalat"] == "company"
    _, fields = read([["Företag", "Vállalat", "Status"], ["Volvo AB", "Saab AB", "ja"], ["Ikea", "Scania AB", "nej"]])
    assert fields["Företag"] == "company" and fields["Vállalat"] is None


def test_check_names_a_column_left_undecided_and_the_setting_that_fixes_it():
    import tomllib

    from sheetsync.normalize import read_crm
    from sheetsync.workbook import Tab, Workbook
    rows = [["Entreprise", "Recherche", "Salaire", "Notes"], ["Le Midi", "restaurant Sion", "", "à rappeler"],
            ["La Sitterie", "restaurant Sion", "", ""]]
    lines = read_crm(Workbook("b", {"Leads": Tab("Leads", rows)}), year=2026).report_lines()
    recherche = next(line for line in lines if "'Recherche'" in line)
    assert 'no field decided, set columns = { "Recherche" = "<field>" }' in recherche
    assert not any("no field decided" in line for line in lines if "'Salaire'" in line or "'Notes'" in line)
    fix = tomllib.loads(recherche.split("set columns = ", 1)[1].split(" for this", 1)[0].replace("<field>", "category")
                        .join(["x = ", ""]))["x"]
    assert {c.header: c.field for c in normalize(rows, year=2026, overrides=fix).columns}["Recherche"] == "category"


def test_a_column_of_nd_is_not_available_not_north_dakota():
    _, fields = read([["Azienda", "Stato", "Luogo"], ["Ferrari S.p.A.", "ND", "Maranello"],
                      ["Hera S.p.A.", "ND", "Bologna"], ["Barilla", "Inviato", "Parma"], ["Lavazza", "ND", "Torino"]])
    assert fields["Stato"] == "status_raw" and fields["Luogo"] == "city"
    _, fields = read([["Company", "State", "Status"], ["SpaceX", "CA", "applied"], ["Stripe", "NY", "rejected"],
                      ["Figma", "ND", ""]])
    assert fields["State"] == "city"


def test_a_typo_inside_a_longer_header_counts_only_when_the_values_agree():
    _, fields = read([["Company", "Zoom Webiste", "Main Telefn"], ["Norwest", "www.nvp.com", "Tier 1"],
                      ["Silver Lake", "www.silverlake.com", "Tier 2"], ["Coatue", "", "Tier 3"]])
    assert fields["Zoom Webiste"] == "website" and fields["Main Telefn"] is None


def test_a_kept_reading_is_not_trusted_after_a_vocabulary_change(tmp_path, monkeypatch):
    from sheetsync.normalize import reading
    before = reading.reading_key(year=2026, tab=None, overrides=None, student="s")
    folder = tmp_path / "normalize"
    (folder / "vocabulary").mkdir(parents=True)
    for path in reading.Path(reading.__file__).parent.glob("*.py"):
        (folder / path.name).write_bytes(path.read_bytes())
    for path in (reading.Path(reading.__file__).parent / "vocabulary").glob("*.toml"):
        (folder / "vocabulary" / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(reading, "__file__", str(folder / "reading.py"))
    reading._normaliser_fingerprint.cache_clear()
    assert reading.reading_key(year=2026, tab=None, overrides=None, student="s") == before
    (folder / "vocabulary" / "sv.toml").write_text((folder / "vocabulary" / "sv.toml").read_text() + "\n# new\n")
    reading._normaliser_fingerprint.cache_clear()
    assert reading.reading_key(year=2026, tab=None, overrides=None, student="s") != before
    reading._normaliser_fingerprint.cache_clear()
