"""The rules, their examples and settings: sheetsync rules."""
from __future__ import annotations

import click

from sheetsync.cli.app import fail, main


@main.command()
@click.argument("code", required=False)
def rules(code: str | None):
    """List every rule with its code, description, example and settings."""
    from sheetsync.engine.registry import registry
    known = registry()
    if code and code.upper() not in known:
        fail(f"unknown rule {code!r} (known: {', '.join(known)})")
    for c, rule in known.items():
        if code and c != code.upper():
            continue
        click.echo(f"{c}  {rule.name}  [{rule.severity}]")
        click.echo("    " + _plain_text(rule.describe()).replace("\n", "\n    "))
        click.echo("    settings (paste into sheetsync.toml):")
        click.echo(f"    [rules.{c}]")
        for key, value in {"enabled": True, **rule.config}.items():
            click.echo(f"    {key} = {_toml_value(value)}")
        click.echo("")
    if not code:
        _triage_settings()


def _triage_settings() -> None:
    """The master's triage thresholds (jobs/master/triage.py), as they paste into a config."""
    from jobs.master.triage import DEFAULTS, EXPLAINED
    click.echo("Triage  the master's Students tab: who is at risk, why, and what staff do")
    click.echo("    settings (paste into sheetsync.toml):")
    click.echo("    [triage]")
    for key, value in DEFAULTS.items():
        click.echo(f"    {key} = {_toml_value(value)}    # {EXPLAINED[key]}")
    click.echo("")


def _toml_value(value) -> str:
    """A setting as TOML writes it (true, 3, "text", [1, 2])."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _plain_text(doc: str) -> str:
    """A rule's docstring for a terminal: no markdown emphasis or code marks."""
    return doc.replace("**", "").replace("`", "")
