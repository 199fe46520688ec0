"""A teacher's own Google sign-in ([backend] credentials = "user"), through real gspread,
google-auth, google-auth-oauthlib and FakeGoogle's token endpoint: a night under it, a
refused sign-in, `check` naming who signs, and `sheetsync login` storing the token."""
import json
import stat
import threading
import urllib.request

import pytest
from click.testing import CliRunner

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends.google import GoogleBackend
from sheetsync.backends.google_user_login import login, sign_in_path
from sheetsync.cli import main
from sheetsync.errors import CredentialsError
from sheetsync.testing import FakeGoogle
from tests.conftest import NOW
from tests.notify.conftest import smtp_server  # noqa: F401  (a fixture: a real SMTP server)

TEACHER = "teacher@school.se"
CRM = {"CRM": [["Företag", "Kontaktperson", "Telefon", "Status"], ["Volvo AB", "Eva", "070-123 45 67", "ringt"]]}


@pytest.fixture
def google():
    with FakeGoogle() as fake:
        yield fake


def teacher_config(tmp_path, google, extra=""):
    anna = google.create_spreadsheet("Anna Andersson – LIA CRM", CRM, owner="anna@school.se")
    master = google.create_spreadsheet("Master", {"Blad1": []}, owner=TEACHER)
    path = tmp_path / "sheetsync.toml"
    path.write_text('[cohort]\nname = "FS26"\n[backend]\nkind = "google"\ncredentials = "user"\n'
                    f'[master]\nsheet = "{master}"\n[state]\npath = "state/s.db"\n{extra}'
                    f'[[students]]\nid = "anna"\nname = "Anna Andersson"\nsheet = "{anna}"\n', encoding="utf-8")
    return path, anna


def test_a_night_runs_end_to_end_under_the_teachers_sign_in(tmp_path, google):
    path, anna = teacher_config(tmp_path, google)
    config = load_config(path)
    google.authorized_user_file(sign_in_path(config), TEACHER)
    report = run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=lambda s: None))
    assert report.ok, report.table()
    assert google.get_values(anna, "sheetsync")[0] == ["sheetsync: sammanfattning"]
    assert google.get_values(anna, "CRM")[1][:4] == ["Volvo AB", "Eva", "070-123 45 67", "ringt"]
    tokens = google.calls(kind="token")
    assert [c.status for c in tokens] == [200]                  # one refresh-token grant, at the start
    assert google.books[anna].modified_by == TEACHER             # Google saw the teacher write it


def test_check_names_the_signed_in_teacher_and_the_sheets_not_shared_with_them(tmp_path, google):
    private = google.create_spreadsheet("Bo Ek – LIA CRM", CRM, shared=False)
    path, _ = teacher_config(tmp_path, google, extra="")
    with path.open("a", encoding="utf-8") as f:
        f.write(f'[[students]]\nid = "bo"\nname = "Bo Ek"\nsheet = "{private}"\n')
    google.authorized_user_file(sign_in_path(load_config(path)), TEACHER, signed_in="2026-09-01T08:00:00+00:00")
    result = CliRunner().invoke(main, ["check", "--config", str(path), "--now", "2026-05-12"])
    assert "acting as teacher@school.se, signed in 2026-09-01" in result.output, result.output
    assert "ok Anna Andersson (anna)" in result.output
    bo = next(line for line in result.output.splitlines() if "(bo)" in line)
    assert f"not shared with {TEACHER}" in bo and private in bo and "service account" not in bo


def test_a_revoked_sign_in_is_one_line_exit_2_and_an_alert(tmp_path, google, smtp_server):  # noqa: F811
    port, inbox = smtp_server
    alerts = (f'[alerts]\nemail_to = ["lia@school.se"]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\n')
    path, anna = teacher_config(tmp_path, google, alerts)
    stored = google.authorized_user_file(sign_in_path(load_config(path)), TEACHER)
    google.revoke(TEACHER)
    result = CliRunner().invoke(main, ["run", "--config", str(path), "--now", "2026-05-12"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [f"sheetsync: error: Google refused the sign-in of {TEACHER} (invalid_grant: Token has"
                     f" been expired or revoked.); sign in again: sheetsync login --config {path}"], lines
    secret = json.loads(stored.read_text())["refresh_token"]
    assert secret not in result.output and "GOCSPX" not in result.output
    assert [c.status for c in google.calls(kind="token")] == [400]       # not retried: it will not heal
    assert google.calls(path=anna) == []                                  # no student was touched
    [(to, message)] = inbox.messages
    assert to == ["lia@school.se"] and "did not run" in message and "sign in again" in message
    assert secret not in message


def test_no_sign_in_or_one_readable_by_others_is_refused_with_what_to_do(tmp_path, google):
    path, _ = teacher_config(tmp_path, google)
    config = load_config(path)
    with pytest.raises(CredentialsError, match="not signed in to Google .*sheetsync login --config"):
        GoogleBackend(config)
    stored = google.authorized_user_file(sign_in_path(config), TEACHER)
    stored.chmod(0o644)
    with pytest.raises(CredentialsError, match="can be read by others than its owner: chmod 600"):
        GoogleBackend(config)


def follow_as_browser(google, user):
    """What the teacher's browser does: Google's consent page, then the redirect to the
    loopback address the login is listening on (a real HTTP request to it)."""
    def on_url(url, redirect_uri):
        assert redirect_uri.startswith("http://localhost:")
        assert "code_challenge_method=S256" in url and "access_type=offline" in url
        target = google.consent(url, user)
        threading.Thread(target=lambda: urllib.request.urlopen(target, timeout=30).read(), daemon=True).start()
    return on_url


def test_login_exchanges_the_code_stores_the_token_owner_only_and_the_night_uses_it(tmp_path, google):
    path, anna = teacher_config(tmp_path, google)
    config = load_config(path)
    google.oauth_client_file(tmp_path / "oauth-client.json")
    who, stored = login(config, open_browser=False, port=0, on_url=follow_as_browser(google, TEACHER))
    assert who == TEACHER and stored == sign_in_path(config) == tmp_path / "state" / "google-sign-in.json"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    info = json.loads(stored.read_text())
    assert info["type"] == "authorized_user" and info["account"] == TEACHER and info["refresh_token"]
    assert [c.status for c in google.calls(kind="token")] == [200]        # the code, with its PKCE verifier
    report = run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=lambda s: None))
    assert report.ok and google.books[anna].modified_by == TEACHER


