"""The discovery oracle: Google's own Sheets v4 discovery document turned into strict JSON
Schema, so every logged answer (and request) can be checked to be one Google could give.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from sheetsync.testing.sheets_emulator.errors import JSON
from sheetsync.testing.sheets_emulator.masks import drop_nulls
from sheetsync.testing.sheets_emulator.request_log import Exchange


class DiscoverySchema:
    """Google's Sheets v4 discovery document (shipped in google-api-python-client) as strict
    JSON Schema: unknown fields are rejected, so an emulator answer Google would never give
    fails. Needs the test extras (jsonschema, google-api-python-client)."""

    def __init__(self) -> None:
        from importlib import resources

        import jsonschema

        doc_path = resources.files("googleapiclient.discovery_cache") / "documents/sheets.v4.json"
        doc = json.loads(doc_path.read_text(encoding="utf-8"))
        self.revision = doc.get("revision")
        definitions = {name: _strict(s) for name, s in doc["schemas"].items()}
        self._methods = dict(_methods(doc.get("resources", {})))
        self._validators: dict[str, Any] = {}
        self._definitions = definitions
        self._jsonschema = jsonschema

    def _validator(self, ref: str) -> Any:
        if ref not in self._validators:
            schema = {"$ref": f"#/definitions/{ref}", "definitions": self._definitions}
            self._validators[ref] = self._jsonschema.Draft7Validator(schema)
        return self._validators[ref]

    def response_errors(self, operation: str, body: JSON) -> list[str]:
        ref = self._methods.get(operation, {}).get("response")
        return self._errors(ref, body)

    def request_errors(self, operation: str, body: JSON) -> list[str]:
        ref = self._methods.get(operation, {}).get("request")
        return self._errors(ref, drop_nulls(body)) if body is not None else []

    def _errors(self, ref: str | None, body: JSON) -> list[str]:
        if ref is None:
            return []
        found = self._validator(ref).iter_errors(distinct_items(body))
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"[:300] for e in found]

    def exchange_errors(self, exchange: Exchange) -> list[str]:
        """Problems of one logged exchange: a 2xx body off-schema, or a bad error envelope."""
        if not exchange.is_sheets_api or exchange.injected:
            return []  # a fault a test injected is not the emulator's own answer
        if exchange.status >= 400:
            return _envelope_errors(exchange)
        errors = self.response_errors(exchange.operation, exchange.response_body)
        return [f"{exchange.operation} response {e}" for e in errors]


def distinct_items(value: JSON) -> JSON:
    """The same JSON with repeated list items kept once: discovery arrays have one item
    schema, so validity is unchanged, and 1,000 identical empty cells validate as one."""
    if isinstance(value, dict):
        return {k: distinct_items(v) for k, v in value.items()}
    if isinstance(value, list):
        seen: dict[str, JSON] = {}
        for item in value:
            seen.setdefault(json.dumps(item, sort_keys=True), item)
        return [distinct_items(v) for v in seen.values()]
    return value


def _envelope_errors(exchange: Exchange) -> list[str]:
    body = exchange.response_body
    if isinstance(body, str):
        return [] if body.lstrip().startswith("<!DOCTYPE html>") else ["error body not JSON"]
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or set(error) - {"code", "message", "status", "details"}:
        return [f"{exchange.operation}: not a google.rpc error envelope: {body!r}"[:300]]
    if error.get("code") != exchange.status:
        return [f"{exchange.operation}: error.code {error.get('code')} != HTTP {exchange.status}"]
    return []


def _methods(resources: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, str]]]:
    for resource in resources.values():
        for method in resource.get("methods", {}).values():
            refs = {
                "request": (method.get("request") or {}).get("$ref"),
                "response": (method.get("response") or {}).get("$ref"),
            }
            yield method["id"], {k: v for k, v in refs.items() if v}
        yield from _methods(resource.get("resources", {}))


def _strict(schema: Mapping[str, Any]) -> JSON:
    """A discovery schema -> JSON Schema draft-07 with additionalProperties false."""
    if "$ref" in schema:
        return {"$ref": f"#/definitions/{schema['$ref']}"}
    kind = schema.get("type")
    out: JSON = {}
    if kind == "object":
        out["type"] = "object"
        if "properties" in schema:
            out["properties"] = {k: _strict(v) for k, v in schema["properties"].items()}
            out["additionalProperties"] = False
        elif "additionalProperties" in schema:
            out["additionalProperties"] = _strict(schema["additionalProperties"])
    elif kind == "array":
        out = {"type": "array", "items": _strict(schema.get("items", {}))}
    elif kind in {"string", "boolean", "integer", "number"}:
        out = {"type": kind}
        if "enum" in schema:
            out["enum"] = schema["enum"]
    return out
