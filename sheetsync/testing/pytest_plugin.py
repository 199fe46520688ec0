"""A pytest plugin: the `fake_google` fixture, for any project's tests.

Installed with sheetsync (entry point `pytest11`), so a test suite that talks to the
Sheets and Drive APIs through `requests` (gspread, pygsheets, google-auth's sessions)
can run against the in-memory fake with no network and no real credentials:

    def test_my_report(fake_google):
        sid = fake_google.create_spreadsheet("Budget", {"Sheet1": [["a", "b"], [1, 2]]})
        ...   # your code, with any credentials: every token is accepted

`fake_google.credentials_file(path)` writes a service-account key the fake also signs
tokens for, for code that insists on a real key file.
"""
from __future__ import annotations

import pytest


@pytest.fixture
def fake_google():
    """FakeGoogle(accept_any_token=True), active for the test."""
    from sheetsync.testing.fake import FakeGoogle       # imported here: `responses` is a test dependency
    with FakeGoogle(accept_any_token=True) as google:
        yield google
