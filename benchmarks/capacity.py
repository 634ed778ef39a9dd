"""Raw-socket load, cheap enough not to be the bottleneck itself.

- ``bench_server_capacity``: what the bench server sustains (keep-alive requests/s on one
  connection, pipelined requests/s, streamed events/s), with blocking sockets and no HTTP library.
- ``mock_capacity``: our mock TGI server (``python -m tgi_mock``) under 1,000 concurrent streams
  of 100 tokens (every event checked, zero errors expected) and its ``generate`` calls/s, with
  raw asyncio streams.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import orjson

__all__ = [
    "HttpReader",
    "MockCapacity",
    "bench_server_capacity",
    "check_stream",
    "content_length",
    "decode_chunked",
    "mock_capacity",
    "post_request",
]


def host_port(url: str) -> tuple[str, int]:
    """``(host, port)`` of an ``http://`` URL."""
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def post_request(host: str, port: int, path: str, payload: Any) -> bytes:
    """The bytes of a keep-alive ``POST`` with a JSON body."""
    body = json.dumps(payload).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def content_length(head: bytes) -> int | None:
    """The ``Content-Length`` of a response head (ending in a blank line), if it has one."""
    lower = head.lower()
    marker = lower.find(b"\r\ncontent-length:")
    if marker < 0:
        return None
    return int(lower[marker + 17 : lower.index(b"\r\n", marker + 2)])


def decode_chunked(body: bytes) -> bytes:
    """The payload of a complete chunked body (ending in the zero-size chunk)."""
    out = bytearray()
    pos = 0
    while True:
        eol = body.index(b"\r\n", pos)
        size = int(body[pos:eol].split(b";", 1)[0], 16)
        if size == 0:
            return bytes(out)
        out += body[eol + 2 : eol + 2 + size]
        pos = eol + 2 + size + 2


class HttpReader:
    """Reads whole HTTP/1.1 responses (``Content-Length`` or chunked) from a blocking socket."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buffer = bytearray()

    def _fill(self) -> None:
        data = self._sock.recv(1 << 20)
        if not data:
            raise ConnectionError("the server closed the connection")
        self._buffer += data

    def response(self) -> tuple[int, bytes]:
        """The next response's status and body (chunked bodies are returned still framed)."""
        buffer = self._buffer
        while (end := buffer.find(b"\r\n\r\n")) < 0:
            self._fill()
        head = bytes(buffer[: end + 4])
        status = int(head[9:12])
        start = end + 4
        length = content_length(head)
        if length is not None:
            while len(buffer) < start + length:
                self._fill()
            body = bytes(buffer[start : start + length])
            del buffer[: start + length]
            return status, body
        # Chunked: read until the terminating zero-size chunk (canned bodies carry no trailers).
        while (stop := buffer.find(b"\r\n0\r\n\r\n", start - 2)) < 0:
            self._fill()
        body = bytes(buffer[start : stop + 7])
        del buffer[: stop + 7]
        return status, body


def _connect(host: str, port: int) -> socket.socket:
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def bench_server_capacity(url: str, *, scale: float = 1.0) -> dict[str, float]:
    """Requests/s and events/s the bench server sustains against a raw-socket client."""
    host, port = host_port(url)
    generate = post_request(
        host,
        port,
        "/generate",
        {"inputs": "x", "parameters": {"max_new_tokens": 20, "details": True}},
    )
    out: dict[str, float] = {}
    with _connect(host, port) as sock:
        reader = HttpReader(sock)
        for _ in range(50):  # warm the answer cache
            sock.sendall(generate)
            reader.response()
        n = max(int(5000 * scale), 100)
        t0 = time.perf_counter()
        for _ in range(n):
            sock.sendall(generate)
            status, _ = reader.response()
            if status != 200:
                raise RuntimeError(f"bench server answered {status}")
        out["keepalive_rps"] = n / (time.perf_counter() - t0)

        depth = 100
        batches = max(int(200 * scale), 10)
        t0 = time.perf_counter()
        for _ in range(batches):
            sock.sendall(generate * depth)
            for _ in range(depth):
                reader.response()
        out["pipelined_rps"] = batches * depth / (time.perf_counter() - t0)

        tokens = 20_000
        stream = post_request(
            host,
            port,
            "/generate_stream",
            {"inputs": "x", "parameters": {"max_new_tokens": tokens}},
        )
        sock.sendall(stream)
        reader.response()  # build and cache the answer
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            sock.sendall(stream)
            _, body = reader.response()
            times.append(time.perf_counter() - t0)
        if body.count(b"data: ") != tokens:
            raise RuntimeError("bench server stream has the wrong number of events")
        out["stream_events_per_s"] = tokens / sorted(times)[1]
    return out


# -- the mock ------------------------------------------------------------------------------------


