"""A small, fast TGI server with canned answers, for benchmarks: ``python benchmarks/server.py``.

It is a raw asyncio ``Protocol`` speaking HTTP/1.1 with keep-alive (``Content-Length`` request
bodies only), so the clients under test, not the server, are what a benchmark measures. Answers
have TGI's wire shape (TGI's wire behaviour §1.2, §3) and are built once per distinct
request body, then served from a cache as ready bytes:

- ``POST /generate``: a ``GenerateResponse`` with ``N`` tokens (``N`` = ``max_new_tokens``,
  default 20) and ``details`` when asked;
- ``POST /generate_stream``: ``N`` SSE events ``data: {json}\\n\\n``, one HTTP chunk each, the
  last one with ``generated_text`` and ``details``;
- ``POST /`` (TGI's compat route): the list of one ``GenerateResponse``, or the stream when the
  body says ``"stream": true``;
- ``POST /v1/chat/completions``: a ``chat.completion`` with ``N`` tokens (``N`` = ``max_tokens``,
  default 20), or with ``"stream": true`` ``N`` ``chat.completion.chunk`` events and
  ``data: [DONE]`` (``benchmarks/chat.py``);
- ``GET /``, ``GET /health``: 200; ``GET /info``: a canned ``Info``;
- ``GET /_stats``: the server's own CPU seconds and request count, so a benchmark can show how
  busy the server was.

It binds ``127.0.0.1`` on a free port unless told otherwise, prints
``bench server listening on http://HOST:PORT`` once bound, and serves until SIGINT or SIGTERM.
Only the standard library is needed; uvloop is used when it is importable (``--loop``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import signal
import sys
from collections.abc import Callable
from typing import Any, cast

if __package__ in (None, ""):  # run as a script: chat.py is beside this file, on sys.path[0]
    from chat import CHAT_PATH, WORDS, chat_answer  # type: ignore[import-not-found, no-redef, unused-ignore]
else:
    from benchmarks.chat import CHAT_PATH, WORDS, chat_answer

__all__ = [
    "MAX_TOKENS",
    "Answers",
    "generate_payload",
    "main",
    "stream_events",
    "token",
]

MAX_TOKENS = 100_000
"""The largest ``max_new_tokens`` served; larger values are clipped to it."""
DEFAULT_TOKENS = 20
INPUT_LENGTH = 7
"""The ``input_length`` reported in the stream's final details."""
_WORDS = WORDS
_CACHE_LIMIT = 512
_MAX_HEAD = 64 * 1024
_MAX_BODY = 2_000_000
_INFO = {
    "model_id": "bench/canned",
    "model_sha": None,
    "model_pipeline_tag": "text-generation",
    "max_concurrent_requests": 100_000,
    "max_best_of": 2,
    "max_stop_sequences": 4,
    "max_input_tokens": 1024,
    "max_total_tokens": MAX_TOKENS + 1024,
    "validation_workers": 2,
    "max_client_batch_size": 4,
    "router": "text-generation-router",
    "version": "3.3.6-dev0",
    "sha": None,
    "docker_label": None,
}


def _dumps(value: Any) -> bytes:
    """Compact JSON, as serde_json writes it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def token(i: int) -> dict[str, Any]:
    """The ``i``-th generated token (from 0), in TGI's ``Token`` key order."""
    return {
        "id": 1000 + i % len(_WORDS),
        "text": _WORDS[i % len(_WORDS)],
        "logprob": -round(0.0625 + (i * 37 % 97) / 64, 4),
        "special": False,
    }


def _text(n: int) -> str:
    return "".join(_WORDS[i % len(_WORDS)] for i in range(n))


def generate_payload(n: int, details: bool) -> dict[str, Any]:
    """A ``GenerateResponse`` with ``n`` tokens; ``details`` is left out unless asked, as TGI
    does."""
    payload: dict[str, Any] = {"generated_text": _text(n)}
    if details:
        payload["details"] = {
            "finish_reason": "length",
            "generated_tokens": n,
            "seed": None,
            "prefill": [],
            "tokens": [token(i) for i in range(n)],
        }
    return payload