def test_login_with_a_service_account_key_as_the_client_says_what_is_needed(tmp_path, google):
    path, _ = teacher_config(tmp_path, google)
    google.credentials_file(tmp_path / "oauth-client.json")
    result = CliRunner().invoke(main, ["login", "--config", str(path), "--no-browser"])
    assert result.exit_code == 2
    assert "is a service-account key; the sign-in needs an OAuth client of type Desktop app" in result.output


def test_discover_under_the_sign_in_proposes_the_crms_and_skips_the_teachers_other_files(tmp_path, google):
    path, anna = teacher_config(tmp_path, google)
    google.authorized_user_file(sign_in_path(load_config(path)), TEACHER)
    from sheetsync.backends.google import GoogleBackend as Backend
    from sheetsync.config import Student
    from sheetsync.onboarding.template import template
    bo = Backend(load_config(path), sleep=lambda s: None).create_crm(Student(id="bo", name="Bo Ek"), template("sv"))
    cia = google.create_spreadsheet("Cias leads FS26", {"Leads": [["Företag", "Kontakt", "Telefon", "Status"],
                                                                 ["Saab AB", "Per", "", "ringt"]]})
    others = [google.create_spreadsheet("Budget 2026", {"Blad1": [["Post", "Belopp"], ["Kaffe", "200"]]}),
              google.create_spreadsheet("Föräldramöte FS26", {"Blad1": [["Namn", "Telefon", "E-post"],
                                                                      ["Eva Ek", "070-1", "eva@ek.se"]]}),
              google.create_spreadsheet("Matteprov", {"Blad1": []})]
    result = CliRunner().invoke(main, ["roster", "discover", "--config", str(path), "--write"])
    assert result.exit_code == 0, result.output
    assert "3 other shared sheet(s) skipped: not an LIA CRM" in result.output
    assert "2 new sheet(s) found; 1 already in the roster" in result.output
    config = load_config(path)
    from sheetsync.onboarding.roster import _sheet_id
    assert {_sheet_id(s.sheet) for s in config.students} == {anna, bo, cia}
    assert not any(o in path.read_text() for o in others)
    assert google.calls(path=f"{anna}/values/") == []               # a known sheet is not read again
    assert google.calls(path=f"{bo}/values/") == []                 # the template's title says enough
    assert len(google.calls(path=f"{cia}/values/")) == 1            # one read of its first tab


def test_discover_match_narrows_by_name(tmp_path, google):
    path, _ = teacher_config(tmp_path, google)
    google.authorized_user_file(sign_in_path(load_config(path)), TEACHER)
    header = [["Företag", "Kontaktperson", "Telefon", "Status"]]
    google.create_spreadsheet("Dan Berg – LIA CRM FS26", {"CRM": header})
    google.create_spreadsheet("Eva Lind – LIA CRM FS25", {"CRM": header})
    result = CliRunner().invoke(main, ["roster", "discover", "--config", str(path), "--match", "fs26"])
    assert result.exit_code == 0, result.output
    assert "Dan Berg" in result.output and "Eva Lind" not in result.output
    assert "1 new sheet(s) found" in result.output


def test_without_a_browser_the_login_says_which_tunnel_to_open():
    from sheetsync.backends.google_user_login import login_instructions
    text = login_instructions("https://accounts.google.com/o/oauth2/auth?x=1", "http://localhost:8765/",
                              open_browser=False)
    assert "https://accounts.google.com/o/oauth2/auth?x=1" in text
    assert "ssh -N -L 8765:localhost:8765 you@this-server" in text


def test_the_token_endpoint_answers_a_code_once_and_checks_the_client(tmp_path, google):
    import requests
    google.oauth_client_file(tmp_path / "client.json", client_id="c1", secret="s1")
    redirect = google.consent("https://accounts.google.com/o/oauth2/auth?client_id=c1&redirect_uri="
                              "http%3A%2F%2Flocalhost%3A1%2F&state=st&scope=x", TEACHER)
    from urllib.parse import parse_qs, urlsplit
    code = parse_qs(urlsplit(redirect).query)["code"][0]
    form = {"grant_type": "authorization_code", "code": code, "client_id": "c1",
            "redirect_uri": "http://localhost:1/"}
    wrong = requests.post("https://oauth2.googleapis.com/token", data={**form, "client_secret": "nope"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    first = requests.post("https://oauth2.googleapis.com/token", data={**form, "client_secret": "s1"})
    assert first.status_code == 200 and first.json()["refresh_token"].startswith("1//")
    again = requests.post("https://oauth2.googleapis.com/token", data={**form, "client_secret": "s1"})
    assert again.status_code == 400 and again.json() == {"error": "invalid_grant", "error_description": "Bad Request"}
    about = requests.get("https://www.googleapis.com/drive/v3/about", params={"fields": "user"},
                         headers={"Authorization": f"Bearer {first.json()['access_token']}"})
    assert about.json()["user"]["emailAddress"] == TEACHER
