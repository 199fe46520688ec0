"""The batchUpdate requests and read options other projects' clients send, answered as
the real API answers them. Reply shapes are pinned against gspread's recordings of the
real API (burnash/gspread, tests/cassettes/<name>.json, named in each test)."""
import gspread
import pytest
from google.oauth2.credentials import Credentials
from gspread.utils import ValidationConditionType

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"


@pytest.fixture
def gc(fake_google):
    return gspread.authorize(Credentials(token="x"))


@pytest.fixture
def book(fake_google, gc):
    """A new spreadsheet, its first sheet 'Sheet1' with sheetId 0 as Google makes it."""
    made = gc.http_client.request("post", SHEETS, json={"properties": {"title": "Test"}}).json()
    return gc.open_by_key(made["spreadsheetId"])


def api_error(call) -> dict:
    with pytest.raises(gspread.exceptions.APIError) as err:
        call()
    assert err.value.code == 400
    return err.value.error


def grid(book, ranges, fields=None) -> dict:
    params = {"ranges": ranges, "includeGridData": "true"}
    if fields:
        params["fields"] = fields
    return book.client.spreadsheets_get(book.id, params)


# ---- notes and formats ------------------------------------------------------------------
def test_notes_go_in_and_come_out_as_gspread_reads_them(book):
    ws = book.sheet1
    ws.insert_note("A1", "read my note")
    ws.insert_note("B2", "Or don't")
    # WorksheetTest.test_get_notes.json: only the masked field, a middle empty cell as {}
    reply = book.client.spreadsheets_get(book.id, {"fields": "sheets.data.rowData.values.note",
                                                   "ranges": "'Sheet1'"})
    assert reply == {"sheets": [{"data": [{"rowData": [
        {"values": [{"note": "read my note"}]},
        {"values": [{}, {"note": "Or don't"}]}]}]}]}
    assert ws.get_notes() == [["read my note"], ["", "Or don't"]]
    assert ws.get_note("B2") == "Or don't" and ws.get_note("C3") == ""
    ws.update([["value"]], "A1")                       # a value write keeps the note
    ws.clear_note("A1")
    assert ws.get_notes() == [[], ["", "Or don't"]]
    assert ws.get("A1") == [["value"]]


def test_format_reads_back_with_its_colour_styles(book):
    ws = book.sheet1
    cell_format = {"backgroundColor": {"green": 1, "blue": 1}, "horizontalAlignment": "CENTER",
                   "textFormat": {"foregroundColor": {"red": 1, "green": 1}, "fontSize": 12, "bold": True}}
    reply = ws.format("A2:B2", cell_format)
    assert reply == {"spreadsheetId": book.id, "replies": [{}]}
    got = book.client.spreadsheets_get(book.id, {"includeGridData": False, "ranges": ["Sheet1!A2"],
                                                 "fields": "sheets.data.rowData.values.userEnteredFormat"})
    # WorksheetTest.test_format.json: the colours come back with their *Style twins
    assert got == {"sheets": [{"data": [{"rowData": [{"values": [{"userEnteredFormat": {
        "backgroundColor": {"green": 1, "blue": 1}, "horizontalAlignment": "CENTER",
        "textFormat": {"foregroundColor": {"red": 1, "green": 1}, "fontSize": 12, "bold": True,
                       "foregroundColorStyle": {"rgbColor": {"red": 1, "green": 1}}},
        "backgroundColorStyle": {"rgbColor": {"green": 1, "blue": 1}}}}]}]}]}]}


