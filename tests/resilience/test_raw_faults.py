"""The fault matrix against a hand-built server: refused, closed, reset, slow, broken streams.
Sync and async run the same body; every test is bounded by pytest-timeout."""

from __future__ import annotations

import os
import socket
import struct
import threading
import time

import pytest

from tests.facade.twins import Twin
from tests.resilience.rawserver import (
    LAST_CHUNK,
    chunk,
    event,
    json_response,
    raw_server,
    sse_head,
)
from text_generation import errors
from text_generation.types import StreamResponse

pytestmark = pytest.mark.timeout(30)


def twin_for(kind: str, url: str, **options: object) -> Twin:
    return Twin(kind, url, max_retries=0, **options)


@pytest.fixture
def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


def test_connection_refused(kind: str, closed_port: int) -> None:
    t = twin_for(kind, f"http://127.0.0.1:{closed_port}")
    try:
        with pytest.raises(errors.APIConnectionError, match="connection failed") as err:
            t.call("generate", "p")
        assert not isinstance(err.value, errors.APITimeoutError)
        with pytest.raises(errors.APIConnectionError):
            t.stream("generate_stream", "p")
    finally:
        t.close()


def close_at_once(sock: socket.socket, request: bytes) -> None:
    sock.close()


def reset(sock: socket.socket, request: bytes) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


@pytest.mark.parametrize("script", [close_at_once, reset], ids=["closed", "reset"])
def test_connection_closed_or_reset_before_a_response(kind: str, script: object) -> None:
    with raw_server(script) as server:  # type: ignore[arg-type]
        t = twin_for(kind, server.url)
        try:
            with pytest.raises(errors.APIConnectionError):
                t.call("generate", "p")
            with pytest.raises(errors.APIConnectionError):
                t.stream("generate_stream", "p")
        finally:
            t.close()


def test_read_timeout_on_a_silent_server(kind: str) -> None:
    release = threading.Event()

    def silent(sock: socket.socket, request: bytes) -> None:
        release.wait(10)

    with raw_server(silent) as server:
        t = twin_for(kind, server.url, timeout=0.3)
        started = time.monotonic()
        try:
            with pytest.raises(errors.APITimeoutError) as err:
                t.call("generate", "p")
            assert not err.value.before_response
            assert time.monotonic() - started < 5
        finally:
            release.set()
            t.close()


def two_events_then(action: str) -> object:
    def script(sock: socket.socket, request: bytes) -> None:
        sock.sendall(sse_head() + chunk(event(1, " Hello")) + chunk(event(2, " wörld")))
        if action == "close":
            sock.close()  # no last chunk: an incomplete chunked body
        elif action == "end":
            sock.sendall(LAST_CHUNK)  # a clean end, but no final event
        elif action == "hang":
            time.sleep(3)

    return script


@pytest.mark.parametrize("action", ["close", "end", "hang"])
def test_broken_stream_keeps_what_arrived(kind: str, action: str) -> None:
    with raw_server(two_events_then(action)) as server:  # type: ignore[arg-type]
        t = twin_for(kind, server.url, timeout=0.5)
        try:
            received: list[StreamResponse] = []
            stream = t.collect_iter(t.run(t.client.generate_stream("p")))
            with pytest.raises(errors.StreamInterruptedError) as err:
                received.extend(stream)
        finally:
            t.close()
    assert [e.token.text for e in received] == [" Hello", " wörld"]
    assert err.value.partial_text == " Hello wörld"
    assert [tok.id for tok in err.value.partial_tokens] == [1, 2]
    assert isinstance(err.value, errors.IncompleteGenerationError)
    assert isinstance(err.value, errors.APITimeoutError) == (action == "hang")


def test_keep_alive_comments_keep_a_slow_stream_alive(kind: str) -> None:
    def slow(sock: socket.socket, request: bytes) -> None:
        sock.sendall(sse_head() + chunk(event(1, " a")))
        for _ in range(8):  # 1.2 s in all, each gap well under the 0.5 s timeout
            time.sleep(0.15)
            sock.sendall(chunk(b":\n\n"))
        sock.sendall(chunk(event(2, " b", final=" a b")) + LAST_CHUNK)

    with raw_server(slow) as server:
        t = twin_for(kind, server.url, timeout=0.5)
        try:
            events = t.stream("generate_stream", "p")
        finally:
            t.close()
    assert [e.generated_text for e in events] == [None, " a b"]


