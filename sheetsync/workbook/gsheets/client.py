"""The gspread client, built in one place: a service-account key, and a session that sends
every Google call to another endpoint when the config names one.

gspread and google-auth stay unmodified: the redirect is a requests adapter mounted on their
sessions, so a run against a proxy or the loopback emulator (tests, bench) never reaches
Google, access-boundary lookups of newer google-auth included.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gspread
import requests
from google.auth.credentials import Credentials
from google.auth.transport.requests import AuthorizedSession
from google.auth.transport.requests import Request as AuthRequest
from google.oauth2 import service_account

from sheetsync.errors import ConfigError

DEFAULT_ENDPOINT = "https://sheets.googleapis.com"
SPREADSHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets"
# google-auth >= 2.55 looks up a "Regional Access Boundary" here after each token refresh.
IAM_CREDENTIALS_HOST = "https://iamcredentials.googleapis.com"


class EndpointAdapter(requests.adapters.HTTPAdapter):
    """Send requests meant for `google_base` to `endpoint` instead (a proxy, the emulator).

    Mounted on the session gspread uses, so gspread and google-auth stay unmodified."""

    # requests pickles adapters by __attrs__ (google-auth clones the token session that way)
    __attrs__ = [*requests.adapters.HTTPAdapter.__attrs__, "google_base", "endpoint"]  # noqa: RUF012

    def __init__(self, google_base: str, endpoint: str) -> None:
        super().__init__()
        self.google_base = google_base.rstrip("/")
        self.endpoint = endpoint.rstrip("/")

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        if request.url and request.url.startswith(self.google_base):
            request.url = self.endpoint + request.url[len(self.google_base) :]
        return super().send(request, **kwargs)


def make_client(
    credentials_path: Path | None, *, endpoint: str = DEFAULT_ENDPOINT, timeout: float = 60.0
) -> gspread.Client:
    """A gspread client for a service-account key file, talking to `endpoint`."""
    return client_for_credentials(
        load_service_account(credentials_path), endpoint=endpoint, timeout=timeout
    )


def load_service_account(path: Path | None) -> service_account.Credentials:
    if path is None:
        raise ConfigError(
            "No Google service-account key: set [workbook] credentials or "
            "GOOGLE_APPLICATION_CREDENTIALS to the JSON key file."
        )
    try:
        return service_account.Credentials.from_service_account_file(
            str(path), scopes=[SPREADSHEETS_SCOPE]
        )
    except FileNotFoundError as exc:
        raise ConfigError(f"Service-account key file {path} not found.") from exc
    except (ValueError, KeyError, OSError) as exc:
        raise ConfigError(
            f"Service-account key file {path} is not a valid Google service-account JSON key "
            f"({exc}). Download a new key in Google Cloud Console > IAM > Service accounts."
        ) from exc


def client_for_credentials(
    credentials: Credentials, *, endpoint: str = DEFAULT_ENDPOINT, timeout: float = 60.0
) -> gspread.Client:
    """gspread's Client over an AuthorizedSession; a non-Google `endpoint` gets every Google
    call redirected to it (Sheets, and google-auth's access-boundary lookup), so a run against
    a proxy or the emulator never reaches Google."""
    token_session = requests.Session()
    session = AuthorizedSession(credentials, auth_request=AuthRequest(token_session))
    if endpoint.rstrip("/") != DEFAULT_ENDPOINT:
        session.mount(DEFAULT_ENDPOINT + "/", EndpointAdapter(DEFAULT_ENDPOINT, endpoint))
        token_session.mount(
            IAM_CREDENTIALS_HOST + "/", EndpointAdapter(IAM_CREDENTIALS_HOST, endpoint)
        )
    client = gspread.Client(auth=credentials, session=session)
    client.set_timeout(timeout)
    return client


def service_account_email(client: gspread.Client) -> str:
    session = client.http_client.session
    credentials = getattr(session, "credentials", None)
    return str(getattr(credentials, "service_account_email", "") or "")
