"""
Faults on demand: parsing and merging fault specifications.

Grammar (the same everywhere)::

    faults := fault (";" fault)*        whitespace around items is ignored, "," also separates
    fault  := name | name "=" value     names are case-insensitive; "_" equals "-"

Where a spec comes from, lowest priority first (a later source overrides a field set earlier):

1. the server: `MockConfig.faults`, the CLI's `--fault SPEC`, the plugin's
   `tgi_mock.faults.set(...)`;
2. a prompt marker `[[mock:SPEC]]` anywhere in the inputs, a prompt or a chat message (removed
   before generation, so it changes neither tokens nor the answer's text);
3. the request header `x-mock-fault: SPEC`.

Faults (they apply to the generation routes `/`, `/generate`, `/generate_stream`,
`/models/{id}`, `/v1/chat/completions` and `/v1/completions`; `unhealthy` applies to `/health`):

- `latency-first=S`: wait S seconds before the first token (non-stream: before answering).
- `latency-token=S`: wait S seconds between tokens (non-stream: S * (tokens - 1) more).
- `status=N`: answer HTTP N at once with a JSON `{"error","error_type"}` body, on any route.
- `error-type=T`, `message=M`: the `error_type` / `error` of `status`, `error-event-after` and
  `overload`.
- `retry-after=S`: add `Retry-After: S` to a `status` or `overload` answer.
- `overload`: as if `max_concurrent_requests` were reached: 429 `overloaded`, or on a TGI stream
  the in-band error event with HTTP 200.
- `error-event-after=N`: streams send an error event (`generation` by default) after N tokens,
  then close; non-stream routes answer 424.
- `drop-after=N`: streams cut the TCP connection after N token events (mid chunked body);
  non-stream routes close the connection without answering.
- `no-final`: streams end cleanly without their final event (TGI: the event carrying
  `generated_text`; `/v1/*`: `[DONE]`).
- `html-502`: answer 502 with an HTML body, like a proxy in front of TGI.
- `unhealthy`: `/health` (and `/ping`, `GET /`) answer 503 `healthcheck`.
- `bend-schema`: JSON grammars get values TGI's regex allows but that break the schema's
  keywords it leaves unenforced (as `--bend-schema` does for every request).
- `times=N`: server faults only: apply to the next N generation requests, then clear.

Examples: `x-mock-fault: drop-after=2`, `status=503;error_type=overloaded;retry-after=1`,
`latency-first=0.5;latency-token=0.01`, prompt `"[[mock:error-event-after=3]]Hello"`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

__all__ = [
    "HEADER",
    "MARKER",
    "FaultError",
    "FaultSpec",
    "extract_markers",
    "parse_faults",
    "strip_markers",
]

HEADER = "x-mock-fault"
"""The request header carrying a fault spec."""

MARKER = re.compile(r"\[\[mock:([^\]]*)\]\]")
"""A prompt marker `[[mock:SPEC]]`."""

_DEFAULT_ERRORS: dict[int, tuple[str, str]] = {
    400: ("Bad request", "bad_request"),
    401: ("Unauthorized", "unauthorized"),
    422: ("Input validation error: mock fault", "validation"),
    424: ("Request failed during generation: mock fault", "generation"),
    429: ("Model is overloaded", "overloaded"),
    500: ("Incomplete generation", "incomplete_generation"),
    503: ("Service Unavailable", "unavailable"),
}


class FaultError(ValueError):
    """A fault spec that does not parse; the server answers 400 with this text."""


@dataclass(frozen=True)
class FaultSpec:
    """A set of faults; a field left None is unset (and does not override when merged)."""

    latency_first: float | None = None
    latency_token: float | None = None
    status: int | None = None
    error_type: str | None = None
    message: str | None = None
    retry_after: str | None = None
    overload: bool | None = None
    error_event_after: int | None = None
    drop_after: int | None = None
    no_final: bool | None = None
    html_502: bool | None = None
    unhealthy: bool | None = None
    bend_schema: bool | None = None
    times: int | None = None

    def merged(self, other: FaultSpec) -> FaultSpec:
        """This spec with every field that `other` sets taken from `other`."""
        changes = {f.name: getattr(other, f.name) for f in fields(other)}
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def is_empty(self) -> bool:
        """True when no fault is set."""
        return all(getattr(self, f.name) is None for f in fields(self))

    def error_for(self, status: int) -> tuple[str, str]:
        """The `(error, error_type)` pair for an injected error of HTTP `status`."""
        message, error_type = _DEFAULT_ERRORS.get(status, (f"Mock fault: HTTP {status}", "mock"))
        return self.message or message, self.error_type or error_type

    def stream_error(self) -> tuple[str, str]:
        """The `(error, error_type)` pair of an injected in-stream error event."""
        return (
            self.message or "Request failed during generation: mock fault",
            self.error_type or "generation",
        )

    def delay_before(self, index: int) -> float:
        """Seconds to wait before token `index` (0-based)."""
        if index == 0:
            return self.latency_first or 0.0
        return self.latency_token or 0.0


_KINDS: dict[str, type] = {
    "latency_first": float,
    "latency_token": float,
    "status": int,
    "error_type": str,
    "message": str,
    "retry_after": str,
    "overload": bool,
    "error_event_after": int,
    "drop_after": int,
    "no_final": bool,
    "html_502": bool,
    "unhealthy": bool,
    "bend_schema": bool,
    "times": int,
}
_ALIASES = {"latency": "latency_first", "error_after": "error_event_after", "html502": "html_502"}


def _convert(name: str, raw: str | None) -> Any:
    kind = _KINDS[name]
    if kind is bool:
        if raw is None or raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise FaultError(f"{name.replace('_', '-')} takes no value or true/false, got {raw!r}")
    if raw is None or raw == "":
        raise FaultError(f"{name.replace('_', '-')} needs a value")
    if kind is str:
        return raw
    try:
        value = kind(raw)
    except ValueError:
        raise FaultError(f"{name.replace('_', '-')}={raw!r} is not a number") from None
    if value < 0:
        raise FaultError(f"{name.replace('_', '-')} must not be negative")
    if name == "status" and not 100 <= value <= 599:
        raise FaultError(f"status={value} is not an HTTP status")
    return value


def parse_faults(text: str | None) -> FaultSpec:
    """Parse a fault spec (see the module docstring); `FaultError` on unknown or bad items."""
    values: dict[str, Any] = {}
    for raw_item in re.split(r"[;,]", text or ""):
        item = raw_item.strip()
        if not item:
            continue
        raw_name, sep, raw_value = item.partition("=")
        name = raw_name.strip().lower().replace("-", "_")
        name = _ALIASES.get(name, name)
        if name not in _KINDS:
            raise FaultError(f"unknown fault {raw_name.strip()!r}")
        values[name] = _convert(name, raw_value.strip() if sep else None)
    return FaultSpec(**values)


def extract_markers(text: str) -> FaultSpec:
    """The faults of every `[[mock:...]]` marker in `text`; later markers win."""
    spec = FaultSpec()
    for match in MARKER.finditer(text):
        spec = spec.merged(parse_faults(match.group(1)))
    return spec


def strip_markers(text: str) -> str:
    """`text` without its `[[mock:...]]` markers."""
    return MARKER.sub("", text)
