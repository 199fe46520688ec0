"""`sheetsync serve` for a school: several cohorts' nights through the real Service on a
fake clock, on the xlsx demo backend; one cohort's bad config or failing night never
stops the others, and the alert (a real webhook on 127.0.0.1, real SMTP) names it."""
import datetime as dt
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from jobs.school import School
from sheetsync.cli import main
from sheetsync.demo import generate_cohort, write_demo
from sheetsync.state import StateStore
from tests.conftest import NOW
from tests.notify.conftest import smtp_server  # noqa: F401  (aiosmtpd on 127.0.0.1)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(hh: int, mm: int, day: dt.date = NOW) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=STOCKHOLM)


def cohort(tmp_path, name: str, seed: int, extra: str = ""):
    """A demo cohort of three students in its own folder; its config's path."""
    path = write_demo(tmp_path / name.replace(" ", "-"), generate_cohort(3, seed, NOW))
    text = path.read_text(encoding="utf-8").replace('name = "Demo"', f'name = "{name}"', 1)
    path.write_text(text + extra, encoding="utf-8")
    return path


def nights(path) -> list[str]:
    """The judged-on dates of the cohort's whole nights, oldest first."""
    with StateStore(path.parent / ".sheetsync" / "state.db") as state:
        return [r["judged_on"] for r in reversed(state.runs()) if r["report"]["kind"] == "night"]


@pytest.fixture
def webhook():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass
    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", seen
    server.shutdown()


def alerts_to(url: str) -> str:
    return f'\n[alerts]\nwebhook = "{url}"\n'


@pytest.mark.parametrize("side_by_side", [False, True])
def test_at_0230_every_cohorts_night_runs_once(tmp_path, side_by_side):
    paths = [cohort(tmp_path, name, seed) for name, seed in (("7A", 1), ("7B", 2), ("7C", 3))]
    clock = [at(1, 0)]
    school = School(paths, clock=lambda: clock[0], side_by_side=side_by_side)
    assert all(r is None for r in school.tick().values())          # 01:00: not yet
    clock[0] = at(2, 31)
    reports = school.tick()
    assert sorted(reports) == ["7A", "7B", "7C"] and all(r.ok for r in reports.values())
    clock[0] = at(2, 45)
    assert all(r is None for r in school.tick().values())          # never twice in a night
    assert [nights(p) for p in paths] == [[NOW.isoformat()]] * 3


def test_a_cohort_that_ran_tonight_is_not_run_again_while_the_others_are(tmp_path):
    paths = [cohort(tmp_path, name, seed) for name, seed in (("7A", 1), ("7B", 2))]
    clock = [at(2, 31)]
    assert School(paths[:1], clock=lambda: clock[0]).tick()["7A"].ok      # 7A alone, earlier
    clock[0] = at(3, 10)                                            # serve with both starts
    reports = School(paths, clock=lambda: clock[0]).tick()
    assert reports["7A"] is None and reports["7B"].ok
    assert nights(paths[0]) == nights(paths[1]) == [NOW.isoformat()]


@pytest.mark.parametrize("side_by_side", [False, True])
def test_a_config_with_a_typo_or_missing_is_told_by_its_file_and_the_others_run(tmp_path, webhook, side_by_side):
    url, seen = webhook
    good = cohort(tmp_path, "7A", 1, alerts_to(url))
    typo = cohort(tmp_path, "7B", 2, "\n[schedule]\ntime = \"02:30\"\ntmie = \"03:00\"\n")
    missing = tmp_path / "7D" / "sheetsync.toml"
    last = cohort(tmp_path, "7C", 3)
    clock = [at(1, 0)]
    school = School([typo, good, missing, last], clock=lambda: clock[0], side_by_side=side_by_side)
    school.tick()
    assert seen == []                                               # told at the night, not before
    clock[0] = at(2, 31)
    reports = school.tick()
    assert reports["7A"].ok and reports["7C"].ok
    assert nights(good) == nights(last) == [NOW.isoformat()]
    told = {post["subject"]: post["text"] for post in seen}
    assert sorted(told) == sorted(f"sheetsync {p}: the night did not run" for p in (typo, missing))
    assert "unknown key 'schedule.tmie'" in told[f"sheetsync {typo}: the night did not run"]
    assert "config file not found" in told[f"sheetsync {missing}: the night did not run"]
    clock[0] = at(2, 45)
    school.tick()
    assert len(seen) == 2                                           # once a night, not every minute

    typo.write_text(typo.read_text(encoding="utf-8").replace("tmie", "# tmie"), encoding="utf-8")
    clock[0] = at(9, 0)                                             # fixed in the morning:
    assert school.tick()["7B"].ok                                   # it runs that same day


