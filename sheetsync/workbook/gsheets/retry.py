"""Which Sheets failures are worth another try, and the numbers of the backoff between tries.

A cron job must not hammer Google nor wait forever (gspread's own BackOffHTTPClient retries
forever): 408, 429, 5xx, network trouble and HTML pages from a proxy are retried under
`SHEETS_RETRY` (the rule itself is `sheetsync.retry.RetryPolicy`, shared with the mail
sender); anything else a person must fix, and is not retried. What to tell that person is
the backend's job (`GSheetsWorkbook.remote_error`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import google.auth.exceptions
import gspread
import requests

from sheetsync.retry import RetryPolicy

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})

# Google's recommended truncated exponential backoff, bounded for a cron job: waits of
# 1, 2, 4, 8, 16 s (+ up to 1 s jitter), never more than 32 s, 6 tries within 120 s.
SHEETS_RETRY = RetryPolicy(
    attempts=6, first_delay=1.0, factor=2.0, max_delay=32.0, jitter=1.0, max_total=120.0
)


@dataclass(frozen=True, slots=True)
class Failure:
    """What went wrong with one request, as far as retrying is concerned."""

    status: int  # HTTP status, 0 for network trouble
    reason: str  # google.rpc status / ErrorInfo reason, or a short description
    message: str
    retryable: bool
    retry_after: float = 0.0  # seconds a Retry-After header asked for (proxies send one)


def classify(exc: Exception) -> Failure | None:
    """A failure we understand, or None for anything else (a bug: let it raise)."""
    if isinstance(exc, gspread.exceptions.APIError):
        return _api_failure(exc)
    if isinstance(exc, requests.exceptions.JSONDecodeError):
        return Failure(200, "NOT_JSON", "the answer was not JSON (a proxy page?)", True)
    if isinstance(exc, requests.exceptions.Timeout | requests.exceptions.ConnectionError):
        return Failure(0, "NETWORK", f"network problem: {type(exc).__name__}", True)
    if isinstance(exc, google.auth.exceptions.TransportError):
        return Failure(0, "NETWORK", f"cannot reach Google's token service: {exc}", True)
    if isinstance(exc, google.auth.exceptions.RefreshError):
        return Failure(401, "TOKEN_REFUSED", str(exc)[:300], bool(getattr(exc, "retryable", 0)))
    return None


def _api_failure(exc: gspread.exceptions.APIError) -> Failure:
    status = exc.response.status_code
    error = exc.error if isinstance(exc.error, dict) else {}
    reasons = [d.get("reason", "") for d in error.get("details") or [] if isinstance(d, dict)]
    reason = next((r for r in reasons if r), str(error.get("status") or ""))
    html = "html" in exc.response.headers.get("Content-Type", "")
    message = "an HTML error page" if html else str(error.get("message") or "")[:500]
    retryable = status in RETRYABLE_STATUS or status >= 500 or reason == "RATE_LIMIT_EXCEEDED"
    return Failure(status, reason, message, retryable, retry_after(exc.response.headers))


def retry_after(headers: Mapping[str, str]) -> float:
    try:
        return max(float(headers.get("Retry-After", 0)), 0.0)
    except ValueError:  # an HTTP date: rare enough to fall back to our own backoff
        return 0.0