def test_grid_data_gives_values_formats_and_the_effective_format(book):
    ws = book.sheet1
    ws.update([["Namn", 42]], "A1")
    ws.batch_format([{"range": "A1", "format": {"textFormat": {"bold": True}, "wrapStrategy": "WRAP"}},
                     {"range": "B1", "format": {"numberFormat": {"type": "NUMBER", "pattern": "0.00"}}}])
    cells = grid(book, ["Sheet1!A1:B1"])["sheets"][0]["data"][0]["rowData"][0]["values"]
    name, number = cells
    assert name["userEnteredValue"] == name["effectiveValue"] == {"stringValue": "Namn"}
    assert name["formattedValue"] == "Namn"
    assert name["userEnteredFormat"] == {"textFormat": {"bold": True}, "wrapStrategy": "WRAP"}
    effective = name["effectiveFormat"]
    assert effective["textFormat"]["bold"] is True and effective["textFormat"]["fontSize"] == 10
    assert effective["wrapStrategy"] == "WRAP" and effective["horizontalAlignment"] == "LEFT"
    assert effective["backgroundColorStyle"] == {"rgbColor": {"red": 1, "green": 1, "blue": 1}}
    assert number["effectiveValue"] == {"numberValue": 42}
    assert number["userEnteredFormat"]["numberFormat"] == {"type": "NUMBER", "pattern": "0.00"}
    assert number["effectiveFormat"]["horizontalAlignment"] == "RIGHT"


def test_update_cells_over_a_range_writes_and_clears_the_masked_fields(book, fake_google):
    ws = book.sheet1
    ws.update([["a", "b"], ["c", "d"]], "A1")
    ws.format("A1:B2", {"textFormat": {"bold": True, "italic": True}})
    book.batch_update({"requests": [{"updateCells": {
        "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 2},
        "rows": [{"values": [{"userEnteredValue": {"numberValue": 7},
                              "userEnteredFormat": {"textFormat": {"bold": False}}}]}],
        "fields": "userEnteredValue,userEnteredFormat.textFormat.bold"}}]})
    assert ws.get_all_values() == [["7"]]                  # what the rows leave out is cleared
    formats = fake_google.books[book.id].sheet("Sheet1").formats
    assert formats[(0, 0)] == {"textFormat": {"bold": False, "italic": True}}
    assert formats[(1, 1)] == {"textFormat": {"italic": True}}


def test_bad_cell_requests_are_refused_and_change_nothing(book, fake_google):
    ws = book.sheet1
    ws.update([["keep"]], "A1")
    error = api_error(lambda: book.batch_update({"requests": [
        {"updateCells": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
                         "rows": [{"values": [{"note": "n"}]}], "fields": "note"}},
        {"repeatCell": {"range": {"sheetId": 0}, "cell": {"userEnteredFormat": {}}}}]}))
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["message"].startswith("Invalid requests[1].repeatCell: ")
    assert ws.get_notes() == [[]]                           # all or nothing, as Google does
    api_error(lambda: book.batch_update({"requests": [
        {"addSheet": {"properties": {"title": "Ny"}}}, {"deleteNamedRange": {"namedRangeId": "1"}}]}))
    assert [w.title for w in book.worksheets()] == ["Sheet1"]
    error = api_error(lambda: book.batch_update({"requests": [{"repeatCell": {
        "range": {"sheetId": 0, "startRowIndex": 999, "endRowIndex": 1001},
        "cell": {"note": "x"}, "fields": "note"}}]}))
    assert "exceeds grid limits" in error["message"]
    error = api_error(lambda: book.batch_update({"requests": [{"repeatCell": {
        "range": {"sheetId": 7}, "cell": {}, "fields": "note"}}]}))
    assert error["message"] == "Invalid requests[0].repeatCell: No grid with id: 7"


def test_data_validation_is_kept_on_each_cell(book):
    ws = book.sheet1
    reply = ws.add_validation("C2:C3", ValidationConditionType.one_of_list, ["Ja", "Nej"], showCustomUi=True)
    assert reply == {"spreadsheetId": book.id, "replies": [{}]}     # WorksheetTest.test_add_validation.json
    rows = grid(book, ["Sheet1!C1:C4"], "sheets.data.rowData.values.dataValidation")
    rows = rows["sheets"][0]["data"][0]["rowData"]
    assert rows[0] == {}
    rule = rows[1]["values"][0]["dataValidation"]
    assert rule["condition"] == {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "Ja"},
                                                                   {"userEnteredValue": "Nej"}]}
    assert rule["showCustomUi"] is True and len(rows) == 3


