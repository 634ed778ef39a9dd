"""``Client``'s HTTP: an httpx transport over urllib3's connection pools (glue only).

httpx's own transport hands a stream over one HTTP chunk at a time through h11, about ten
microseconds of bookkeeping per chunk, and TGI sends one chunk per token. urllib3, the pool under
``requests`` (which text-generation 0.7.0 used), reads the same stream at a fraction of that
cost; the request and answer parsing are the standard library's ``http.client`` under urllib3.
Our code maps urllib3's exceptions to httpx's, refuses what those libraries let through and h11
refuses (``check_framing``, ``CHUNK_LINE``), and keeps what httpx's transport promises: at most
``max_connections`` per server, a wait of at most the pool timeout for one (``PoolTimeout``),
idle connections dropped after ``keepalive_expiry``, and a write timeout.

``TGIHttpxClient`` is an ``httpx.Client`` whose direct routes use this transport; routes through a
proxy (``proxy=``, or ``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``ALL_PROXY`` with ``NO_PROXY``) keep
httpx's own proxy transports, so proxies behave exactly as httpx documents.
"""

from __future__ import annotations

import functools
import http.client
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import urllib3
from urllib3 import exceptions as u3

from text_generation._transports._glue import (
    CHUNK_LINE,
    DEFAULT_LIMITS,
    OurTransports,
    answer,
    check_framing,
)

_READ_SIZE = 64 * 1024
_PORTS = {"http": 80, "https": 443}
_MAX_POOLS = 16
_call = threading.local()
"""The write timeout of the request this thread is sending (urllib3 has no write timeout)."""


@functools.lru_cache(maxsize=64)
def _timeout(connect: float | None, read: float | None) -> urllib3.Timeout:
    return urllib3.Timeout(connect=connect, read=read)


class _ChunkLines:
    """The socket file of a chunked answer, checking each chunk-size line urllib3 reads from it
    (``HTTPResponse._update_chunk_length`` reads them with ``fp.readline``) against h11's rule,
    until the last chunk; everything else passes through."""

    def __init__(self, fp: Any) -> None:
        self._fp = fp
        self._sizes = True

    def readline(self, limit: int = -1) -> bytes:
        line: bytes = self._fp.readline(limit)
        if self._sizes and line:
            size = CHUNK_LINE.fullmatch(line)
            if size is None:
                raise http.client.HTTPException(f"bad chunk-size line {line[:40]!r}")
            self._sizes = int(size[1], 16) != 0  # after the last chunk: trailer lines
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fp, name)


class _StrictResponse(http.client.HTTPResponse):
    """``http.client``'s answer; a chunked one has its size lines checked (``_ChunkLines``)."""

    def begin(self) -> None:
        super().begin()
        if self.chunked and self.fp is not None:
            self.fp = _ChunkLines(self.fp)  # type: ignore[assignment]


