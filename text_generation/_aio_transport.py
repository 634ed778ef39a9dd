"""A lean HTTP/1.1 transport for ``httpx.AsyncClient`` on asyncio streams.

httpx's default async connection pool spends milliseconds of CPU per request once many are in
flight (its bookkeeping walks every queued request; encode/httpx#3215): about 400 calls/s at 100
in flight. This pool is O(1) per request: idle connections on a stack, waiters in a FIFO queue.

It speaks HTTP/1.1 with keep-alive: ``Content-Length``, chunked and close-delimited bodies; TLS
through ``ssl.create_default_context()`` for ``https``. It raises httpx's own exceptions
(``ConnectError``, ``ConnectTimeout``, ``ReadTimeout``, ``ReadError``, ``RemoteProtocolError``,
``PoolTimeout``), so everything above it behaves as with httpx's transport. Proxies configured
through the environment keep going through httpx's own transports (httpx mounts them first).
"""

from __future__ import annotations

import asyncio
import select
import ssl
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

import httpx


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
        if sock is None:
            return True
        try:
            readable, _, _ = select.select([sock], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable

    def close(self) -> None:
        self.writer.close()


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

    # -- connections ------------------------------------------------------------------------

    async def _acquire(
        self, request: httpx.Request, timeouts: dict[str, Any], *, reuse: bool = True
    ) -> tuple[_Pool, _Connection, bool]:
        url = request.url
        scheme, host = url.raw_scheme, url.raw_host
        port = url.port or (443 if scheme == b"https" else 80)
        key = (scheme, host, port)
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = _Pool(self._max)
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
                    conn_or_none = await waiter
            except TimeoutError:
                raise httpx.PoolTimeout("timed out waiting for a connection") from None
            if conn_or_none is not None:
                return pool, conn_or_none, True
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

    # -- one exchange -----------------------------------------------------------------------

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeout: dict[str, Any] = request.extensions.get("timeout", {})
        pool, conn, reused = await self._acquire(request, timeout)
        try:
            status, reason, headers = await self._exchange(conn, request, timeout)
        except _Unanswered:
            conn.close()
            pool.release(None)
            if not reused:
                raise
            # A kept-alive connection the server had closed as we reused it: nothing came back,
            # so the server did not take the request; send it once more on a new connection.
            pool, conn, _ = await self._acquire(request, timeout, reuse=False)
            status, reason, headers = await self._exchange_or_release(pool, conn, request, timeout)
        except BaseException:
            conn.close()
            pool.release(None)
            raise
        body = _Body(
            pool,
            conn,
            headers,
            timeout.get("read"),
            request.method == "HEAD" or status in (204, 304),
        )
        return httpx.Response(
            status,
            headers=headers,
            stream=body,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": reason},
        )

    async def _exchange(
        self, conn: _Connection, request: httpx.Request, timeouts: dict[str, Any]
    ) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        await self._send(conn, request, timeouts.get("write"))
        return await self._read_head(conn, timeouts.get("read"))

    async def _exchange_or_release(
        self, pool: _Pool, conn: _Connection, request: httpx.Request, timeouts: dict[str, Any]
    ) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        try:
            return await self._exchange(conn, request, timeouts)
        except BaseException:
            conn.close()
            pool.release(None)
            raise

    async def _send(self, conn: _Connection, request: httpx.Request, seconds: float | None) -> None:
        url = request.url
        target = url.raw_path
        lines = [b"%s %s HTTP/1.1" % (request.method.encode(), target)]
        if "host" not in request.headers:
            lines.append(b"Host: " + url.netloc)
        for name, value in request.headers.raw:
            lines.append(name + b": " + value)
        body = await request.aread()
        if body and "content-length" not in request.headers:
            lines.append(b"Content-Length: %d" % len(body))
        conn.writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        try:
            async with asyncio.timeout(seconds):
                await conn.writer.drain()
        except TimeoutError:
            raise httpx.WriteTimeout("writing the request timed out") from None
        except OSError as exc:
            raise _Unanswered(f"writing the request failed: {exc}") from None

    async def _read_head(
        self, conn: _Connection, seconds: float | None
    ) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        while True:
            head = await _read(
                conn.reader.readuntil(b"\r\n\r\n"), seconds, empty_ok=False, head=True
            )
            status_line, *header_lines = head[:-4].split(b"\r\n")
            parts = status_line.split(b" ", 2)
            if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
                raise httpx.RemoteProtocolError(f"malformed status line {status_line[:80]!r}")
            status = int(parts[1])
            if 100 <= status < 200 and status != 101:
                continue  # 100 Continue and friends precede the real answer
            headers = []
            for line in header_lines:
                name, sep, value = line.partition(b":")
                if not sep:
                    raise httpx.RemoteProtocolError(f"malformed header line {line[:80]!r}")
                headers.append((name.strip(), value.strip()))
            return status, parts[2] if len(parts) > 2 else b"", headers


class _Unanswered(httpx.RemoteProtocolError):
    """The connection closed before a single byte of the answer came back."""


async def _read(
    awaitable: Any, seconds: float | None, *, empty_ok: bool = True, head: bool = False
) -> bytes:
    try:
        async with asyncio.timeout(seconds):
            data: bytes = await awaitable
    except TimeoutError:
        raise httpx.ReadTimeout("timed out waiting for the server") from None
    except asyncio.IncompleteReadError as exc:
        if empty_ok and not exc.partial:
            return b""
        if exc.partial or not head:
            raise httpx.RemoteProtocolError("the server closed the connection mid-answer") from None
        raise _Unanswered("the server closed the connection without answering") from None
    except asyncio.LimitOverrunError:
        raise httpx.RemoteProtocolError("the answer's head is too large") from None
    except OSError as exc:
        raise httpx.ReadError(str(exc) or type(exc).__name__) from None
    return data


class _Body(httpx.AsyncByteStream):
    """A response body read straight off the connection; the connection goes back to the pool
    when the body was read to its end, and is closed when the body is left unfinished."""

    def __init__(
        self,
        pool: _Pool,
        conn: _Connection,
        headers: list[tuple[bytes, bytes]],
        timeout: float | None,
        empty: bool,
    ) -> None:
        self._pool, self._conn, self._timeout = pool, conn, timeout
        self._length: int | None = None
        self._chunked = False
        self._reusable = True
        for name, value in headers:
            lname = name.lower()
            if lname == b"content-length" and value.isdigit():
                self._length = int(value)
            elif lname == b"transfer-encoding" and b"chunked" in value.lower():
                self._chunked = True
            elif lname == b"connection" and value.lower() == b"close":
                self._reusable = False
        if empty:
            self._length, self._chunked = 0, False
        elif self._length is None and not self._chunked:
            self._reusable = False  # read until the server closes
        self._done = False
        self._released = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        reader, timeout = self._conn.reader, self._timeout
        if self._chunked:
            while True:
                size_line = await _read(reader.readuntil(b"\r\n"), timeout, empty_ok=False)
                try:
                    size = int(size_line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    raise httpx.RemoteProtocolError(f"bad chunk size {size_line[:40]!r}") from None
                if size == 0:
                    while (
                        await _read(reader.readuntil(b"\r\n"), timeout, empty_ok=False) != b"\r\n"
                    ):
                        pass  # trailers
                    break
                data = await _read(reader.readexactly(size + 2), timeout, empty_ok=False)
                yield data[:-2]
        elif self._length is not None:
            left = self._length
            while left:
                data = await _read(reader.read(min(left, 2**20)), timeout)
                if not data:
                    raise httpx.RemoteProtocolError("the server closed the connection mid-answer")
                left -= len(data)
                yield data
        else:
            while data := await _read(reader.read(2**16), timeout):
                yield data
        self._done = True
        await self.aclose()

    async def aclose(self) -> None:
        if self._released:
            return
        self._released = True
        if self._done and self._reusable:
            self._pool.release(self._conn)
        else:
            self._conn.close()
            self._pool.release(None)
