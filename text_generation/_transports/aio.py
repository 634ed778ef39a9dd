"""``AsyncClient``'s HTTP: an httpx transport over aiohttp's connection pool (glue only).

httpx's own async pool spends milliseconds of CPU per request once a hundred are in flight
(encode/httpx#3215) and hands a stream over one h11 chunk at a time; aiohttp's pool and its C
HTTP parser (llhttp) carry the same traffic at a fraction of that cost. This is the route
openai-python offers for high concurrency (``httpx-aiohttp``); our glue differs from that
package in these ways: every aiohttp exception becomes the httpx exception that says what
happened (a server that hung up is not a connect timeout), aiohttp never resends a request on its
own, an idle kept-alive connection on which the server sent anything unasked (a late answer, a
stale 408) is closed instead of handing those bytes to the next request, and what httpx's own
transport promises holds: at most ``max_connections``, a wait of at most the pool timeout for
one (``PoolTimeout``), idle connections dropped after ``keepalive_expiry`` (aiohttp's
``keepalive_timeout``), and a write timeout on a body too big to be buffered at once.

aiohttp's C parser (llhttp) refuses every chunk-size line h11 refuses but two kinds: blanks
between the size and a ``;`` extension, and more than 20 digits when leading zeros bring the
value under 2**64; aiohttp offers no hook to refuse those (the README's Limits).

``TGIAsyncHttpxClient`` is an ``httpx.AsyncClient`` whose direct routes use this transport;
routes through a proxy (``proxy=`` or the proxy environment variables) keep httpx's own proxy
transports. The aiohttp session belongs to the event loop it was made in.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp
import httpx

from text_generation._transports._glue import DEFAULT_LIMITS, OurTransports, answer, check_framing

_SMALL = 64 * 1024


class _Connector(aiohttp.TCPConnector):
    """aiohttp's connector, refusing to reuse an idle connection that received bytes while
    idle (its protocol then says ``should_close``): aiohttp would parse them as the answer to
    the next request on it."""

    async def connect(
        self,
        req: Any,
        traces: Any,
        timeout: aiohttp.ClientTimeout,  # noqa: ASYNC109  (aiohttp's signature)
    ) -> Any:
        while True:
            conn = await super().connect(req, traces, timeout)
            proto = conn.protocol
            if proto is None or not proto.should_close:
                return conn
            conn.close()  # data, or an error, arrived while it was idle: take another


@contextmanager
def _mapped(*, reading: bool) -> Iterator[None]:
    """aiohttp's exceptions as httpx's own."""
    try:
        yield
    except httpx.HTTPError:
        raise
    except aiohttp.ConnectionTimeoutError as exc:
        raise httpx.ConnectTimeout(str(exc) or "timed out connecting") from exc
    except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
        raise httpx.ReadTimeout(str(exc) or "timed out waiting for the server") from exc
    except aiohttp.ClientConnectorError as exc:  # refused, unreachable, DNS, TLS handshake
        raise httpx.ConnectError(_describe(exc)) from exc
    except aiohttp.ClientResponseError as exc:  # the answer's head could not be parsed
        raise httpx.RemoteProtocolError(_describe(exc)) from exc
    except aiohttp.ServerDisconnectedError as exc:
        raise httpx.RemoteProtocolError(
            "the server closed the connection mid-answer"
            if reading
            else "the server closed the connection without answering"
        ) from exc
    except aiohttp.ClientPayloadError as exc:
        raise httpx.RemoteProtocolError(_describe(exc)) from exc
    except (aiohttp.ClientOSError, OSError) as exc:
        cls = httpx.ReadError if reading else httpx.WriteError
        raise cls(_describe(exc)) from exc
    except aiohttp.InvalidURL as exc:
        raise httpx.InvalidURL(str(exc)) from exc
    except (aiohttp.ClientError, ValueError) as exc:
        raise httpx.RemoteProtocolError(_describe(exc)) from exc


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    cause = exc.__cause__
    if isinstance(exc, aiohttp.ClientPayloadError) and cause is not None:
        text = f"{text} ({cause})"
    return text


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Requests through an ``aiohttp.ClientSession`` made on first use (in the running loop);
    ``max_connections`` per client. aiohttp neither retries, redirects, decompresses nor keeps
    cookies here: httpx and the client's retry policy do what they document."""

    def __init__(
        self, ssl_context: Callable[[], ssl.SSLContext], limits: httpx.Limits = DEFAULT_LIMITS
    ) -> None:
        self._make_context = ssl_context
        self._context: ssl.SSLContext | None = None
        self._limit = limits.max_connections or 100
        self._expiry = limits.keepalive_expiry
        self._session: aiohttp.ClientSession | None = None
        self._slots: asyncio.Semaphore | None = None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = _Connector(
                limit=self._limit,
                keepalive_timeout=self._expiry if self._expiry is not None else 3600 * 24,
            )
            session = aiohttp.ClientSession(
                connector=connector,
                auto_decompress=False,
                cookie_jar=aiohttp.DummyCookieJar(),
                skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
            )
            # aiohttp resends an idempotent request once when a reused connection drops;
            # only the client's retry policy may send a request again.
            session._retry_connection = False
            self._session = session
            self._slots = asyncio.Semaphore(self._limit)
        return self._session

    async def _slot(self, wait: float | None) -> asyncio.Semaphore:
        """One of the ``max_connections`` slots, held until the answer is closed; waiting
        longer than the pool timeout raises ``PoolTimeout`` (aiohttp reports that wait as a
        connect timeout)."""
        slots = self._slots
        assert slots is not None
        if not slots.locked():  # one is free: no wait, no timer
            await slots.acquire()
            return slots
        try:
            async with asyncio.timeout(wait):
                await slots.acquire()
        except TimeoutError:
            raise httpx.PoolTimeout("no connection became free within the pool timeout") from None
        return slots

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts: dict[str, Any] = request.extensions.get("timeout", {})
        session = self._get_session()
        content = await request.aread()
        tls: dict[str, Any] = {}
        if request.url.scheme == "https":
            if self._context is None:  # made on the first https request: it costs ~50 ms
                self._context = self._make_context()
            tls["ssl"] = self._context
        url = request.url
        if url.userinfo:  # httpx made the Authorization header from it already
            url = url.copy_with(username=None, password=None)
        slots = await self._slot(timeouts.get("pool"))
        try:
            with _mapped(reading=False):
                sending = asyncio.timeout(None) if len(content) > _SMALL else None
                data: Any = content or None
                if sending is not None:
                    data = _paced(content, sending, timeouts.get("write"))
                try:
                    async with sending or contextlib.nullcontext():
                        resp = await session.request(
                            request.method,
                            str(url),
                            headers=request.headers.multi_items(),
                            data=data,
                            allow_redirects=False,
                            compress=None,
                            timeout=aiohttp.ClientTimeout(
                                total=None,
                                sock_connect=timeouts.get("connect"),
                                sock_read=timeouts.get("read"),
                            ),
                            **tls,
                        )
                except TimeoutError:
                    if sending is not None and sending.expired():
                        raise httpx.WriteTimeout("timed out sending the request") from None
                    raise
        except BaseException:
            slots.release()
            raise
        headers = list(resp.raw_headers)
        try:
            check_framing(headers)
        except httpx.HTTPError:
            resp.close()
            slots.release()
            raise
        version = b"HTTP/%d.%d" % (resp.version.major, resp.version.minor) if resp.version else b""
        body = _Body(resp, slots)
        size = resp.content_length
        if size is not None and size <= _SMALL and not resp.headers.get("transfer-encoding"):
            # A small answer of known length (every generate answer): read it now, and give
            # the connection back at once; httpx gets it as a ready stream and reads it once.
            try:
                with _mapped(reading=True):
                    content = await resp.read()
            finally:
                await body.aclose()
            stream: httpx.AsyncByteStream = httpx.ByteStream(content)
        else:
            stream = body
        return answer(
            resp.status, headers, stream, http_version=version or b"HTTP/1.1", reason=resp.reason
        )