# ---- named and protected ranges ---------------------------------------------------------
def test_named_ranges_are_added_listed_read_and_deleted(book):
    ws = book.sheet1
    ws.update([["a", "b"], ["c", "d"], ["e", "f"]], "A1")
    reply = ws.define_named_range("A1:B2", "TestDefineNamedRange")
    # CellTest.test_define_named_range.json: a string id, the range without sheetId 0
    named = reply["replies"][0]["addNamedRange"]["namedRange"]
    assert named["namedRangeId"].isdigit()
    assert named == {"namedRangeId": named["namedRangeId"], "name": "TestDefineNamedRange",
                     "range": {"startRowIndex": 0, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 2}}
    assert book.list_named_ranges() == [named]
    assert book.values_get("TestDefineNamedRange") == {
        "range": "Sheet1!A1:B2", "majorDimension": "ROWS", "values": [["a", "b"], ["c", "d"]]}
    assert [c.value for c in ws.range("TestDefineNamedRange")] == ["a", "b", "c", "d"]
    book.batch_update({"requests": [{"updateNamedRange": {
        "namedRange": {"namedRangeId": named["namedRangeId"], "name": "Tabell",
                       "range": {"sheetId": 0, "startRowIndex": 2, "endRowIndex": 3}},
        "fields": "name,range"}}]})
    assert book.values_get("Tabell")["values"] == [["e", "f"]]
    assert ws.delete_named_range(named["namedRangeId"]) == {"spreadsheetId": book.id, "replies": [{}]}
    assert book.list_named_ranges() == []


def test_bad_named_ranges_are_refused(book):
    ws = book.sheet1
    ws.define_named_range("A1", "Totalt")
    assert "already exists" in api_error(lambda: ws.define_named_range("B1", "totalt"))["message"]
    assert api_error(lambda: ws.define_named_range("B1", "A1"))["message"].startswith(
        "Invalid requests[0].addNamedRange: Invalid name")
    assert "No named range with id" in api_error(lambda: ws.delete_named_range("404"))["message"]
    assert api_error(lambda: book.values_get("Okänt"))["message"] == "Unable to parse range: Okänt"


def test_protected_ranges_name_the_owner_among_the_editors(book, fake_google):
    ws = book.sheet1
    reply = ws.add_protected_range("A1:B2", ["larare@skolan.se"], description="Rubriker")
    protected = reply["replies"][0]["addProtectedRange"]["protectedRange"]
    assert isinstance(protected["protectedRangeId"], int)
    assert protected["range"] == {"startRowIndex": 0, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 2}
    assert protected["description"] == "Rubriker"
    assert protected["editors"]["users"] == ["larare@skolan.se", fake_google.books[book.id].owner]
    assert book.list_protected_ranges(0) == [protected]
    book.batch_update({"requests": [{"updateProtectedRange": {
        "protectedRange": {"protectedRangeId": protected["protectedRangeId"], "description": "Ny"},
        "fields": "description"}}]})
    assert book.list_protected_ranges(0)[0]["description"] == "Ny"
    ws.delete_protected_range(protected["protectedRangeId"])
    assert book.list_protected_ranges(0) == []
    assert "No protected range" in api_error(lambda: ws.delete_protected_range(1))["message"]


# ---- spreadsheet and sheet properties ---------------------------------------------------
def test_spreadsheet_title_locale_and_time_zone(book, gc):
    book.update_title("Ny titel")
    book.update_locale("en_US")
    book.update_timezone("Etc/GMT")
    props = gc.open_by_key(book.id).fetch_sheet_metadata()["properties"]
    assert (props["title"], props["locale"], props["timeZone"]) == ("Ny titel", "en_US", "Etc/GMT")
    assert "spreadsheet title" in api_error(lambda: book.update_title(""))["message"].lower()


