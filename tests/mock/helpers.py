"""Helpers for the mock server's tests: reading SSE bodies and streams."""

from __future__ import annotations

import json
from typing import Any

import httpx


def sse_payloads(raw: bytes) -> list[str]:
    """The `data:` payloads of a complete SSE body (`data: x` or legacy `data:x`)."""
    payloads = []
    for block in raw.decode("utf-8").split("\n\n"):
        for line in block.split("\n"):
            if line.startswith("data:"):
                payloads.append(line[5:].removeprefix(" "))
    return payloads


def sse_json(raw: bytes) -> list[Any]:
    """The JSON payloads of an SSE body (`[DONE]` is kept as the string)."""
    return [p if p == "[DONE]" else json.loads(p) for p in sse_payloads(raw)]


def stream(
    client: httpx.Client, path: str, body: Any, **kwargs: Any
) -> tuple[httpx.Response, bytes]:
    """POST and read a whole streamed answer; returns the response and its raw bytes."""
    with client.stream("POST", path, json=body, **kwargs) as response:
        raw = response.read()
    return response, raw
