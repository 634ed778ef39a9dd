"""
The HTTP side of `tgi-contract verify`: a `Target` (the server under test) that sends one request
and reads the whole answer, streams included, within a deadline; an `Exchange` (what came back);
and a tolerant SSE reader.

The SSE reader accepts what real TGI servers send: `data: x` and the pre-2.1 `data:x`, keep-alive
comments (`:`), CRLF or LF line ends, and multi-line `data:` fields (joined with `\\n`).
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from tgi_mock.contract.outcome import expect, fail

__all__ = ["Exchange", "Target", "sse_payloads"]

_NODELAY = (socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
_EVENT_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")
_LINE_END = re.compile(r"\r\n|\n|\r")


def sse_payloads(body: bytes) -> list[str]:
    """The `data` of each event of an SSE body, comments and other fields left out."""
    payloads: list[str] = []
    for block in _EVENT_END.split(body):
        data: list[str] = []
        for line in _LINE_END.split(block.decode("utf-8", "replace")):
            if line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
            elif line == "data":
                data.append("")
        if data:
            payloads.append("\n".join(data))
    return payloads


def _short(body: bytes, limit: int = 200) -> str:
    text = body.decode("utf-8", "replace")
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass(frozen=True)
class Exchange:
    """One request and its complete answer."""

    method: str
    path: str
    request: Any
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased (`""` when absent)."""
        value: str = self.headers.get("content-type", "")
        return value.split(";", 1)[0].strip().lower()

    @property
    def is_sse(self) -> bool:
        """True for a `text/event-stream` answer."""
        return self.content_type == "text/event-stream"

    def describe(self) -> str:
        """`POST /generate → 422 application/json: {...}` for evidence."""
        kind = self.content_type or "no content type"
        text = f"{self.method} {self.path} → {self.status} {kind}: {_short(self.body)!r}"
        if self.status == 401:
            text += " (an API key is needed: --header 'Authorization: Bearer KEY')"
        return text

    def json(self) -> Any:
        """The body as JSON; fails the check when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            fail(f"not JSON: {self.describe()}")

    def expect_json(self, status: int = 200) -> Any:
        """The JSON body of an answer that must have `status` and a JSON content type."""
        expect(self.status == status, f"expected HTTP {status}: {self.describe()}")
        expect(not self.is_sse, f"expected JSON, got a stream: {self.describe()}")
        return self.json()

    def events(self) -> list[Any]:
        """The JSON payloads of a 200 SSE answer, in order; fails on anything else."""
        expect(
            self.status == 200 and self.is_sse,
            f"expected HTTP 200 text/event-stream: {self.describe()}",
        )
        events: list[Any] = []
        for payload in sse_payloads(self.body):
            try:
                events.append(json.loads(payload))
            except ValueError:
                fail(f"{self.method} {self.path}: an event is not JSON: {payload[:200]!r}")
        expect(bool(events), f"the stream held no event: {self.describe()}")
        return events


class Target:
    """The server under test: a base URL, extra headers and a per-request deadline."""

    def __init__(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.headers = dict(headers or {})
        if transport is None:  # no Nagle delay between a request's headers and its body
            transport = httpx.HTTPTransport(socket_options=[_NODELAY])
        self.client = httpx.Client(
            base_url=self.url,
            headers=self.headers,
            timeout=httpx.Timeout(timeout),
            transport=transport,
            follow_redirects=False,
        )

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Exchange:
        """Send one request (JSON `body`, or raw `content`) and read the whole answer.

        The answer, stream or not, must be complete within `timeout` seconds."""
        deadline = time.monotonic() + self.timeout
        kwargs: dict[str, Any] = {"headers": dict(headers or {})}
        if content is not None:
            kwargs["content"] = content
            kwargs["headers"].setdefault("content-type", "application/json")
        elif body is not None:
            kwargs["json"] = body
        chunks: list[bytes] = []
        with self.client.stream(method, path, **kwargs) as response:
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout(f"answer not complete after {self.timeout:g} s")
        request = body if content is None else content
        return Exchange(
            method, path, request, response.status_code, response.headers, b"".join(chunks)
        )

    def get(self, path: str) -> Exchange:
        """`GET path`."""
        return self.send("GET", path)

    def post(self, path: str, body: Any) -> Exchange:
        """`POST path` with a JSON body."""
        return self.send("POST", path, body)

    def close(self) -> None:
        """Close the connections."""
        self.client.close()
