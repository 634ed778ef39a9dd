"""Whole answers through libcurl (``text_generation._curl_transport``): which calls take that
route, that it puts the same request on the wire as urllib3, and what libcurl would do on its own
that the glue stops (resending, environment proxies, interim answers, trailers)."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pycurl  # the suite's install has the curl extra (the dev extra asks for it)
import pytest

import text_generation
from tests.hostile.helpers import ANSWER, ok_response, twin
from tests.hostile.servers import logging_proxy
from tests.resilience.rawserver import raw_server
from text_generation import Client, _curl_transport, _sync_transport, errors

pytestmark = pytest.mark.timeout(60)


def _ok(sock: socket.socket, request: bytes) -> None:
    sock.sendall(ok_response())


@pytest.fixture
def curl_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs of the requests libcurl carried."""
    seen: list[str] = []
    real = _curl_transport.CurlHandles.handle_request

    def spy(self: Any, request: httpx.Request, body: bytes) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        return real(self, request, body)

    monkeypatch.setattr(_curl_transport.CurlHandles, "handle_request", spy)
    return seen


def test_whole_answers_to_plain_http_go_through_libcurl(curl_calls: list[str]) -> None:
    """The suite's own install has the curl extra: ``Client``'s whole-answer calls take
    libcurl, and its streams and bodiless requests stay on urllib3."""
    events = b"".join(
        b'data: {"token":{"id":1,"text":" ok","logprob":-0.1,"special":false},'
        b'"generated_text":%s,"details":null}\n\n' % v
        for v in (b"null", b'" ok"')
    )

    def script(sock: socket.socket, request: bytes) -> None:
        if request.startswith(b"POST /generate_stream"):
            sock.sendall(
                b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                b"content-length: %d\r\n\r\n%s" % (len(events), events)
            )
        elif request.startswith(b"GET /health"):
            sock.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
        else:
            sock.sendall(ok_response())

    with raw_server(script, keep_alive=True) as server, Client(server.url) as client:
        assert client.generate("p").generated_text == " ok"
        assert [r.token.text for r in client.generate_stream("p")] == [" ok", " ok"]
        client._http.get(f"{server.url}/health").raise_for_status()
    assert curl_calls == ["POST /generate"]


def test_libcurl_sends_the_request_urllib3_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    """Same request line, same header fields (libcurl adds none of its own: no ``Expect``, no
    form ``Content-Type``), same body; only the order of the fields may differ."""
    with raw_server(_ok, keep_alive=True) as server:
        # credentials in the URL become httpx's Authorization header; a path with a dot segment
        url = server.url.replace("http://", "http://user:secret@") + "/a/./b"
        options: dict[str, Any] = {"headers": {"X-Team": "a"}, "cookies": {"session": "s"}}
        with Client(url, **options) as client:
            client.generate("p", max_new_tokens=3)
        monkeypatch.setattr(_sync_transport, "whole_answer_pool", lambda maxsize: None)
        with Client(url, **options) as client:
            client.generate("p", max_new_tokens=3)
    by_curl, by_urllib3 = (_parts(r) for r in server.requests)
    assert by_curl == by_urllib3
    assert ("x-team", b"a") in by_curl[1]
    assert [v for n, v in by_curl[1] if n == "authorization"] == [b"Basic dXNlcjpzZWNyZXQ="]
    assert not any(name in ("expect", "transfer-encoding") for name, _ in by_curl[1])


def _through_libcurl(url: str) -> httpx.Response:
    """One POST straight through a libcurl handle pool, as ``Urllib3Transport`` hands it over."""
    pool = _curl_transport.CurlHandles(4)
    request = httpx.Request(
        "POST", f"{url}/generate", content=b"{}", extensions={"timeout": {"read": 2}}
    )
    try:
        return pool.handle_request(request, b"{}")
    finally:
        pool.close()


def _parts(request: bytes) -> tuple[bytes, list[tuple[str, bytes]], bytes]:
    head, _, body = request.partition(b"\r\n\r\n")
    line, *fields = head.split(b"\r\n")
    pairs = [(n.decode().lower(), v.strip()) for n, _, v in (f.partition(b":") for f in fields)]
    return line, sorted(pairs), body


_INTERIM = b"HTTP/1.1 100 Continue\r\nx-interim: yes\r\n\r\n" + ok_response()
_TRAILERS = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
    b"transfer-encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\nx-trailer: late\r\n\r\n"
    % (len(ANSWER), ANSWER)
)


