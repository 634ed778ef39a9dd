"""What httpx's own transport promises, on both routes (``Client`` on urllib3, ``AsyncClient``
on aiohttp): a pool of at most ``max_connections`` that waits for the pool timeout and then
raises ``PoolTimeout``; idle connections dropped after ``keepalive_expiry``; a write timeout;
and every chunk-size line h11 refuses refused at once, with a typed error."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import h11
import httpx
import pytest

from tests.hostile.helpers import ok_response, twin
from tests.resilience.rawserver import raw_server, sse_head
from text_generation import errors
from text_generation._transports.aio import TGIAsyncHttpxClient
from text_generation._transports.sync import TGIHttpxClient

pytestmark = pytest.mark.timeout(30)


def _on_route(kind: str, limits: httpx.Limits, timeout: httpx.Timeout) -> Any:
    """Run ``steps(client)`` on our httpx client of ``kind``; a step may be a coroutine."""

    def run(steps: Callable[[Any], Any]) -> Any:
        if kind == "sync":
            with TGIHttpxClient(limits=limits, timeout=timeout) as client:
                return steps(client)

        async def main() -> Any:
            async with TGIAsyncHttpxClient(limits=limits, timeout=timeout) as client:
                return await steps(client)

        return asyncio.run(main())

    return run


def _slow_stream(sock: socket.socket, request: bytes) -> None:
    """A stream's head, then nothing for a second, then its end."""
    sock.sendall(sse_head() + b"5\r\ndata:\r\n")
    time.sleep(1)
    sock.sendall(b"0\r\n\r\n")


def test_the_pool_holds_max_connections_and_then_raises_pool_timeout(kind: str) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    run = _on_route(kind, limits, httpx.Timeout(5, pool=0.3))
    with raw_server(_slow_stream, keep_alive=True) as server:
        url = server.url + "/generate_stream"

        def sync_steps(client: httpx.Client) -> float:
            with client.stream("POST", url, content=b"{}"):
                start = time.monotonic()
                with pytest.raises(httpx.PoolTimeout):
                    client.post(url, content=b"{}")
                return time.monotonic() - start

        async def async_steps(client: httpx.AsyncClient) -> float:
            async with client.stream("POST", url, content=b"{}"):
                start = time.monotonic()
                with pytest.raises(httpx.PoolTimeout):
                    await client.post(url, content=b"{}")
                return time.monotonic() - start

        waited = run(sync_steps if kind == "sync" else async_steps)
    assert 0.25 < waited < 0.9  # it waited for the pool timeout, not for the stream's end
    assert server.connections == 1  # never a second connection


def test_a_call_waits_for_a_busy_connection_when_the_pool_timeout_allows(kind: str) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    run = _on_route(kind, limits, httpx.Timeout(5))
    with raw_server(_slow_stream, keep_alive=True) as server:
        url = server.url + "/generate_stream"

        def sync_steps(client: httpx.Client) -> list[int]:
            results: list[int] = []

            def second() -> None:
                results.append(client.post(url, content=b"{}").status_code)

            with client.stream("POST", url, content=b"{}") as first:
                thread = threading.Thread(target=second)
                thread.start()
                first.read()
                results.insert(0, first.status_code)
            thread.join(5)
            return results

        async def async_steps(client: httpx.AsyncClient) -> list[int]:
            async def first() -> int:
                async with client.stream("POST", url, content=b"{}") as resp:
                    await resp.aread()
                    return resp.status_code

            async def second() -> int:
                await asyncio.sleep(0.1)
                return (await client.post(url, content=b"{}")).status_code

            return list(await asyncio.gather(first(), second()))

        statuses = run(sync_steps if kind == "sync" else async_steps)
    assert statuses == [200, 200]
    assert server.connections == 1  # the second call reused the one connection


@pytest.mark.parametrize(("pause", "connections"), [(0.05, 1), (0.6, 2)])
def test_idle_connections_expire_after_keepalive_expiry(
    kind: str, pause: float, connections: int
) -> None:
    limits = httpx.Limits(max_connections=4, keepalive_expiry=0.3)
    run = _on_route(kind, limits, httpx.Timeout(5))

    def script(sock: socket.socket, request: bytes) -> None:
        sock.sendall(ok_response())

    with raw_server(script, keep_alive=True) as server:
        url = server.url + "/generate"

        def sync_steps(client: httpx.Client) -> None:
            for _ in range(2):
                assert client.post(url, content=b"{}").status_code == 200
                time.sleep(pause)

        async def async_steps(client: httpx.AsyncClient) -> None:
            for _ in range(2):
                assert (await client.post(url, content=b"{}")).status_code == 200
                await asyncio.sleep(pause)

        run(sync_steps if kind == "sync" else async_steps)
    assert server.connections == connections


