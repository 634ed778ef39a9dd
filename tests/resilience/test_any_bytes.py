"""Any bytes from a server meet a typed error: after a valid status line and headers (a whole
answer of known length, or a chunked stream) and after a valid SSE prefix, whatever follows,
and whether the server then closes or goes quiet, every call ends within its timeout with an
answer or a ``TextGenerationError``, never another exception, and leaks no file descriptor."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.helpers import open_fds, twin
from tests.resilience.rawserver import chunk, event, raw_server, sse_head
from text_generation import errors

TIMEOUT = 0.5
HEADS = {
    "json": b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n",
    "chunked-json": (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
    ),
    "sse": sse_head(),
    "sse-after-an-event": sse_head() + chunk(event(1, " a")),
    "close-delimited": b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n",
}

#: Pieces that look like framing, for the junk to be near-valid as often as not.
PIECES = [b"\r\n", b"0\r\n\r\n", b"ffffffff\r\n", b"data: ", b"{", b"}", b'"', b":\n\n"]
PIECES += [b"\n\n", b"\xff\xfe", b'data: {"index":1}\n\n', b"\x00", b"-1\r\n", b"5\r\n"]

_junk = st.one_of(
    st.binary(max_size=300),
    st.lists(
        st.sampled_from(PIECES),
        max_size=12,
    ).map(b"".join),
)


def _check(kind: str, head: str, method: str, junk: bytes, hang: bool) -> None:
    prefix = HEADS[head]
    if head == "json":
        prefix %= len(junk)  # the length is right; the bytes are anything

    done = threading.Event()

    def script(sock: socket.socket, request: bytes) -> None:
        sock.sendall(prefix + junk)
        if hang:
            done.wait(TIMEOUT * 4)  # quiet: the client's read timeout has to end it

    before = open_fds()
    with raw_server(script) as server:
        t = twin(kind, server.url, timeout=TIMEOUT)
        start = time.monotonic()
        try:
            if method == "generate":
                t.call("generate", "p")
            else:
                t.stream("generate_stream", "p")
        except errors.TextGenerationError:
            pass
        finally:
            elapsed = time.monotonic() - start
            done.set()
            t.close()
    assert elapsed < TIMEOUT * 2 + 0.5, elapsed  # within its timeout (a read each), not a hang
    for _ in range(50):  # the server's side of the connection closes on its own thread
        if open_fds() <= before:
            break
        time.sleep(0.02)
    assert open_fds() <= before


@pytest.mark.timeout(120)
@pytest.mark.parametrize("method", ["generate", "generate_stream"])
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(head=st.sampled_from(sorted(HEADS)), junk=_junk, hang=st.booleans())
def test_any_bytes_after_a_valid_head_meet_a_typed_error(
    kind: str, method: str, head: str, junk: bytes, hang: bool
) -> None:
    _check(kind, head, method, junk, hang)
