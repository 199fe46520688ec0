"""What the service holds about one student: student export and student forget."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from sheetsync.cli.app import fail, main
from sheetsync.config import load_config
from sheetsync.errors import SheetsyncError


@main.group()
def student():
    """What the service holds about one student: a copy (export) or erasure (forget)."""


@student.command("export")
@click.argument("student_id")
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the files into (made owner-only).")
def student_export(student_id: str, config_path: Path, out: Path):
    """Everything the service holds about STUDENT_ID, as CSV/JSON with a README.txt."""
    from sheetsync.privacy.export import export_student
    try:
        made = export_student(load_config(config_path), student_id, out)
    except SheetsyncError as e:
        fail(str(e))
    click.echo(f"{len(made)} file(s) about {student_id} written to {out}: "
               + ", ".join(p.name for p in made))


@student.command("forget")
@click.argument("student_id")
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before erasing.")
@click.option("--remove-from-sheet", is_flag=True,
              help="Also take the service's columns and summary tab out of the student's own sheet.")
@click.option("--sheet", help="With --remove-from-sheet: where their sheet is now (an .xlsx path or a"
              " spreadsheet id/URL), when not where the service last read it.")
def student_forget(student_id: str, config_path: Path, yes: bool, remove_from_sheet: bool, sheet):
    """Erase everything the service holds about STUDENT_ID outside their own sheet (once
    they are off the roster): state store and its copies, backups, reports, calendar,
    digests, master rows."""
    from sheetsync.privacy.forget import forget_student, where_listed
    try:
        config = load_config(config_path)
        listed = where_listed(config, student_id)
        if not listed and not yes:
            click.confirm(f"Erase everything sheetsync holds about {student_id}? This cannot be undone",
                          abort=True)
        report = forget_student(config, student_id, remove_from_sheet=remove_from_sheet, sheet=sheet)
    except SheetsyncError as e:
        fail(str(e))
    click.echo(report.table())
    sys.exit(0 if report.ok else 1)