@contextmanager
def _deaf_server() -> Iterator[str]:
    """A port that accepts connections (the kernel's backlog) and never reads from them."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


BIG = b"x" * (96 * 1024 * 1024)  # more than loopback's socket buffers take


def test_a_write_that_stalls_raises_write_timeout(kind: str) -> None:
    run = _on_route(kind, httpx.Limits(), httpx.Timeout(30, write=0.5))
    with _deaf_server() as url:

        def sync_steps(client: httpx.Client) -> float:
            start = time.monotonic()
            with pytest.raises(httpx.WriteTimeout):
                client.post(url + "/generate", content=BIG)
            return time.monotonic() - start

        async def async_steps(client: httpx.AsyncClient) -> float:
            start = time.monotonic()
            with pytest.raises(httpx.WriteTimeout):
                await client.post(url + "/generate", content=BIG)
            return time.monotonic() - start

        took = run(sync_steps if kind == "sync" else async_steps)
    assert took < 10  # the 0.5 s write timeout, not the 30 s read timeout


def test_the_facade_reports_a_stalled_write_as_a_timeout(kind: str) -> None:
    with _deaf_server() as url:
        t = twin(kind, url, timeout=0.5)
        try:
            with pytest.raises(errors.APITimeoutError):
                t.call("generate", "x" * len(BIG))
        finally:
            t.close()


def _h11_refuses(line: bytes) -> bool:
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(method="GET", target="/", headers=[("host", "x")]))
    conn.send(h11.EndOfMessage())
    conn.receive_data(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n" + line + b"a" * 64)
    try:
        while True:
            got = conn.next_event()
            if got is h11.NEED_DATA or isinstance(got, h11.Data):
                return False
    except h11.RemoteProtocolError:
        return True


#: Chunk-size lines h11 refuses (checked by ``test_h11_refuses_each_line``); ``int(line, 16)``,
#: which urllib3 uses, takes most of them.
REFUSED = {
    "40-hex-digits": b"f" * 40 + b"\r\n",
    "40-digits-small-value": b"0" * 39 + b"1\r\n",
    "huge-with-leading-zeros": b"0" * 24 + b"f" * 16 + b"\r\n",
    "21-digits": b"1" * 21 + b"\r\n",
    "minus-one": b"-1\r\n",
    "negative": b"-6\r\n",
    "plus": b"+1\r\n",
    "0x-prefix": b"0x10\r\n",
    "underscore": b"1_0\r\n",
    "leading-blank": b" 1\r\n",
    "leading-tab": b"\t1\r\n",
    "blank-before-extension": b"1 ;a=b\r\n",
    "not-hex": b"zz\r\n",
    "empty": b"\r\n",
    "vertical-tab": b"1\x0b\r\n",
}
#: Lines aiohttp's C parser (llhttp) takes though h11 refuses them; aiohttp has no hook to
#: refuse them (the README's Limits). Strict: the test fails when aiohttp starts refusing them.
LLHTTP_TAKES = {"40-digits-small-value", "huge-with-leading-zeros", "blank-before-extension"}


@pytest.mark.parametrize("case", list(REFUSED))
def test_h11_refuses_each_line(case: str) -> None:
    assert _h11_refuses(REFUSED[case])


@pytest.mark.timeout(15)
@pytest.mark.parametrize("case", list(REFUSED))
def test_chunk_size_lines_h11_refuses_end_the_stream_at_once(
    kind: str, case: str, request: pytest.FixtureRequest
) -> None:
    """After the bad line the server trickles SSE keep-alive comments for seconds: a client
    that took the line would read on past its 2 s timeout."""
    if kind == "async" and case in LLHTTP_TAKES:
        request.applymarker(pytest.mark.xfail(strict=True, reason="llhttp takes this line"))
    stop = threading.Event()

    def script(sock: socket.socket, request: bytes) -> None:
        sock.sendall(sse_head() + REFUSED[case])
        for _ in range(400):
            if stop.wait(0.02):
                return
            try:
                sock.sendall(b":\n\n")
            except OSError:
                return

    with raw_server(script) as server:
        t = twin(kind, server.url, timeout=2)
        start = time.monotonic()
        try:
            with pytest.raises(errors.TextGenerationError):
                t.stream("generate_stream", "p")
        finally:
            stop.set()
            t.close()
    assert time.monotonic() - start < 1.0
