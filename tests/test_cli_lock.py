"""A run refused because another run holds the lock has its own exit code (75,
EX_TEMPFAIL: try again later), not 2 ("the configuration is wrong"); every command
that takes the lock says so in one line, and its help names the code."""
import subprocess
import sys

from click.testing import CliRunner

from sheetsync.cli import main
from sheetsync.lock import lock_for
from sheetsync.state import StateStore
from tests.conftest import NOW


def test_a_run_refused_by_the_lock_exits_75_in_one_line_and_does_nothing(demo_config):
    config = str(demo_config.path)
    with lock_for(demo_config):                  # a watch run or last night's, still going
        refused = {cmd: CliRunner().invoke(main, [cmd, "--config", config, "--now", NOW.isoformat()])
                   for cmd in ("run", "master")}
    for cmd, result in refused.items():
        assert result.exit_code == 75, (cmd, result.exit_code, result.output)
        assert "another sheetsync run holds" in result.output and "Traceback" not in result.output
        assert len([line for line in result.output.splitlines() if line.strip()]) == 1
    with StateStore(demo_config.state_path) as state:
        assert state.runs() == []                # refused: no run began
    assert CliRunner().invoke(main, ["run", "--config", config, "--now", NOW.isoformat()]).exit_code == 0
    bad = demo_config.path.with_name("bad.toml")
    bad.write_text("[backend]\nkind = 'excel'\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["run", "--config", str(bad)]).exit_code == 2   # still 2


def test_the_code_is_the_process_exit_status_and_in_the_help(demo_config):
    with lock_for(demo_config):
        done = subprocess.run([sys.executable, "-m", "sheetsync.cli", "run", "--config",
                               str(demo_config.path), "--now", NOW.isoformat()],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 75, done.stderr
    assert "another sheetsync run holds" in done.stderr
    for cmd in ("run", "master"):
        assert "75" in CliRunner().invoke(main, [cmd, "--help"]).output
