"""FakeGoogle answers as the real API does (shapes from gspread's recorded cassettes)."""
import gspread
import pytest
import requests
from google.oauth2.service_account import Credentials

from sheetsync.testing import FakeGoogle


@pytest.fixture
def google():
    with FakeGoogle() as fake:
        yield fake


@pytest.fixture
def client(google, tmp_path):
    path = google.credentials_file(tmp_path / "credentials.json")
    return gspread.authorize(Credentials.from_service_account_file(
        str(path), scopes=["https://www.googleapis.com/auth/spreadsheets"]))


def values(client, sid, rng, **params):
    return client.http_client.values_get(sid, rng, params=params)


def test_values_replies_trim_and_echo_the_bounded_range(google, client):
    sid = google.create_spreadsheet("T", {"Sheet1": [["a", "", ""], [], ["", "b"], ["", ""]]})
    reply = values(client, sid, "Sheet1")
    assert reply == {"range": "Sheet1!A1:Z1000", "majorDimension": "ROWS",
                     "values": [["a"], [], ["", "b"]]}
    assert values(client, sid, "Sheet1!D4") == {"range": "Sheet1!D4", "majorDimension": "ROWS"}
    assert values(client, sid, "A2:2")["range"] == "Sheet1!A2:Z2"
    assert values(client, sid, "Sheet1!A1:A")["range"] == "Sheet1!A1:A1000"


def test_sheet_names_are_quoted_only_when_needed(google, client):
    sid = google.create_spreadsheet("T", {"My tab": [["x"]], "A1": [["y"]], "Plain": [["z"]]})
    assert values(client, sid, "'My tab'!A1")["range"] == "'My tab'!A1"
    assert values(client, sid, "'A1'!A1")["range"] == "'A1'!A1"
    assert values(client, sid, "Plain!A1")["range"] == "Plain!A1"


def test_raw_keeps_text_user_entered_parses(google, client):
    sid = google.create_spreadsheet("T", {"Sheet1": []})
    ws = client.open_by_key(sid).sheet1
    ws.update([["=1+1", "0042", "2020-01-01"]], "A1", value_input_option="RAW")
    ws.update([["=1+1", "0042", "2020-01-01", "'=x"]], "A2", value_input_option="USER_ENTERED")
    assert not google.is_formula(sid, "Sheet1", 1, 1)
    assert google.is_formula(sid, "Sheet1", 2, 1)
    unformatted = values(client, sid, "Sheet1", valueRenderOption="UNFORMATTED_VALUE")["values"]
    assert unformatted[0] == ["=1+1", "0042", "2020-01-01"]
    assert unformatted[1][1:] == [42, 43831, "=x"]
    assert values(client, sid, "Sheet1")["values"][1][1:3] == ["42", "2020-01-01"]


def test_update_reply_and_grid_limits(google, client):
    sid = google.create_spreadsheet("T", {"Sheet1": []}, rows=10, cols=4)
    reply = client.http_client.values_update(sid, "Sheet1!A1", params={"valueInputOption": "RAW"},
                                             body={"values": [["a"] * 4] * 4})
    assert reply["updatedRange"] == "Sheet1!A1:D4" and reply["updatedCells"] == 16
    with pytest.raises(gspread.exceptions.APIError) as err:
        client.http_client.values_update(sid, "Sheet1!E1", params={"valueInputOption": "RAW"},
                                         body={"values": [["x"]]})
    assert err.value.code == 400 and "exceeds grid limits" in err.value.error["message"]


def test_bad_range_is_google_s_400(google, client):
    sid = google.create_spreadsheet("T", {"Sheet1": []})
    with pytest.raises(gspread.exceptions.APIError) as err:
        values(client, sid, "'x'!A1:[5")
    assert err.value.error["status"] == "INVALID_ARGUMENT"
    assert err.value.error["message"].startswith("Unable to parse range: ")


