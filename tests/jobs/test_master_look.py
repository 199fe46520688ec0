"""The master readable at a glance, on both backends: columns as wide as their content
(or wrapped), the Sheet column a short name with a link, tonight's Runs row true, every
word in the cohort's language."""
import re
import textwrap

from openpyxl import load_workbook

from jobs.nightly import run_nightly
from sheetsync.backends.google import GoogleBackend
from sheetsync.demo.google import upload_cohort
from sheetsync.testing import FakeGoogle


def text(v):
    return "" if v is None else str(v)


def test_every_master_column_fits_its_text_or_wraps_it_in_a_workbook(demo_config, now):
    run_nightly(demo_config, now=now)
    book = load_workbook(demo_config.resolve("master.xlsx"))
    for ws in book.worksheets:
        rows = [list(r) for r in ws.iter_rows()]
        for c in range(ws.max_column):
            letter = rows[0][c].column_letter
            width = ws.column_dimensions[letter].width
            assert ws.column_dimensions[letter].customWidth, (ws.title, letter)
            for r, row in enumerate(rows, 1):
                cell = row[c]
                alone = sum(1 for x in row if text(x.value)) == 1 and ws.max_column > 1
                if not text(cell.value) or alone:
                    continue            # a title or a sentence alone on its row overflows
                if len(text(cell.value)) + 1 > width or r == 1:
                    # wider than its column: wrapped, on a row tall enough for its lines
                    assert cell.alignment.wrap_text, (ws.title, cell.coordinate, cell.value, width)
                    lines = len(textwrap.wrap(text(cell.value), int(width) - 2)) or 1
                    height = ws.row_dimensions[r].height
                    assert lines == 1 or (height and height >= 15 * lines), (ws.title, cell.coordinate, lines)
    feedback = book["Återkoppling"]
    assert feedback.column_dimensions["E"].width >= 40 and feedback["E2"].alignment.wrap_text


def test_the_sheet_column_is_the_file_name_linked_to_the_workbook(demo_config, now):
    run_nightly(demo_config, now=now)
    ws = load_workbook(demo_config.resolve("master.xlsx"))["Studenter"]
    header = [c.value for c in ws[1]]
    sheet = header.index("Blad") + 1
    master_folder = demo_config.resolve("master.xlsx").parent
    for r in range(2, ws.max_row + 1):
        cell = ws.cell(row=r, column=sheet)
        assert "/" not in cell.value and cell.value.endswith(".xlsx")
        target = cell.hyperlink.target
        assert not target.startswith("/") and (master_folder / target).is_file()
        assert (master_folder / target).name == cell.value


def test_tonights_runs_row_shows_the_calls_and_seconds_so_far(demo_config, demo_cohort, now):
    def runs():
        rows = [[c.value for c in r] for r in load_workbook(demo_config.resolve("master.xlsx"))["Körningar"].iter_rows()]
        return [dict(zip(rows[0], r)) for r in rows[1:]]
    students = len(demo_cohort.students)
    report = run_nightly(demo_config, now=now)
    tonight = runs()[-1]
    assert tonight["Körning"] == report.run_id
    assert tonight["Läsningar"] == students and tonight["Skrivningar"] == students   # one each, so far
    assert isinstance(tonight["Sekunder"], int) and tonight["Klar (UTC)"] == "pågår: siffrorna hittills"
    run_nightly(demo_config, now=now)
    last_night = runs()[0]                              # finished: its own figures, its end
    assert last_night["Läsningar"] == students and last_night["Klar (UTC)"].startswith("20")


