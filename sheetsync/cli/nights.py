"""Running nights: demo, run, master, serve, watch, check, distribute, undo, state rebuild."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from sheetsync.cli.app import parse_date, fail, night_stopped, main
from sheetsync.config import load_config
from sheetsync.errors import SheetsyncError


@main.command()
@click.option("--dir", "folder", default="sheetsync-demo", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Where to put the demo cohort.")
@click.option("--students", default=30, show_default=True, type=click.IntRange(1, 2000))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--now", callback=parse_date, help="Judge as of this date (YYYY-MM-DD).")
@click.option("--backend", "backend_kind", type=click.Choice(["xlsx", "google-fake"]),
              default="xlsx", show_default=True,
              help="google-fake: the real Google code path against an in-memory fake of the API.")
def demo(folder: Path, students: int, seed: int, now, backend_kind: str):
    """Generate a demo cohort and run the nightly job on it."""
    from jobs.nightly import run_nightly
    from sheetsync.demo import demo_date, generate_cohort, write_demo
    judged = now or demo_date(dt.date.today())
    cohort = generate_cohort(students, seed, judged)
    if backend_kind == "google-fake":
        if folder == Path("sheetsync-demo"):       # keep the local demo's config runnable
            folder = Path("sheetsync-demo-google")
        _demo_google_fake(folder, cohort, judged)
        return
    config_path = write_demo(folder, cohort)
    click.echo(f"Generated {students} student CRMs in {folder / 'students'} (seed {seed}).")
    config = load_config(config_path)
    with _progress(config, label="nightly job") as on_student:
        report = run_nightly(config, now=judged, on_student=on_student)
    click.echo(report.table())
    click.echo(f"\nOpen a student workbook to see the 'sheetsync' columns and tab; staff read "
               f"the master.\nRun it again: sheetsync run --config {config_path} --now {judged}")
    sys.exit(0 if report.ok else 1)


def _demo_google_fake(folder: Path, cohort, judged) -> None:
    """The demo through gspread and google-auth against FakeGoogle, three nights: the
    second reads again every sheet the first wrote (to catch an edit racing our write) and
    writes nothing; the third shows that an unchanged cohort costs no student read or
    write, only the master's (its Runs log grows)."""
    from jobs.nightly import run_nightly
    from sheetsync.backends.google import GoogleBackend
    from sheetsync.demo.google import upload_cohort
    from sheetsync.testing import FakeGoogle
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, cohort, folder)
        for night in (1, 2, 3):
            google.requests.clear()
            with _progress(config, label=f"night {night}") as on_student:
                report = run_nightly(config, now=judged, backend=GoogleBackend(config),
                                     on_student=on_student)
            if night == 1:
                click.echo(report.table())
            calls = report.api_calls
            click.echo(f"night {night}: {report.unchanged} of {len(sheets)} student sheets unchanged"
                       f" (not read); {calls['exports']} Drive exports, {calls['reads']} Sheets reads,"
                       f" {calls['structural']} structural,"
                       f" {calls['writes']} values writes, students and master together"
                       f" ({len(google.requests)} HTTP requests, token exchange included)")
        first = next(iter(sheets))
        click.echo(f"\nWhat {cohort.students[0].name} sees on the sheetsync tab (top):")
        for row in google.get_values(sheets[first], "sheetsync")[:8]:
            click.echo("  " + " | ".join(row))
    sys.exit(0 if report.ok else 1)


@main.command()
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path),
              help="The sheetsync.toml to run.")
@click.option("--now", callback=parse_date, help="Judge as of this date (YYYY-MM-DD): "
              "'what will be overdue next Monday?'.")
@click.option("--dry-run", is_flag=True, help="Read and plan; print each plan; write nothing.")
@click.option("--json", "json_path", type=click.Path(path_type=Path),
              help="Also write the run report as JSON here, for monitoring.")
@click.option("--student", "students", multiple=True,
              help="Only this student (repeatable): read and write just them now; the others "
                   "count for the cap by their last snapshot.")
@click.option("--write", "write_future", is_flag=True,
              help="With --now after today: write anyway (else a day to come is a preview).")