def test_not_found_and_not_shared(google, client):
    sid = google.create_spreadsheet("T", {"Sheet1": []}, shared=False)
    with pytest.raises(gspread.exceptions.APIError) as err:
        client.http_client.fetch_sheet_metadata(sid)
    assert (err.value.code, err.value.error["status"]) == (403, "PERMISSION_DENIED")
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        client.open_by_key("nope")             # gspread's own reading of the 404
    with pytest.raises(gspread.exceptions.APIError) as err:
        client.http_client.fetch_sheet_metadata("nope")
    assert err.value.error == {"code": 404, "message": "Requested entity was not found.",
                               "status": "NOT_FOUND"}


def test_quota_gives_429_with_error_info(tmp_path):
    t = [0.0]
    with FakeGoogle(quotas=True, reads_per_minute_user=2, clock=lambda: t[0]) as google:
        path = google.credentials_file(tmp_path / "c.json")
        client = gspread.authorize(Credentials.from_service_account_file(
            str(path), scopes=["https://www.googleapis.com/auth/spreadsheets"]))
        sid = google.create_spreadsheet("T", {"Sheet1": [["a"]]})
        values(client, sid, "Sheet1")
        values(client, sid, "Sheet1")
        with pytest.raises(gspread.exceptions.APIError) as err:
            values(client, sid, "Sheet1")
        error = err.value.error
        assert error["status"] == "RESOURCE_EXHAUSTED"
        assert error["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"
        assert error["details"][0]["metadata"]["quota_limit"] == "ReadRequestsPerMinutePerUser"
        t[0] = 61.0                       # a minute later the window has room again
        assert values(client, sid, "Sheet1")["values"] == [["a"]]


def test_batch_update_add_sheet_and_stored_requests(google, client):
    sid = google.create_spreadsheet("T", {"Sheet1": []})
    rule = {"ranges": [{"sheetId": 0, "startColumnIndex": 0, "endColumnIndex": 1}],
            "booleanRule": {"condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": "=A1"}]},
                            "format": {"backgroundColor": {"red": 1}}}}
    reply = client.http_client.batch_update(sid, {"requests": [
        {"addSheet": {"properties": {"title": "Ny flik"}}},
        {"addConditionalFormatRule": {"rule": rule, "index": 0}}]})
    assert reply["replies"][0]["addSheet"]["properties"]["title"] == "Ny flik"
    assert reply["replies"][1] == {}
    assert google.books[sid].requests == [{"addConditionalFormatRule": {"rule": rule, "index": 0}}]


def test_conditional_formats_are_kept_in_order_follow_their_columns_and_are_taken_away_by_index(google, client):
    sid = google.create_spreadsheet("T", {"CRM": [["Företag"]]}, rows=5, cols=6)

    def rule(first_col: int, formula: str) -> dict:
        return {"ranges": [{"sheetId": 0, "startRowIndex": 1, "startColumnIndex": first_col,
                            "endColumnIndex": first_col + 2}],
                "booleanRule": {"condition": {"type": "CUSTOM_FORMULA",
                                              "values": [{"userEnteredValue": formula}]},
                                "format": {"backgroundColor": {"green": 1}}}}
    client.http_client.batch_update(sid, {"requests": [
        {"addConditionalFormatRule": {"rule": rule(0, "=A2"), "index": 0}},
        {"addConditionalFormatRule": {"rule": rule(3, "=D2"), "index": 0}},      # goes first
        {"insertDimension": {"range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 1,
                                       "endIndex": 2}}}]})
    fields = "sheets(properties(sheetId,title),conditionalFormats(ranges))"
    got = client.http_client.fetch_sheet_metadata(sid, params={"fields": fields})["sheets"][0]
    assert [(g["startColumnIndex"], g["endColumnIndex"]) for r in got["conditionalFormats"]
            for g in r["ranges"]] == [(4, 6), (0, 3)]         # D:E moved right; A:B grew by the column
    assert "booleanRule" not in got["conditionalFormats"][0]  # the mask holds
    reply = client.http_client.batch_update(sid, {"requests": [
        {"deleteConditionalFormatRule": {"sheetId": 0, "index": 0}}]})
    assert reply["replies"][0]["deleteConditionalFormatRule"]["rule"]["booleanRule"]["condition"][
        "values"] == [{"userEnteredValue": "=D2"}]
    left = client.http_client.fetch_sheet_metadata(sid)["sheets"][0]["conditionalFormats"]
    assert len(left) == 1 and left[0]["ranges"][0]["startColumnIndex"] == 0
    with pytest.raises(gspread.exceptions.APIError, match="index 3"):
        client.http_client.batch_update(sid, {"requests": [
            {"deleteConditionalFormatRule": {"sheetId": 0, "index": 3}}]})


