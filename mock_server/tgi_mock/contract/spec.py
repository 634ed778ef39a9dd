"""
Our `openapi.yaml`, read for the contract checks: where it is, its operations, and validating a
response (status, content type, JSON body, each SSE event) against what it documents.

The spec is looked up next to this module (where a wheel puts it) and then at the root of a
source checkout; `--spec FILE` overrides both. JSON bodies are validated with `jsonschema`
(Draft 2020-12, as OpenAPI 3.1); an SSE answer is validated event by event against the
`x-itemSchema` of its media type, and `data: [DONE]` is allowed on `/v1/*` streams only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import yaml

from tgi_mock.contract.wire import Exchange, sse_payloads

__all__ = ["Operation", "Spec", "default_spec_path", "load_spec"]

_METHODS = ("get", "put", "post", "delete", "patch")


def default_spec_path() -> Path:
    """The packaged `openapi.yaml`, else the one at the root of the source checkout."""
    here = Path(__file__).resolve()
    for candidate in (here.with_name("openapi.yaml"), here.parents[3] / "openapi.yaml"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("openapi.yaml not found; pass --spec FILE")


@dataclass(frozen=True)
class Operation:
    """One operation of the spec."""

    operation_id: str
    method: str
    path: str
    tags: tuple[str, ...]
    responses: dict[str, Any] = field(repr=False)


class Spec:
    """A loaded OpenAPI document with response validation."""

    def __init__(self, document: dict[str, Any], source: str = "openapi.yaml") -> None:
        self.document = document
        self.source = source
        self.components: dict[str, Any] = document.get("components", {})

    def operations(self) -> Iterator[Operation]:
        """Every operation, in document order."""
        for path, item in self.document.get("paths", {}).items():
            for method in _METHODS:
                if method in item:
                    op = item[method]
                    yield Operation(
                        op.get("operationId", f"{method} {path}"),
                        method.upper(),
                        path,
                        tuple(op.get("tags", ())),
                        op.get("responses", {}),
                    )

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            parts = node["$ref"].removeprefix("#/").split("/")
            target: Any = self.document
            for part in parts:
                target = target[part]
            node = target
        return node

    def _validate(self, instance: Any, schema: dict[str, Any]) -> str | None:
        validator = jsonschema.Draft202012Validator({**schema, "components": self.components})
        error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
        if error is None:
            return None
        where = "".join(f"[{p!r}]" for p in error.absolute_path) or "the body"
        return f"{error.message} at {where}"

    def check(self, operation: Operation, exchange: Exchange) -> list[str]:
        """What in `exchange` the spec does not allow (empty when it conforms)."""
        responses = operation.responses
        status = str(exchange.status)
        declared = responses.get(status, responses.get(f"{status[0]}XX", responses.get("default")))
        label = f"{exchange.method} {exchange.path} → {exchange.status}"
        if declared is None:
            documented = ", ".join(responses)
            return [f"status not documented (only {documented}): {exchange.describe()}"]
        content: dict[str, Any] = self._resolve(declared).get("content", {})
        if not content:
            return []
        media = exchange.content_type
        if media not in content:
            return [
                f"{label}: content type {media or 'none'!r} not documented ({', '.join(content)})"
            ]
        schema = content[media].get("schema", {})
        if media == "text/event-stream":
            return self._check_events(operation, exchange, schema.get("x-itemSchema"))
        if media == "application/json" or media.endswith("+json"):
            try:
                body = json.loads(exchange.body)
            except ValueError:
                return [f"{label}: body is not JSON: {exchange.describe()}"]
            problem = self._validate(body, schema)
            return [f"{label}: {problem}"] if problem else []
        return []

    def _check_events(
        self, operation: Operation, exchange: Exchange, item_schema: dict[str, Any] | None
    ) -> list[str]:
        label = f"{exchange.method} {exchange.path} (stream)"
        payloads = sse_payloads(exchange.body)
        if not payloads:
            return [f"{label}: no event in {exchange.body[:200]!r}"]
        problems: list[str] = []
        for number, payload in enumerate(payloads, start=1):
            if payload == "[DONE]":
                if not operation.path.startswith("/v1/"):
                    problems.append(f"{label}: [DONE] on a TGI-native stream (event {number})")
                continue
            try:
                event = json.loads(payload)
            except ValueError:
                problems.append(f"{label}: event {number} is not JSON: {payload[:200]!r}")
                continue
            if item_schema is not None:
                problem = self._validate(event, item_schema)
                if problem:
                    problems.append(f"{label}: event {number}: {problem}")
        return problems[:3]


def load_spec(path: str | Path | None = None) -> Spec:
    """Read an OpenAPI document (YAML or JSON); the default is `default_spec_path()`."""
    source = Path(path) if path is not None else default_spec_path()
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or "paths" not in document:
        raise ValueError(f"{source}: not an OpenAPI document")
    return Spec(document, str(source))