@dataclass
class MockCapacity:
    """What ``mock_capacity`` measured."""

    streams: int = 0
    tokens_per_stream: int = 0
    workers: int = 1
    streams_ok: int = 0
    errors: list[str] = field(default_factory=list)
    events: int = 0
    stream_elapsed_s: float = 0.0
    generate_calls: int = 0
    generate_errors: int = 0
    generate_elapsed_s: float = 0.0

    @property
    def events_per_s(self) -> float:
        """Stream events per second over the whole stream phase."""
        return self.events / self.stream_elapsed_s if self.stream_elapsed_s else 0.0

    @property
    def generate_per_s(self) -> float:
        """``generate`` calls per second."""
        return self.generate_calls / self.generate_elapsed_s if self.generate_elapsed_s else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (the first 5 errors only)."""
        return {
            "workers": self.workers,
            "streams": self.streams,
            "tokens_per_stream": self.tokens_per_stream,
            "streams_ok": self.streams_ok,
            "error_count": len(self.errors),
            "errors": self.errors[:5],
            "events": self.events,
            "stream_elapsed_s": self.stream_elapsed_s,
            "events_per_s": self.events_per_s,
            "generate_calls": self.generate_calls,
            "generate_errors": self.generate_errors,
            "generate_elapsed_s": self.generate_elapsed_s,
            "generate_per_s": self.generate_per_s,
        }


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = content_length(head)
    if length is not None:
        return status, await reader.readexactly(length)
    if b"transfer-encoding: chunked" not in head.lower():
        return status, await reader.read()
    out = bytearray()
    while True:
        line = await reader.readuntil(b"\r\n")
        size = int(line.split(b";", 1)[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return status, bytes(out)
        out += (await reader.readexactly(size + 2))[:-2]


def check_stream(status: int, body: bytes, tokens: int) -> tuple[int, str | None]:
    """``(events, error)`` for a TGI stream body: ``tokens`` token events, the last one final."""
    if status != 200:
        return 0, f"HTTP {status}: {body[:200]!r}"
    events = [e for e in body.split(b"\n\n") if e.strip()]
    for i, event in enumerate(events):
        if not event.startswith(b"data:"):
            return i, f"event {i} is not a data line: {event[:80]!r}"
        payload = orjson.loads(event[5:])
        if "error" in payload:
            return i, f"error event after {i} events: {payload}"
        if payload.get("index") != i + 1:
            return i, f"event {i} has index {payload.get('index')}"
        if (payload.get("generated_text") is not None) != (i == len(events) - 1):
            return i, f"event {i}: generated_text out of place"
    if len(events) != tokens:
        return len(events), f"{len(events)} events, expected {tokens}"
    return len(events), None


async def _one_stream(host: str, port: int, request: bytes, tokens: int) -> tuple[int, str | None]:
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError as exc:
        return 0, f"connect: {exc}"
    try:
        writer.write(request)
        status, body = await _read_response(reader)
        return check_stream(status, body, tokens)
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        return 0, f"{type(exc).__name__}: {exc}"
    finally:
        writer.close()


async def _generate_worker(host: str, port: int, request: bytes, calls: int) -> int:
    errors = 0
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for _ in range(calls):
            writer.write(request)
            status, body = await _read_response(reader)
            if status != 200 or b'"generated_text"' not in body:
                errors += 1
    finally:
        writer.close()
    return errors


async def _wait_until_serving(host: str, port: int, request: bytes) -> None:
    """``--workers`` print their URL before the workers have started: wait for an answer."""
    for _ in range(300):
        try:
            await _generate_worker(host, port, request, 1)
            return
        except OSError:
            await asyncio.sleep(0.05)


async def _mock_capacity(
    url: str, prompt: str, streams: int, tokens: int, calls: int, concurrency: int, workers: int
) -> MockCapacity:
    host, port = host_port(url)
    result = MockCapacity(streams=streams, tokens_per_stream=tokens, workers=workers)
    generate = post_request(
        host,
        port,
        "/generate",
        {"inputs": prompt, "parameters": {"max_new_tokens": 20, "details": True}},
    )
    await _wait_until_serving(host, port, generate)
    stream = post_request(
        host,
        port,
        "/generate_stream",
        {"inputs": prompt, "parameters": {"max_new_tokens": tokens, "details": True}},
    )
    t0 = time.perf_counter()
    outcomes = await asyncio.gather(
        *(_one_stream(host, port, stream, tokens) for _ in range(streams))
    )
    result.stream_elapsed_s = time.perf_counter() - t0
    for events, error in outcomes:
        result.events += events
        if error is None:
            result.streams_ok += 1
        else:
            result.errors.append(error)

    await _generate_worker(host, port, generate, 20)  # warm-up
    per = max(calls // concurrency, 1)
    t0 = time.perf_counter()
    errors = await asyncio.gather(
        *(_generate_worker(host, port, generate, per) for _ in range(concurrency))
    )
    result.generate_elapsed_s = time.perf_counter() - t0
    result.generate_calls = per * concurrency
    result.generate_errors = sum(errors)
    return result


def mock_capacity(
    url: str,
    prompt: str,
    *,
    streams: int = 1000,
    tokens: int = 100,
    calls: int = 2000,
    concurrency: int = 20,
    workers: int = 1,
) -> MockCapacity:
    """Drive the mock at ``url`` (running ``workers`` processes): ``streams`` concurrent streams of
    ``tokens`` tokens (``prompt`` must be scripted to at least that many), then ``calls`` generate
    calls over ``concurrency`` keep-alive connections."""
    return asyncio.run(_mock_capacity(url, prompt, streams, tokens, calls, concurrency, workers))
