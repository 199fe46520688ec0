"""DataFilters: developerMetadata:search and values:batchGetByDataFilter.

A DataFilter is a developerMetadataLookup, an a1Range or a gridRange. A lookup selects
metadata by its fields and location; a range selects the metadata whose location
intersects it (the reference's developerMetadata.search)."""
from __future__ import annotations

from sheetsync.testing import values_api
from sheetsync.testing.cells import bounds
from sheetsync.testing.errors import bad_request
from sheetsync.testing.ranges import a1_of
from sheetsync.testing.store import Spreadsheet

LOCATION_TYPES = ("SPREADSHEET", "SHEET", "ROW", "COLUMN")


def _region(book: Spreadsheet, meta: dict):
    """(sheetId, r1, r2, c1, c2) the metadata sits on; None for the spreadsheet."""
    loc = meta["location"]
    if "sheetId" in loc:
        sheet = book.sheet_by_id(loc["sheetId"])
        return (sheet.sheet_id, 0, sheet.rows, 0, sheet.cols) if sheet else None
    span = loc.get("dimensionRange")
    if span:
        sheet = book.sheet_by_id(span.get("sheetId", 0))
        if sheet is None:
            return None
        if span.get("dimension") == "COLUMNS":
            return sheet.sheet_id, 0, sheet.rows, span["startIndex"], span["endIndex"]
        return sheet.sheet_id, span["startIndex"], span["endIndex"], 0, sheet.cols
    return None


def _filter_region(book: Spreadsheet, data_filter: dict):
    if "a1Range" in data_filter:
        sheet, rng = values_api.resolve(book, data_filter["a1Range"])
        r1, c1, r2, c2 = rng.bounded(sheet.rows, sheet.cols)
        return sheet.sheet_id, r1, min(r2, sheet.rows), c1, min(c2, sheet.cols)
    grid = data_filter["gridRange"]
    sheet = book.sheet_by_id(grid.get("sheetId", 0))
    if sheet is None:
        raise bad_request(f"No grid with id: {grid.get('sheetId', 0)}")
    r1, r2, c1, c2 = bounds(sheet, grid)
    return sheet.sheet_id, r1, r2, c1, c2


def _intersects(a, b) -> bool:
    return a is not None and a[0] == b[0] and a[1] < b[2] and b[1] < a[2] and a[3] < b[4] and b[3] < a[4]


def _check(data_filter: dict) -> None:
    kinds = [k for k in ("developerMetadataLookup", "a1Range", "gridRange") if k in data_filter]
    if len(kinds) != 1:
        raise bad_request("A DataFilter must set exactly one of developerMetadataLookup, a1Range"
                          " or gridRange.")
    lookup = data_filter.get("developerMetadataLookup") or {}
    if "locationType" in lookup and lookup["locationType"] not in LOCATION_TYPES:
        raise bad_request(f"Invalid value at 'data_filters[0].developer_metadata_lookup.location_type'"
                          f" (type.googleapis.com/google.apps.sheets.v4.DeveloperMetadata.DeveloperMetadataLocationType),"
                          f" \"{lookup['locationType']}\"")


def _lookup_matches(book: Spreadsheet, meta: dict, lookup: dict) -> bool:
    for key in ("metadataId", "metadataKey", "metadataValue", "visibility"):
        if key in lookup and meta.get(key) != lookup[key]:
            return False
    loc = meta["location"]
    if "locationType" in lookup and loc.get("locationType") != lookup["locationType"]:
        return False
    wanted = lookup.get("metadataLocation")
    if wanted:
        if lookup.get("locationMatchingStrategy") == "INTERSECTING_LOCATION":
            region = _region(book, {"location": wanted})
            return region is not None and _intersects(_region(book, meta), region)
        if wanted.get("spreadsheet"):
            return loc.get("locationType") == "SPREADSHEET"
        if "sheetId" in wanted:
            return loc.get("sheetId") == wanted["sheetId"]
        span, mine = wanted.get("dimensionRange", {}), loc.get("dimensionRange", {})
        return all(mine.get(k, 0) == span.get(k, 0) for k in ("sheetId", "dimension", "startIndex", "endIndex"))
    return True


def matching_metadata(book: Spreadsheet, data_filter: dict) -> list[dict]:
    _check(data_filter)
    if "developerMetadataLookup" in data_filter:
        return [m for m in book.metadata if _lookup_matches(book, m, data_filter["developerMetadataLookup"])]
    region = _filter_region(book, data_filter)
    return [m for m in book.metadata if _intersects(_region(book, m), region)]


def search_metadata(book: Spreadsheet, body: dict) -> dict:
    """{"matchedDeveloperMetadata": [{"developerMetadata", "dataFilters"}]}; {} when none."""
    filters = body.get("dataFilters") or []
    if not filters:
        raise bad_request("dataFilters must not be empty.")
    matched: dict[int, dict] = {}
    for data_filter in filters:
        for meta in matching_metadata(book, data_filter):
            entry = matched.setdefault(meta["metadataId"], {"developerMetadata": meta, "dataFilters": []})
            entry["dataFilters"].append(data_filter)
    return {"matchedDeveloperMetadata": list(matched.values())} if matched else {}


def batch_get_by_data_filter(book: Spreadsheet, body: dict) -> dict:
    """Each filter's ranges read as values.get would read them; a metadata lookup reads
    the rows, columns or sheet its metadata sits on."""
    filters = body.get("dataFilters") or []
    if not filters:
        raise bad_request("dataFilters must not be empty.")
    options = {"render": body.get("valueRenderOption") or "FORMATTED_VALUE",
               "major": body.get("majorDimension") or "ROWS",
               "date_time": body.get("dateTimeRenderOption") or "SERIAL_NUMBER"}
    out = []
    for data_filter in filters:
        _check(data_filter)
        if "a1Range" in data_filter:
            specs = [data_filter["a1Range"]]
        else:
            regions = ([_region(book, m) for m in matching_metadata(book, data_filter)]
                       if "developerMetadataLookup" in data_filter
                       else [_filter_region(book, data_filter)])
            specs = [a1_of(book.sheet_by_id(r[0]).title, r[1], r[3], r[2], r[4]) for r in regions if r]
        for spec in specs:
            out.append({"valueRange": values_api.read_values(book, spec, options["render"], options["major"],
                                                           options["date_time"]),
                        "dataFilters": [data_filter]})
    reply = {"spreadsheetId": book.id}
    if out:
        reply["valueRanges"] = out
    return reply
