"""One canary per private name in the table of ``text_generation._transports``: each fails when
that name changes shape or meaning in a new release of its library, so an upgrade fails CI
instead of switching a protection off silently. Also: the installed versions are inside the
tested pins."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import socket
from importlib.metadata import version
from typing import Any

import aiohttp
import httpx
import pytest
import urllib3
from aiohttp.client_proto import ResponseHandler
from packaging.requirements import Requirement

from tests.hostile.helpers import ok_response
from tests.resilience.rawserver import raw_server, sse_head
from text_generation._transports import aio, sync
from text_generation._transports._glue import QuietCookies
from text_generation._transports.aio import TGIAsyncHttpxClient
from text_generation._transports.sync import TGIHttpxClient

pytestmark = pytest.mark.timeout(30)


def test_installed_versions_are_inside_the_tested_pins() -> None:
    from importlib.metadata import requires

    pins = {Requirement(r).name: Requirement(r) for r in requires("tgi-sdk") or [] if ";" not in r}
    for name in ("urllib3", "aiohttp", "httpx"):
        assert pins[name].specifier.contains(version(name)), (name, version(name))
        assert any(s.operator == "<" for s in pins[name].specifier), name  # an upper bound


# 1. httpx Client._init_transport / AsyncClient._init_transport


@pytest.mark.parametrize("cls", [httpx.Client, httpx.AsyncClient])
def test_httpx_init_transport_keeps_its_signature(cls: type[Any]) -> None:
    params = list(inspect.signature(cls._init_transport).parameters)
    assert params == [
        "self", "verify", "cert", "trust_env", "http1", "http2", "limits", "transport"
    ]  # fmt: skip
    assert "self._init_transport(" in inspect.getsource(cls.__init__)


def test_our_transports_carry_the_direct_routes_and_httpx_the_proxied_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "localhost")
    for client in (TGIHttpxClient(), TGIAsyncHttpxClient()):
        direct = client._transport_for_url(httpx.URL("http://localhost:1/"))
        proxied = client._transport_for_url(httpx.URL("http://example.com/"))
        assert isinstance(direct, (sync.Urllib3Transport, aio.AiohttpTransport))
        assert isinstance(proxied, (httpx.HTTPTransport, httpx.AsyncHTTPTransport))


# 2. httpx Client._cookies


def test_httpx_keeps_the_jar_in_cookies_and_extracts_through_it() -> None:
    def script(sock: socket.socket, request: bytes) -> None:
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nset-cookie: a=1\r\ncontent-length: 0\r\n\r\n"
            if b"/set" in request
            else ok_response()
        )

    with raw_server(script, keep_alive=True) as server, TGIHttpxClient() as client:
        assert isinstance(client.cookies, QuietCookies)
        client.get(server.url + "/set")
        assert client.cookies.get("a") == "1"  # still kept through our jar
    for cls in (httpx.Client, httpx.AsyncClient):
        assert "return self._cookies" in inspect.getsource(cls.cookies.fget)  # type: ignore[attr-defined]
        assert "self.cookies.extract_cookies(response)" in inspect.getsource(
            cls._send_single_request
        )


# 3. aiohttp ClientSession._retry_connection


def test_aiohttp_resends_idempotent_requests_unless_retry_connection_is_off() -> None:
    source = inspect.getsource(aiohttp.ClientSession._request)
    assert "self._retry_connection and method in IDEMPOTENT_METHODS" in source

    def script(sock: socket.socket, request: bytes) -> None:
        if b"/first" in request:
            sock.sendall(ok_response())
        else:
            sock.close()  # the reused connection dies before any answer

    async def main(retry: bool) -> int:
        with raw_server(script, keep_alive=True) as server:
            async with aiohttp.ClientSession() as session:
                session._retry_connection = retry
                async with session.get(server.url + "/first") as resp:
                    await resp.read()
                with contextlib.suppress(aiohttp.ClientError):
                    await session.get(server.url + "/second")
            return sum(b"/second" in r for r in server.requests)

    assert asyncio.run(main(True)) == 2  # what aiohttp does on its own
    assert asyncio.run(main(False)) == 1  # what our session does


# 4. aiohttp ResponseHandler.should_close


def test_aiohttp_protocol_says_should_close_after_bytes_while_idle() -> None:
    async def main() -> tuple[bool, bool]:
        proto = ResponseHandler(asyncio.get_running_loop())
        fresh = proto.should_close
        proto.data_received(b"HTTP/1.1 408 Request Timeout\r\n\r\n")  # no request was sent
        return fresh, proto.should_close

    assert asyncio.run(main()) == (False, True)
    assert "def connect(" in inspect.getsource(aiohttp.BaseConnector)


# 5. urllib3 reads chunk-size lines through http.client's fp.readline


def test_urllib3_reads_chunk_size_lines_with_fp_readline() -> None:
    source = inspect.getsource(urllib3.response.HTTPResponse._update_chunk_length)
    assert "self._fp.fp.readline(" in source
    assert "int(line, 16)" in source

    def script(sock: socket.socket, request: bytes) -> None:
        sock.sendall(sse_head() + b"0" * 30 + b"5\r\nhello\r\n0\r\n\r\n")

    with (
        raw_server(script) as server,
        TGIHttpxClient() as client,
        pytest.raises(httpx.RemoteProtocolError, match="chunk-size"),
    ):
        client.post(server.url + "/generate_stream", content=b"{}").read()
