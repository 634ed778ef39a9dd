"""Header injection: a header, cookie or base URL that HTTP cannot carry as given is refused with
a ``ClientValidationError`` before any byte is sent; the server parses no request at all."""

from __future__ import annotations

import socket

import pytest

from tests.hostile.helpers import ok_response, twin
from tests.resilience.rawserver import raw_server
from text_generation import AsyncClient, Client, errors

pytestmark = pytest.mark.timeout(30)

SMUGGLED = "x\r\nContent-Length: 0\r\n\r\nGET /admin/delete-everything HTTP/1.1\r\nHost: a"

BAD_HEADERS = {
    "crlf-request": {"X-Trace": SMUGGLED},
    "bare-lf": {"X-Trace": "a\nb"},
    "bare-cr": {"X-Trace": "a\rb"},
    "nul": {"X-Trace": "a\x00b"},
    "non-ascii": {"X-Trace": "café"},
    "token-with-crlf": {"Authorization": "Bearer abc\r\nX-Admin: 1"},
    "name-with-space": {"X Trace": "1"},
    "name-with-colon": {"X-Trace:": "1"},
    "name-with-crlf": {"X-Trace\r\nX-Admin": "1"},
    "not-a-string": {"X-Trace": 1},
}

BAD_COOKIES = {
    "crlf": {"session": SMUGGLED},
    "nul": {"session": "a\x00b"},
    "semicolon": {"session": "a; admin=1"},
    "non-ascii": {"session": "é"},
    "name-with-equals": {"a=b": "1"},
}


def _count(sock: socket.socket, request: bytes) -> None:
    sock.sendall(ok_response())


@pytest.mark.parametrize("cls", [Client, AsyncClient])
@pytest.mark.parametrize("case", list(BAD_HEADERS))
def test_bad_headers_are_refused_and_nothing_is_sent(cls: type[Client], case: str) -> None:
    with (
        raw_server(_count) as server,
        pytest.raises(errors.ClientValidationError, match="header"),
    ):
        cls(server.url, headers=BAD_HEADERS[case])  # type: ignore[arg-type]
    assert server.requests == []


@pytest.mark.parametrize("cls", [Client, AsyncClient])
@pytest.mark.parametrize("case", list(BAD_COOKIES))
def test_bad_cookies_are_refused_and_nothing_is_sent(cls: type[Client], case: str) -> None:
    with (
        raw_server(_count) as server,
        pytest.raises(errors.ClientValidationError, match="cookie"),
    ):
        cls(server.url, cookies=BAD_COOKIES[case])
    assert server.requests == []


def test_headers_changed_after_construction_are_checked_before_sending(kind: str) -> None:
    with raw_server(_count) as server:
        t = twin(kind, server.url, headers={"X-Trace": "1"})
        try:
            assert t.client.headers is not None
            t.client.headers["X-Trace"] = SMUGGLED
            with pytest.raises(errors.ClientValidationError):
                t.call("generate", "p")
        finally:
            t.close()
    assert server.requests == []


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:8080/\r\nX-Admin: 1",
        "http://127.0.0.1:8080\n",
        "http://127.0.0.1:8080/a\x00b",
        " http://127.0.0.1:8080",
        "127.0.0.1:8080",
        "localhost",
        "ftp://127.0.0.1/",
        "http://",
        "http://[::1",
    ],
)
@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_bad_base_urls_are_refused_when_the_client_is_built(
    cls: type[Client], base_url: str
) -> None:
    with pytest.raises(errors.ClientValidationError, match="base_url"):
        cls(base_url)


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_a_missing_scheme_is_named(cls: type[Client]) -> None:
    with pytest.raises(errors.ClientValidationError) as err:
        cls("127.0.0.1:8080")
    assert "no scheme" in str(err.value)
    assert "http://127.0.0.1:8080" in str(err.value)


def test_good_headers_and_cookies_go_through(kind: str) -> None:
    with raw_server(_count) as server:
        t = twin(
            kind,
            server.url,
            headers={"X-Trace": "a b\tc", "Authorization": "Bearer hf_x"},
            cookies={"session": "abc"},
        )
        try:
            assert t.call("generate", "p").generated_text == " ok"
        finally:
            t.close()
    (request,) = server.requests
    head = request.split(b"\r\n\r\n")[0].lower() + b"\r\n"
    assert b"\r\nx-trace: a b\tc\r\n" in head
    assert b"\r\ncookie: session=abc\r\n" in head
