"""`sheetsync.toml`: loading and validation.

The file is checked against a schema before anything runs: an unknown key, a wrong
type, or a missing file is one ConfigError line naming the key and the file.
Relative paths are resolved against the config file's folder.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from sheetsync.errors import ConfigError

LANGUAGES = ("sv", "en")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# table -> key -> (type, default). A type tuple of strings means "one of".
class STR_OR_LIST:
    """A setting that is one string or a list of strings (a pool of credentials)."""


_SCHEMA: dict[str, dict[str, tuple]] = {
    "cohort": {"name": (str, "cohort"), "language": (LANGUAGES, "sv"),
               "timezone": (str, "Europe/Stockholm"), "school_domain": (str, None)},
    "calendar": {"year": (int, None), "research_deadline": (str, "04-30"),
                 "soft_deadline": (str, "06-30"), "hard_deadline": (str, "09-30"),
                 "placement_start": (str, "10-01"), "quality_target": (int, 50)},
    "backend": {"kind": (("xlsx", "google"), "xlsx"), "folder": (str, "students"),
                # a key file, "default" (ADC) or "user"; or a pool: a list of key files and
                # "impersonate:<service account email>" (through ADC), one per student's sheet
                "credentials": (STR_OR_LIST, "credentials.json"),
                "oauth_client": (str, "oauth-client.json")},  # the Desktop client `sheetsync login` uses
    "master": {"path": (str, "master.xlsx"), "sheet": (str, None),
               "include_contact_details": (bool, False)},
    "state": {"path": (str, ".sheetsync/state.db")},
    "schedule": {"time": (str, "02:30")},
    "cleanup": {"in_place": (bool, False)},
    # Google's limits by default; lower them to leave room for other tools on the project
    "quota": {"reads_per_minute": (int, 60), "writes_per_minute": (int, 60),
              "project_per_minute": (int, 300), "workers": (int, 4),
              "full_read_every_days": (int, 7),
              # how a Google sheet is read: a Drive export (Drive's far larger quota) or a
              # Sheets read; an export that fails falls back to the Sheets read
              "read_via": (("export", "sheets"), "export"),
              # one Google request whole, its reply included (a read timeout bounds one read)
              "request_timeout_seconds": (int, 300),
              # the quota ledger every run on this machine counts its calls in (several
              # cohorts, watch, run --student): a SQLite file; "none" keeps a run to itself
              "ledger": (str, "~/.cache/sheetsync/quota.db"),
              # the Cloud project the identities' quota is counted in (default: the key's)
              "project": (str, ""),
              # Drive's limits in requests a minute (a request taken as one quota unit)
              "drive_per_minute": (int, 325_000), "drive_project_per_minute": (int, 1_000_000)},
    # who hears about a failed night (sheetsync/notify): all optional
    "alerts": {"webhook": (str, ""), "webhook_format": (("json", "slack", "teams"), "json"),
               "email_to": (list, []), "smtp_host": (str, "localhost"), "smtp_port": (int, 25),
               "smtp_user": (str, ""), "smtp_password_env": (str, "SHEETSYNC_SMTP_PASSWORD"),
               "smtp_from": (str, "sheetsync@localhost"), "smtp_starttls": (bool, False),
               # one outward exchange, whole (a webhook POST with its redirects, a ping, an
               # SMTP login, one message), and a night's outward work (digests + alerts)
               "exchange_timeout_seconds": (int, 30), "outward_budget_seconds": (int, 900)},
    # reaching students beyond the sheet (jobs/night/reach_out.py): both opt-in
    "digest": {"enabled": (bool, False), "weekday": (WEEKDAYS, "monday"), "eml_folder": (str, "")},
    "calendars": {"enabled": (bool, False), "folder": (str, "")},
    # how long personal data is kept (sheetsync/privacy/retention.py), pruned every night
    "retention": {"backups_keep": (int, 7), "backups_days": (int, 30), "reports_days": (int, 180),
                  "undo_days": (int, 180), "state_copies": (int, 7)},
    # the master's triage of students at risk (jobs/master/triage.py; `sheetsync rules` lists them)
    "triage": {"silent_days": (int, 14), "overdue_followups": (int, 3), "processed_share": (float, 0.25),
               "lost_draws": (int, 2), "soon_days": (int, 60), "high": (int, 60), "medium": (int, 30)},
    "monitoring": {"ping_url": (str, ""), "prometheus_textfile": (str, ""), "log_format": (("text", "json"), "text")},
}
_STUDENT_KEYS = {"id": str, "name": str, "sheet": str, "file": str, "tab": str,
                 "columns": dict, "email": str}


@dataclass
class Student:
    id: str
    name: str
    sheet: str | None = None         # Google spreadsheet id or URL
    file: str | None = None          # xlsx path, relative to the folder
    tab: str | None = None           # the CRM tab, when the content guess is not wanted
    columns: dict[str, str] = field(default_factory=dict)   # header -> field override
    email: str | None = None         # the student's, for sharing a new CRM


@dataclass
class Config:
    path: Path
    cohort: dict
    calendar: dict
    backend: dict
    master: dict
    state: dict
    schedule: dict
    cleanup: dict
    quota: dict
    alerts: dict
    monitoring: dict
    digest: dict
    calendars: dict
    students: list[Student]
    rules: dict[str, dict]
    retention: dict = field(default_factory=dict)
    triage: dict = field(default_factory=lambda: {k: d for k, (_, d) in _SCHEMA["triage"].items()})

    @property
    def root(self) -> Path:
        return self.path.parent

    def resolve(self, relative: str) -> Path:
        p = Path(relative).expanduser()
        return p if p.is_absolute() else (self.root / p)

    @property
    def language(self) -> str:
        return self.cohort["language"]

    def cohort_year(self, now: dt.date) -> int:
        return self.calendar["year"] or now.year

    def deadline(self, name: str, now: dt.date) -> dt.date:
        """A calendar date (`soft_deadline`...) in the cohort year."""
        month, day = (int(x) for x in self.calendar[name].split("-"))
        return dt.date(self.cohort_year(now), month, day)

    @property
    def state_path(self) -> Path:
        return self.resolve(self.state["path"])


def _check_type(file: Path, key: str, value, expected) -> None:
    if expected is STR_OR_LIST:
        if isinstance(value, str) or (isinstance(value, list) and value
                                      and all(isinstance(v, str) and v for v in value)):
            return
        raise ConfigError(f"{file}: {key} must be a string or a non-empty list of strings,"
                          f" not {value!r}")
    if isinstance(expected, tuple):
        if value not in expected:
            raise ConfigError(f"{file}: {key} must be one of {', '.join(map(repr, expected))},"
                              f" not {value!r}")
        return
    ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
    if not ok:
        raise ConfigError(f"{file}: {key} must be {expected.__name__}, not {type(value).__name__}"
                          f" ({value!r})")


def _table(file: Path, data: dict, name: str) -> dict:
    raw = data.get(name, {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{file}: [{name}] must be a table")
    schema = _SCHEMA[name]
    for key, value in raw.items():
        if key not in schema:
            raise ConfigError(f"{file}: unknown key '{name}.{key}' (known: {', '.join(schema)})")
        _check_type(file, f"{name}.{key}", value, schema[key][0])
    return {key: raw.get(key, default) for key, (_, default) in schema.items()}


def _date_key(file: Path, calendar: dict) -> None:
    for key in ("research_deadline", "soft_deadline", "hard_deadline", "placement_start"):
        try:
            month, day = (int(x) for x in calendar[key].split("-"))
            dt.date(2000, month, day)
        except ValueError:
            raise ConfigError(f"{file}: calendar.{key} must be MM-DD, not {calendar[key]!r}") from None


def _students(file: Path, raw) -> list[Student]:
    if not isinstance(raw, list):
        raise ConfigError(f"{file}: students must be an array of tables ([[students]])")
    students, seen = [], set()
    for i, entry in enumerate(raw):
        where = f"students[{i}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{file}: {where} must be a table")
        for key, value in entry.items():
            if key not in _STUDENT_KEYS:
                raise ConfigError(f"{file}: unknown key '{where}.{key}'"
                                  f" (known: {', '.join(_STUDENT_KEYS)})")
            _check_type(file, f"{where}.{key}", value, _STUDENT_KEYS[key])
        if "id" not in entry:
            raise ConfigError(f"{file}: {where} has no 'id'")
        for key in ("id", "file"):
            value = str(entry.get(key, ""))
            if ".." in value.replace("\\", "/").split("/") or value.startswith(("/", "\\")) or \
                    (len(value) > 1 and value[1] == ":"):
                raise ConfigError(f"{file}: {where}.{key} = {value!r} points outside the students"
                                  " folder; give a name inside it")
        if entry["id"] in seen:
            raise ConfigError(f"{file}: {where}: student id {entry['id']!r} appears twice")
        seen.add(entry["id"])
        students.append(Student(id=entry["id"], name=entry.get("name", entry["id"]),
                                sheet=entry.get("sheet"), file=entry.get("file"),
                                tab=entry.get("tab"), columns=entry.get("columns", {}),
                                email=entry.get("email")))
    return students


def _rules(file: Path, raw) -> dict[str, dict]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{file}: [rules] must be a table of [rules.CODE] tables")
    from sheetsync.engine.registry import registry   # late: rules import the engine
    known = registry()
    out = {}
    for code, settings in raw.items():
        if code not in known:
            raise ConfigError(f"{file}: unknown rule 'rules.{code}' (known: {', '.join(known)})")
        if not isinstance(settings, dict):
            raise ConfigError(f"{file}: [rules.{code}] must be a table")
        allowed = {"enabled": True, **known[code].config}
        for key, value in settings.items():
            if key not in allowed:
                raise ConfigError(f"{file}: unknown key 'rules.{code}.{key}'"
                                  f" (known: {', '.join(allowed)})")
            _check_type(file, f"rules.{code}.{key}", value, type(allowed[key]))
        out[code] = settings
    return out


def load_config(path) -> Config:
    """Read and validate a sheetsync.toml; raise ConfigError with one clear line."""
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"{file}: config file not found")
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{file}: not valid TOML: {e}") from None
    known = set(_SCHEMA) | {"students", "rules"}
    for key in data:
        if key not in known:
            raise ConfigError(f"{file}: unknown key '{key}' (known: {', '.join(sorted(known))})")
    tables = {name: _table(file, data, name) for name in _SCHEMA}
    _date_key(file, tables["calendar"])
    for key, value in tables["retention"].items():
        if value < 1:
            raise ConfigError(f"{file}: retention.{key} must be at least 1, not {value}")
    for table, key in (("alerts", "exchange_timeout_seconds"), ("alerts", "outward_budget_seconds"),
                       ("quota", "request_timeout_seconds")):
        if tables[table][key] < 1:
            raise ConfigError(f"{file}: {table}.{key} must be at least 1, not {tables[table][key]}")
    cfg = Config(path=file.resolve(), students=_students(file, data.get("students", [])),
                 rules=_rules(file, data.get("rules", {})), **tables)
    if cfg.backend["kind"] == "google":       # an empty roster is fine: onboarding fills it
        for s in cfg.students:
            if not s.sheet:
                raise ConfigError(f"{file}: student {s.id!r} has no 'sheet' (URL or id)")
    return cfg