def test_a_missing_students_folder_fails_alone_and_the_mail_names_the_cohort(tmp_path, smtp_server):
    port, inbox = smtp_server
    mail = f'\n[alerts]\nemail_to = ["it@skolan.se"]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\n'
    first = cohort(tmp_path, "7A", 1)
    broken = cohort(tmp_path, "Klass 7B", 2, mail)
    last = cohort(tmp_path, "7C", 3)
    shutil.rmtree(broken.parent / "students")
    clock = [at(2, 31)]
    school = School([first, broken, last], clock=lambda: clock[0])
    reports = school.tick()
    assert reports["7A"].ok and reports["7C"].ok
    assert "students folder" in str(reports["Klass 7B"])
    assert len(inbox.messages) == 1
    assert "Subject: sheetsync Klass 7B: the night did not run" in inbox.messages[0][1]
    clock[0] = at(2, 32)
    assert school.tick()["Klass 7B"] is None                        # not again before the next night
    assert len(inbox.messages) == 1


@pytest.mark.parametrize("side_by_side", [False, True])
def test_a_night_that_raises_or_an_unreadable_state_folder_does_not_stop_the_others(tmp_path, webhook, side_by_side):
    url, seen = webhook
    raising = cohort(tmp_path, "7A", 1, alerts_to(url))
    no_state = cohort(tmp_path, "7B", 2, alerts_to(url))
    fine = cohort(tmp_path, "7C", 3)
    shutil.rmtree(no_state.parent / ".sheetsync", ignore_errors=True)
    (no_state.parent / ".sheetsync").write_text("a file where the state folder should be", encoding="utf-8")

    def backend(config):
        if config.cohort["name"] == "7A":
            raise RuntimeError("a bug in tonight's code")
        return None                                                 # the config's own backend
    school = School([raising, no_state, fine], clock=lambda: at(2, 31),
                    backend_factory=backend, side_by_side=side_by_side)
    reports = school.tick()
    assert reports["7C"].ok and nights(fine) == [NOW.isoformat()]
    assert isinstance(reports["7A"], RuntimeError) and isinstance(reports["7B"], Exception)
    told = {post["subject"]: post["text"] for post in seen}
    assert sorted(told) == ["sheetsync 7A: the night did not run", "sheetsync 7B: the night did not run"]
    assert "a bug in tonight's code" in told["sheetsync 7A: the night did not run"]
    assert "state" in told["sheetsync 7B: the night did not run"]


def test_serve_takes_several_configs_and_refuses_when_none_loads(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--config", str(tmp_path / "a.toml"),
                                       "--config", str(tmp_path / "b.toml"), "--side-by-side"])
    assert result.exit_code == 2
    assert "a.toml: config file not found" in result.output and "b.toml" in result.output


def test_serve_forever_runs_the_missed_night_of_each_cohort_at_start_and_stops(tmp_path, monkeypatch):
    paths = [cohort(tmp_path, name, seed) for name, seed in (("7A", 1), ("7B", 2))]
    school = School(paths, clock=lambda: at(10, 0), side_by_side=True)   # off at 02:30
    monkeypatch.setattr("signal.signal", lambda *a: None)          # signals belong to the main thread
    thread = threading.Thread(target=lambda: school.serve_forever(poll_seconds=0.01), daemon=True)
    thread.start()
    for _ in range(1200):                                           # at most a minute, for a hang
        if all(c.service.reports for c in school.cohorts) or not thread.is_alive():
            break
        thread.join(timeout=0.05)
    school.stop()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert [nights(p) for p in paths] == [[NOW.isoformat()]] * 2
