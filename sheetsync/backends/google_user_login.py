"""The teacher's own Google sign-in (`[backend] credentials = "user"`): OAuth for installed
apps with a loopback redirect (google-auth-oauthlib), an OAuth client of type Desktop that
the school makes once (docs/google-setup.md). `sheetsync login` stores the refresh token
owner-only beside the state store; every night refreshes it at the start, so a revoked or
expired sign-in stops the night before it begins, with one line that says what to do.
The token and the client secret never appear in any output."""
from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials

from sheetsync.errors import CredentialsError

# the sheets themselves; Drive read-only (the listing, exports, the changes feed, a staff
# template to copy); Drive files the service makes (a new CRM, a calendar) and their sharing
USER_SCOPES = ["https://www.googleapis.com/auth/spreadsheets",
               "https://www.googleapis.com/auth/drive.readonly",
               "https://www.googleapis.com/auth/drive.file"]
ABOUT = "https://www.googleapis.com/drive/v3/about"
SIGN_IN_FILE = "google-sign-in.json"
NO_BROWSER_PORT = 8765        # fixed, so an ssh tunnel can be opened to it before signing in


def sign_in_path(config) -> Path:
    """Beside the state store: the same folder the service must be able to write anyway."""
    return config.state_path.parent / SIGN_IN_FILE


def sign_in_again(config) -> str:
    return f"sign in again: sheetsync login --config {config.path}"


def load_user_credentials(config) -> Credentials:
    """The stored sign-in as google-auth credentials; one clear line when there is none."""
    path = sign_in_path(config)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CredentialsError(f"not signed in to Google (no {path}): sheetsync login --config {config.path}") from None
    except (OSError, ValueError) as e:
        raise CredentialsError(f"the stored Google sign-in {path} is unreadable ({type(e).__name__});"
                               f" {sign_in_again(config)}") from None
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise CredentialsError(f"the stored Google sign-in {path} can be read by others than its owner:"
                               f" chmod 600 {path}")
    try:
        credentials = Credentials.from_authorized_user_info(info, scopes=info.get("scopes") or None)
    except ValueError as e:
        raise CredentialsError(f"the stored Google sign-in {path} is incomplete ({str(e).split(',')[0]});"
                               f" {sign_in_again(config)}") from None
    if info.get("account"):
        credentials = credentials.with_account(info["account"])
    credentials.signed_in = info.get("signed_in", "")        # for `sheetsync check`
    return credentials


def refresh_sign_in(config, credentials: Credentials, sleep=time.sleep, attempts: int = 4) -> None:
    """Get the night's access token now: a refused sign-in is then the night's one error
    (it cannot start), not a failure on every student. Google's bad minute is retried."""
    import requests
    from google.auth.transport.requests import Request
    from sheetsync.backends.deadline import bound
    session = bound(requests.Session(), config.quota["request_timeout_seconds"])   # a trickle is cut
    for attempt in range(attempts):
        try:
            credentials.refresh(Request(session))
            return
        except RefreshError as e:
            if getattr(e, "retryable", False) and attempt + 1 < attempts:
                sleep(2 ** attempt)
                continue
            raise CredentialsError(refused_message(config, credentials, e)) from None
        except TransportError as e:
            if attempt + 1 < attempts:
                sleep(2 ** attempt)
                continue
            raise CredentialsError(f"could not reach Google's token endpoint ({type(e).__name__})") from None


def refused_message(config, credentials, error: RefreshError) -> str:
    """One line: whose sign-in, Google's reason (never the token), and what to do."""
    reason = str(error.args[0]) if error.args else type(error).__name__
    who = getattr(credentials, "account", "") or "the teacher"
    return f"Google refused the sign-in of {who} ({reason.splitlines()[0][:160]}); {sign_in_again(config)}"


def describe_sign_in(credentials) -> str:
    """"teacher@school.se, signed in 2026-09-01" for `sheetsync check`."""
    when = getattr(credentials, "signed_in", "")[:10]
    who = getattr(credentials, "account", "") or "an unknown Google account"
    return f"{who}, signed in {when}" if when else who