def stream_events(n: int, details: bool) -> list[bytes]:
    """The ``n`` SSE events of a stream, ``data: {json}\\n\\n`` each (axum 0.7 framing)."""
    events = []
    for i in range(n):
        last = i == n - 1
        event: dict[str, Any] = {
            "index": i + 1,
            "token": token(i),
            "generated_text": _text(n) if last else None,
            "details": None,
        }
        if last and details:
            event["details"] = {
                "finish_reason": "length",
                "generated_tokens": n,
                "seed": None,
                "input_length": INPUT_LENGTH,
            }
        events.append(b"data: " + _dumps(event) + b"\n\n")
    return events


def _head(status: str, headers: list[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def json_response(body: bytes, status: str = "200 OK", tokens: int | None = None) -> bytes:
    """A complete ``application/json`` response with TGI's timing-style headers."""
    headers = [("content-type", "application/json"), ("content-length", str(len(body)))]
    if tokens is not None:
        headers += [("x-compute-type", "gpu+optimized"), ("x-generated-tokens", str(tokens))]
    return _head(status, headers) + body


def text_response(status: str, text: str) -> bytes:
    """A plain-text response, as axum's extractor rejections are."""
    body = text.encode()
    headers = [("content-type", "text/plain; charset=utf-8"), ("content-length", str(len(body)))]
    return _head(status, headers) + body


def sse_response(events: list[bytes]) -> bytes:
    """A complete chunked ``text/event-stream`` response, one HTTP chunk per event."""
    head = _head(
        "200 OK",
        [
            ("content-type", "text/event-stream"),
            ("cache-control", "no-cache"),
            ("x-compute-type", "gpu+optimized"),
            ("x-accel-buffering", "no"),
            ("transfer-encoding", "chunked"),
        ],
    )
    chunks = [b"%x\r\n%s\r\n" % (len(e), e) for e in events]
    return head + b"".join(chunks) + b"0\r\n\r\n"


def _not_found(path: str) -> bytes:
    body = _dumps({"error": f"no route {path}", "error_type": "not_found"})
    return json_response(body, "404 Not Found")


class Answers:
    """Request → complete response bytes, cached per distinct (method, path, body)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[bytes, bytes, bytes], bytes] = {}
        self.requests = 0

    def respond(self, method: bytes, target: bytes, body: bytes) -> bytes:
        """The response to one request."""
        self.requests += 1
        key = (method, target, body)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        path = target.split(b"?", 1)[0].decode("latin-1")
        if method == b"GET" and path == "/_stats":
            return self._stats()
        answer, cacheable = self._build(method, path, body)
        if cacheable:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = answer
        return answer

    def _stats(self) -> bytes:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = usage.ru_utime + usage.ru_stime
        return json_response(_dumps({"cpu_s": cpu, "requests": self.requests}))

    def _build(self, method: bytes, path: str, body: bytes) -> tuple[bytes, bool]:
        if method == b"GET":
            if path in ("/", "/health", "/ping"):
                return _head("200 OK", [("content-length", "0")]), True
            if path == "/info":
                return json_response(_dumps(_INFO)), True
            return _not_found(path), True
        if method != b"POST":
            return text_response("405 Method Not Allowed", "method not allowed"), True
        if path not in ("/", "/generate", "/generate_stream", CHAT_PATH):
            return _not_found(path), True
        try:
            request = json.loads(body)
        except ValueError as exc:
            return text_response("422 Unprocessable Entity", f"invalid JSON: {exc}"), False
        if path == CHAT_PATH:
            chat = chat_answer(request)
            if isinstance(chat, str):
                return text_response("422 Unprocessable Entity", chat), False
            if isinstance(chat, list):
                return sse_response(chat), True
            return json_response(chat), True
        if not isinstance(request, dict) or not isinstance(request.get("inputs"), str):
            return text_response("422 Unprocessable Entity", "missing field `inputs`"), False
        params = request.get("parameters") or {}
        n = params.get("max_new_tokens")
        n = DEFAULT_TOKENS if not isinstance(n, int) or n <= 0 else min(n, MAX_TOKENS)
        details = bool(params.get("details")) or bool(params.get("decoder_input_details"))
        stream = path == "/generate_stream" or (path == "/" and request.get("stream") is True)
        if stream:
            return sse_response(stream_events(n, details)), True
        payload: Any = generate_payload(n, details)
        if path == "/":
            payload = [payload]
        return json_response(_dumps(payload), tokens=n), True


class _Connection(asyncio.Protocol):
    """One keep-alive connection: parse requests as bytes arrive, answer each in order."""

    def __init__(self, answers: Answers) -> None:
        self._answers = answers
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports have asyncio.Transport's methods but not its class
        self._transport = cast(asyncio.Transport, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        transport = self._transport
        while transport is not None:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > _MAX_HEAD:
                    self._fail("431 Request Header Fields Too Large")
                return
            lines = bytes(buffer[:end]).split(b"\r\n")
            parts = lines[0].split(b" ")
            if len(parts) != 3:
                self._fail("400 Bad Request")
                return
            method, target, version = parts
            length = 0
            close = version == b"HTTP/1.0"
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    try:
                        length = int(value)
                    except ValueError:
                        length = -1
                elif name == b"connection":
                    token = value.strip().lower()
                    close = token == b"close" or (close and token != b"keep-alive")
                elif name == b"transfer-encoding":
                    length = -1
            if not 0 <= length <= _MAX_BODY:
                self._fail("400 Bad Request")
                return
            start = end + 4
            if len(buffer) < start + length:
                return
            body = bytes(buffer[start : start + length])
            del buffer[: start + length]
            transport.write(self._answers.respond(method, target, body))
            if close:
                transport.close()
                return

    def _fail(self, status: str) -> None:
        if self._transport is not None:
            self._transport.write(text_response(status, status))
            self._transport.close()


def _new_loop(kind: str) -> tuple[asyncio.AbstractEventLoop, str]:
    if kind in ("auto", "uvloop"):
        try:
            import uvloop  # type: ignore[import-not-found, unused-ignore]
        except ImportError:
            if kind == "uvloop":
                raise
        else:
            return uvloop.new_event_loop(), "uvloop"
    return asyncio.new_event_loop(), "asyncio"


def serve(
    host: str,
    port: int,
    loop_kind: str = "auto",
    on_ready: Callable[[str, str], None] | None = None,
) -> None:
    """Serve until SIGINT or SIGTERM; ``on_ready(url, loop_name)`` runs once bound."""
    loop, loop_name = _new_loop(loop_kind)
    asyncio.set_event_loop(loop)
    answers = Answers()
    server = loop.run_until_complete(
        loop.create_server(
            lambda: _Connection(answers), host, port, backlog=4096, reuse_address=True
        )
    )
    bound = server.sockets[0].getsockname()
    if on_ready is not None:
        shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
        on_ready(f"http://{shown}:{bound[1]}", loop_name)
    stop: asyncio.Future[None] = loop.create_future()

    def request_stop() -> None:
        if not stop.done():
            stop.set_result(None)

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, request_stop)
    try:
        loop.run_until_complete(stop)
    finally:
        server.close()
        with contextlib.suppress(Exception):
            loop.run_until_complete(server.wait_closed())
        loop.close()


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--host``, ``--port`` (0: a free one), ``--loop auto|asyncio|uvloop``."""
    p = argparse.ArgumentParser(description="Canned-answer TGI server for benchmarks.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--loop", choices=("auto", "asyncio", "uvloop"), default="auto")
    args = p.parse_args(argv)

    def ready(url: str, loop_name: str) -> None:
        print(f"bench server listening on {url} (loop: {loop_name})", flush=True)

    serve(args.host, args.port, args.loop, ready)
    return 0


if __name__ == "__main__":
    sys.exit(main())
