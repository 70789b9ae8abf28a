"""Google's limits and the answers it gives when it refuses, copied from real recordings.

Every error the emulator sends goes through `ApiError`, so each one wears Google's google.rpc
envelope (code, message, status, details); the canned bodies below were recorded from Google
(gspread's cassettes, r-lib/gargle's fixtures) and are what faults and refusals send back.
"""

from __future__ import annotations

import json
from typing import Any

JSON = Any  # a decoded JSON value: what requests carry and answers are built from
GOOGLE_CELL_LIMIT = 10_000_000
GOOGLE_CHARS_PER_CELL = 50_000
GOOGLE_PAYLOAD_LIMIT = 10 * 1024 * 1024


STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}

# Real bodies, recorded from Google (gspread cassettes, r-lib/gargle fixtures; the 429 was
# recorded 2025-08-30 on the read quota).
RATE_LIMIT_BODY = {
    "error": {
        "code": 429,
        "message": "Quota exceeded for quota metric 'Read requests' and limit 'Read requests "
        "per minute per user' of service 'sheets.googleapis.com' for consumer "
        "'project_number:603366585132'.",
        "status": "RESOURCE_EXHAUSTED",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "RATE_LIMIT_EXCEEDED",
                "domain": "googleapis.com",
                "metadata": {
                    "quota_limit_value": "60",
                    "service": "sheets.googleapis.com",
                    "consumer": "projects/603366585132",
                    "quota_unit": "1/min/{project}/{user}",
                    "quota_location": "global",
                    "quota_metric": "sheets.googleapis.com/read_requests",
                    "quota_limit": "ReadRequestsPerMinutePerUser",
                },
            },
            {
                "@type": "type.googleapis.com/google.rpc.Help",
                "links": [
                    {
                        "description": "Request a higher quota limit.",
                        "url": "https://cloud.google.com/docs/quotas/help/request_increase",
                    }
                ],
            },
        ],
    }
}
INTERNAL_BODY = {
    "error": {"code": 500, "message": "Internal error encountered.", "status": "INTERNAL"}
}
PERMISSION_BODY = {
    "error": {
        "code": 403,
        "message": "The caller does not have permission",
        "status": "PERMISSION_DENIED",
    }
}
NOT_FOUND_BODY = {
    "error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}
}
SERVICE_DISABLED_BODY = {
    "error": {
        "code": 403,
        "message": "Google Sheets API has not been used in project 603366585132 before or it "
        "is disabled. Enable it by visiting https://console.developers.google.com/apis/api/"
        "sheets.googleapis.com/overview?project=603366585132 then retry. If you enabled this "
        "API recently, wait a few minutes for the action to propagate to our systems and retry.",
        "status": "PERMISSION_DENIED",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "SERVICE_DISABLED",
                "domain": "googleapis.com",
                "metadata": {
                    "consumer": "projects/603366585132",
                    "service": "sheets.googleapis.com",
                },
            }
        ],
    }
}
UNAUTHENTICATED_BODY = {
    "error": {
        "code": 401,
        "message": "Request is missing required authentication credential. Expected OAuth 2 "
        "access token, login cookie or other valid authentication credential. See "
        "https://developers.google.com/identity/sign-in/web/devconsole-project.",
        "status": "UNAUTHENTICATED",
    }
}
HTML_503 = (
    "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <meta name=viewport "
    'content="initial-scale=1, minimum-scale=1, width=device-width">\n  <title>Error 503 '
    "(Service Unavailable)!!1</title>\n  <p><b>503.</b> <ins>That’s an error.</ins>\n  <p>The "
    "service you requested is not available at this time. <ins>That’s all we know.</ins>\n"
)
HTML_404 = HTML_503.replace("503", "404").replace("Service Unavailable", "Not Found")


class ApiError(Exception):
    """An answer in Google's google.rpc error envelope."""

    def __init__(self, code: int, message: str, details: list[JSON] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def body(self) -> JSON:
        error: JSON = {"code": self.code, "message": self.message}
        error["status"] = STATUS_NAMES.get(self.code, "UNKNOWN")
        if self.details:
            error["details"] = self.details
        return {"error": error}


def invalid(message: str, details: list[JSON] | None = None) -> ApiError:
    return ApiError(400, message, details)


def invalid_list_value(field_name: str, value: object) -> ApiError:
    """Google's answer when `values` is not a 2-D list (recorded in gspread's cassettes)."""
    text = f"Invalid value at '{field_name}' (type.googleapis.com/google.protobuf.ListValue), "
    text += json.dumps(value if isinstance(value, str) else str(value))
    violation = {"field": field_name, "description": text}
    bad = {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [violation]}
    return invalid(text, [bad])
