"""The sync transport sends every header the httpx request carries, a name given twice included,
in order, over a real socket."""

from __future__ import annotations

import socket
import threading

import httpx

from text_generation._transports.sync import TGIHttpxClient


def _serve_once(listener: socket.socket, heads: list[bytes]) -> None:
    conn, _ = listener.accept()
    with conn:
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(65536)
        heads.append(data.split(b"\r\n\r\n")[0])
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")


def _sent_head(headers: list[tuple[str, str]]) -> list[bytes]:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        heads: list[bytes] = []
        server = threading.Thread(target=_serve_once, args=(listener, heads))
        server.start()
        port = listener.getsockname()[1]
        with TGIHttpxClient(timeout=5) as client:
            resp = client.get(f"http://127.0.0.1:{port}/x", headers=httpx.Headers(headers))
        server.join(5)
    assert resp.status_code == 200
    assert resp.content == b"{}"
    return heads[0].split(b"\r\n")[1:]


def test_distinct_headers_are_sent_in_order() -> None:
    lines = _sent_head([("x-one", "1"), ("X-Two", "2")])
    assert lines.index(b"x-one: 1") < lines.index(b"X-Two: 2")


def test_a_header_given_twice_is_sent_twice() -> None:
    lines = _sent_head([("x-dup", "a"), ("x-dup", "b"), ("x-other", "c")])
    assert [line for line in lines if line.lower().startswith(b"x-dup:")] == [
        b"x-dup: a",
        b"x-dup: b",
    ]
    assert b"x-other: c" in lines
