"""Fault injection: answers a test queues to be given instead of the real one (Google's
recorded 429/500/503/403 bodies, delays), and the per-minute quota that answers 429 on its own.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass

from sheetsync.testing.sheets_emulator.errors import (
    HTML_503,
    INTERNAL_BODY,
    JSON,
    PERMISSION_BODY,
    RATE_LIMIT_BODY,
    SERVICE_DISABLED_BODY,
)


@dataclass
class Fault:
    """An answer to give instead of the real one (`times=None`: every time from now on)."""

    status: int = 0  # 0: no error, only the delay
    body: str = ""
    content_type: str = "application/json; charset=UTF-8"
    delay_seconds: float = 0.0
    times: int | None = 1
    path_contains: str = ""
    after: int = 0  # let this many matching requests through first
    retry_after: float = 0.0  # seconds, sent as a Retry-After header when set

    @classmethod
    def rate_limited(cls, times: int | None = 1) -> Fault:
        return cls(429, json.dumps(RATE_LIMIT_BODY), times=times)

    @classmethod
    def internal_error(cls, times: int | None = 1) -> Fault:
        return cls(500, json.dumps(INTERNAL_BODY), times=times)

    @classmethod
    def html_unavailable(cls, times: int | None = 1) -> Fault:
        return cls(503, HTML_503, "text/html; charset=UTF-8", times=times)

    @classmethod
    def slow(cls, seconds: float, times: int | None = 1) -> Fault:
        return cls(0, delay_seconds=seconds, times=times)

    @classmethod
    def permission_denied(cls, times: int | None = None) -> Fault:
        return cls(403, json.dumps(PERMISSION_BODY), times=times)

    @classmethod
    def service_disabled(cls, times: int | None = None) -> Fault:
        return cls(403, json.dumps(SERVICE_DISABLED_BODY), times=times)


class Quota:
    """Requests a minute per kind (read/write), counted over a sliding minute like Google."""

    def __init__(self, per_minute: int, clock: Callable[[], float]) -> None:
        self.per_minute, self.clock = per_minute, clock
        self.spent: dict[str, list[float]] = {"read": [], "write": []}

    def charge(self, kind: str) -> Fault | None:
        now = self.clock()
        recent = [t for t in self.spent[kind] if now - t < 60]
        if len(recent) >= self.per_minute:
            self.spent[kind] = recent
            return Fault(429, json.dumps(quota_body(kind, self.per_minute)))
        self.spent[kind] = [*recent, now]
        return None


def quota_body(kind: str, limit: int) -> JSON:
    """Google's 429 for the read or the write quota (the recorded body, metric adjusted)."""
    body: JSON = copy.deepcopy(RATE_LIMIT_BODY)
    label, metric = ("Read", "read") if kind == "read" else ("Write", "write")
    error = body["error"]
    error["message"] = error["message"].replace("'Read requests", f"'{label} requests")
    info = error["details"][0]["metadata"]
    info["quota_metric"] = f"sheets.googleapis.com/{metric}_requests"
    info["quota_limit"] = f"{label}RequestsPerMinutePerUser"
    info["quota_limit_value"] = str(limit)
    return body


def take_fault(queue: list[Fault], path: str) -> Fault | None:
    """The first queued fault meant for `path`, used once: `after` lets that many matching
    requests through first, and a fault whose `times` run out leaves the queue."""
    for fault in queue:
        if fault.path_contains in path:
            if fault.after > 0:
                fault.after -= 1
                return None
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    queue.remove(fault)
            return fault
    return None