async def _paced(
    content: bytes, sending: asyncio.Timeout, write: float | None
) -> AsyncIterator[bytes]:
    """A big body in pieces, each to be taken by aiohttp (written, or buffered under its
    high-water mark) within ``write`` seconds, else ``sending`` expires; aiohttp itself has no
    write timeout. The request's ``Content-Length`` keeps it unchunked."""
    loop = asyncio.get_running_loop()
    view = memoryview(content)
    for start in range(0, len(content), _SMALL):
        if write is not None:
            sending.reschedule(loop.time() + write)
        yield bytes(view[start : start + _SMALL])
    sending.reschedule(None)


class _Body(httpx.AsyncByteStream):
    """The answer's body, whatever aiohttp has buffered at each read. The connection goes back
    to the pool after the last byte; an answer left unfinished closes it."""

    def __init__(self, resp: aiohttp.ClientResponse, slots: asyncio.Semaphore) -> None:
        self._resp = resp
        self._slots: asyncio.Semaphore | None = slots

    async def __aiter__(self) -> AsyncIterator[bytes]:
        content = self._resp.content
        with _mapped(reading=True):
            while True:
                data = await content.readany()
                if not data:
                    break
                yield data

    async def aclose(self) -> None:
        resp = self._resp
        if resp.content.at_eof() and resp.content.exception() is None:
            resp.release()
        else:
            resp.close()
        if self._slots is not None:
            self._slots.release()
            self._slots = None


class TGIAsyncHttpxClient(OurTransports, httpx.AsyncClient):
    """An ``httpx.AsyncClient`` on ``AiohttpTransport`` for its direct routes."""

    _transport_type = AiohttpTransport
