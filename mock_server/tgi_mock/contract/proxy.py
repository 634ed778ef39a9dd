"""
`tgi-contract record URL --out DIR`: a recording reverse proxy.

Every request it receives is forwarded to the live server (same method, path, query, headers and
body; hop-by-hop headers and `host` left out), and the answer is sent back: a chunked answer (SSE)
as it arrives, event by event, never buffered; an answer with a `Content-Length` once complete.
Once an answer has ended (or was cut), and before the client sees its end, the exchange is saved
in DIR in the format of `tgi_mock.contract.recording`, SSE events with their arrival times.
A server that cannot be reached gets the client a 502
`{"error", "error_type": "proxy"}`, and nothing is saved.

`RecordingProxy(upstream, out)` is the ASGI app; run it with `MockServer(app=...)`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from pathlib import Path

import httpx
from starlette.types import Receive, Scope, Send

from tgi_mock.contract.recording import (
    HOP_BY_HOP,
    Recording,
    next_index,
    redact_headers,
    redact_query,
    split_events,
)

__all__ = ["RecordingProxy"]


def _public(url: str) -> str:
    """The upstream URL without credentials."""
    parsed = httpx.URL(url)
    return str(parsed.copy_with(username=None, password=None, query=None))


class RecordingProxy:
    """ASGI app forwarding to `upstream` and saving each exchange in `out`."""

    def __init__(
        self,
        upstream: str,
        out: str | Path,
        *,
        timeout: float = 600.0,
        transport: httpx.AsyncBaseTransport | None = None,
        log: bool = False,
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.timeout = httpx.Timeout(timeout, connect=min(timeout, 30.0))
        self.transport = transport
        self.log = log
        self._numbers = itertools.count(next_index(self.out))
        self._lock = asyncio.Lock()
        self._client: httpx.AsyncClient | None = None

    async def _body(self, receive: Receive) -> bytes:
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = await self._body(receive)
        start = time.monotonic()
        index = next(self._numbers)
        method, path = scope["method"], scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        headers = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, v in scope.get("headers", [])
            if k.decode("latin-1").lower() not in HOP_BY_HOP | {"host", "content-length"}
        ]
        raw_path = scope.get("raw_path") or path.encode("utf-8")
        target = raw_path.decode("latin-1") + (f"?{query}" if query else "")
        if self._client is None:  # one pool, made in the serving event loop
            self._client = httpx.AsyncClient(timeout=self.timeout, transport=self.transport)
        client = self._client
        try:
            request = client.build_request(
                method, self.upstream + target, headers=headers, content=body
            )
            response = await client.send(request, stream=True)
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            await self._unreachable(send, error)
            return
        recording = Recording(
            method=method,
            path=path,
            query=redact_query(query),
            request_headers=redact_headers(headers),
            request_body=body,
            status=response.status_code,
            response_headers=redact_headers(list(response.headers.multi_items())),
            index=index,
            upstream=_public(self.upstream),
            complete=False,
        )
        forwarded = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, v in response.headers.multi_items()
            if k.lower() not in HOP_BY_HOP
        ]
        chunks: list[tuple[float, bytes]] = []
        # A chunked answer (SSE) is passed on as it arrives. One with a Content-Length is
        # complete for the client with its last byte, so it is read whole first. Either way
        # the recording is saved before the client sees the end: it can replay it at once.
        streamed = "content-length" not in response.headers
        try:
            start_message = {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": forwarded,
            }
            if streamed:
                await send(start_message)
            async for chunk in response.aiter_raw():
                chunks.append((time.monotonic() - start, chunk))
                if streamed:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            recording.complete = True
        finally:
            await response.aclose()
            await self._save(recording, response, chunks, start)
        if not streamed:
            await send(start_message)
            body = b"".join(chunk for _, chunk in chunks)
            await send({"type": "http.response.body", "body": body, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _save(
        self,
        recording: Recording,
        response: httpx.Response,
        chunks: list[tuple[float, bytes]],
        start: float,
    ) -> None:
        recording.elapsed = time.monotonic() - start
        if response.headers.get("content-type", "").startswith("text/event-stream"):
            recording.events = split_events(chunks)
        recording.body = b"".join(chunk for _, chunk in chunks)
        async with self._lock:
            saved = recording.save(self.out)
        if self.log:
            line = f"recorded {recording.method} {recording.path} → {recording.status}: {saved}"
            print(line, flush=True)

    async def _unreachable(self, send: Send, error: Exception) -> None:
        text = f"upstream {_public(self.upstream)} failed: {type(error).__name__}: {error}"
        print(f"tgi-contract record: {text}", file=sys.stderr, flush=True)
        payload = json.dumps({"error": text, "error_type": "proxy"}).encode("utf-8")
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
        ]
        await send({"type": "http.response.start", "status": 502, "headers": headers})
        await send({"type": "http.response.body", "body": payload, "more_body": False})
