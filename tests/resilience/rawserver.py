"""A minimal hand-built HTTP server on 127.0.0.1 for bytes the mock cannot produce: each test
scripts what happens on the socket after the request was read."""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Script = Callable[[socket.socket, bytes], None]


def read_request(sock: socket.socket) -> bytes:
    """Read one HTTP request (headers and a Content-Length body); b"" if the peer closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        server: RawServer = self.server  # type: ignore[assignment]
        try:
            while True:
                request = read_request(self.request)
                if not request:
                    return
                server.requests.append(request)
                server.script(self.request, request)
                if not server.keep_alive:
                    return
        except OSError:
            return  # the client went away: that is what several tests do


class RawServer(socketserver.ThreadingTCPServer):
    """Runs ``script(sock, request)`` for each request on a fresh thread."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, script: Script, *, keep_alive: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = script
        self.keep_alive = keep_alive
        self.requests: list[bytes] = []
        self.connections = 0

    def get_request(self) -> tuple[socket.socket, Any]:
        self.connections += 1
        return super().get_request()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def raw_server(script: Script, *, keep_alive: bool = False) -> Iterator[RawServer]:
    """Start a ``RawServer`` on a free loopback port; stop it afterwards."""
    server = RawServer(script, keep_alive=keep_alive)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def sse_head() -> bytes:
    """Response headers of a TGI stream (chunked, no content-length)."""
    return (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n"
        b"x-accel-buffering: no\r\ntransfer-encoding: chunked\r\n\r\n"
    )


def chunk(data: bytes) -> bytes:
    """One HTTP/1.1 chunk."""
    return b"%x\r\n%s\r\n" % (len(data), data)


LAST_CHUNK = b"0\r\n\r\n"


def event(index: int, text: str, *, final: str | None = None) -> bytes:
    """One TGI stream event, framed."""
    payload = {
        "index": index,
        "token": {"id": index, "text": text, "logprob": -0.25, "special": False},
        "generated_text": final,
        "details": None
        if final is None
        else {
            "finish_reason": "length",
            "generated_tokens": index,
            "seed": None,
            "input_length": 2,
        },
    }
    return b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n"


def json_response(status: int, body: bytes, content_type: str = "application/json") -> bytes:
    """A complete non-chunked response."""
    reason = {200: "OK", 422: "Unprocessable Entity", 502: "Bad Gateway"}.get(status, "X")
    return (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: {content_type}\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    ).encode() + body
