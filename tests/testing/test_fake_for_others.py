"""FakeGoogle for anyone's tests: the `fake_google` pytest fixture (our plugin, the same
one other projects get), dummy credentials, and requests as gspread sends them."""
from importlib.metadata import entry_points

import gspread
import requests
from google.oauth2.credentials import Credentials


def client():
    """gspread with a made-up bearer token, as test suites with dummy credentials do."""
    return gspread.authorize(Credentials(token="not-a-real-token"))


def test_the_plugin_is_registered_for_pytest():
    plugins = {e.name: e.value for e in entry_points(group="pytest11")}
    assert plugins.get("sheetsync") == "sheetsync.testing.pytest_plugin"


def test_any_token_is_accepted_and_a_spreadsheet_round_trips(fake_google):
    gc = client()
    book = gc.create("Budget")
    ws = book.sheet1
    ws.update([["Item", "Cost"], ["Rent", 900], ["Food", 300]], "A1")
    assert ws.get_all_values() == [["Item", "Cost"], ["Rent", "900"], ["Food", "300"]]
    assert fake_google.get_values(book.id, "Sheet1")[1] == ["Rent", "900"]


def test_rows_inserted_deleted_and_sorted_as_gspread_sends_them(fake_google):
    gc = client()
    sid = fake_google.create_spreadsheet("CRM", {"CRM": [["Företag", "Status"], ["Saab", "ja"],
                                                          ["Volvo", "nej"], ["Ikea", ""]]})
    ws = gc.open_by_key(sid).worksheet("CRM")
    ws.insert_rows([["Abb", "kanske"]], row=2)                   # insertDimension + values
    assert [r[0] for r in ws.get_all_values()] == ["Företag", "Abb", "Saab", "Volvo", "Ikea"]
    ws.delete_rows(3)                                            # deleteDimension
    assert [r[0] for r in ws.get_all_values()] == ["Företag", "Abb", "Volvo", "Ikea"]
    ws.sort((1, "des"), range="A2:B4")                           # sortRange
    assert [r[0] for r in ws.get_all_values()] == ["Företag", "Volvo", "Ikea", "Abb"]
    ws.merge_cells("A1:B1")                                      # accepted, kept
    assert fake_google.books[sid].sheet("CRM").merges == [(0, 1, 0, 2)]


def test_a_formula_is_shown_by_its_result_and_given_by_render_option(fake_google):
    sid = fake_google.create_spreadsheet("F", {"Sheet1": [["x"]]})
    fake_google.set_formula(sid, "Sheet1", 1, 2, '=IF(A1="x";"Klar!";"")', shows="Klar!")
    ws = client().open_by_key(sid).sheet1
    assert ws.get("B1") == [["Klar!"]]
    assert ws.get("B1", value_render_option="FORMULA") == [['=IF(A1="x";"Klar!";"")']]


def test_spreadsheets_create_answers_with_the_new_spreadsheet(fake_google):
    reply = requests.post("https://sheets.googleapis.com/v4/spreadsheets",
                          headers={"Authorization": "Bearer whatever"},
                          json={"properties": {"title": "Ny"}, "sheets": [{"properties": {"title": "CRM"}},
                                                                           {"properties": {"title": "Logg"}}]})
    assert reply.status_code == 200
    body = reply.json()
    assert body["properties"]["title"] == "Ny"
    assert [s["properties"]["title"] for s in body["sheets"]] == ["CRM", "Logg"]
    assert fake_google.books[body["spreadsheetId"]].sheet("Logg") is not None


def test_a_moved_column_takes_its_developer_metadata_along(fake_google):
    sid = fake_google.create_spreadsheet("M", {"Sheet1": [["a", "b", "c"]]})
    sheet_id = fake_google.books[sid].sheet("Sheet1").sheet_id
    fake_google.edit(sid, [{"createDeveloperMetadata": {"developerMetadata": {
        "metadataKey": "k", "metadataValue": "v", "visibility": "DOCUMENT",
        "location": {"dimensionRange": {"sheetId": sheet_id, "dimension": "COLUMNS",
                                        "startIndex": 0, "endIndex": 1}}}}},
        {"moveDimension": {"source": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": 0,
                                      "endIndex": 1}, "destinationIndex": 3}}])
    assert fake_google.get_values(sid, "Sheet1") == [["b", "c", "a"]]
    span = fake_google.metadata(sid)[0]["location"]["dimensionRange"]
    assert (span["startIndex"], span["endIndex"]) == (2, 3)