def test_sheet_index_visibility_colour_freezing_and_gridlines(book):
    first, second = book.sheet1, book.add_worksheet("Andra", 10, 5)
    second.update_index(0)
    assert [w.title for w in book.worksheets()] == ["Andra", "Sheet1"]
    first.hide()
    assert [w.title for w in book.worksheets(exclude_hidden=True)] == ["Andra"]
    assert "hide all" in api_error(second.hide)["message"]
    first.show()
    second.update_tab_color("#FF0000")
    second.freeze(rows=1, cols=2)
    second.hide_gridlines()
    props = book.fetch_sheet_metadata()["sheets"][0]["properties"]
    assert props["tabColorStyle"] == {"rgbColor": {"red": 1}}       # zero channels left out
    assert props["gridProperties"] == {"rowCount": 10, "columnCount": 5, "frozenRowCount": 1,
                                       "frozenColumnCount": 2, "hideGridlines": True}
    second.clear_tab_color()
    assert "tabColorStyle" not in book.fetch_sheet_metadata()["sheets"][0]["properties"]
    assert "already exists" in api_error(lambda: second.update_title("Sheet1"))["message"]


# ---- copies of sheets -------------------------------------------------------------------
def test_duplicate_sheet_copies_values_notes_and_formats(book):
    ws = book.sheet1
    ws.update([["x", 1]], "A1")
    ws.insert_note("A1", "en not")
    ws.format("A1", {"textFormat": {"bold": True}})
    copy = ws.duplicate()
    assert (copy.title, copy.index) == ("Copy of Sheet1", 1)
    assert copy.get_all_values() == [["x", "1"]] and copy.get_note("A1") == "en not"
    named = book.duplicate_sheet(0, insert_sheet_index=0, new_sheet_id=55, new_sheet_name="Först")
    assert (named.title, named.id, named.index) == ("Först", 55, 0)
    assert [w.title for w in book.worksheets()] == ["Först", "Sheet1", "Copy of Sheet1"]
    assert "already exists" in api_error(lambda: book.duplicate_sheet(0, new_sheet_name="Först"))["message"]


def test_copy_to_another_spreadsheet_answers_with_the_new_sheet(book, gc):
    book.sheet1.update([["med"]], "A1")
    other = gc.create("Mål")                    # made through Drive
    reply = book.sheet1.copy_to(other.id)
    assert reply == {"sheetId": reply["sheetId"], "title": "Copy of Sheet1", "index": 1, "sheetType": "GRID",
                     "gridProperties": {"rowCount": 1000, "columnCount": 26}}
    assert gc.open_by_key(other.id).get_worksheet_by_id(reply["sheetId"]).get_all_values() == [["med"]]
    with pytest.raises(gspread.exceptions.APIError) as err:
        book.sheet1.copy_to("finns-inte")
    assert err.value.code == 404


# ---- findReplace ------------------------------------------------------------------------
def find_replace(book, **args) -> dict:
    return book.batch_update({"requests": [{"findReplace": args}]})["replies"][0]["findReplace"]