def test_update_cells_and_the_spreadsheet_returned_by_a_batch_update(google, client):
    sid = google.create_spreadsheet("T", {"CRM": [["Företag"], ["Volvo"]]}, rows=5, cols=2)
    sheet_id = google.books[sid].sheets[0].sheet_id
    cell = {"userEnteredValue": {"stringValue": "=IMPORTRANGE(1)"}}
    reply = client.http_client.request(
        "post", f"https://sheets.googleapis.com/v4/spreadsheets/{sid}:batchUpdate",
        params={"fields": "updatedSpreadsheet(sheets(properties(title,gridProperties(columnCount)),"
                          "data(rowData(values(formattedValue)))))"},
        json={"requests": [{"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS", "length": 1}},
                           {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 2},
                                            "rows": [{"values": [cell]}], "fields": "userEnteredValue"}}],
              "includeSpreadsheetInResponse": True, "responseIncludeGridData": True}).json()
    assert reply == {"updatedSpreadsheet": {"sheets": [{
        "properties": {"title": "CRM", "gridProperties": {"columnCount": 3}},
        "data": [{"rowData": [{"values": [{"formattedValue": "Företag"}, {},
                                          {"formattedValue": "=IMPORTRANGE(1)"}]},
                              {"values": [{"formattedValue": "Volvo"}]}]}]}]}}
    assert not google.is_formula(sid, "CRM", 1, 3)              # a stringValue stays text
    outside = {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 9, "columnIndex": 0},
                               "rows": [{"values": [cell]}], "fields": "userEnteredValue"}}
    with pytest.raises(gspread.exceptions.APIError):
        client.http_client.batch_update(sid, {"requests": [outside]})


def test_drive_names_who_changed_a_file_last(google, client):
    sid = google.create_spreadsheet("T", {"Sheet1": []})

    def last():
        return client.http_client.request(
            "get", f"https://www.googleapis.com/drive/v3/files/{sid}",
            params={"fields": "version,lastModifyingUser(me)"}).json()["lastModifyingUser"]["me"]
    client.open_by_key(sid).sheet1.update([["x"]], "A1")
    assert last() is True                       # the service account's own change
    google.set_values(sid, "Sheet1", [["y"]])   # then a person's
    assert last() is False


def test_field_mask_and_grid_data_in_one_call(google, client):
    sid = google.create_spreadsheet("T", {"A": [["x", "", "y"]], "B": []})
    meta = client.http_client.fetch_sheet_metadata(sid, params={
        "fields": "sheets(properties(title),data(rowData(values(formattedValue))))"})
    assert meta == {"sheets": [
        {"properties": {"title": "A"},
         "data": [{"rowData": [{"values": [{"formattedValue": "x"}, {}, {"formattedValue": "y"}]}]}]},
        {"properties": {"title": "B"}, "data": [{}]}]}


@pytest.mark.parametrize("mask", [
    "sheets(data(rowData(values(formattedValue))))",
    "sheets(data(rowData(values(userEnteredValue(formulaValue),note))))",
    "sheets(data(rowData(values(effectiveFormat/backgroundColor,dataValidation))))",
    "sheets(properties(title),data(columnMetadata(pixelSize)))",
    "sheets(data(rowData))", "sheets(data)", "sheets", "sheets(data(rowData(values(*))))"])
