"""A lean HTTP/1.1 transport for ``httpx.AsyncClient`` on asyncio streams.

httpx's default async connection pool spends milliseconds of CPU per request once many are in
flight (its bookkeeping walks every queued request; encode/httpx#3215): about 400 calls/s at 100
in flight. This pool is O(1) per request: idle connections on a stack, waiters in a FIFO queue.
Answers are parsed by the shared sans-I/O ``_http11.ResponseParser``, a whole read at a time.

It raises httpx's own exceptions (``ConnectError``, ``ConnectTimeout``, ``ReadTimeout``,
``ReadError``, ``RemoteProtocolError``, ``PoolTimeout``), so everything above it behaves as with
httpx's transport. TLS goes through ``ssl.create_default_context()``. Proxies configured in the
environment keep going through httpx's own transports (httpx mounts them first).
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

import httpx

from text_generation._http11 import ResponseParser, Unanswered, request_bytes, silent

_READ_SIZE = 256 * 1024


class _Connection:
    __slots__ = ("reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @property
    def usable(self) -> bool:
        """Open, and silent: an idle keep-alive connection that turned readable was closed by
        the server (or sent something unasked), so it must not carry another request."""
        if self.reader.at_eof() or self.writer.is_closing():
            return False
        sock = self.writer.get_extra_info("socket")
        return sock is None or silent(sock)

    def close(self) -> None:
        self.writer.close()

    async def recv(self, seconds: float | None) -> bytes:
        try:
            async with asyncio.timeout(seconds):
                return await self.reader.read(_READ_SIZE)
        except TimeoutError:
            raise httpx.ReadTimeout("timed out waiting for the server") from None
        except OSError as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__) from None


class _Pool:
    """Connections to one origin: at most ``limit`` open, idle ones reused last-in first-out."""

    __slots__ = ("idle", "limit", "open", "waiters")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.open = 0
        self.idle: list[_Connection] = []
        self.waiters: deque[asyncio.Future[_Connection | None]] = deque()

    def release(self, conn: _Connection | None) -> None:
        """Give a connection back (None: it was closed) to a waiter or to the idle stack."""
        if conn is not None and not conn.usable:
            conn.close()
            conn = None
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)  # None tells the waiter to open its own
                return
        if conn is None:
            self.open -= 1
        else:
            self.idle.append(conn)


class AsyncHTTP11Transport(httpx.AsyncBaseTransport):
    """An O(1) keep-alive connection pool; ``max_connections`` per origin."""

    def __init__(self, max_connections: int = 100) -> None:
        self._max = max_connections
        self._pools: dict[tuple[bytes, bytes, int], _Pool] = {}
        self._ssl: ssl.SSLContext | None = None

    async def aclose(self) -> None:
        for pool in self._pools.values():
            for conn in pool.idle:
                conn.close()
            pool.idle.clear()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts: dict[str, Any] = request.extensions.get("timeout", {})
        data = request_bytes(request, await request.aread())
        parser = ResponseParser(no_body=request.method == "HEAD")
        pool, conn, reused = await self._acquire(request, timeouts)
        try:
            await self._exchange(conn, data, parser, timeouts)
        except Unanswered:
            conn.close()
            pool.release(None)
            if not reused:
                raise
            # A kept-alive connection the server had closed as we reused it: nothing came back,
            # so the server did not take the request; send it once more on a new connection.
            parser = ResponseParser(no_body=request.method == "HEAD")
            pool, conn, _ = await self._acquire(request, timeouts, reuse=False)
            await self._exchange_or_release(pool, conn, data, parser, timeouts)
        except BaseException:
            conn.close()
            pool.release(None)
            raise
        status, reason, headers = parser.head  # type: ignore[misc]
        extensions = {"http_version": b"HTTP/1.1", "reason_phrase": reason}
        first = parser.read_body()
        if parser.done:  # the whole answer came with its head: hand over plain bytes
            if not parser.reusable:
                conn.close()
            pool.release(conn if parser.reusable else None)
            return httpx.Response(status, headers=headers, content=first, extensions=extensions)
        body = _Body(pool, conn, parser, timeouts.get("read"), first)
        return httpx.Response(status, headers=headers, stream=body, extensions=extensions)

    async def _acquire(
        self, request: httpx.Request, timeouts: dict[str, Any], *, reuse: bool = True
    ) -> tuple[_Pool, _Connection, bool]:
        url = request.url
        scheme, host = url.raw_scheme, url.raw_host
        port = url.port or (443 if scheme == b"https" else 80)
        pool = self._pools.get((scheme, host, port))
        if pool is None:
            pool = self._pools[(scheme, host, port)] = _Pool(self._max)
        while reuse and pool.idle:
            conn = pool.idle.pop()
            if conn.usable:
                return pool, conn, True
            conn.close()
            pool.open -= 1
        if pool.open >= pool.limit:
            waiter: asyncio.Future[_Connection | None] = asyncio.get_running_loop().create_future()
            pool.waiters.append(waiter)
            try:
                async with asyncio.timeout(timeouts.get("pool")):
                    handed = await waiter
            except TimeoutError:
                raise httpx.PoolTimeout("timed out waiting for a connection") from None
            if handed is not None:
                return pool, handed, True
        else:
            pool.open += 1
        try:
            return pool, await self._connect(scheme, host, port, timeouts.get("connect")), False
        except BaseException:
            pool.release(None)
            raise

    async def _connect(
        self, scheme: bytes, host: bytes, port: int, seconds: float | None
    ) -> _Connection:
        tls: ssl.SSLContext | None = None
        if scheme == b"https":
            if self._ssl is None:
                self._ssl = ssl.create_default_context()
            tls = self._ssl
        name = host.decode("ascii")
        try:
            async with asyncio.timeout(seconds):
                reader, writer = await asyncio.open_connection(name, port, ssl=tls, limit=2**20)
        except TimeoutError:
            raise httpx.ConnectTimeout(f"connecting to {name}:{port} timed out") from None
        except (OSError, ssl.SSLError) as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from None
        return _Connection(reader, writer)

    async def _exchange(
        self, conn: _Connection, data: bytes, parser: ResponseParser, timeouts: dict[str, Any]
    ) -> None:
        conn.writer.write(data)
        try:
            if conn.writer.transport.get_write_buffer_size():  # else it all went out already
                async with asyncio.timeout(timeouts.get("write")):
                    await conn.writer.drain()
        except TimeoutError:
            raise httpx.WriteTimeout("writing the request timed out") from None
        except OSError as exc:
            raise Unanswered(f"writing the request failed: {exc}") from None
        while parser.read_head() is None:
            try:
                chunk = await conn.recv(timeouts.get("read"))
            except httpx.ReadError as exc:
                if parser.received:
                    raise
                raise Unanswered(str(exc)) from None
            if not chunk:
                parser.eof()
            parser.feed(chunk)

    async def _exchange_or_release(
        self,
        pool: _Pool,
        conn: _Connection,
        data: bytes,
        parser: ResponseParser,
        timeouts: dict[str, Any],
    ) -> None:
        try:
            await self._exchange(conn, data, parser, timeouts)
        except BaseException:
            conn.close()
            pool.release(None)
            raise


class _Body(httpx.AsyncByteStream):
    """A response body read straight off the connection; the connection goes back to the pool
    when the body was read to its end, and is closed when the body is left unfinished."""

    def __init__(
        self,
        pool: _Pool,
        conn: _Connection,
        parser: ResponseParser,
        seconds: float | None,
        first: bytes,
    ) -> None:
        self._pool, self._conn, self._parser, self._seconds = pool, conn, parser, seconds
        self._first = first
        self._released = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        parser = self._parser
        if self._first:
            yield self._first
        while True:
            data = parser.read_body()
            if data:
                yield data
            if parser.done:
                break
            chunk = await self._conn.recv(self._seconds)
            if not chunk:
                parser.eof()
            parser.feed(chunk)
        await self.aclose()

    async def aclose(self) -> None:
        if self._released:
            return
        self._released = True
        if self._parser.done and self._parser.reusable:
            self._pool.release(self._conn)
        else:
            self._conn.close()
            self._pool.release(None)