def run(config_path: Path, now, dry_run: bool, json_path: Path | None, students: tuple[str, ...],
        write_future: bool):
    """Run the nightly job once (the form for cron). Exit codes: 0 all students ok, 1 a
    student failed, 2 configuration or command line, 3 the state folder is not writable,
    4 the disk is full, 75 another run holds the lock (nothing done: try again later),
    130 interrupted (Ctrl-C). Judged as of a day after today (--now), the run is a
    preview that writes nothing, unless --write."""
    from jobs.nightly import Interrupted, run_nightly, today_in
    from sheetsync.lock import lock_for
    try:
        config = load_config(config_path)
        preview = now is not None and now > today_in(config) and not dry_run and not write_future
        if preview:      # "what will be overdue next Monday?" must not put next Monday's flags in sheets
            click.echo(f"sheetsync: {now} is after today: a preview, nothing is written"
                       " (add --write to write it)", err=True)
        with _progress(config) as on_student, lock_for(config):
            report = run_nightly(config, now=now, dry_run=dry_run or preview, on_student=on_student,
                                 only=set(students) if students else None)
    except (Interrupted, SheetsyncError) as e:
        night_stopped(e, show_table=True)
    if dry_run:
        for plan in report.plans:
            click.echo(plan)
    click.echo(report.table())
    if json_path:
        from sheetsync.privacy.files import write_private
        write_private(json_path, report.to_json())
    sys.exit(0 if report.ok else 1)


@main.command()
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path))
@click.option("--now", callback=parse_date, help="Judge as of this date (YYYY-MM-DD).")
def master(config_path: Path, now):
    """Refresh only the staff master sheet; nothing is written to any student's sheet.
    Exit codes as `run`'s (75: another run holds the lock)."""
    from jobs.nightly import Interrupted, run_nightly
    from sheetsync.lock import lock_for
    try:
        config = load_config(config_path)
        with lock_for(config):
            report = run_nightly(config, now=now, write_students=False)
    except (Interrupted, SheetsyncError) as e:
        night_stopped(e)
    click.echo(report.table())
    sys.exit(0 if report.ok else 1)


@main.command()
@click.option("--config", "config_paths", required=True, multiple=True, type=click.Path(path_type=Path),
              help="A cohort's sheetsync.toml; repeat it for each cohort of a school.")
@click.option("--side-by-side", is_flag=True,
              help="Run the cohorts' nights at the same time (threads) instead of one after the other.")
def serve(config_paths: tuple[Path, ...], side_by_side: bool):
    """Run the nightly job every night at [schedule] time, for each --config; stop with
    SIGTERM or Ctrl-C. One cohort's failure or bad config never stops the others."""
    from jobs.school import School
    from sheetsync.logs import setup_logging
    try:
        school = School(config_paths, side_by_side=side_by_side)
        first = next(c.service.config for c in school.cohorts if c.service)
        setup_logging(first.monitoring["log_format"])
        school.serve_forever()
    except SheetsyncError as e:
        fail(str(e))


@main.command()
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path))
@click.option("--every", default="5m", show_default=True, help="How often to look: 30s, 5m, 1h.")
def watch(config_path: Path, every: str):
    """Between nights: every few minutes, run the students whose sheets changed (Drive's
    changes feed on Google, file times on a folder); a student whose run did not succeed
    (open in Excel, a Google error) stays pending and is tried again at the next polls.
    Its runs are never tonight's night. Stop with SIGTERM or Ctrl-C."""
    from jobs.watch import Watch, parse_every
    from sheetsync.logs import setup_logging
    try:
        seconds = parse_every(every)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--every")
    try:
        config = load_config(config_path)
        setup_logging(config.monitoring["log_format"])
        Watch(config).forever(seconds)
    except SheetsyncError as e:
        fail(str(e))


class _progress:
    """Progress while students are done: a bar on a terminal, else a line per tenth on
    stderr (a log, cron mail), so a long run is never silent."""

    def __init__(self, config=None, total: int | None = None, label: str = "students"):
        self.total = total or (len(config.students) if config is not None else 0) or None
        self.label, self.bar, self.done, self.said = label, None, 0, 0

    def __enter__(self):
        if sys.stderr.isatty():
            from tqdm import tqdm
            self.bar = tqdm(total=self.total, unit="student", file=sys.stderr, leave=False,
                            desc=self.label)
            return lambda outcome: self.bar.update(1)
        return self._line

    def _line(self, outcome) -> None:
        self.done += 1
        if not self.total:
            return
        tenth = self.done * 10 // self.total
        if tenth > self.said:
            self.said = tenth
            click.echo(f"sheetsync: {self.label}: {self.done} of {self.total} done", err=True)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()