def test_a_masked_read_is_the_full_reply_masked(google, client, mask):
    """The fake works out only the cell fields a mask keeps; what it answers must be the
    full reply with the mask applied, as Google's partial response is."""
    from sheetsync.testing.cells import trim_grid
    from sheetsync.testing.fieldmask import apply_mask, parse_mask
    sid = google.create_spreadsheet("T", {"A": [["x", 3, "2026-05-01"], ["", "y"]]})
    book = client.open_by_key(sid)
    ws = book.sheet1
    ws.update_acell("C3", "=A1")
    ws.format("A1:B2", {"backgroundColor": {"red": 1, "green": 0.5, "blue": 0}})
    ws.update_note("B2", "call back")
    book.batch_update({"requests": [{"setDataValidation": {
        "range": {"sheetId": ws.id, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 1,
                  "endColumnIndex": 2},
        "rule": {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "3"}]}}}}]})
    full = client.http_client.fetch_sheet_metadata(sid, params={"includeGridData": "true"})
    masked = client.http_client.fetch_sheet_metadata(sid, params={"includeGridData": "true", "fields": mask})
    assert masked == trim_grid(apply_mask(full, parse_mask(mask)))
    assert masked.get("sheets")


def test_drive_listing_pages_and_versions_grow(google, client):
    ids = [google.create_spreadsheet(f"S{i}", {"Sheet1": []}) for i in range(5)]
    listed = client.http_client.request("get", "https://www.googleapis.com/drive/v3/files",
                                        params={"pageSize": 2, "fields": "nextPageToken,files(id,name)"}).json()
    assert len(listed["files"]) == 2 and listed["nextPageToken"]
    before = int(google.books[ids[0]].version)
    ws = client.open_by_key(ids[0]).sheet1
    ws.update([["x"]], "A1")
    meta = client.http_client.request("get", f"https://www.googleapis.com/drive/v3/files/{ids[0]}",
                                      params={"fields": "version,modifiedTime"}).json()
    assert int(meta["version"]) > before and set(meta) == {"version", "modifiedTime"}


def test_injected_faults_and_request_log(google, client):
    sid = google.create_spreadsheet("T", {"Sheet1": []})
    google.fail(503, times=1, path=sid)
    google.fail("reset", times=1, path=sid)
    with pytest.raises(gspread.exceptions.APIError) as err:
        values(client, sid, "Sheet1")
    assert err.value.code == 503
    with pytest.raises(requests.exceptions.ConnectionError):
        values(client, sid, "Sheet1")
    values(client, sid, "Sheet1")
    assert [c.status for c in google.calls(path=sid)] == [503, 0, 200]


def test_requests_without_a_valid_token_are_refused(google):
    sid = google.create_spreadsheet("T", {"Sheet1": []})
    reply = requests.get(f"https://sheets.googleapis.com/v4/spreadsheets/{sid}",
                         headers={"Authorization": "Bearer forged"})
    assert reply.status_code == 401 and reply.json()["error"]["status"] == "UNAUTHENTICATED"


def test_append_batch_get_batch_clear_and_permissions(google, client):
    sid = google.create_spreadsheet("T", {"Sheet1": [["h1", "h2"], ["a", "b"]]})
    http = client.http_client
    reply = http.values_append(sid, "Sheet1!A1", params={"valueInputOption": "RAW"},
                               body={"values": [["c", "d"]]})
    assert reply["tableRange"] == "Sheet1!A1:B2"
    assert reply["updates"]["updatedRange"] == "Sheet1!A3:B3"
    got = http.values_batch_get(sid, ["Sheet1!A1:A", "Sheet1!B3"])
    assert [r["values"] for r in got["valueRanges"]] == [[["h1"], ["a"], ["c"]], [["d"]]]
    cleared = http.values_batch_clear(sid, body={"ranges": ["Sheet1!A2:B3"]})
    assert cleared["clearedRanges"] == ["Sheet1!A2:B3"]
    assert google.get_values(sid, "Sheet1") == [["h1", "h2"]]
    client.open_by_key(sid).share(None, perm_type="anyone", role="reader")
    perms = http.list_permissions(sid)
    assert [(p["type"], p["role"]) for p in perms] == [("anyone", "reader")]