def test_find_replace_counts_what_it_changed(book, fake_google):
    ws = book.sheet1
    ws.update([["Google Sheets", "sheet"], ["10", "=A1"]], "A1", value_input_option="USER_ENTERED")
    assert find_replace(book, find="e", replacement="o", sheetId=0) == {
        "valuesChanged": 2, "rowsChanged": 1, "sheetsChanged": 1, "occurrencesChanged": 5}
    assert ws.get("A1:B1") == [["Googlo Shoots", "shoot"]]
    assert find_replace(book, find="1", replacement="2", allSheets=True) == {
        "valuesChanged": 1, "rowsChanged": 1, "sheetsChanged": 1, "occurrencesChanged": 1}
    assert ws.get("A2", value_render_option="UNFORMATTED_VALUE") == [[20]]       # a number again
    assert fake_google.is_formula(book.id, "Sheet1", 2, 2)                       # formulas skipped
    assert find_replace(book, find="A1", replacement="B1", sheetId=0, includeFormulas=True) == {
        "formulasChanged": 1, "rowsChanged": 1, "sheetsChanged": 1, "occurrencesChanged": 1}
    assert find_replace(book, find="shoot", replacement="x", allSheets=True, matchEntireCell=True,
                        matchCase=True) == {"valuesChanged": 1, "rowsChanged": 1, "sheetsChanged": 1,
                                            "occurrencesChanged": 1}
    assert find_replace(book, find=r"G(o+)gl", replacement="$1", searchByRegex=True,
                        range={"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1})["valuesChanged"] == 1
    assert ws.get("A1:B1") == [["ooo Shoots", "x"]]
    assert find_replace(book, find="nothing", replacement="", allSheets=True) == {}
    assert "Exactly one of" in api_error(lambda: find_replace(book, find="a", replacement="b"))["message"]


# ---- copy, cut, sizes, groups, filters --------------------------------------------------
def test_copy_and_cut_ranges(book):
    ws = book.sheet1
    ws.update([["a", "b"], ["c", "d"]], "A1")
    ws.insert_note("A1", "följer med")
    ws.copy_range("A1:B2", "D1")
    assert ws.get("D1:E2") == [["a", "b"], ["c", "d"]] and ws.get_note("D1") == "följer med"
    ws.cut_range("A1:B1", "A5")
    assert ws.get_all_values()[0] == ["", "", "", "a", "b"] and ws.get("A5:B5") == [["a", "b"]]
    assert ws.get_note("A1") == "" and ws.get_note("A5") == "följer med"
    book.batch_update({"requests": [{"copyPaste": {
        "source": {"sheetId": 0, "startRowIndex": 4, "endRowIndex": 5, "startColumnIndex": 0, "endColumnIndex": 2},
        "destination": {"sheetId": 0, "startRowIndex": 9, "endRowIndex": 10, "startColumnIndex": 0,
                        "endColumnIndex": 2}, "pasteType": "PASTE_VALUES"}}]})
    assert ws.get("A10:B10") == [["a", "b"]] and ws.get_note("A10") == ""
    assert "PasteType" in api_error(lambda: ws.copy_range("A1", "B1", paste_type="PASTE_ALL"))["message"]


def test_auto_resize_sets_a_column_width(book):
    ws = book.sheet1
    ws.update([["a rather long piece of text"]], "A1")
    ws.columns_auto_resize(0, 1)
    meta = grid(book, ["Sheet1!A1:B1"], "sheets.data.columnMetadata.pixelSize")
    widths = [c["pixelSize"] for c in meta["sheets"][0]["data"][0]["columnMetadata"]]
    assert widths[0] > 100 and widths[1] == 100


def test_row_groups_as_recorded(book):
    ws = book.sheet1
    reply = ws.add_dimension_group_rows(0, 2)
    # WorksheetTest.test_group_rows.json: the groups of the dimension, sheetId 0 left out
    assert reply["replies"] == [{"addDimensionGroup": {"dimensionGroups": [
        {"range": {"dimension": "ROWS", "startIndex": 0, "endIndex": 2}, "depth": 1}]}}]
    sheet = book.fetch_sheet_metadata()["sheets"][0]
    assert sheet["rowGroups"] == [{"range": {"dimension": "ROWS", "startIndex": 0, "endIndex": 2}, "depth": 1}]
    assert sheet["properties"]["gridProperties"]["rowGroupControlAfter"] is True
    ws.add_dimension_group_rows(1, 4)      # overlapping: the union at depth 1, the overlap at 2
    assert ws.list_dimension_group_rows() == [
        {"range": {"dimension": "ROWS", "startIndex": 0, "endIndex": 4}, "depth": 1},
        {"range": {"dimension": "ROWS", "startIndex": 1, "endIndex": 2}, "depth": 2}]
    ws.delete_dimension_group_rows(0, 4)
    reply = ws.delete_dimension_group_rows(1, 2)
    assert reply["replies"] == [{"deleteDimensionGroup": {}}]
    assert ws.list_dimension_group_rows() == []
    assert "No group" in api_error(lambda: ws.delete_dimension_group_rows(0, 1))["message"]
    ws.add_dimension_group_columns(2, 3)
    assert ws.list_dimension_group_columns()[0]["range"] == {"dimension": "COLUMNS", "startIndex": 2, "endIndex": 3}


def test_basic_filter_is_set_and_cleared(book):
    ws = book.sheet1
    ws.set_basic_filter("A1:C10")
    sheet = book.fetch_sheet_metadata()["sheets"][0]
    assert sheet["basicFilter"] == {"range": {"startRowIndex": 0, "endRowIndex": 10, "startColumnIndex": 0,
                                              "endColumnIndex": 3}}
    ws.clear_basic_filter()
    assert "basicFilter" not in book.fetch_sheet_metadata()["sheets"][0]


def test_ranges_move_with_inserted_and_deleted_rows_and_columns(book):
    """A student inserts a row above a named range, deletes one inside it: the named
    range, the protection, the merge and the filter follow, as formulas do in the UI."""
    ws = book.sheet1
    ws.update([[f"{c}{r}" for c in "ABC"] for r in range(1, 8)], "A1")
    named = ws.define_named_range("A2:B4", "Lista")["replies"][0]["addNamedRange"]["namedRange"]
    ws.add_protected_range("A3:B3", description="Rad 3")
    ws.merge_cells("A5:B5")
    ws.set_basic_filter("A1:C10")

    def shape():
        sheet = book.fetch_sheet_metadata()["sheets"][0]
        return ([n["range"] for n in book.list_named_ranges()],
                [p["range"] for p in sheet.get("protectedRanges", [])], sheet.get("merges", []),
                sheet.get("basicFilter", {}).get("range"))
    ws.insert_rows([["ny"]], row=1)                       # insertDimension ROWS [0, 1)
    assert shape() == (
        [{"startRowIndex": 2, "endRowIndex": 5, "startColumnIndex": 0, "endColumnIndex": 2}],
        [{"startRowIndex": 3, "endRowIndex": 4, "startColumnIndex": 0, "endColumnIndex": 2}],
        [{"startRowIndex": 5, "endRowIndex": 6, "startColumnIndex": 0, "endColumnIndex": 2}],
        {"startRowIndex": 1, "endRowIndex": 11, "startColumnIndex": 0, "endColumnIndex": 3})
    assert book.values_get("Lista")["values"] == [["A2", "B2"], ["A3", "B3"], ["A4", "B4"]]
    ws.delete_rows(4)                                     # row 4 (was row 3): the protected one
    names, protected, merges, filtered = shape()
    assert names == [{"startRowIndex": 2, "endRowIndex": 4, "startColumnIndex": 0, "endColumnIndex": 2}]
    assert protected == []                                 # its only row is gone
    assert merges == [{"startRowIndex": 4, "endRowIndex": 5, "startColumnIndex": 0, "endColumnIndex": 2}]
    assert filtered == {"startRowIndex": 1, "endRowIndex": 10, "startColumnIndex": 0, "endColumnIndex": 3}
    assert book.values_get("Lista") == {"range": "Sheet1!A3:B4", "majorDimension": "ROWS",
                                        "values": [["A2", "B2"], ["A4", "B4"]]}
    ws.insert_cols([["ny"]], col=2)                       # a column inside the named range
    assert book.list_named_ranges()[0]["range"] == {"startRowIndex": 2, "endRowIndex": 4,
                                                     "startColumnIndex": 0, "endColumnIndex": 3}
    ws.delete_columns(1, 3)                               # all its columns: the name goes
    assert book.list_named_ranges() == []
    assert api_error(lambda: ws.delete_named_range(named["namedRangeId"]))["message"].endswith(f"No named range with id: {named['namedRangeId']}")
    assert book.fetch_sheet_metadata()["sheets"][0].get("merges", []) == []


# ---- developer metadata and data filters ------------------------------------------------
def test_developer_metadata_search_and_values_by_data_filter(book, gc):
    ws = book.sheet1
    ws.update([["Namn", "Status"], ["Volvo", "ja"]], "A1")
    book.batch_update({"requests": [{"createDeveloperMetadata": {"developerMetadata": {
        "metadataKey": "owned", "metadataValue": "status", "visibility": "DOCUMENT",
        "location": {"dimensionRange": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 1, "endIndex": 2}}}}}]})
    lookup = {"developerMetadataLookup": {"metadataKey": "owned", "locationType": "COLUMN"}}
    found = gc.http_client.request("post", f"{SHEETS}/{book.id}/developerMetadata:search",
                                   json={"dataFilters": [lookup]}).json()
    [match] = found["matchedDeveloperMetadata"]
    assert match["dataFilters"] == [lookup]
    assert match["developerMetadata"]["metadataValue"] == "status"
    assert match["developerMetadata"]["location"]["locationType"] == "COLUMN"
    by_range = gc.http_client.request("post", f"{SHEETS}/{book.id}/developerMetadata:search",
                                      json={"dataFilters": [{"a1Range": "Sheet1!A1:A5"}]}).json()
    assert by_range == {}                                   # column B's metadata is not in column A
    values = gc.http_client.request("post", f"{SHEETS}/{book.id}/values:batchGetByDataFilter", json={
        "dataFilters": [lookup, {"gridRange": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 2}}],
        "majorDimension": "COLUMNS"}).json()
    assert values == {"spreadsheetId": book.id, "valueRanges": [
        {"valueRange": {"range": "Sheet1!B1:B1000", "majorDimension": "COLUMNS", "values": [["Status", "ja"]]},
         "dataFilters": [lookup]},
        {"valueRange": {"range": "Sheet1!A2:Z2", "majorDimension": "COLUMNS", "values": [["Volvo"], ["ja"]]},
         "dataFilters": [{"gridRange": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 2}}]}]}
    with pytest.raises(gspread.exceptions.APIError) as err:
        gc.http_client.request("post", f"{SHEETS}/{book.id}/developerMetadata:search",
                               json={"dataFilters": [{"a1Range": "Sheet1!A1", "gridRange": {}}]})
    assert err.value.code == 400


