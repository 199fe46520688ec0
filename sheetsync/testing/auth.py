"""The fake's OAuth2 token endpoint: it checks the service account's signed JWT.

`credentials_file(path)` writes a real service-account JSON with a freshly made RSA
key; google-auth signs its token request with that key and the fake verifies the
signature with the public half, so the real token exchange runs in every test.
"""
from __future__ import annotations

import base64
import json
import secrets
import time
from functools import lru_cache
from urllib.parse import parse_qs

TOKEN_URI = "https://oauth2.googleapis.com/token"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


@lru_cache(maxsize=1)
def _key_pair():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return pem, key.public_key()


def service_account_info(email: str) -> dict:
    pem, _ = _key_pair()
    return {"type": "service_account", "project_id": "sheetsync-fake",
            "private_key_id": "fake-key-1", "private_key": pem, "client_email": email,
            "client_id": "100000000000000000001",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": TOKEN_URI}


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class TokenError(Exception):
    pass


def verify_assertion(body: str, known_emails: set[str], revoked: set[str]) -> tuple[str, str]:
    """A token request body -> (service account e-mail, scope); raises TokenError."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    form = parse_qs(body)
    if form.get("grant_type", [""])[0] != JWT_GRANT:
        raise TokenError("unsupported_grant_type")
    try:
        head, payload, sig = form["assertion"][0].split(".")
        claims = json.loads(_b64decode(payload))
    except (KeyError, ValueError):
        raise TokenError("invalid_grant: malformed assertion") from None
    try:
        _key_pair()[1].verify(_b64decode(sig), f"{head}.{payload}".encode(), padding.PKCS1v15(),
                              hashes.SHA256())
    except InvalidSignature:
        raise TokenError("invalid_grant: Invalid JWT Signature.") from None
    email = claims.get("iss", "")
    if email not in known_emails or email in revoked:
        raise TokenError("invalid_grant: Invalid grant: account not found")
    if claims.get("exp", 0) < time.time():
        raise TokenError("invalid_grant: Invalid JWT: Token must be a short-lived token")
    return email, claims.get("scope", "")


def new_token() -> str:
    return "ya29.fake-" + secrets.token_urlsafe(16)
