"""A pool of identities in one Cloud project: each student's sheet is read and written by
one of them, so a school's nights are paced by the project's quota (300 a minute) rather
than one identity's (60).

`[backend] credentials` as a list: service-account key files, "default" (ADC), and
"impersonate:<service account email>" (ADC's identity holding
iam.serviceAccountTokenCreator on that account). A student's member is chosen by a stable
hash of their id, so each spreadsheet's history shows one identity night after night;
a member that cannot open the sheet hands it to the next (google.GoogleBackend._call).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import gspread

from sheetsync.backends.google_credentials import (SCOPES, default_credentials, first_line,
                                                   identity_of, load_credentials)
from sheetsync.errors import CredentialsError

IMPERSONATE = "impersonate:"


@dataclass
class Member:
    """One identity of the pool: its credentials, its gspread HTTP client, its pacing."""
    identity: str
    credentials: object
    http: object
    limiter: object = None


def entries(config) -> list[str]:
    value = config.backend["credentials"]
    return [value] if isinstance(value, str) else list(value)


def credentials_of(config, entry: str, sleep):
    """The credentials one entry of `[backend] credentials` names."""
    if entry == "default":
        return default_credentials()
    if entry == "user":                                   # the teacher's own sign-in
        from sheetsync.backends.google_user_login import load_user_credentials, refresh_sign_in
        credentials = load_user_credentials(config)
        refresh_sign_in(config, credentials, sleep)       # refused: the night cannot start
        return credentials
    if entry.startswith(IMPERSONATE):
        return impersonated(entry[len(IMPERSONATE):].strip())
    return load_credentials(config.resolve(entry))


def impersonated(email: str):
    """A service account reached through ADC (google-auth's impersonated_credentials):
    no key file for it anywhere, the token comes from IAM Credentials."""
    from google.auth import impersonated_credentials
    if "@" not in email:
        raise CredentialsError(f'credentials entry "{IMPERSONATE}{email}" needs a service'
                               " account's email")
    try:
        return impersonated_credentials.Credentials(
            source_credentials=default_credentials(), target_principal=email,
            target_scopes=SCOPES, lifetime=3600)
    except (ValueError, TypeError) as e:
        raise CredentialsError(f"cannot impersonate {email}: {first_line(e)}") from None


def project_of(credentials, quota: dict) -> str:
    """The Cloud project whose quota the identity spends: `[quota] project`, else the
    key's own, else one shared name (all pool members are in one project)."""
    return quota.get("project") or getattr(credentials, "project_id", None) or "the project"


def member(credentials, timeout: float) -> Member:
    http = gspread.authorize(credentials).http_client
    http.set_timeout(timeout)
    return Member(identity_of(credentials), credentials, http)


def stable_index(student_id: str, size: int) -> int:
    """The same member for a student every night and on every machine (not Python's
    hash(), which changes from one process to the next)."""
    digest = hashlib.sha256(student_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % size
