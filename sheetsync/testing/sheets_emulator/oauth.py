"""The OAuth token endpoint (`/token`): a service account's signed JWT is checked against
the public key the emulator was told to trust, and answered with a bearer token, or with
the OAuth error body Google's token endpoint gives.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from sheetsync.testing.sheets_emulator.errors import JSON


class OAuthError(Exception):
    """A refusal in the token endpoint's own body (`error`, `error_description`; HTTP 400),
    not the google.rpc envelope of the Sheets API."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error, self.description = error, description

    def body(self) -> JSON:
        return {"error": self.error, "error_description": self.description}


def issue_token(form: Mapping[str, Any], trusted: Mapping[str, bytes]) -> tuple[str, str]:
    """(access token, service-account email) for a JWT-bearer grant signed by a `trusted`
    key (email -> public key PEM); `OAuthError` otherwise."""
    from google.auth import exceptions as auth_exceptions
    from google.auth import jwt

    if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
        raise OAuthError("unsupported_grant_type", "Invalid grant_type.")
    assertion = str(form.get("assertion", ""))
    try:
        claims = jwt.decode(assertion, verify=False)
        key = trusted.get(str(claims.get("iss")))
        if key is None:
            raise OAuthError("invalid_grant", "Invalid grant: account not found")
        jwt.decode(assertion, certs=key, audience="https://oauth2.googleapis.com/token")
    except (auth_exceptions.GoogleAuthError, ValueError) as exc:
        raise OAuthError("invalid_grant", "Invalid JWT Signature.") from exc
    token = "ya29.emulator-" + secrets.token_urlsafe(24)
    return token, str(claims["iss"])


def token_body(token: str) -> JSON:
    return {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}
