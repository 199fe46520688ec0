"""The `sheetsync` command group and what every command shares: a date option, and one
line and an exit code for each way a command can fail. The commands themselves: nights
(sheetsync.cli.nights), onboarding (sheetsync.cli.onboarding), a student's data
(sheetsync.cli.students), the rules (sheetsync.cli.rules).

Exit codes: 0 success; 1 a run finished but some student failed; 2 a usage or
configuration error, printed as one line; 3 the state folder is not writable; 4 the disk
is full; 75 another run holds the run lock (run, master: nothing was done, try again
later); 130 interrupted.
"""
from __future__ import annotations

import datetime as dt
import sys

import click



def parse_date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def night_stopped(error: BaseException, show_table: bool = False) -> None:
    """A night that did not end as a night: one line and its exit code (130 Ctrl-C,
    75 another run holds the lock, 3/4 the state folder, 2 the configuration)."""
    from jobs.nightly import Interrupted
    from sheetsync.lock import AlreadyRunning
    from sheetsync.state import StateError
    if isinstance(error, Interrupted):
        if show_table:
            click.echo(error.report.table())
        click.echo(f"sheetsync: {error}", err=True)
        sys.exit(error.exit_code)
    if isinstance(error, AlreadyRunning):
        locked(error)
    if isinstance(error, StateError):
        click.echo(f"sheetsync: error: {error}", err=True)
        sys.exit(error.exit_code)
    fail(str(error))


def fail(message: str) -> None:
    click.echo(f"sheetsync: error: {message}", err=True)
    sys.exit(2)


def locked(e) -> None:
    """Another run holds the lock: nothing was done and nothing is wrong; its own exit
    code, so cron or systemd can tell it from a configuration error and try again."""
    click.echo(f"sheetsync: not started: {e}; try again when it has finished", err=True)
    sys.exit(e.exit_code)


@click.group()
@click.version_option(package_name="sheetsync")
def main():
    """sheetsync: every student's sheet as their LIA CRM, checked every night."""