# ---- value render options ---------------------------------------------------------------
def test_value_render_options(book):
    ws = book.sheet1
    ws.update([["=1+1", "1,5", "2020-01-01", "3"]], "A1", value_input_option="USER_ENTERED")
    ws.update([["0042"]], "A2", value_input_option="RAW")
    assert ws.get("A1:D2", value_render_option="FORMULA") == [["=1+1", "1,5", 43831, 3], ["0042"]]
    assert ws.get("C1", value_render_option="UNFORMATTED_VALUE") == [[43831]]
    assert ws.get("A1:D1", major_dimension="COLUMNS") == [["2"], ["1,5"], ["2020-01-01"], ["3"]]
    body = book.values_batch_get(["Sheet1!C1", "Sheet1!D1"], params={"valueRenderOption": "UNFORMATTED_VALUE"})
    assert [r["values"] for r in body["valueRanges"]] == [[[43831]], [[3]]]
    error = api_error(lambda: book.values_get("Sheet1!A1", params={"valueRenderOption": "PRETTY"}))
    assert error["message"] == ("Invalid value at 'value_render_option'"
                                " (type.googleapis.com/google.apps.sheets.v4.ValueRenderOption), \"PRETTY\"")


def test_a_formula_of_numbers_shows_its_result(book):
    """CellTest.test_numeric_value.json: '= 1 / 1024' typed reads back as 0.0009765625;
    a formula that refers to cells or calls a function keeps its text in the fake."""
    ws = book.sheet1
    ws.update([["= 1 / 1024", "=4/2", "=(1+2)^2", "=1/0", "=A1*2"]], "A1", value_input_option="USER_ENTERED")
    assert ws.get("A1:E1") == [["0.0009765625", "2", "9", "=1/0", "=A1*2"]]
    assert ws.get("A1:C1", value_render_option="UNFORMATTED_VALUE") == [[0.0009765625, 2, 9]]
    assert ws.get("A1:B1", value_render_option="FORMULA") == [["= 1 / 1024", "=4/2"]]
    cell = grid(book, ["Sheet1!B1"])["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert cell["userEnteredValue"] == {"formulaValue": "=4/2"}
    assert cell["effectiveValue"] == {"numberValue": 2} and cell["formattedValue"] == "2"
    ws.update([["=4/2"]], "A3", value_input_option="RAW")            # RAW: text, never a formula
    assert ws.get("A3", value_render_option="UNFORMATTED_VALUE") == [["=4/2"]]


def test_merge_types_and_merging_again(book):
    """WorksheetTest.test_merge_cells.json: MERGE_ROWS over A1:B2 is one merge per row;
    the same range merged again stays one merge; a merge across another is refused."""
    ws = book.sheet1
    ws.merge_cells("A1:B2", merge_type="MERGE_ROWS")
    merges = lambda: book.fetch_sheet_metadata()["sheets"][0].get("merges", [])  # noqa: E731
    assert merges() == [{"startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 2},
                        {"startRowIndex": 1, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 2}]
    ws.merge_cells("A1:B2")
    ws.merge_cells("A1:B2")
    assert merges() == [{"startRowIndex": 0, "endRowIndex": 2, "startColumnIndex": 0, "endColumnIndex": 2}]
    assert "merged range" in api_error(lambda: ws.merge_cells("B2:C3"))["message"]
    ws.unmerge_cells("A1:B2")
    assert merges() == []


def test_append_finds_the_table_as_google_does(book):
    """WorksheetTest.test_append_row_with_empty_value.json: a row with a gap appended
    twice comes out shifted past the gap (tableRange Sheet1!C1, updatedRange C2:E2);
    test_insert_cols.json: columns appended into an empty range land at its top left."""
    ws = book.sheet1
    ws.append_row(["a", "", "c"])
    reply = ws.append_row(["a", "", "c"])
    assert reply["tableRange"] == "Sheet1!C1"
    assert reply["updates"]["updatedRange"] == "Sheet1!C2:E2"
    assert ws.row_values(2) == ["", "", "a", "", "c"]
    ws.update([["h1", "h2"], ["x", "y"]], "G1")
    reply = book.values_append("Sheet1!G1", {"valueInputOption": "RAW"}, {"values": [["z", "w"]]})
    assert reply["tableRange"] == "Sheet1!G1:H2"             # the table runs on past the range
    assert ws.get("G3:H3") == [["z", "w"]]
    reply = book.values_append("Sheet1!J1", {"valueInputOption": "RAW"},
                               {"majorDimension": "COLUMNS", "values": [["1", "2", "3"], ["4", "5"]]})
    assert "tableRange" not in reply and reply["updates"]["updatedRange"] == "Sheet1!J1:K3"
    assert ws.get("J1:K3") == [["1", "4"], ["2", "5"], ["3"]]


def test_tab_colour_kept_as_google_keeps_it(book):
    """WorksheetTest.test_update_tab_color.json: 8 bits a channel, zero channels left out."""
    ws = book.sheet1
    book.batch_update({"requests": [{"updateSheetProperties": {
        "properties": {"sheetId": ws.id, "tabColor": {"red": 1, "green": 0, "blue": 0.5}}, "fields": "tabColor"}}]})
    props = book.fetch_sheet_metadata()["sheets"][0]["properties"]
    assert props["tabColor"] == {"red": 1, "blue": 0.49803922}
    ws.update_tab_color("#FF0080")                            # 128/255, shown as float32
    assert book.fetch_sheet_metadata()["sheets"][0]["properties"]["tabColor"] == {"red": 1, "blue": 0.5019608}


def test_import_csv_replaces_the_spreadsheet_with_the_rows(book, fake_google):
    """gspread's import_csv (a Drive v2 media upload with convert=True): the other sheets
    go, the first one holds the rows, typed as if entered; RAW text stays out of it."""
    book.add_worksheet("Andra", 10, 5)
    book.client.import_csv(book.id, "Företag,Telefon\nSaab,070-123 45 67\nVolvo,3\n")
    sheets = book.worksheets()
    assert [ws.title for ws in sheets] == ["Sheet1"]
    assert sheets[0].get_all_values() == [["Företag", "Telefon"], ["Saab", "070-123 45 67"], ["Volvo", "3"]]
    assert sheets[0].get("B3", value_render_option="UNFORMATTED_VALUE") == [[3]]
    other = fake_google.create_spreadsheet("Not shared", shared=False)
    with pytest.raises(gspread.exceptions.APIError):
        book.client.import_csv(other, "a,b\n")
