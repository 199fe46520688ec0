"""Credentials from a file or the environment, never echoed; sharing warnings; reports."""
import json

import pytest
from click.testing import CliRunner

from jobs.nightly import run_nightly
from sheetsync.backends.google import GoogleBackend, load_credentials
from sheetsync.cli import main
from sheetsync.demo import generate_cohort
from sheetsync.demo.google import upload_cohort
from sheetsync.errors import CredentialsError
from sheetsync.testing import FakeGoogle
from tests.conftest import NOW


def test_credentials_from_the_environment_as_json_or_a_path(tmp_path, monkeypatch):
    with FakeGoogle() as google:
        path = google.credentials_file(tmp_path / "key.json")
        monkeypatch.setenv("SHEETSYNC_CREDENTIALS", path.read_text())
        assert load_credentials(tmp_path / "missing.json").service_account_email.startswith("sheetsync@")
        monkeypatch.setenv("SHEETSYNC_CREDENTIALS", str(path))
        assert load_credentials(tmp_path / "missing.json").service_account_email.startswith("sheetsync@")


def test_a_broken_key_in_the_environment_is_named_but_never_shown(monkeypatch):
    secret = '{"type": "service_account", "private_key": "SECRET-KEY-MATERIAL"'
    monkeypatch.setenv("SHEETSYNC_CREDENTIALS", secret)
    with pytest.raises(CredentialsError) as err:
        load_credentials("unused.json")
    assert "$SHEETSYNC_CREDENTIALS" in str(err.value) and "SECRET" not in str(err.value)


def test_a_run_saves_a_json_report_and_never_writes_the_key_into_it(tmp_path):
    with FakeGoogle() as google:
        config, sheets, _ = upload_cohort(google, generate_cohort(2, 1, NOW), tmp_path)
        report = run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=lambda s: None))
        saved = json.loads(open(report.saved_to, encoding="utf-8").read())
        assert saved["counts"] == {"ok": 2, "skipped": 0, "failed": 0}
        key = json.loads((tmp_path / "credentials.json").read_text())["private_key"]
        everything = open(report.saved_to, encoding="utf-8").read() + report.table()
        assert key[40:80] not in everything and "private_key" not in everything


def test_check_warns_when_the_master_is_shared_too_widely(tmp_path, monkeypatch):
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, generate_cohort(2, 1, NOW), tmp_path)
        text = config.path.read_text().replace('name = "Demo"', 'name = "Demo"\nschool_domain = "skolan.se"')
        config.path.write_text(text)
        runner = CliRunner()
        ok = runner.invoke(main, ["check", "--config", str(config.path), "--now", "2026-05-12"])
        assert ok.exit_code == 0, ok.output
        from sheetsync.testing.drive_api import add_permission
        add_permission(google.books[master], {"type": "anyone", "role": "reader"})
        add_permission(google.books[master], {"type": "user", "role": "writer",
                                              "emailAddress": "kalle@gmail.com"})
        add_permission(google.books[master], {"type": "user", "role": "writer",
                                              "emailAddress": "rektor@skolan.se"})
        warned = runner.invoke(main, ["check", "--config", str(config.path), "--now", "2026-05-12"])
        assert warned.exit_code == 1
        assert "anyone who has the link" in warned.output and "kalle@gmail.com" in warned.output
        assert "rektor@skolan.se" not in warned.output


def test_contact_details_reach_the_master_only_when_configured(tmp_path):
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, generate_cohort(2, 1, NOW), tmp_path)
        config.master["include_contact_details"] = True
        run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=lambda s: None))
        contacts = google.get_values(master, "Kontakter")
        assert contacts[0] == ["Student", "Företag", "Kontaktperson", "Telefon", "E-post"]
        assert any("@" in c for r in contacts[1:] for c in r)
