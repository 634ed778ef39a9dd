"""What the sync and async transports share: the framing checks on an answer's head and on a
chunk-size line, the cookie jar, the TLS context, and the ``_init_transport`` hook that puts
our transports under httpx's clients."""

from __future__ import annotations

import re
import ssl
from collections.abc import Callable
from typing import Any

import httpx

DEFAULT_LIMITS = httpx.Limits()

#: A chunk-size line as h11 accepts it (``h11._abnf.chunk_header``): 1 to 20 hex digits, an
#: optional extension, optional trailing blanks, CRLF or LF. ``int(line, 16)``, which urllib3
#: uses, also takes ``-1``, ``0x10``, ``1_0``, blanks in front and any number of digits.
CHUNK_LINE = re.compile(rb"([0-9A-Fa-f]{1,20})(?:;[^\n]*)?[ \t]*\r?\n")


def answer(
    status: int,
    headers: list[tuple[bytes, bytes]],
    stream: httpx.SyncByteStream | httpx.AsyncByteStream,
    *,
    http_version: bytes,
    reason: str | bytes | None,
) -> httpx.Response:
    """The httpx answer a transport hands back: status, header fields, body stream, and the
    ``http_version`` / ``reason_phrase`` extensions httpx reads."""
    if not isinstance(reason, bytes):
        reason = (reason or "").encode("latin-1", "replace")
    return httpx.Response(
        status,
        headers=headers,
        stream=stream,
        extensions={"http_version": http_version, "reason_phrase": reason},
    )


def check_framing(headers: list[tuple[bytes, bytes]]) -> None:
    """Refuse the answer framings that ``http.client`` or aiohttp read loosely and h11 refuses:
    a ``Transfer-Encoding`` other than one ``chunked``, one beside a ``Content-Length``, and a
    ``Content-Length`` that is not one decimal number."""
    encodings = [v for k, v in headers if k.lower() == b"transfer-encoding"]
    lengths = {v.strip() for k, v in headers if k.lower() == b"content-length"}
    if encodings and (len(encodings) > 1 or encodings[0].strip().lower() != b"chunked"):
        raise httpx.RemoteProtocolError(f"unsupported transfer-encoding {encodings!r}")
    if encodings and lengths:
        raise httpx.RemoteProtocolError("an answer with both transfer-encoding and content-length")
    if len(lengths) > 1 or (lengths and not next(iter(lengths)).isdigit()):
        raise httpx.RemoteProtocolError(f"bad content-length {sorted(lengths)!r}")


class QuietCookies(httpx.Cookies):
    """A cookie jar that skips the standard library's costly parse of an answer that sets no
    cookie (a sixth of a keep-alive call's CPU otherwise)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


class OurTransports:
    """What ``TGIHttpxClient`` and ``TGIAsyncHttpxClient`` share: the cookie jar, and
    ``_transport_type`` (built with the TLS context and limits) for the direct routes."""

    _transport_type: Callable[[Callable[[], ssl.SSLContext], httpx.Limits], Any]
    _cookies: httpx.Cookies

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._cookies = QuietCookies(self._cookies)  # httpx has no public way to plug one in

    def _init_transport(
        self,
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: httpx.Limits = DEFAULT_LIMITS,
        transport: Any = None,
    ) -> Any:
        if transport is not None:
            return transport
        return self._transport_type(lambda: ssl_context(verify, trust_env), limits)


def ssl_context(verify: ssl.SSLContext | str | bool, trust_env: bool) -> ssl.SSLContext:
    """The TLS context for ``verify`` (True, False, a CA bundle file or folder, a context);
    with ``trust_env``, ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` as httpx reads them."""
    if isinstance(verify, str):
        import os

        if os.path.isdir(verify):
            return ssl.create_default_context(capath=verify)
        return ssl.create_default_context(cafile=verify)
    return httpx.create_ssl_context(verify=verify, trust_env=trust_env)
