"""A demo cohort's config with outward work set up, for tests/notify/test_outward_*.py."""
import re

from sheetsync import load_config
from sheetsync.backends.xlsx import XlsxBackend

WEEKDAY = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def configure(demo_config, now, *, alerts: dict | None = None, monitoring: dict | None = None,
              digest: bool = False, calendars: bool = False):
    """The demo's config plus `[alerts]`/`[monitoring]` keys; with `digest`, an e-mail per
    student (`<id>@student.example`) and the digest due today."""
    text = demo_config.path.read_text(encoding="utf-8")
    if digest:
        text = re.sub(r'(\[\[students\]\]\nid = "([^"]+)")', r'\1\nemail = "\2@student.example"', text)
        text += f'\n[digest]\nenabled = true\nweekday = "{WEEKDAY[now.weekday()]}"\n'
    if calendars:
        text += "\n[calendars]\nenabled = true\n"
    for table, keys in (("alerts", alerts), ("monitoring", monitoring)):
        if keys:
            text += f"\n[{table}]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in keys.items())
    demo_config.path.write_text(text, encoding="utf-8")
    return load_config(demo_config.path)


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def break_one_workbook(config):
    """The first student's workbook made unreadable: a failed student, so staff are told."""
    student = XlsxBackend(config).roster()[0]
    XlsxBackend(config).path(student).write_bytes(b"not a workbook")
    return student


def address(student) -> str:
    return f"{student.id}@student.example"