def test_multibyte_characters_split_across_writes_and_a_huge_event(kind: str) -> None:
    big = "日本語 " * 200_000  # a 1.4 MB final event line
    final = event(2, "🙂", final=" é🙂" + big)

    def split(sock: socket.socket, request: bytes) -> None:
        sock.sendall(sse_head())
        body = event(1, " é") + final
        for i in range(0, 64):  # the first bytes one by one, cutting every character
            sock.sendall(chunk(body[i : i + 1]))
            time.sleep(0.001)
        for i in range(64, len(body), 50_001):
            sock.sendall(chunk(body[i : i + 50_001]))
        sock.sendall(LAST_CHUNK)

    with raw_server(split) as server:
        t = twin_for(kind, server.url)
        try:
            events = t.stream("generate_stream", "p")
        finally:
            t.close()
    assert [e.token.text for e in events] == [" é", "🙂"]
    assert events[-1].generated_text == " é🙂" + big


def test_non_json_error_body_keeps_status_and_a_piece(kind: str) -> None:
    html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"

    def bad_gateway(sock: socket.socket, request: bytes) -> None:
        sock.sendall(json_response(502, html, "text/html"))

    with raw_server(bad_gateway) as server:
        t = twin_for(kind, server.url)
        try:
            with pytest.raises(errors.UnknownError, match="502 Bad Gateway") as err:
                t.call("generate", "p")
        finally:
            t.close()
    assert err.value.status_code == 502


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def endless(sock: socket.socket, request: bytes) -> None:
    sock.sendall(sse_head())
    for i in range(1, 10_000):
        sock.sendall(chunk(event(i, " x")))
        time.sleep(0.001)


def test_hundreds_of_early_breaks_neither_hang_nor_leak(kind: str) -> None:
    with raw_server(endless) as server:
        t = twin_for(kind, server.url)
        try:
            t.stream_first("generate_stream", "p")  # warm up
            before = open_fds()
            for _ in range(200):
                first = t.stream_first("generate_stream", "p")
                assert first.token.text == " x"
            after = open_fds()
        finally:
            t.close()
    assert after - before <= 5, (before, after)
    assert server.connections >= 200  # each broken-off stream closed its connection


def test_cancelling_an_async_stream_releases_its_connection() -> None:
    import asyncio

    from text_generation import AsyncClient

    async def main(url: str) -> int:
        async with AsyncClient(url, max_retries=0) as client:
            before = open_fds()
            for _ in range(50):

                async def consume() -> None:
                    async for _event in client.generate_stream("p"):
                        await asyncio.sleep(10)

                task = asyncio.create_task(consume())
                await asyncio.sleep(0.02)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
            await asyncio.sleep(0.1)  # abandoned generators are closed by the loop's finalizer
            return open_fds() - before

    with raw_server(endless) as server:
        grown = asyncio.run(main(server.url))
    assert grown <= 5


def test_secrets_never_appear_in_reprs_or_errors(kind: str, closed_port: int) -> None:
    secret = "hf_SECRET_TOKEN_123"
    seen: list[str] = []
    with raw_server(
        lambda sock, req: sock.sendall(
            json_response(422, b'{"error":"Input validation error: bad","error_type":"validation"}')
        )
    ) as server:
        for url in (server.url, f"http://127.0.0.1:{closed_port}"):
            t = twin_for(
                kind,
                url,
                headers={"Authorization": f"Bearer {secret}"},
                cookies={"session": secret},
            )
            try:
                seen += [repr(t.client), str(t.client)]
                with pytest.raises(errors.TextGenerationError) as err:
                    t.call("generate", "p")
                seen += [str(err.value), repr(err.value), repr(err.value.__cause__)]
            finally:
                t.close()
        assert secret.encode() in server.requests[0]  # it was sent, as it should be
    assert all(secret not in text for text in seen), seen
