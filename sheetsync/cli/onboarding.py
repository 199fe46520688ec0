"""A cohort's first hour: template, login, roster discover and roster import."""
from __future__ import annotations

from pathlib import Path

import click

from sheetsync.cli.app import fail, main
from sheetsync.config import load_config
from sheetsync.errors import SheetsyncError


@main.command()
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path))
@click.option("--student", "student_id", required=True, help="The new student's id (file stem / roster id).")
@click.option("--name", required=True, help="The student's name, as staff write it.")
@click.option("--email", help="Share the new CRM with this address as editor (Google).")
@click.option("--language", type=click.Choice(["sv", "en"]), help="Default: the cohort's.")
@click.option("--copy-of", help="Copy this staff-made template sheet instead of building one.")
def template(config_path: Path, student_id: str, name: str, email, language, copy_of):
    """Create a CRM for a new student, share it with them and add them to the roster."""
    from sheetsync.backends import open_backend
    from sheetsync.config import Student
    from sheetsync.onboarding.roster import register
    from sheetsync.onboarding.template import template as crm_template
    try:
        config = load_config(config_path)
        if any(s.id == student_id for s in config.students):
            fail(f"student {student_id!r} is already in the roster of {config_path}")
        student = Student(id=student_id, name=name, email=email, file=f"{student_id}.xlsx")
        where = open_backend(config).create_crm(student, crm_template(language or config.language),
                                                copy_of=copy_of, share_with=email)
        google = config.backend["kind"] == "google"
        if google or config.students:        # a folder roster (no [[students]]) finds it by itself
            register(config.path, id=student_id, name=name, email=email,
                     sheet=f"https://docs.google.com/spreadsheets/d/{where}/edit" if google else None,
                     file=None if google else f"{student_id}.xlsx")
            registered = f"; {student_id} added to {config_path}"
        else:
            registered = "; the folder roster picks it up"
    except SheetsyncError as e:
        fail(str(e))
    if google:
        shared = f", shared with {email} as editor" if email else ", not shared with anyone yet (--email)"
    else:            # a local file is not shared by us: say what to do with it
        shared = f"; give it to {email} (a local file is not shared by sheetsync)" if email else ""
    click.echo(f"created {where}{shared}{registered}")


@main.command()
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path))
@click.option("--no-browser", is_flag=True, help="Print the address instead of opening a browser"
              " (a server reached over ssh: forward the port, see the message).")
@click.option("--port", type=click.IntRange(0, 65535), help="The local port Google redirects to"
              " (default: any free one; 8765 with --no-browser).")
def login(config_path: Path, no_browser: bool, port):
    """Sign in as the teacher with your own Google account ([backend] credentials = "user")."""
    from sheetsync.backends.google_user_login import login as sign_in, login_instructions

    def show(url, redirect_uri):
        click.echo(login_instructions(url, redirect_uri, open_browser=not no_browser))
    try:
        config = load_config(config_path)
        who, stored = sign_in(config, open_browser=not no_browser, port=port, on_url=show)
    except SheetsyncError as e:
        fail(str(e))
    hint = "" if config.backend["credentials"] == "user" else \
        f'; set [backend] credentials = "user" in {config_path} to use it'
    click.echo(f"signed in as {who}; the sign-in is stored in {stored} (readable by you only){hint}")



@main.group()
def roster():
    """The roster of students in sheetsync.toml."""


@roster.command("discover")
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path))
@click.option("--write", is_flag=True, help="Append the proposed entries to the config.")
@click.option("--match", help="Only sheets whose name holds these words (e.g. the class: FS26).")
def roster_discover(config_path: Path, write: bool, match: str | None):
    """Propose a roster entry for every sheet shared with the service account (under a
    teacher's sign-in: every shared sheet that is an LIA CRM, not the teacher's other files)."""
    from sheetsync.backends import open_backend
    from sheetsync.onboarding.crm_files import is_crm, matches
    from sheetsync.onboarding.roster import discover, register
    try:
        config = load_config(config_path)
        backend = open_backend(config)
        files = [f for f in backend.list_spreadsheets() if matches(f["name"], match)]
        proposals = discover(config, files)
        if backend.kind == "google" and config.backend["credentials"] == "user":
            crms = {p.sheet for p in proposals if is_crm(backend, {"id": p.sheet, "name": p.title})}
            if len(crms) < len(proposals):
                click.echo(f"{len(proposals) - len(crms)} other shared sheet(s) skipped: not an LIA CRM")
            proposals = discover(config, [f for f in files if f["id"] in crms])
        for p in proposals:
            click.echo(f"{p.id:<24} {p.name:<28} from the {p.guessed_from}: {p.title!r} ({p.sheet})")
            if write:
                google = config.backend["kind"] == "google"
                register(config.path, id=p.id, name=p.name,
                         sheet=f"https://docs.google.com/spreadsheets/d/{p.sheet}/edit" if google else None,
                         file=None if google else p.sheet,
                         comment=f"proposed by roster discover from {p.title!r}: check the name")
    except SheetsyncError as e:
        fail(str(e))
    known = len(config.students)
    click.echo(f"{len(proposals)} new sheet(s) found; {known} already in the roster"
               + ("; written to " + str(config_path) if write and proposals else
                  "; add --write to append them" if proposals else ""))


@roster.command("import")
@click.argument("class_list", type=click.Path(path_type=Path))
@click.option("--config", "config_path", required=True, type=click.Path(path_type=Path))
@click.option("--create", is_flag=True, help="Give each student without a sheet a CRM from the template"
              " (a workbook in the folder; on Google a sheet shared with the student).")
@click.option("--copy-of", help="With --create: copy this staff-made template instead of building one.")
def roster_import(class_list: Path, config_path: Path, create: bool, copy_of):
    """Add the students of a class list (CSV: name or first and last name, e-mail,
    optional id and sheet link; Swedish or English headers, any delimiter) to the roster."""
    from sheetsync.backends import open_backend
    from sheetsync.onboarding.classlist import ClassListError
    from sheetsync.onboarding.roster_import import describe, import_class_list
    try:
        config = load_config(config_path)
        result = import_class_list(config, open_backend(config), class_list, create=create, copy_of=copy_of)
    except ClassListError as e:
        for problem in e.problems:
            click.echo(f"  {problem}", err=True)
        fail(str(e))
    except SheetsyncError as e:
        fail(str(e))
    for line in describe(result):
        click.echo(line)
    if result.kept_from_folder and result.added:
        click.echo(f"{len(result.kept_from_folder)} workbook(s) of the folder roster written into {config_path} too")
    click.echo(f"{len(result.added)} student(s) added to {config_path}; {len(result.already)} already in the roster")
