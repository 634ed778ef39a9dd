"""Malformed answers end in a typed error within the timeout, sync and async, and an async
client's event loop keeps running meanwhile (a heartbeat task keeps beating)."""

from __future__ import annotations

import socket
import threading

import pytest

from tests.hostile.helpers import ANSWER, read_all, read_all_sync, twin, with_heartbeat
from tests.resilience.rawserver import event, raw_server, sse_head
from text_generation import AsyncClient, Client, errors

pytestmark = pytest.mark.timeout(30)

HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
FIRST = event(1, " a")
FIRST_CHUNK = b"%x\r\n%s\r\n" % (len(FIRST), FIRST)

#: name -> (bytes sent after the request, whether the server then keeps the connection open
#: and trickles bytes for 25 s: a client that reads on ignores its 2 s timeout, and the tests'
#: 15 s bound fails it)
CHUNKED_CASES = {
    "negative-size": (HEAD + b"-6\r\n", True),
    "size-minus-one": (HEAD + b"-1\r\n", True),
    "negative-size-after-an-event": (HEAD + FIRST_CHUNK + b"-6\r\n", True),
    "huge-size": (HEAD + b"fffffffffffffffffffffffffff\r\n", False),
    "garbage-size": (HEAD + b"zz\r\nxyz\r\n", True),
    "size-line-without-end": (HEAD + b"1" * 70_000, False),
}


def _trickle(sock: socket.socket, stop: threading.Event) -> None:
    """Keep sending a byte every 10 ms for up to 25 s: a read timeout alone cannot end it."""
    for _ in range(2500):
        if stop.wait(0.01):
            return
        try:
            sock.sendall(b"a")
        except OSError:
            return


def _script(payload: bytes, trickle: bool, stop: threading.Event) -> object:
    def script(sock: socket.socket, request: bytes) -> None:
        sock.sendall(payload)
        if trickle:
            _trickle(sock, stop)
        else:
            stop.wait(4)

    return script


@pytest.mark.timeout(15)
@pytest.mark.parametrize("case", list(CHUNKED_CASES))
def test_bad_chunk_sizes_end_in_a_typed_error_sync(case: str) -> None:
    payload, trickle = CHUNKED_CASES[case]
    stop = threading.Event()
    with raw_server(_script(payload, trickle, stop)) as server:  # type: ignore[arg-type]
        client = Client(server.url, max_retries=0, timeout=2)
        try:
            with pytest.raises(errors.TextGenerationError):
                read_all_sync(client, "generate_stream")
        finally:
            stop.set()
            client.close()


@pytest.mark.timeout(15)
@pytest.mark.parametrize("case", list(CHUNKED_CASES))
def test_bad_chunk_sizes_end_in_a_typed_error_async_while_the_loop_runs(case: str) -> None:
    payload, trickle = CHUNKED_CASES[case]
    stop = threading.Event()
    with raw_server(_script(payload, trickle, stop)) as server:  # type: ignore[arg-type]
        client = AsyncClient(server.url, max_retries=0, timeout=2)

        async def call() -> object:
            try:
                return await read_all(client, "generate_stream")
            finally:
                await client.aclose()

        try:
            outcome, silence = with_heartbeat(call)
        finally:
            stop.set()
    assert isinstance(outcome, errors.TextGenerationError), outcome
    assert silence < 1.5  # the loop was never frozen (the client's timeout is 2 s)


def _json_head(*lines: bytes, status: bytes = b"200 OK") -> bytes:
    return b"HTTP/1.1 " + status + b"\r\n" + b"".join(line + b"\r\n" for line in lines) + b"\r\n"


#: Answers h11 refuses; each must end in a typed error, never in a (mis)parsed success.
LOOSE_CASES = {
    "two-content-lengths": _json_head(
        b"content-type: application/json",
        b"content-length: %d" % len(ANSWER),
        b"content-length: %d" % (len(ANSWER) + 5),
    )
    + ANSWER,
    "duplicate-transfer-encoding": _json_head(
        b"content-type: application/json",
        b"transfer-encoding: chunked",
        b"transfer-encoding: chunked",
    )
    + b"%x\r\n%s\r\n0\r\n\r\n" % (len(ANSWER), ANSWER),
    "mixed-transfer-encoding": _json_head(
        b"content-type: application/json", b"transfer-encoding: gzip, chunked"
    )
    + b"%x\r\n%s\r\n0\r\n\r\n" % (len(ANSWER), ANSWER),
    "transfer-encoding-and-content-length": _json_head(
        b"content-type: application/json",
        b"transfer-encoding: chunked",
        b"content-length: 5",
    )
    + b"%x\r\n%s\r\n0\r\n\r\n" % (len(ANSWER), ANSWER),
    "status-2000": _json_head(b"content-length: 0", status=b"2000 OK"),
    "status-not-a-number": _json_head(b"content-length: 0", status=b"2x0 OK"),
    "content-length-not-a-number": _json_head(b"content-length: 1e3") + ANSWER,
    "header-without-colon": _json_head(b"content-length 0"),
    "short-body": _json_head(
        b"content-type: application/json", b"content-length: %d" % (len(ANSWER) + 10)
    )
    + ANSWER,
}


def _answer_and_close(payload: bytes) -> object:
    def script(sock: socket.socket, request: bytes) -> None:
        sock.sendall(payload)
        sock.close()

    return script


@pytest.mark.parametrize("case", list(LOOSE_CASES))
def test_malformed_answers_are_typed_errors(kind: str, case: str) -> None:
    with raw_server(_answer_and_close(LOOSE_CASES[case])) as server:  # type: ignore[arg-type]
        t = twin(kind, server.url)
        try:
            with pytest.raises(errors.TextGenerationError):
                t.call("generate", "p")
        finally:
            t.close()


def test_a_broken_stream_after_events_is_interrupted_not_retried(kind: str) -> None:
    def script(sock: socket.socket, request: bytes) -> None:
        sock.sendall(sse_head() + FIRST_CHUNK + b"zz\r\n")
        sock.close()

    with raw_server(script) as server:
        t = twin(kind, server.url, max_retries=2)
        try:
            with pytest.raises(errors.TextGenerationError) as err:
                t.stream("generate_stream", "p")
        finally:
            t.close()
    assert len(server.requests) == 1
    # urllib3 hands over the event that came before the bad chunk; aiohttp's parser refuses the
    # whole packet, so the async client fails before it.
    if isinstance(err.value, errors.StreamInterruptedError):
        assert err.value.partial_text == " a"
    else:
        assert kind == "async"
        assert isinstance(err.value, errors.APIConnectionError)