def test_drive_changes_feed_as_the_reference_describes_it(fake_google):
    """changes.getStartPageToken / changes.list: a start token, then each changed file once,
    paged with nextPageToken, ending with newStartPageToken; a deleted file as removed."""
    gc = client()
    drive = "https://www.googleapis.com/drive/v3/changes"
    a = fake_google.create_spreadsheet("A", {"Sheet1": [["x"]]})
    b = fake_google.create_spreadsheet("B", {"Sheet1": [["y"]]})
    start = gc.http_client.request("get", f"{drive}/startPageToken").json()
    assert start["kind"] == "drive#startPageToken" and isinstance(start["startPageToken"], str)
    gc.open_by_key(a).sheet1.update([["edited"]], "A1")
    gc.open_by_key(b).sheet1.update([["edited"]], "A1")
    gc.open_by_key(a).sheet1.update([["again"]], "A1")
    first = gc.http_client.request("get", drive, params={"pageToken": start["startPageToken"],
                                                         "pageSize": 1}).json()
    assert first["kind"] == "drive#changeList" and "nextPageToken" in first and "newStartPageToken" not in first
    change = first["changes"][0]
    assert change["kind"] == "drive#change" and change["changeType"] == "file" and change["removed"] is False
    assert change["fileId"] == b and change["file"]["lastModifyingUser"]["me"] is True
    rest = gc.http_client.request("get", drive, params={"pageToken": first["nextPageToken"]}).json()
    assert [c["fileId"] for c in rest["changes"]] == [a] and "newStartPageToken" in rest
    fake_google.delete(b)
    gone = gc.http_client.request("get", drive, params={"pageToken": rest["newStartPageToken"],
                                                        "fields": "newStartPageToken,changes(fileId,removed)"}).json()
    assert gone["changes"] == [{"fileId": b, "removed": True}]
    try:
        gc.http_client.request("get", drive)
    except gspread.exceptions.APIError as e:
        body = e.response.json()["error"]
        assert body["code"] == 400 and body["errors"][0]["reason"] == "required"
        assert body["errors"][0]["location"] == "pageToken"
    else:
        raise AssertionError("a changes.list without pageToken must fail")