@pytest.mark.parametrize("answer", [_INTERIM, _TRAILERS], ids=["interim-100", "trailers"])
def test_an_interim_answer_and_trailers_are_read_past(kind: str, answer: bytes) -> None:
    with raw_server(lambda sock, request: sock.sendall(answer)) as server:
        t = twin(kind, server.url)
        try:
            assert t.call("generate", "p").generated_text == " ok"
        finally:
            t.close()


@pytest.mark.parametrize("answer", [_INTERIM, _TRAILERS], ids=["interim-100", "trailers"])
def test_only_the_final_answers_head_is_kept(answer: bytes) -> None:
    """libcurl hands its header callback the lines of an interim answer and the trailers too."""
    with raw_server(lambda sock, request: sock.sendall(answer)) as server:
        response = _through_libcurl(server.url)
    assert response.status_code == 200
    assert response.read() == ANSWER
    assert "content-type" in response.headers
    assert "x-interim" not in response.headers
    assert "x-trailer" not in response.headers


def test_a_timeout_on_a_reused_connection_is_not_resent(kind: str) -> None:
    """The second request is read and never answered: a timeout the retry policy must not take
    for a connect timeout, since the server has the request."""
    seen: list[bytes] = []

    def script(sock: socket.socket, request: bytes) -> None:
        seen.append(request)
        if len(seen) == 1:
            sock.sendall(ok_response())
        else:
            time.sleep(1.5)

    with raw_server(script, keep_alive=True) as server:
        t = twin(kind, server.url, max_retries=2, timeout=0.5)
        try:
            assert t.call("generate", "p").generated_text == " ok"
            with pytest.raises(errors.APITimeoutError) as err:
                t.call("generate", "p")
        finally:
            t.close()
    assert len(seen) == 2
    assert err.value.attempts == 1
    assert not err.value.before_response


def test_libcurl_never_picks_a_proxy_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx decides the route; a direct one stays direct though libcurl reads ``http_proxy``."""
    with raw_server(_ok) as server, logging_proxy() as proxy:
        monkeypatch.setenv("http_proxy", proxy.url)
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        answer = _through_libcurl(server.url)
    assert answer.status_code == 200
    assert answer.read() == ANSWER
    assert proxy.log == []


def test_threads_share_the_handles(kind: str) -> None:
    with raw_server(_ok, keep_alive=True) as server:
        client = Client(server.url, max_retries=0, timeout=5)
        failures: list[BaseException] = []

        def work() -> None:
            try:
                for _ in range(10):
                    assert client.generate("p").generated_text == " ok"
            except BaseException as exc:
                failures.append(exc)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        client.close()
    assert failures == []
    assert len(server.requests) == 80
    assert server.connections <= 8


def test_without_pycurl_urllib3_carries_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pycurl", None)
    monkeypatch.delitem(sys.modules, "text_generation._curl_transport")
    monkeypatch.delattr(text_generation, "_curl_transport")
    assert _sync_transport.whole_answer_pool(10) is None
    with raw_server(_ok) as server, Client(server.url) as client:
        assert client.generate("p").generated_text == " ok"


def test_an_old_libcurl_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    version = list(pycurl.version_info())
    version[2] = 0x081200  # 8.18.0: older than any the glue was proven on
    monkeypatch.setattr(pycurl, "version_info", lambda: tuple(version))
    assert _sync_transport.whole_answer_pool(10) is None


_CTRL_C = """
import os, signal, sys, threading, time
from tests.resilience.rawserver import raw_server
from text_generation import Client, _sync_transport
if sys.argv[1] == "sync-urllib3":
    _sync_transport.whole_answer_pool = lambda maxsize: None
with raw_server(lambda sock, request: time.sleep(20)) as server:
    client = Client(server.url, timeout=30, max_retries=0)
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
    start = time.monotonic()
    try:
        client.generate("p")
    except KeyboardInterrupt:
        print(f"KeyboardInterrupt {time.monotonic() - start:.2f}")
"""


@pytest.mark.parametrize("route", ["sync", "sync-urllib3"])
def test_ctrl_c_interrupts_a_call_that_waits(route: str) -> None:
    """libcurl waits in C; Ctrl-C still raises KeyboardInterrupt at once, not after the answer."""
    done = subprocess.run(
        [sys.executable, "-c", _CTRL_C, route],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
        cwd=Path(__file__).parents[2],
    )
    word, _, elapsed = done.stdout.strip().partition(" ")
    assert word == "KeyboardInterrupt", done.stdout + done.stderr
    assert float(elapsed) < 3
