"""``Client``'s HTTP: an httpx transport over urllib3's connection pool, with whole-answer
plain-HTTP calls through libcurl when pycurl is installed (glue only).

httpx's own transport hands a stream over one HTTP chunk at a time through h11, about ten
microseconds of bookkeeping per chunk, and TGI sends one chunk per token. urllib3, the pool under
``requests`` (which text-generation 0.7.0 used), reads the same stream at a fraction of that
cost; the request and answer parsing are the standard library's ``http.client`` under urllib3.
Our code maps urllib3's exceptions to httpx's, and refuses what those libraries let through
and h11 refuses (see ``_StrictResponse`` and ``check_framing``). A call whose answer is read
whole (``generate``, ``chat`` without a stream) to an ``http://`` URL goes through libcurl
instead when pycurl is installed (the ``curl`` extra): see ``_curl_transport``.

``TGIHttpxClient`` is an ``httpx.Client`` whose direct routes use this transport; routes through a
proxy (``proxy=``, or ``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``ALL_PROXY`` with ``NO_PROXY``) keep
httpx's own proxy transports, so proxies behave exactly as httpx documents.
"""

from __future__ import annotations

import functools
import http.client
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import httpx
import urllib3
from urllib3 import exceptions as u3

from text_generation._httpx_glue import (
    DEFAULT_LIMITS,
    WHOLE_ANSWER,
    OurTransports,
    answer,
    check_framing,
)

_READ_SIZE = 64 * 1024
_PORTS = {"http": 80, "https": 443}


@functools.lru_cache(maxsize=64)
def _timeout(connect: float | None, read: float | None) -> urllib3.Timeout:
    return urllib3.Timeout(connect=connect, read=read)


class _StrictResponse(http.client.HTTPResponse):
    """``http.client``'s answer, refusing the negative chunk size that urllib3's chunk reader
    hands it (``int(b"-1", 16)``): ``-1`` reads "everything until the connection closes", which
    never ends on a server that keeps sending, past any timeout."""

    def _safe_read(self, amt: int) -> bytes:
        if amt < 0:
            raise http.client.IncompleteRead(b"", None)
        return super()._safe_read(amt)  # type: ignore[no-any-return, misc]


class _OneWrite:
    """urllib3 writes a request's head and its body apart: two segments, and a server that wakes
    up twice. A small body goes out with its head in one write (the bytes are the same)."""

    _merge = False
    _head: bytes | None = None

    def request(self, method: str, url: str, body: Any = None, *args: Any, **kw: Any) -> None:
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
        super().send(data)  # type: ignore[misc]


class _Connection(_OneWrite, urllib3.connection.HTTPConnection):
    response_class = _StrictResponse


class _TLSConnection(_OneWrite, urllib3.connection.HTTPSConnection):
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
    """Requests through a thread-safe ``urllib3.PoolManager``; ``ssl_context`` is made on the
    first https request. urllib3 never retries or redirects here: the client's retry policy
    alone decides whether a request is sent again. A POST with a body to ``http://`` whose
    answer is read whole goes through libcurl instead, when ``whole_answer_pool`` gives one."""

    def __init__(
        self, ssl_context: Callable[[], ssl.SSLContext], limits: httpx.Limits = DEFAULT_LIMITS
    ) -> None:
        self._ssl_context = ssl_context
        self._maxsize = limits.max_connections or 100
        self._manager: urllib3.PoolManager | None = None
        self._curl: WholeAnswers | None = None
        self._curl_checked = False
        self._lock = threading.Lock()

    def _pools(self) -> urllib3.PoolManager:
        if self._manager is None:
            with self._lock:
                if self._manager is None:
                    self._manager = _PoolManager(
                        self._ssl_context,
                        num_pools=16,
                        maxsize=self._maxsize,
                        block=False,
                        retries=False,
                    )
        return self._manager

    def close(self) -> None:
        if self._manager is not None:
            self._manager.clear()
        if self._curl is not None:
            self._curl.close()

    def _whole_answers(self) -> WholeAnswers | None:
        """libcurl's handle pool, made on first use; None when pycurl cannot be used here."""
        if not self._curl_checked:
            with self._lock:
                if not self._curl_checked:
                    self._curl = whole_answer_pool(self._maxsize)
                    self._curl_checked = True
        return self._curl

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if (
            request.extensions.get(WHOLE_ANSWER)
            and request.method == "POST"
            and request.url.scheme == "http"
        ):
            curl = self._whole_answers()
            body = request.read()
            if curl is not None and body:
                return curl.handle_request(request, body)
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
        with _mapped(reading=False):
            pool = self._pools().connection_from_host(
                url.raw_host.decode("ascii"), url.port or _PORTS.get(scheme), scheme
            )
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
        size = resp.length_remaining
        if not resp.chunked and size is not None and size <= _READ_SIZE:
            # A small answer of known length (every generate answer): read it now, and give
            # the connection back at once; httpx gets it as a ready stream and reads it once.
            try:
                with _mapped(reading=True):
                    content = resp.read(decode_content=False)
            finally:
                _Body(resp).close()
            stream: httpx.SyncByteStream = httpx.ByteStream(content)
        else:
            stream = _Body(resp)
        return answer(resp.status, headers, stream, http_version=version, reason=resp.reason)