def test_drive_uploads_downloads_and_exports_as_drive_answers(fake_google):
    """files.create by multipart upload, alt=media download, an update by media upload,
    and files.export of a spreadsheet (xlsx that a spreadsheet reader opens, csv)."""
    import io

    from openpyxl import load_workbook
    gc = client()
    boundary = "sheetsync-boundary"
    body = (f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n"
            '{"name": "anna.ics", "mimeType": "text/calendar"}\r\n'
            f"--{boundary}\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
            f"\r\n--{boundary}--").encode()
    made = gc.http_client.request("post", "https://www.googleapis.com/upload/drive/v3/files",
                                  params={"uploadType": "multipart"}, data=body,
                                  headers={"Content-Type": f"multipart/related; boundary={boundary}"}).json()
    assert made["kind"] == "drive#file" and made["name"] == "anna.ics" and made["mimeType"] == "text/calendar"
    url = f"https://www.googleapis.com/drive/v3/files/{made['id']}"
    got = gc.http_client.request("get", url, params={"alt": "media"})
    assert got.content.startswith(b"BEGIN:VCALENDAR") and got.headers["Content-Type"] == "text/calendar"
    gc.http_client.request("patch", f"https://www.googleapis.com/upload/drive/v3/files/{made['id']}",
                           params={"uploadType": "media"}, data=b"BEGIN:VCALENDAR\r\nX:2\r\nEND:VCALENDAR\r\n")
    assert b"X:2" in gc.http_client.request("get", url, params={"alt": "media"}).content
    sid = fake_google.create_spreadsheet("CRM", {"CRM": [["Företag", "Antal", "Datum"], ["Saab", 3, "x"]]})
    fake_google.set_formula(sid, "CRM", 2, 4, "=B2*2", shows="6")
    xlsx = gc.http_client.request("get", f"https://www.googleapis.com/drive/v3/files/{sid}/export", params={
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    ws = load_workbook(io.BytesIO(xlsx.content), data_only=True)["CRM"]
    assert [c.value for c in ws[2]] == ["Saab", 3, "x", 6]                # typed, the formula's result
    formulas = load_workbook(io.BytesIO(xlsx.content))["CRM"]
    assert formulas["D2"].value == "=B2*2"
    csv = gc.http_client.request("get", f"https://www.googleapis.com/drive/v3/files/{sid}/export",
                                 params={"mimeType": "text/csv"})
    assert csv.text.splitlines()[1] == "Saab,3,x,6"
    try:                                          # a Google Sheet has no bytes to download
        gc.http_client.request("get", f"https://www.googleapis.com/drive/v3/files/{sid}", params={"alt": "media"})
    except gspread.exceptions.APIError as e:
        assert e.response.status_code == 403
        assert e.response.json()["error"]["errors"][0]["reason"] == "fileNotDownloadable"
    else:
        raise AssertionError("alt=media on a Google Sheet must fail")


def test_drive_quota_is_counted_in_units_and_refused_over_the_minute():
    """Drive's own quota (units a minute per user): over it, Drive's 403 userRateLimitExceeded."""
    from sheetsync.testing import FakeGoogle
    from sheetsync.testing.drive_routes import DriveQuota
    clock = [0.0]
    with FakeGoogle(accept_any_token=True, quotas=True, clock=lambda: clock[0],
                    drive_quota=DriveQuota(per_user=5, costs={"export": 2})) as google:
        gc = client()
        sid = google.create_spreadsheet("CRM", {"CRM": [["Företag"], ["Saab"]]})
        url = f"https://www.googleapis.com/drive/v3/files/{sid}"
        gc.http_client.request("get", f"{url}/export", params={"mimeType": "text/csv"})     # 2 units
        gc.http_client.request("get", url)                                                  # 1 unit
        gc.http_client.request("get", f"{url}/export", params={"mimeType": "text/csv"})     # 5 in all
        try:
            gc.http_client.request("get", url)
        except gspread.exceptions.APIError as e:
            assert e.response.status_code == 403
            assert e.response.json()["error"]["errors"][0]["reason"] == "userRateLimitExceeded"
        else:
            raise AssertionError("the sixth unit in a minute must be refused")
        assert google.drive_quota.used == 5
        clock[0] = 61                                                   # a minute later: room again
        assert gc.http_client.request("get", url).json()["id"] == sid


def test_drive_comments_are_listed_with_the_fields_drive_requires(fake_google):
    gc = client()
    sid = fake_google.create_spreadsheet("CRM", {"CRM": [["Företag"], ["Saab"]]})
    fake_google.add_comment(sid, "Ring dem på måndag", author="anna.berg@school.example", quoted="Saab")
    url = f"https://www.googleapis.com/drive/v3/files/{sid}/comments"
    got = gc.http_client.request("get", url, params={"fields": "comments(id,content,author(displayName))"}).json()
    assert got == {"kind": "drive#commentList", "comments": [
        {"id": "AAAA0001", "content": "Ring dem på måndag", "author": {
            "kind": "drive#user", "displayName": "Anna Berg", "me": False}}]}
    try:
        gc.http_client.request("get", url)
    except gspread.exceptions.APIError as e:
        assert e.response.status_code == 400
        assert e.response.json()["error"]["message"] == "The 'fields' parameter is required for this method."
    else:
        raise AssertionError("comments.list without fields must fail")
