"""Who the Google backend acts as: a service-account key (a file, or its JSON in
$SHEETSYNC_CREDENTIALS) or google-auth's Application Default Credentials. One clear
error for each way it fails; the key's content never appears in one."""
from __future__ import annotations

import json
import os

from google.auth.exceptions import GoogleAuthError
from google.oauth2.service_account import Credentials

from sheetsync.errors import CredentialsError

# the least that works: edit the sheets; read Drive metadata (modifiedTime, sharing)
SCOPES = ["https://www.googleapis.com/auth/spreadsheets",
          "https://www.googleapis.com/auth/drive.metadata.readonly"]


CREDENTIALS_ENV = "SHEETSYNC_CREDENTIALS"     # the key's JSON itself, or a path to it


def load_credentials(path) -> Credentials:
    """A service account from $SHEETSYNC_CREDENTIALS (JSON or a path) or the key file.
    One clear error for each way it fails; the key's content never appears in one."""
    env = os.environ.get(CREDENTIALS_ENV, "").strip()
    source = f"${CREDENTIALS_ENV}" if env.startswith("{") else (env or path)
    try:
        text = env if env.startswith("{") else open(source, encoding="utf-8").read()
        info = json.loads(text)
    except FileNotFoundError:
        raise CredentialsError(f"credentials file not found: {source} (see credentials.example.json)") from None
    except (OSError, ValueError) as e:
        raise CredentialsError(f"credentials in {source} are not valid JSON ({type(e).__name__})") from None
    path = source
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise CredentialsError(f"credentials file {path} is not a service-account key"
                               " (\"type\": \"service_account\")")
    try:
        return Credentials.from_service_account_info(info, scopes=SCOPES)
    except (ValueError, KeyError) as e:
        raise CredentialsError(f"credentials file {path} is malformed: missing or bad field"
                               f" ({str(e).split(':')[0]})") from None


def default_credentials():
    """google-auth's Application Default Credentials: an attached service account on
    Google Cloud, workload identity federation, or $GOOGLE_APPLICATION_CREDENTIALS; no
    key file in the config (what security teams prefer)."""
    import google.auth
    try:
        credentials, _ = google.auth.default(scopes=SCOPES)
    except GoogleAuthError as e:
        raise CredentialsError("no Application Default Credentials found (credentials ="
                               f' "default"): {first_line(e)}') from None
    return credentials


def identity_of(credentials) -> str:
    """Who the service acts as, for messages and `sheetsync check`."""
    return (getattr(credentials, "service_account_email", None) or getattr(credentials, "signer_email", None)
            or getattr(credentials, "account", None)          # a person's sign-in (google_user_login)
            or "the application default credentials")


def first_line(e: Exception) -> str:
    return str(e).splitlines()[0][:200] if str(e) else type(e).__name__
