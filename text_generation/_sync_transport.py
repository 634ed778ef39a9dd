"""A lean HTTP/1.1 transport for ``httpx.Client`` on plain sockets.

httpx's default transport hands a stream over one HTTP chunk at a time through h11, about 10 µs
of bookkeeping per chunk, and TGI sends one chunk per token: that alone halves the speed of a
long stream. Here each read of up to 256 KiB goes through the shared sans-I/O
``_http11.ResponseParser`` at once. Keep-alive connections are pooled (``max_connections`` per
origin, idle ones reused last-in first-out), and the pool is thread-safe.

It raises httpx's own exceptions, so everything above it behaves as with httpx's transport. TLS
goes through ``ssl.create_default_context()``; proxies configured in the environment keep going
through httpx's own transports (httpx mounts them first).
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from typing import Any

import httpx

from text_generation._http11 import ResponseParser, Unanswered, request_bytes, silent

_READ_SIZE = 256 * 1024


class _Connection:
    __slots__ = ("sock",)

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    @property
    def usable(self) -> bool:
        """Still quiet since it went idle (see ``_http11.silent``)."""
        return silent(self.sock)

    def close(self) -> None:
        self.sock.close()

    def recv(self, seconds: float | None) -> bytes:
        try:
            self.sock.settimeout(seconds)
            return self.sock.recv(_READ_SIZE)
        except TimeoutError:
            raise httpx.ReadTimeout("timed out waiting for the server") from None
        except OSError as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__) from None


class _Pool:
    """Connections to one origin: at most ``limit`` open; waiters block on a condition."""

    __slots__ = ("cond", "idle", "limit", "open")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.open = 0
        self.idle: list[_Connection] = []
        self.cond = threading.Condition()

    def acquire(self, seconds: float | None) -> _Connection | None:
        """An idle connection, or None with a slot reserved for a new one."""
        with self.cond:
            while True:
                while self.idle:
                    conn = self.idle.pop()
                    if conn.usable:
                        return conn
                    conn.close()
                    self.open -= 1
                if self.open < self.limit:
                    self.open += 1
                    return None
                if not self.cond.wait(seconds):
                    raise httpx.PoolTimeout("timed out waiting for a connection")

    def release(self, conn: _Connection | None) -> None:
        """Give a connection back (None: it was closed, its slot is free)."""
        with self.cond:
            if conn is None or not conn.usable:
                if conn is not None:
                    conn.close()
                self.open -= 1
            else:
                self.idle.append(conn)
            self.cond.notify()


class HTTP11Transport(httpx.BaseTransport):
    """A thread-safe keep-alive connection pool; ``max_connections`` per origin."""

    def __init__(self, max_connections: int = 100) -> None:
        self._max = max_connections
        self._pools: dict[tuple[bytes, bytes, int], _Pool] = {}
        self._lock = threading.Lock()
        self._ssl: ssl.SSLContext | None = None

    def close(self) -> None:
        with self._lock:
            pools = list(self._pools.values())
        for pool in pools:
            with pool.cond:
                for conn in pool.idle:
                    conn.close()
                    pool.open -= 1
                pool.idle.clear()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        timeouts: dict[str, Any] = request.extensions.get("timeout", {})
        data = request_bytes(request, request.read())
        pool, origin = self._pool(request.url)
        conn = pool.acquire(timeouts.get("pool"))
        reused = conn is not None
        parser = ResponseParser(no_body=request.method == "HEAD")
        try:
            conn = conn or self._connect(origin, timeouts.get("connect"))
            self._exchange(conn, data, parser, timeouts)
        except Unanswered:
            if conn is not None:
                conn.close()
            if not reused:
                pool.release(None)
                raise
            # A kept-alive connection the server had closed as we reused it: nothing came back,
            # so the server did not take the request; send it once more on a new connection.
            parser = ResponseParser(no_body=request.method == "HEAD")
            conn = None
            try:
                conn = self._connect(origin, timeouts.get("connect"))
                self._exchange(conn, data, parser, timeouts)
            except BaseException:
                if conn is not None:
                    conn.close()
                pool.release(None)
                raise
        except BaseException:
            if conn is not None:
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

    def _pool(self, url: httpx.URL) -> tuple[_Pool, tuple[bytes, bytes, int]]:
        scheme, host = url.raw_scheme, url.raw_host
        origin = (scheme, host, url.port or (443 if scheme == b"https" else 80))
        with self._lock:
            pool = self._pools.get(origin)
            if pool is None:
                pool = self._pools[origin] = _Pool(self._max)
        return pool, origin

    def _connect(self, origin: tuple[bytes, bytes, int], seconds: float | None) -> _Connection:
        scheme, host, port = origin
        name = host.decode("ascii")
        try:
            sock = socket.create_connection((name, port), timeout=seconds)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if scheme == b"https":
                if self._ssl is None:
                    self._ssl = ssl.create_default_context()
                sock = self._ssl.wrap_socket(sock, server_hostname=name)
        except TimeoutError:
            raise httpx.ConnectTimeout(f"connecting to {name}:{port} timed out") from None
        except (OSError, ssl.SSLError) as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from None
        return _Connection(sock)

    def _exchange(
        self, conn: _Connection, data: bytes, parser: ResponseParser, timeouts: dict[str, Any]
    ) -> None:
        try:
            conn.sock.settimeout(timeouts.get("write"))
            conn.sock.sendall(data)
        except TimeoutError:
            raise httpx.WriteTimeout("writing the request timed out") from None
        except OSError as exc:
            raise Unanswered(f"writing the request failed: {exc}") from None
        while parser.read_head() is None:
            try:
                chunk = conn.recv(timeouts.get("read"))
            except httpx.ReadError as exc:
                if parser.received:
                    raise
                raise Unanswered(str(exc)) from None
            if not chunk:
                parser.eof()
            parser.feed(chunk)


class _Body(httpx.SyncByteStream):
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

    def __iter__(self) -> Iterator[bytes]:
        parser = self._parser
        if self._first:
            yield self._first
        while True:
            data = parser.read_body()
            if data:
                yield data
            if parser.done:
                break
            chunk = self._conn.recv(self._seconds)
            if not chunk:
                parser.eof()
            parser.feed(chunk)
        self.close()

    def close(self) -> None:
        if self._released:
            return
        self._released = True
        if self._parser.done and self._parser.reusable:
            self._pool.release(self._conn)
        else:
            self._conn.close()
            self._pool.release(None)