def test_the_master_speaks_the_cohorts_language(demo_config, now, tmp_path):
    from sheetsync.backends.xlsx import XlsxBackend
    student = XlsxBackend(demo_config).roster()[0]
    XlsxBackend(demo_config).path(student).unlink()              # a workbook gone
    run_nightly(demo_config, now=now)
    book = load_workbook(demo_config.resolve("master.xlsx"))
    stages = {w for r in book["Företag"].iter_rows(min_row=2, values_only=True) for w in r[4].split(", ")}
    assert stages and stages <= {"ny", "försökt", "i dialog", "möte", "erbjudande", "ja (LIA)", "nej", "okänt"}
    words = " ".join(text(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row)
    for english in ("workbook not found", "attempted", "in_dialogue", "not found"):
        assert english not in words, english
    runs = [[c.value for c in r] for r in book["Körningar"].iter_rows()]
    assert runs[-1][runs[0].index("Fel")] == f"{student.id}: bladet finns inte"


def test_master_widths_wraps_and_links_on_google(tmp_path, demo_cohort, now):
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, demo_cohort, tmp_path)
        run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        book = google.books[master]
        tab = book.sheet("Studenter")
        rows = google.get_values(master, "Studenter")
        header = rows[0]
        why, sheet_col = header.index("Varför"), header.index("Blad")
        longest = max(len(r[0]) for r in rows[1:])
        assert tab.pixel_sizes[("COLUMNS", 0)] >= 7 * longest                   # the names fit
        assert tab.formats[(0, why)]["wrapStrategy"] == "WRAP"                   # the header wraps
        feedback = book.sheet("Återkoppling")
        assert feedback.formats[(1, 4)]["wrapStrategy"] == "WRAP"                 # the sentences wrap
        assert feedback.pixel_sizes[("COLUMNS", 4)] >= 300
        urls = {f"https://docs.google.com/spreadsheets/d/{sid}/edit" for sid in sheets.values()}
        links = {r: tab.formats[(r, sheet_col)]["textFormat"]["link"]["uri"] for r in range(1, len(rows))}
        assert set(links.values()) == urls and all(r[sheet_col] == "öppna bladet" for r in rows[1:])
        assert all(tab.notes[(r, sheet_col)] == links[r] for r in links)
        ids = {s.name: s.id for s in demo_cohort.students}

        def each_row_links_its_own_sheet():
            rows = google.get_values(master, "Studenter")
            tab = google.books[master].sheet("Studenter")
            for r, row in enumerate(rows[1:], 1):
                url = f"https://docs.google.com/spreadsheets/d/{sheets[ids[row[0]]]}/edit"
                assert tab.formats[(r, sheet_col)]["textFormat"]["link"]["uri"] == url, row[0]
                assert tab.notes[(r, sheet_col)] == url
            return [row[0] for row in rows[1:]]
        order = each_row_links_its_own_sheet()
        before = len(google.books[master].requests)
        run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        # nothing moved: widths, wraps and links are not sent again
        assert not [r for r in google.books[master].requests[before:]
                    if {"updateDimensionProperties", "updateCells", "repeatCell"} & set(r)]
        last = order[-1]
        google.delete(sheets[ids[last]])        # the last student's sheet is gone: first tomorrow
        run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        moved = each_row_links_its_own_sheet()
        assert moved[0] == last and moved != order


def test_the_students_tab_reasons_vary_with_the_student(demo_config, now):
    """Among the demo's students at risk, the reasons name what weighs for each."""
    run_nightly(demo_config, now=now)
    rows = [[c.value for c in r] for r in load_workbook(demo_config.resolve("master.xlsx"))["Studenter"].iter_rows()]
    h = rows[0]
    at_risk = [r for r in rows[1:] if r[h.index("Risk")] in ("hög", "medel", "behöver åtgärd")]
    assert at_risk and all(r[h.index("Meddelande")] for r in at_risk)      # each with an action
    kinds = {re.sub(r"\d+", "#", r[h.index("Varför")]) for r in at_risk}
    assert len(kinds) >= 2


def test_risk_colours_follow_the_risk_column_when_a_new_version_moves_it_on_google(tmp_path, demo_cohort, now):
    """A master written by an older version has its colour rules on the old Risk column:
    the night that finds another header adds them again for the columns as they are."""
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, demo_cohort, tmp_path)
        run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        rows = google.get_values(master, "Studenter")
        google.set_values(master, "Studenter", [rows[0][:1] + rows[0][2:] + rows[0][1:2]])  # Risk last
        students = google.books[master].sheet("Studenter").sheet_id

        def rules():
            return [r["addConditionalFormatRule"]["rule"]["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
                    for r in google.books[master].requests if "addConditionalFormatRule" in r
                    and r["addConditionalFormatRule"]["rule"]["ranges"][0]["sheetId"] == students]
        assert len(rules()) == 4
        run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        assert len(rules()) == 8 and all(f.startswith("=$B2=") for f in rules())
        run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        assert len(rules()) == 8                                    # the header as written: not again
