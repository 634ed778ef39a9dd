"""TLS with a throwaway CA (refused by default; trusted with ``verify=``, ``SSL_CERT_FILE`` or
an ``ssl.SSLContext``), proxies through a local logging proxy (``proxy=`` and the environment
variables, absolute-form for http and CONNECT for https, ``NO_PROXY``), and ``http_client=``."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.hostile.helpers import ok_response, twin
from tests.hostile.servers import logging_proxy, tls_server
from tests.resilience.rawserver import raw_server
from text_generation import AsyncClient, Client, errors

pytestmark = pytest.mark.timeout(60)

PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _ok(sock: socket.socket, request: bytes) -> None:
    sock.sendall(ok_response())


@pytest.fixture
def https(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with tls_server(_ok, tmp_path) as (server, ca_file):
        yield server.url, ca_file


def test_an_unknown_ca_is_refused_by_default(kind: str, https: tuple[str, Path]) -> None:
    url, _ = https
    t = twin(kind, url)
    try:
        with pytest.raises(errors.APIConnectionError) as err:
            t.call("generate", "p")
    finally:
        t.close()
    assert "certificate" in str(err.value).lower()
    assert err.value.before_response


@pytest.mark.parametrize("how", ["path", "str-path", "context", "SSL_CERT_FILE", "off"])
def test_the_ca_is_trusted_when_asked(
    kind: str, https: tuple[str, Path], how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, ca_file = https
    options: dict[str, object] = {}
    if how == "path":
        options["verify"] = ca_file
    elif how == "str-path":
        options["verify"] = str(ca_file)
    elif how == "context":
        options["verify"] = ssl.create_default_context(cafile=str(ca_file))
    elif how == "off":
        options["verify"] = False
    else:
        monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    t = twin(kind, url, **options)
    try:
        assert t.call("generate", "p").generated_text == " ok"
    finally:
        t.close()


@pytest.mark.parametrize("verify", ["/no/such/ca.pem", 3])
def test_a_bad_verify_is_refused_when_the_client_is_built(verify: object) -> None:
    with pytest.raises(errors.ClientValidationError, match="verify"):
        Client("https://127.0.0.1:1", verify=verify)


@pytest.mark.parametrize("source", ["argument", "HTTP_PROXY", "ALL_PROXY"])
def test_plain_http_goes_through_the_proxy_in_absolute_form(
    kind: str, source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with raw_server(_ok, keep_alive=True) as server, logging_proxy() as proxy:
        options: dict[str, object] = {}
        if source == "argument":
            options["proxy"] = proxy.url
        else:
            monkeypatch.setenv(source, proxy.url)
        t = twin(kind, server.url, **options)
        try:
            assert t.call("generate", "p").generated_text == " ok"
        finally:
            t.close()
    assert proxy.log == [f"POST {server.url}/generate HTTP/1.1"]


def test_https_goes_through_the_proxy_in_a_connect_tunnel(
    kind: str, https: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, ca_file = https
    with logging_proxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        t = twin(kind, url, verify=ca_file)
        try:
            assert t.call("generate", "p").generated_text == " ok"
        finally:
            t.close()
    assert proxy.log == [f"CONNECT {url.removeprefix('https://')} HTTP/1.1"]


def test_no_proxy_bypasses_the_proxy(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with raw_server(_ok) as server, logging_proxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        t = twin(kind, server.url)
        try:
            assert t.call("generate", "p").generated_text == " ok"
        finally:
            t.close()
    assert proxy.log == []
    assert len(server.requests) == 1


def test_a_bad_proxy_is_refused_when_the_client_is_built() -> None:
    with pytest.raises(errors.ClientValidationError, match="proxy"):
        Client("http://127.0.0.1:1", proxy="nonsense://x:y:z")


def test_an_http_client_of_your_own_is_used_and_left_open(kind: str) -> None:
    with raw_server(_ok, keep_alive=True) as server:
        seen: list[httpx.Request] = []

        def hook(request: httpx.Request) -> None:
            seen.append(request)

        async def ahook(request: httpx.Request) -> None:
            seen.append(request)

        own: httpx.Client | httpx.AsyncClient = (
            httpx.Client(headers={"x-mine": "1"}, event_hooks={"request": [hook]})
            if kind == "sync"
            else httpx.AsyncClient(headers={"x-mine": "1"}, event_hooks={"request": [ahook]})
        )
        t = twin(kind, server.url, http_client=own, headers={"x-ours": "2"}, cookies={"c": "3"})
        try:
            assert t.call("generate", "p").generated_text == " ok"
            t.run(t.client.aclose() if isinstance(t.client, AsyncClient) else None)
            if isinstance(t.client, Client):
                t.client.close()
            assert not own.is_closed  # we do not close what we did not open
            assert t.call("generate", "p").generated_text == " ok"  # still usable
        finally:
            if isinstance(own, httpx.AsyncClient):
                t.run(own.aclose())
            else:
                own.close()
            t.close()
    assert len(seen) == 2
    head = server.requests[0].split(b"\r\n\r\n")[0].lower()
    assert b"x-mine: 1" in head
    assert b"x-ours: 2" in head
    assert b"cookie: c=3" in head


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_an_http_client_of_the_wrong_kind_is_refused(cls: type[Client]) -> None:
    wrong = httpx.AsyncClient() if cls is Client else httpx.Client()
    with pytest.raises(errors.ClientValidationError, match="http_client"):
        cls("http://127.0.0.1:1", http_client=wrong)
