"""Sent once unless the retry policy says so; answers never cross from one call to the next;
connections and pool slots never leak; the lazily built pool is built once."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from tests.hostile.helpers import ANSWER, ok_response, open_fds, twin
from tests.resilience.rawserver import raw_server
from text_generation import Client, errors

pytestmark = pytest.mark.timeout(60)


def _read_then_drop(sock: socket.socket, request: bytes) -> None:
    sock.close()


@pytest.mark.parametrize("max_retries", [0, 2])
def test_a_request_the_server_read_is_never_sent_again(kind: str, max_retries: int) -> None:
    with raw_server(_read_then_drop) as server:
        t = twin(kind, server.url, max_retries=max_retries)
        try:
            with pytest.raises(errors.APIConnectionError) as err:
                t.call("generate", "p")
            with pytest.raises(errors.APIConnectionError):
                t.stream("generate_stream", "p")
        finally:
            t.close()
    assert len(server.requests) == 2  # one generate, one stream
    assert err.value.attempts == 1
    assert not err.value.before_response


def test_a_reused_connection_closed_before_the_answer_is_not_resent(kind: str) -> None:
    """The server answers the first call on a kept-alive connection, reads the second request
    and hangs up: the second call fails, and the server saw it exactly once."""
    seen: list[bytes] = []

    def script(sock: socket.socket, request: bytes) -> None:
        seen.append(request)
        if len(seen) == 1:
            sock.sendall(ok_response())
        else:
            sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    with raw_server(script, keep_alive=True) as server:
        t = twin(kind, server.url, max_retries=0)
        try:
            assert t.call("generate", "p").generated_text == " ok"
            with pytest.raises(errors.APIConnectionError):
                t.call("generate", "p")
        finally:
            t.close()
    assert len(seen) == 2


def test_refused_connections_are_retried_by_the_policy(kind: str) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    t = twin(kind, f"http://127.0.0.1:{port}", max_retries=1)
    t.client._retry = type(t.client._retry)(max_retries=1, base_delay=0.01)
    try:
        with pytest.raises(errors.APIConnectionError) as err:
            t.call("generate", "p")
    finally:
        t.close()
    assert err.value.before_response
    assert err.value.attempts == 2


@pytest.mark.parametrize("stray", ["answer", "408"])
def test_a_stray_answer_on_an_idle_connection_is_never_handed_to_the_next_call(
    kind: str, stray: str
) -> None:
    body = ANSWER.replace(b" ok", b" STALE")
    stale = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s"
        % (len(body), body)
        if stray == "answer"
        else b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    )
    calls = 0

    def script(sock: socket.socket, request: bytes) -> None:
        nonlocal calls
        calls += 1
        sock.sendall(ok_response())
        if calls == 1:
            time.sleep(0.1)
            sock.sendall(stale)  # unasked, while the connection idles in the client's pool

    with raw_server(script, keep_alive=True) as server:
        t = twin(kind, server.url)
        try:
            assert t.call("generate", "p").generated_text == " ok"
            time.sleep(0.4)
            if kind == "async":
                t.run(_idle())
            for _ in range(3):
                assert t.call("generate", "p").generated_text == " ok"
        finally:
            t.close()


async def _idle() -> None:
    """Let the client's loop read what arrived while the test slept."""
    import asyncio

    await asyncio.sleep(0.05)


def _malformed_first_packet(sock: socket.socket, request: bytes) -> None:
    sock.sendall(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n"
        b"\r\nzz\r\n"
    )


def test_open_files_stay_flat_after_200_malformed_answers(kind: str) -> None:
    with raw_server(_malformed_first_packet, keep_alive=True) as server:
        t = twin(kind, server.url)
        try:
            with pytest.raises(errors.TextGenerationError):
                t.stream("generate_stream", "p")  # warm up
            before = open_fds()
            for _ in range(200):
                with pytest.raises(errors.TextGenerationError) as err:
                    t.stream("generate_stream", "p")
                assert not isinstance(err.value, errors.APITimeoutError)  # no pool exhaustion
            after = open_fds()
        finally:
            t.close()
    assert after - before <= 5, (before, after)


def _answer_413_early(listener: socket.socket, stop: threading.Event) -> None:
    """Read the request's head only, answer 413 and close gracefully (drain, then close)."""
    listener.settimeout(0.2)
    while not stop.is_set():
        try:
            sock, _ = listener.accept()
        except TimeoutError:
            continue
        with sock:
            sock.settimeout(2)
            data = b""
            while b"\r\n\r\n" not in data:
                data += sock.recv(65536)
            body = b"Payload Too Large"
            sock.sendall(
                b"HTTP/1.1 413 Payload Too Large\r\ncontent-type: text/plain\r\n"
                b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(body), body)
            )
            sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + 2
            try:
                while time.monotonic() < deadline and sock.recv(1 << 20):
                    pass
            except OSError:
                pass
        listener.connections += 1  # type: ignore[attr-defined]


class _Listener(socket.socket):
    connections = 0


def test_a_413_sent_before_the_upload_ends_is_a_typed_error_with_its_status(kind: str) -> None:
    listener = _Listener()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()
    thread = threading.Thread(target=_answer_413_early, args=(listener, stop), daemon=True)
    thread.start()
    t = twin(kind, f"http://127.0.0.1:{listener.getsockname()[1]}", max_retries=2)
    try:
        with pytest.raises(errors.TextGenerationError) as err:
            t.call("generate", "x" * 8_000_000)
    finally:
        t.close()
        stop.set()
        thread.join(5)
        listener.close()
    assert err.value.status_code == 413, err.value
    assert listener.connections == 1  # sent once


def test_twenty_threads_starting_together_build_one_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    import text_generation.client as client_module
    from text_generation._transports.sync import TGIHttpxClient as real

    built: list[object] = []

    def counting(**options: object) -> object:
        time.sleep(0.01)  # widen the window a racy construction would fall into
        pool = real(**options)
        built.append(pool)
        return pool

    monkeypatch.setattr(client_module, "_pool_class", lambda: counting)
    with raw_server(lambda sock, req: sock.sendall(ok_response()), keep_alive=True) as server:
        client = Client(server.url, max_retries=0)
        barrier = threading.Barrier(20)
        results: list[str] = []

        def call() -> None:
            barrier.wait()
            results.append(client.generate("p").generated_text)

        threads = [threading.Thread(target=call) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        client.close()
    assert results == [" ok"] * 20
    assert len(built) == 1


def test_keep_alive_reuses_one_connection(kind: str) -> None:
    with raw_server(lambda sock, req: sock.sendall(ok_response()), keep_alive=True) as server:
        t = twin(kind, server.url)
        try:
            for _ in range(5):
                assert t.call("generate", "p").generated_text == " ok"
        finally:
            t.close()
    assert server.connections == 1
    assert len(server.requests) == 5
