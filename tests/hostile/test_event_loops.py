"""``AsyncClient`` works from any event loop: each loop that uses it gets a pool of its own, which
is released when that loop shuts down, without warnings; several loops may share one client."""

from __future__ import annotations

import asyncio
import gc
import logging
import socket
import threading
import warnings

import pytest

from tests.hostile.helpers import ok_response, open_fds
from tests.resilience.rawserver import LAST_CHUNK, chunk, event, raw_server, sse_head
from text_generation import AsyncClient
from text_generation.types import StreamResponse

pytestmark = pytest.mark.timeout(60)


def _ok(sock: socket.socket, request: bytes) -> None:
    sock.sendall(ok_response())


def _sse(sock: socket.socket, request: bytes) -> None:
    if b"/generate_stream" not in request:
        sock.sendall(ok_response())
        return
    sock.sendall(sse_head() + chunk(event(1, " ok", final=" ok")) + LAST_CHUNK)


def test_one_client_across_successive_asyncio_runs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="asyncio")
    with raw_server(_sse, keep_alive=True) as server:
        client = AsyncClient(server.url, max_retries=0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert asyncio.run(client.generate("p")).generated_text == " ok"
            assert asyncio.run(client.generate("p")).generated_text == " ok"
            before = open_fds()
            for _ in range(20):
                events = asyncio.run(_stream(client))
                assert events[-1].generated_text == " ok"
            gc.collect()
            after = open_fds()
        del client
        gc.collect()
    assert after - before <= 3, (before, after)
    assert [str(w.message) for w in caught] == []
    assert not [r for r in caplog.records if "nclosed" in r.getMessage()]


async def _stream(client: AsyncClient) -> list[StreamResponse]:
    return [event async for event in client.generate_stream("p")]


def test_several_loops_share_one_client_at_once() -> None:
    with raw_server(_sse, keep_alive=True) as server:
        client = AsyncClient(server.url, max_retries=0)
        results: list[str] = []
        errors: list[BaseException] = []
        barrier = threading.Barrier(4)

        async def many() -> list[str]:
            answers = await asyncio.gather(*(client.generate("p") for _ in range(10)))
            return [a.generated_text for a in answers]

        def run_loop() -> None:
            try:
                barrier.wait()
                for _ in range(3):
                    results.extend(asyncio.run(many()))
            except BaseException as exc:  # reported below, with the thread's failure
                errors.append(exc)

        threads = [threading.Thread(target=run_loop) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(45)
    assert errors == []
    assert results == [" ok"] * 120


def test_a_loop_closed_without_shutting_down_still_leaves_a_working_client() -> None:
    with raw_server(_ok, keep_alive=True) as server:
        client = AsyncClient(server.url, max_retries=0)
        loop = asyncio.new_event_loop()
        assert loop.run_until_complete(client.generate("p")).generated_text == " ok"
        loop.close()  # no shutdown_asyncgens: the pool could not be closed in its loop
        assert asyncio.run(client.generate("p")).generated_text == " ok"


def test_aclose_then_a_new_call_opens_a_new_pool() -> None:
    async def main(url: str) -> list[str]:
        client = AsyncClient(url, max_retries=0)
        first = (await client.generate("p")).generated_text
        await client.aclose()
        second = (await client.generate("p")).generated_text
        await client.aclose()
        return [first, second]

    with raw_server(_ok, keep_alive=True) as server:
        assert asyncio.run(main(server.url)) == [" ok", " ok"]
    assert server.connections == 2