def _discard(resp: urllib3.BaseHTTPResponse) -> None:
    """Close an answer left unread: its connection cannot carry another request."""
    resp.close()
    resp.release_conn()


class WholeAnswers(Protocol):
    """A pool that runs a request and reads its answer whole (``_curl_transport.CurlHandles``)."""

    def handle_request(self, request: httpx.Request, body: bytes) -> httpx.Response: ...

    def close(self) -> None: ...


def whole_answer_pool(maxsize: int) -> WholeAnswers | None:
    """libcurl's pool for whole-answer calls, or None: pycurl is not installed, or its libcurl
    is older than the one the glue was proven on (then urllib3 carries those calls too)."""
    try:
        from text_generation import _curl_transport
    except ImportError:
        return None
    return _curl_transport.CurlHandles(maxsize) if _curl_transport.usable() else None


class _Body(httpx.SyncByteStream):
    """The answer's body off urllib3: chunk by chunk when chunked, else whatever each read
    brings (a close-delimited stream is handed over as it comes). The connection goes back to
    the pool after the last byte; an answer left unfinished closes it."""

    def __init__(self, resp: urllib3.BaseHTTPResponse) -> None:
        self._resp = resp

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
            resp.release_conn()
        else:
            _discard(resp)


class _PoolManager(urllib3.PoolManager):
    """Our strict pools; the TLS context is made for the first https pool (loading CA
    certificates costs tens of milliseconds that a plain-HTTP client need not pay)."""

    def __init__(self, make_context: Callable[[], ssl.SSLContext], **kw: Any) -> None:
        super().__init__(**kw)
        self.pool_classes_by_scheme = {"http": _Pool, "https": _TLSPool}
        self._make_context = make_context
        self._context: ssl.SSLContext | None = None
        self._keys: dict[tuple[Any, ...], tuple[Any, dict[str, Any]]] = {}

    def connection_from_host(
        self,
        host: str | None,
        port: int | None = None,
        scheme: str | None = "http",
        pool_kwargs: dict[str, Any] | None = None,
    ) -> urllib3.HTTPConnectionPool:
        """urllib3's, with the pool key of each (scheme, host, port) worked out once (urllib3
        rebuilds it, a namedtuple of 20 fields, on every request)."""
        found = self._keys.get((scheme, host, port))
        if found is None:
            if pool_kwargs is not None or not host or scheme not in self.key_fn_by_scheme:
                return super().connection_from_host(host, port, scheme, pool_kwargs)
            context = self._merge_pool_kwargs(None)
            context.update(scheme=scheme, port=port or _PORTS.get(scheme, 80), host=host)
            found = (self.key_fn_by_scheme[scheme](context), context)
            if len(self._keys) >= 64:
                self._keys.clear()
            self._keys[(scheme, host, port)] = found
        key, context = found
        return self.connection_from_pool_key(key, request_context=dict(context))

    def _new_pool(
        self, scheme: str, host: str, port: int, request_context: dict[str, Any] | None = None
    ) -> urllib3.HTTPConnectionPool:
        if scheme == "https":
            if self._context is None:
                self._context = self._make_context()
            request_context = dict(request_context or self.connection_pool_kw)
            request_context["ssl_context"] = self._context
        return super()._new_pool(scheme, host, port, request_context)


class TGIHttpxClient(OurTransports, httpx.Client):
    """An ``httpx.Client`` on ``Urllib3Transport`` for its direct routes."""

    _transport_type = Urllib3Transport