class _Strict:
    """What our connections add to urllib3's: the request's head and a small body in one write
    (urllib3 writes them apart: two segments, and a server that wakes up twice), the write
    timeout, and a connection idle longer than ``keepalive_expiry`` closed before reuse."""

    _merge = False
    _head: bytes | None = None
    idle_since: float | None = None
    """When the last answer on it ended (None while one is being read)."""
    sock: Any

    def __init__(self, *args: Any, keepalive_expiry: float | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.keepalive_expiry = keepalive_expiry

    def request(self, method: str, url: str, body: Any = None, *args: Any, **kw: Any) -> None:
        idle, self.idle_since = self.idle_since, None
        expiry = self.keepalive_expiry
        if idle is not None and expiry is not None and time.monotonic() - idle > expiry:
            self.close()  # type: ignore[attr-defined]  # a fresh one is opened to send on
        self._merge = isinstance(body, bytes) and 0 < len(body) <= _READ_SIZE
        try:
            super().request(method, url, body, *args, **kw)  # type: ignore[misc]
        finally:
            self._merge, self._head = False, None

    def send(self, data: Any) -> None:
        if self._merge:
            if self._head is None:  # the head: held back for the body
                self._head = bytes(data)
                return
            data, self._merge, self._head = self._head + bytes(data), False, None
        if self.sock is None:
            self.connect()  # type: ignore[attr-defined]
        self.sock.settimeout(getattr(_call, "write", None))
        try:
            super().send(data)  # type: ignore[misc]
        except TimeoutError:
            raise httpx.WriteTimeout("timed out sending the request") from None


class _Connection(_Strict, urllib3.connection.HTTPConnection):
    response_class = _StrictResponse


class _TLSConnection(_Strict, urllib3.connection.HTTPSConnection):
    response_class = _StrictResponse


class _Pool(urllib3.HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


@contextmanager
def _mapped(*, reading: bool) -> Iterator[None]:
    """urllib3's (and ``http.client``'s) exceptions as httpx's own."""
    try:
        yield
    except httpx.HTTPError:
        raise
    except u3.NewConnectionError as exc:  # a ConnectTimeoutError subclass: test it first
        if isinstance(exc.__cause__, TimeoutError):
            raise httpx.ConnectTimeout(str(exc)) from exc
        raise httpx.ConnectError(str(exc)) from exc
    except u3.ConnectTimeoutError as exc:
        raise httpx.ConnectTimeout(str(exc)) from exc
    except (u3.ReadTimeoutError, TimeoutError) as exc:
        raise httpx.ReadTimeout(str(exc) or "timed out waiting for the server") from exc
    except u3.EmptyPoolError as exc:
        raise httpx.PoolTimeout(str(exc)) from exc
    except (u3.SSLError, ssl.SSLError) as exc:  # the handshake, unless reading
        raise (httpx.ReadError if reading else httpx.ConnectError)(str(exc)) from exc
    except u3.LocationParseError as exc:
        raise httpx.InvalidURL(str(exc)) from exc
    except (u3.HTTPError, http.client.HTTPException, ValueError) as exc:
        raise httpx.RemoteProtocolError(_describe(exc)) from exc
    except OSError as exc:  # not known to have happened before the request left
        raise (httpx.ReadError if reading else httpx.WriteError)(_describe(exc)) from exc


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__
    text = str(exc) or type(exc).__name__
    if isinstance(exc, u3.ProtocolError) and exc.args and len(exc.args) > 1:
        text = f"{exc.args[0]} {exc.args[1]!r}"
    elif cause is not None and not str(exc):
        text = f"{type(exc).__name__}: {cause}"
    return text


class Urllib3Transport(httpx.BaseTransport):
    """Requests through urllib3 connection pools, one per (scheme, host, port), each of at most
    ``max_connections`` that blocks for the pool timeout when all are busy; ``ssl_context`` is
    made for the first https pool. urllib3 never retries or redirects here: the client's retry
    policy alone decides whether a request is sent again."""

    def __init__(
        self, ssl_context: Callable[[], ssl.SSLContext], limits: httpx.Limits = DEFAULT_LIMITS
    ) -> None:
        self._make_context = ssl_context
        self._context: ssl.SSLContext | None = None
        self._maxsize = limits.max_connections or 100
        self._expiry = limits.keepalive_expiry
        self._pools: OrderedDict[tuple[str, str, int], urllib3.HTTPConnectionPool] = OrderedDict()
        self._lock = threading.Lock()

    def _pool(self, scheme: str, host: str, port: int) -> urllib3.HTTPConnectionPool:
        key = (scheme, host, port)
        pool = self._pools.get(key)
        if pool is not None:
            return pool
        with self._lock:
            pool = self._pools.get(key)
            if pool is None:
                options: dict[str, Any] = {
                    "maxsize": self._maxsize,
                    "block": True,
                    "retries": False,
                    "keepalive_expiry": self._expiry,
                }
                if scheme == "https":
                    if self._context is None:  # made on first use: it costs ~50 ms
                        self._context = self._make_context()
                    pool = _TLSPool(host, port, ssl_context=self._context, **options)
                elif scheme == "http":
                    pool = _Pool(host, port, **options)
                else:
                    raise httpx.UnsupportedProtocol(f"unsupported URL scheme {scheme!r}")
                if len(self._pools) >= _MAX_POOLS:
                    self._pools.popitem(last=False)[1].close()
                self._pools[key] = pool
        return pool

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool in pools:
            pool.close()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        timeouts: dict[str, Any] = request.extensions.get("timeout", {})
        raw = request.headers.raw
        sent: dict[str, str] | urllib3.HTTPHeaderDict = {
            name.decode("latin-1"): value.decode("latin-1") for name, value in raw
        }
        if len({name.lower() for name in sent}) != len(raw):  # a name given twice
            sent = urllib3.HTTPHeaderDict()
            for name, value in raw:
                sent.add(name.decode("latin-1"), value.decode("latin-1"))
        url = request.url
        scheme = url.scheme
        _call.write = timeouts.get("write")
        with _mapped(reading=False):
            host = url.raw_host.decode("ascii")
            pool = self._pool(scheme, host, url.port or _PORTS.get(scheme, 80))
            resp = pool.urlopen(
                request.method,
                url.raw_path.decode("ascii"),
                body=request.read() or None,
                headers=sent,
                retries=False,
                redirect=False,
                assert_same_host=False,
                preload_content=False,
                decode_content=False,
                release_conn=False,
                timeout=_timeout(timeouts.get("connect"), timeouts.get("read")),
                pool_timeout=timeouts.get("pool"),
            )
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in resp.headers.iteritems()]
        try:
            check_framing(headers)
        except httpx.HTTPError:
            _discard(resp)
            raise
        version = b"HTTP/1.0" if resp.version == 10 else b"HTTP/1.1"
        body = _Body(resp)
        size = resp.length_remaining
        if not resp.chunked and size is not None and size <= _READ_SIZE:
            # A small answer of known length (every generate answer): read it now, and give
            # the connection back at once; httpx gets it as a ready stream and reads it once.
            try:
                with _mapped(reading=True):
                    content = resp.read(decode_content=False)
            finally:
                body.close()
            stream: httpx.SyncByteStream = httpx.ByteStream(content)
        else:
            stream = body
        return answer(resp.status, headers, stream, http_version=version, reason=resp.reason)


def _discard(resp: urllib3.BaseHTTPResponse) -> None:
    """Close an answer left unread: its connection cannot carry another request."""
    resp.close()
    resp.release_conn()


class _Body(httpx.SyncByteStream):
    """The answer's body off urllib3: chunk by chunk when chunked, else whatever each read
    brings (a close-delimited stream is handed over as it comes). The connection goes back to
    the pool after the last byte; an answer left unfinished closes it."""

    def __init__(self, resp: urllib3.BaseHTTPResponse) -> None:
        self._resp = resp
        self._conn = resp.connection  # urllib3 lets go of it when the body has been read

    def __iter__(self) -> Iterator[bytes]:
        resp = self._resp
        with _mapped(reading=True):
            if resp.chunked:  # one HTTP chunk (one TGI event) at a time, as it arrives
                yield from resp.read_chunked(_READ_SIZE, decode_content=False)
            else:
                while True:
                    data = resp.read1(_READ_SIZE, decode_content=False)
                    if not data:
                        break
                    yield data
                if resp.length_remaining:  # the server closed before its Content-Length
                    raise httpx.RemoteProtocolError(
                        f"the server closed the connection {resp.length_remaining} bytes short"
                    )

    def close(self) -> None:
        resp = self._resp
        if resp.closed and not resp.length_remaining:
            if isinstance(self._conn, _Strict):  # it is idle from now on (or already reused,
                self._conn.idle_since = time.monotonic()  # then this is a recent use)
            resp.release_conn()
        else:
            _discard(resp)


class TGIHttpxClient(OurTransports, httpx.Client):
    """An ``httpx.Client`` on ``Urllib3Transport`` for its direct routes."""

    _transport_type = Urllib3Transport
