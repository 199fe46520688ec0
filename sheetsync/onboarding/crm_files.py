"""Which of a teacher's shared files are LIA CRMs. Under a teacher's own sign-in Drive
lists everything shared with them (budgets, meeting notes, other classes' sheets); only
a CRM made from the template, or one whose first tab reads as a CRM to the normaliser (a
header row with a company column), is proposed for the roster."""
from __future__ import annotations

from sheetsync.normalize.headers import find_header_row, map_header
from sheetsync.normalize.text import fold

TEMPLATE_TITLE = " – LIA CRM"        # how create_crm names a CRM made from the template


def matches(title: str, match: str | None) -> bool:
    """`--match`: every word of it in the title, case and accents aside."""
    return not match or all(word in fold(title) for word in fold(match).split())


def reads_as_crm(rows: list[list[str]]) -> bool:
    header = find_header_row(rows)
    return header is not None and any(map_header(v)[0] == "company" for v in rows[header] if v)


def is_crm(backend, file: dict) -> bool:
    """One read of the first tab's top rows, unless the title says it is the template's."""
    return file["name"].endswith(TEMPLATE_TITLE) or reads_as_crm(backend.top_of_first_tab(file["id"]))