def save_sign_in(path: Path, credentials: Credentials, account: str, now: dt.datetime | None = None) -> None:
    """Write the refresh token readable by its owner only (made 0600 before a byte is
    written), replacing the old sign-in in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    info = {"type": "authorized_user", "client_id": credentials.client_id,
            "client_secret": credentials.client_secret, "refresh_token": credentials.refresh_token,
            "token_uri": credentials.token_uri, "scopes": list(credentials.scopes or USER_SCOPES),
            "account": account, "signed_in": (now or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")}
    temp = path.with_name(path.name + ".new")
    temp.unlink(missing_ok=True)            # a leftover could carry looser permissions
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(info, f)
    os.chmod(temp, 0o600)
    os.replace(temp, path)


def who_is_signed_in(credentials) -> tuple[str, str]:
    """Drive's about.get: the signed-in person's (e-mail, name)."""
    from google.auth.transport.requests import AuthorizedSession
    reply = AuthorizedSession(credentials).get(ABOUT, params={"fields": "user(emailAddress,displayName)"},
                                               timeout=60)
    if reply.status_code != 200:
        raise CredentialsError(f"signed in, but Drive would not say who you are (HTTP {reply.status_code}):"
                               " is the Google Drive API enabled in the Cloud project? (docs/google-setup.md)")
    user = reply.json().get("user", {})
    return user.get("emailAddress", ""), user.get("displayName", "")


def login_instructions(url: str, redirect_uri: str, open_browser: bool) -> str:
    """What `sheetsync login` prints: the consent page's address, and without a browser
    here, the ssh tunnel that lets a browser elsewhere reach the loopback redirect."""
    if open_browser:
        return f"Your browser opens Google's sign-in; if it does not, open:\n  {url}"
    port = redirect_uri.rstrip("/").rsplit(":", 1)[1]
    return (f"Open this address in a browser and sign in as the teacher:\n\n  {url}\n\n"
            f"Google then sends that browser to {redirect_uri}, which must reach port {port} of this"
            " computer. On a server reached over ssh, open a tunnel first, from the computer with"
            f" the browser:\n  ssh -N -L {port}:localhost:{port} you@this-server\n"
            "Waiting for the sign-in (Ctrl-C to stop)...")


def login(config, *, open_browser: bool = True, port: int | None = None, on_url=None,
          client_file: Path | None = None) -> tuple[str, Path]:
    """The browser sign-in; returns (who signed in, where the sign-in is stored).
    `on_url(url, redirect_uri)` is told the consent page's address before the loopback
    server waits for Google's redirect (the CLI prints it; a test follows it)."""
    from google_auth_oauthlib.flow import InstalledAppFlow
    from oauthlib.oauth2.rfc6749.errors import OAuth2Error
    client_path = client_file or config.resolve(config.backend["oauth_client"])
    client = _client_config(client_path)

    class _Flow(InstalledAppFlow):
        def authorization_url(self, **kwargs):
            url, state = super().authorization_url(**kwargs)
            if on_url is not None:
                on_url(url, self.redirect_uri)
            return url, state

    flow = _Flow.from_client_config(client, scopes=USER_SCOPES)
    try:
        credentials = flow.run_local_server(
            host="localhost", port=NO_BROWSER_PORT if port is None and not open_browser else (port or 0),
            open_browser=open_browser, authorization_prompt_message=None,
            success_message="sheetsync: you are signed in. You can close this tab.",
            access_type="offline", prompt="consent")
    except OSError as e:
        raise CredentialsError(f"could not listen on localhost for Google's redirect ({e.strerror or e});"
                               " choose another --port") from None
    except OAuth2Error as e:
        raise CredentialsError(f"Google did not complete the sign-in: {e.error}"
                               + (f" ({e.description})" if e.description else "")) from None
    email, _ = who_is_signed_in(credentials)
    path = sign_in_path(config)
    save_sign_in(path, credentials, email)
    return email, path


def _client_config(path: Path) -> dict:
    """The OAuth client JSON downloaded from the Cloud console; it must be a Desktop app."""
    try:
        info = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CredentialsError(f"OAuth client file not found: {path} (make a Desktop OAuth client:"
                               " docs/google-setup.md, then set [backend] oauth_client)") from None
    except (OSError, ValueError) as e:
        raise CredentialsError(f"OAuth client file {path} is not valid JSON ({type(e).__name__})") from None
    if not isinstance(info, dict) or "installed" not in info:
        kind = "a service-account key" if isinstance(info, dict) and info.get("type") == "service_account" \
            else "a Web application client" if isinstance(info, dict) and "web" in info else "not an OAuth client"
        raise CredentialsError(f"OAuth client file {path} is {kind}; the sign-in needs an OAuth client"
                               " of type Desktop app (docs/google-setup.md)")
    return info
