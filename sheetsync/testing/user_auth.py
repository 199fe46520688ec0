"""The fake's side of a person's Google sign-in (OAuth for installed apps): the consent
page, the token endpoint's `authorization_code` and `refresh_token` grants, and Drive's
`about.get`. Mixed into FakeGoogle.

    client = google.oauth_client_file(tmp_path / "oauth-client.json")   # a Desktop client
    redirect = google.consent(auth_url, "teacher@school.se")   # what the browser is sent to
    google.authorized_user_file(path, "teacher@school.se")     # a stored sign-in, ready made
    google.revoke("teacher@school.se")     # the next refresh: 400 invalid_grant

Replies and error bodies are Google's (oauth2.googleapis.com/token): a revoked or expired
refresh token is 400 {"error": "invalid_grant", "error_description": "Token has been
expired or revoked."}; a wrong client secret 401 "invalid_client".
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from sheetsync.testing.auth import TOKEN_URI, TokenError, new_token

AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
ABOUT = "https://www.googleapis.com/drive/v3/about"
USER_GRANTS = ("authorization_code", "refresh_token")


@dataclass
class _Code:
    user: str
    client_id: str
    redirect_uri: str
    scope: str
    challenge: str


@dataclass
class _SignIns:
    clients: dict[str, str] = field(default_factory=dict)      # client id -> secret
    codes: dict[str, _Code] = field(default_factory=dict)       # one use each
    refresh: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # token -> user, client, scope
    names: dict[str, str] = field(default_factory=dict)         # e-mail -> display name


class UserTokenError(TokenError):
    def __init__(self, status: int, error: str, description: str):
        super().__init__(f"{error}: {description}")
        self.status, self.error, self.description = status, error, description


class UserSignIn:
    """Mixed into FakeGoogle (which gives `_tokens`, `_revoked`, `_caller`, `requests`)."""

    @property
    def _sign_ins(self) -> _SignIns:
        return self.__dict__.setdefault("_user_sign_ins", _SignIns())

    def oauth_client_file(self, path, client_id: str = "1234-sheetsync.apps.googleusercontent.com",
                          secret: str = "GOCSPX-fake-secret") -> Path:
        """The JSON the Cloud console gives for an OAuth client of type Desktop."""
        self._sign_ins.clients[client_id] = secret
        path = Path(path)
        path.write_text(json.dumps({"installed": {
            "client_id": client_id, "project_id": "sheetsync-fake", "auth_uri": AUTH_URI,
            "token_uri": TOKEN_URI, "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_secret": secret, "redirect_uris": ["http://localhost"]}}, indent=2), encoding="utf-8")
        return path

    def add_user(self, email: str, name: str | None = None) -> None:
        self._sign_ins.names[email] = name or email.split("@")[0].replace(".", " ").title()

    def consent(self, auth_url: str, user: str) -> str:
        """`user` signs in and allows access on Google's consent page: the URL the browser is
        then sent to (the app's loopback redirect, with the code and the state)."""
        q = {k: v[0] for k, v in parse_qs(urlsplit(auth_url).query).items()}
        if q.get("client_id") not in self._sign_ins.clients:
            raise AssertionError("Error 401: invalid_client (The OAuth client was not found.)")
        redirect = q.get("redirect_uri", "")
        if not redirect.startswith(("http://localhost", "http://127.0.0.1")):
            raise AssertionError(f"Error 400: redirect_uri_mismatch ({redirect})")
        self._sign_ins.names.setdefault(user, user.split("@")[0].replace(".", " ").title())
        code = "4/0A" + secrets.token_urlsafe(24)
        self._sign_ins.codes[code] = _Code(user, q["client_id"], redirect, q.get("scope", ""),
                                           q.get("code_challenge", ""))
        return f"{redirect}?{urlencode({'state': q.get('state', ''), 'code': code, 'scope': q.get('scope', '')})}"

    def authorized_user_file(self, path, user: str, *, client_id: str = "1234-sheetsync.apps.googleusercontent.com",
                             secret: str = "GOCSPX-fake-secret", signed_in: str = "2026-09-01T08:00:00+00:00") -> Path:
        """A stored sign-in (what `sheetsync login` writes), without going through the browser."""
        self._sign_ins.clients[client_id] = secret
        self._sign_ins.names.setdefault(user, user.split("@")[0].replace(".", " ").title())
        refresh = "1//0g" + secrets.token_urlsafe(32)
        self._sign_ins.refresh[refresh] = (user, client_id, "")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"type": "authorized_user", "client_id": client_id, "client_secret": secret,
                                    "refresh_token": refresh, "token_uri": TOKEN_URI, "account": user,
                                    "signed_in": signed_in}), encoding="utf-8")
        path.chmod(0o600)                # as `sheetsync login` leaves it
        return path

    def _user_grant(self, form: dict, authorization: str = "") -> dict:
        """The token endpoint for a person's grants: a reply body, or UserTokenError. The
        client authenticates in the body (google-auth) or with HTTP Basic (requests-oauthlib)."""
        grant = form.get("grant_type", "")
        client, secret = form.get("client_id", ""), form.get("client_secret", "")
        if authorization.startswith("Basic "):
            from urllib.parse import unquote_plus
            pair = base64.b64decode(authorization[6:]).decode()
            client, secret = (unquote_plus(p) for p in pair.split(":", 1))
        if self._sign_ins.clients.get(client) != secret:
            raise UserTokenError(401, "invalid_client", "Unauthorized")
        if grant == "authorization_code":
            code = self._sign_ins.codes.pop(form.get("code", ""), None)
            if code is None or code.client_id != client:
                raise UserTokenError(400, "invalid_grant", "Bad Request")
            if form.get("redirect_uri") != code.redirect_uri:
                raise UserTokenError(400, "redirect_uri_mismatch", "Bad Request")
            if code.challenge:
                verifier = form.get("code_verifier", "")
                if not verifier:
                    raise UserTokenError(400, "invalid_grant", "Missing code verifier.")
                digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
                if digest.decode() != code.challenge:
                    raise UserTokenError(400, "invalid_grant", "Invalid code verifier.")
            refresh = "1//0g" + secrets.token_urlsafe(32)
            self._sign_ins.refresh[refresh] = (code.user, client, code.scope)
            return {**self._access(code.user, code.scope), "refresh_token": refresh}
        known = self._sign_ins.refresh.get(form.get("refresh_token", ""))
        if known is None or known[1] != client or known[0] in self._revoked:
            raise UserTokenError(400, "invalid_grant", "Token has been expired or revoked.")
        return self._access(known[0], form.get("scope") or known[2])

    def _access(self, user: str, scope: str) -> dict:
        token = new_token()
        self._tokens[token] = user
        return {"access_token": token, "expires_in": 3599, "scope": scope, "token_type": "Bearer"}

    def _about(self, params: dict) -> dict:
        """Drive about.get: who the caller is (`fields` is required, as on Drive v3)."""
        from sheetsync.testing.drive_api import drive_error
        if not params.get("fields", [""])[0]:
            raise drive_error(400, "The 'fields' parameter is required for this method.", "required", "fields")
        email = self._caller
        name = self._sign_ins.names.get(email) or email.split("@")[0]
        return {"user": {"kind": "drive#user", "displayName": name, "me": True,
                         "permissionId": hashlib.sha1(email.encode()).hexdigest()[:20], "emailAddress": email}}