@main.command()
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path))
@click.option("--now", callback=parse_date, help="Judge as of this date (YYYY-MM-DD).")
def check(config_path: Path, now):
    """Before the first night: can each sheet be read, how was it understood, what
    would be written. Writes nothing. Exit 1 when a student needs attention."""
    from jobs.nightly import run_nightly
    from sheetsync.backends import open_backend
    try:
        config = load_config(config_path)
        backend = open_backend(config)
        report = run_nightly(config, now=now, dry_run=True, backend=backend)
        sharing = backend.sharing_warnings(config.cohort["school_domain"])
    except SheetsyncError as e:
        fail(str(e))
    from sheetsync.privacy.files import privacy_warnings
    sharing = sharing + privacy_warnings(config)      # service files others on the machine can read
    if backend.kind == "google" and config.backend["credentials"] == "user":
        from sheetsync.backends.google_user_login import describe_sign_in
        click.echo(f"acting as {describe_sign_in(backend.credentials)} (a teacher's sign-in: sheetsync login)")
    elif backend.kind == "google" and len(backend.members) > 1:
        click.echo(f"acting as a pool of {len(backend.members)} identities: "
                   + ", ".join(m.identity for m in backend.members))
    elif backend.kind == "google":
        from sheetsync.backends.google import identity_of
        source = "application default credentials" if config.backend["credentials"] == "default" \
            else f"key file {config.backend['credentials']}"
        click.echo(f"acting as {identity_of(backend.credentials)} ({source})")
    plans = {p.split(":", 1)[0]: p.splitlines()[0] for p in report.plans}
    attention, refused = 0, []
    if backend.kind == "google" and len(backend.members) > 1:    # every member must open every sheet
        refused = backend.pool_access(config.students)
        for identity, s, why in refused:
            click.echo(f"!! pool: {identity} cannot open the sheet of {s.name} ({s.id}): {why}")
    pool_ids = {s.id for _, s, _ in refused}
    busy = _busy_workbooks(backend, config)
    for s in report.students:
        problems = _attention(s) + ([busy[s.id]] if s.id in busy else [])
        attention += bool(problems) or s.id in pool_ids
        click.echo(f"{'!!' if problems else 'ok'} {s.name} ({s.id}): {s.status}"
                   + (f": {s.message}" if s.message else ""))
        for line in s.understood:
            click.echo(f"     {line}")
        for p in problems:
            click.echo(f"     needs attention: {p}")
        if s.id in plans:
            click.echo(f"     first run would write {plans[s.id].split(': ', 1)[1]}")
    for warning in sharing:
        click.echo(f"!! privacy: {warning}")
    click.echo(f"{len(report.students) - attention} of {len(report.students)} students ready;"
               f" {attention} need attention")
    sys.exit(1 if attention or sharing else 0)


def _busy_workbooks(backend, config) -> dict[str, str]:
    """Students whose workbook is open in Excel or LibreOffice now (its lock file beside
    it): tonight's write would wait for the next night."""
    from sheetsync.errors import SheetBusy
    if backend.kind != "xlsx":
        return {}
    busy = {}
    for student in backend.roster():
        try:
            backend.check_free(student)
        except SheetBusy as e:
            busy[student.id] = f"{e} (close it before the night)"
        except SheetsyncError:
            pass                   # a missing or odd workbook is the dry run's to report
    return busy


def _attention(outcome) -> list[str]:
    if outcome.status != "ok":
        return [outcome.message or outcome.status]
    found = []
    if "company" not in outcome.fields:
        found.append("no column was understood as the company name")
    found += [line.strip() for line in outcome.understood if ": column:" in line]
    return found


@main.command()
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path))
@click.option("--group", required=True, help="The career group's collective CRM: a sheet id/URL"
              " (google) or an .xlsx path (xlsx).")
@click.option("--tab", help="The group CRM's tab, when guessing it is not wanted.")
@click.option("--cap", default=3, show_default=True, type=click.IntRange(1, 20))
@click.option("--seed", default="sheetsync", show_default=True)
@click.option("--apply", is_flag=True, help="Write the rows; without it nothing is written.")
def distribute(config_path: Path, group: str, tab, cap: int, seed: str, apply: bool):
    """Share the career group's warm leads out to its members (D1), at most CAP each."""
    from jobs.distribute import distribute as run_distribution
    try:
        result = run_distribution(load_config(config_path), group, tab=tab, cap=cap, seed=seed,
                                  apply=apply)
    except SheetsyncError as e:
        fail(str(e))
    click.echo(result.table())
    sys.exit(1 if any(m.error for m in result.members) else 0)



@main.group()
def state():
    """The service's state store."""


@state.command("rebuild")
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path))
def state_rebuild(config_path: Path):
    """Bring the lottery's draws back from the master's Companies tab (every copy lost)."""
    from jobs.rebuild import rebuild_draws
    try:
        restored, kept = rebuild_draws(load_config(config_path))
    except SheetsyncError as e:
        fail(str(e))
    click.echo(f"{restored} draw(s) restored from the master; {kept} already in the state store")



@main.command()
@click.argument("run_id", type=int)
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path))
def undo(run_id: int, config_path: Path):
    """Restore the student cells a cleanup run changed (those not edited since)."""
    from jobs.undo import undo_run
    try:
        report = undo_run(load_config(config_path), run_id)
    except SheetsyncError as e:
        fail(str(e))
    click.echo(report.table())
    sys.exit(0 if report.ok else 1)
