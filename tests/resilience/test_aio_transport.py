"""``AsyncClient``'s HTTP/1.1 transport at the wire: keep-alive, body framings, pool limits."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time

import httpx
import pytest

from tests.resilience.rawserver import RawServer, json_response, raw_server
from text_generation import AsyncClient, errors
from text_generation._aio_transport import AsyncHTTP11Transport

pytestmark = pytest.mark.timeout(30)

ANSWER = json.dumps(
    {
        "generated_text": " ok",
        "details": {
            "finish_reason": "length",
            "generated_tokens": 1,
            "seed": None,
            "prefill": [],
            "tokens": [{"id": 1, "text": " ok", "logprob": -0.1, "special": False}],
        },
    }
).encode()


def ok(sock: socket.socket, request: bytes) -> None:
    sock.sendall(json_response(200, ANSWER))


def generate_n(url: str, n: int, **options: object) -> list[str]:
    async def main() -> list[str]:
        async with AsyncClient(url, **options) as client:  # type: ignore[arg-type]
            return [(await client.generate("p")).generated_text for _ in range(n)]

    return asyncio.run(main())


def test_keep_alive_reuses_one_connection() -> None:
    with raw_server(ok, keep_alive=True) as server:
        assert generate_n(server.url, 5) == [" ok"] * 5
    assert server.connections == 1
    first = server.requests[0]
    assert first.startswith(b"POST /generate HTTP/1.1\r\n")
    assert b"\r\nHost: 127.0.0.1:" in first
    assert b"\r\ncontent-length: " in first.lower()


def chunked(sock: socket.socket, request: bytes) -> None:
    half = len(ANSWER) // 2
    sock.sendall(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
        + b"%x;name=value\r\n%s\r\n" % (half, ANSWER[:half])
        + b"%X\r\n%s\r\n" % (len(ANSWER) - half, ANSWER[half:])
        + b"0\r\nx-trailer: 1\r\n\r\n"
    )


def close_delimited(sock: socket.socket, request: bytes) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n" + ANSWER)
    sock.close()


def connection_close(sock: socket.socket, request: bytes) -> None:
    sock.sendall(
        json_response(200, ANSWER).replace(b"\r\n\r\n", b"\r\nconnection: close\r\n\r\n", 1)
    )


def continue_first(sock: socket.socket, request: bytes) -> None:
    sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n" + json_response(200, ANSWER))


@pytest.mark.parametrize(
    ("script", "connections"),
    [(chunked, 1), (close_delimited, 3), (connection_close, 3), (continue_first, 1)],
    ids=["chunked-extensions-trailers", "close-delimited", "connection-close", "100-continue"],
)
def test_body_framings(script: object, connections: int) -> None:
    with raw_server(script, keep_alive=True) as server:  # type: ignore[arg-type]
        assert generate_n(server.url, 3, max_retries=0) == [" ok"] * 3
    assert server.connections == connections


def test_an_idle_connection_the_server_closed_is_not_reused() -> None:
    with raw_server(ok, keep_alive=False) as server:  # one answer per connection, then close
        assert generate_n(server.url, 4, max_retries=0) == [" ok"] * 4
    assert server.connections == 4


@pytest.mark.parametrize(
    "answer",
    [
        b'HTTP/1.1 200 OK\r\ncontent-length: 500\r\n\r\n{"generated_text"',  # cut short
        b"SMTP ready\r\n\r\n",  # not HTTP
        b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
    ],
    ids=["short-body", "not-http", "bad-header", "bad-chunk-size"],
)
def test_protocol_violations_raise_connection_errors(answer: bytes) -> None:
    def script(sock: socket.socket, request: bytes) -> None:
        sock.sendall(answer)
        sock.close()

    with raw_server(script) as server, pytest.raises(errors.APIConnectionError):
        generate_n(server.url, 1, max_retries=0)


def test_pool_limit_queues_requests_in_order() -> None:
    def slow(sock: socket.socket, request: bytes) -> None:
        time.sleep(0.05)
        sock.sendall(json_response(200, b'{"n": 1}'))

    async def main(url: str) -> list[int]:
        transport = AsyncHTTP11Transport(max_connections=2)
        async with httpx.AsyncClient(transport=transport) as http:
            answers = await asyncio.gather(*[http.post(url, json={}) for _ in range(10)])
        return [r.json()["n"] for r in answers]

    with raw_server(slow, keep_alive=True) as server:
        assert asyncio.run(main(server.url)) == [1] * 10
    assert server.connections == 2


def test_pool_timeout_is_a_timeout_before_the_request() -> None:
    release = threading.Event()

    def hang(sock: socket.socket, request: bytes) -> None:
        release.wait(5)
        sock.sendall(json_response(200, ANSWER))

    async def main(url: str) -> errors.TextGenerationError:
        client = AsyncClient(url, max_retries=0)
        client._http._transport = AsyncHTTP11Transport(max_connections=1)
        client._http.timeout = httpx.Timeout(5, pool=0.2)
        first = asyncio.create_task(client.generate("p"))
        await asyncio.sleep(0.1)
        try:
            await client.generate("p")
        except errors.TextGenerationError as err:
            release.set()
            await first
            await client.aclose()
            return err
        raise AssertionError("no pool timeout")

    server: RawServer
    with raw_server(hang, keep_alive=True) as server:
        err = asyncio.run(main(server.url))
    assert isinstance(err, errors.APITimeoutError)
    assert err.before_response
