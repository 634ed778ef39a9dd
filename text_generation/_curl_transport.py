"""Whole-answer plain-HTTP requests through libcurl (pycurl): glue only.

A ``generate`` call sends a small JSON body and reads a small answer whole. urllib3 and the
standard library's ``http.client`` spend about 300 microseconds of Python on such a call; libcurl
does the same work in C in a fraction of that. ``Urllib3Transport`` hands a request here only
when the client reads the answer whole (``WHOLE_ANSWER`` in its extensions), it is a POST with a
body to an ``http://`` URL, and pycurl is installed (the ``curl`` extra). Everything else
(streams, TLS, requests without a body) stays on urllib3; proxied routes on httpx's own.

What libcurl would do on its own and we stop:

- **resending**: libcurl sends a request again, on a new connection, when a reused one dies
  before any byte of the answer, though the server may have run it. The body is handed to
  libcurl through a read callback with no seek callback, so such a resend cannot rewind it and
  fails instead (``CURLE_SEND_FAIL_REWIND``): the request reaches the server at most once;
- **proxies from the environment** (libcurl reads ``http_proxy`` itself): httpx has already
  chosen this route as direct, so libcurl is told to use no proxy;
- **headers of its own** (``Expect: 100-continue``, a form ``Content-Type``, ``Accept``): not sent;
- **reusing a connection that received bytes while idle**: libcurl checks an idle connection at
  most once a second, and would read a late or stray answer as the answer to the next request;
  a handle whose connection is readable before a call is dropped instead (as urllib3 does);
- **the answer framings h11 refuses** (``check_framing``), as on the urllib3 route.

libcurl has no per-read timeout: the answer must come whole within the connect and read
timeouts added up (for ``generate`` the wait is for the first byte, then the body follows).
"""

from __future__ import annotations

import math
import socket
import threading
from typing import cast

import httpx
import pycurl
from urllib3.util.wait import wait_for_read

from text_generation._httpx_glue import answer, check_framing

_NO_PROXY = ""
_OLDEST_LIBCURL = 0x081300
"""8.19.0, bundled with pycurl 7.46.0: the oldest libcurl the hostile suite was run on."""
_HTTP_1_0 = getattr(pycurl, "CURL_HTTP_VERSION_1_0", 1)


class _Call:
    """One request's callbacks: the body handed over once, the answer's header lines and body
    collected."""

    __slots__ = ("body", "chunks", "head_done", "lines", "sent")

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.sent = False
        self.chunks: list[bytes] = []
        self.lines: list[bytes] = []
        self.head_done = False

    def read(self, size: int) -> bytes:
        if self.sent:
            return b""
        self.sent = True
        if len(self.body) > size:  # handed over in pieces of what libcurl asks for
            head, self.body = self.body[:size], self.body[size:]
            self.sent = False
            return head
        return self.body

    def header(self, line: bytes) -> None:
        if line[:5] == b"HTTP/":  # a status line (a new one after an interim 1xx answer)
            self.lines, self.head_done = [line], False
        elif line in (b"\r\n", b"\n"):
            self.head_done = True  # what follows the body (chunked trailers) is not kept
        elif not self.head_done:
            self.lines.append(line)


def _headers(lines: list[bytes]) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """The answer's header fields and reason phrase from the lines libcurl handed over."""
    status = lines[0].rstrip(b"\r\n").split(b" ", 2) if lines else []
    reason = status[2] if len(status) > 2 else b""
    fields: list[tuple[bytes, bytes]] = []
    for raw in lines[1:]:
        line = raw.rstrip(b"\r\n")
        if line[:1] in (b" ", b"\t"):  # obs-fold: a continuation of the field before
            if not fields:
                raise httpx.RemoteProtocolError("a folded header line with no field before it")
            name, value = fields[-1]
            fields[-1] = (name, value + b" " + line.strip())
            continue
        name, sep, value = line.partition(b":")
        if not sep or not name or name != name.strip():
            raise httpx.RemoteProtocolError(f"malformed header line {line[:80]!r}")
        fields.append((name, value.strip()))
    return fields, reason


_ERRORS: dict[int, type[httpx.TransportError]] = {
    pycurl.E_COULDNT_CONNECT: httpx.ConnectError,
    pycurl.E_COULDNT_RESOLVE_HOST: httpx.ConnectError,
    pycurl.E_SEND_ERROR: httpx.WriteError,
    pycurl.E_SEND_FAIL_REWIND: httpx.RemoteProtocolError,
    pycurl.E_RECV_ERROR: httpx.ReadError,
    pycurl.E_GOT_NOTHING: httpx.RemoteProtocolError,
    pycurl.E_PARTIAL_FILE: httpx.RemoteProtocolError,
    pycurl.E_FTP_WEIRD_SERVER_REPLY: httpx.RemoteProtocolError,  # CURLE_WEIRD_SERVER_REPLY
}


def _error(handle: pycurl.Curl, exc: pycurl.error) -> httpx.TransportError:
    code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else -1
    text = str(exc.args[1]) if len(exc.args) > 1 else str(exc)
    if code == pycurl.E_OPERATION_TIMEDOUT:
        # a connect timeout only when no byte of the request can have left (the retry policy
        # may send those again); on a reused connection libcurl reports no connect time
        sent = handle.getinfo(pycurl.REQUEST_SIZE) > 0 or handle.getinfo(pycurl.CONNECT_TIME) > 0
        return (httpx.ReadTimeout if sent else httpx.ConnectTimeout)(text)
    if code == pycurl.E_SEND_FAIL_REWIND:
        text = "the connection closed before an answer (not sent again: the server may have run it)"
    return _ERRORS.get(code, httpx.RemoteProtocolError)(f"{text} (libcurl error {code})")


class CurlHandles:
    """A pool of libcurl handles, each keeping its own connection: a thread takes one, runs a
    request on it and gives it back. At most ``maxsize`` idle handles are kept. A handle whose
    connection received bytes (or a close) while it idled is dropped, never used: libcurl checks
    an idle connection at most once a second and would read a late or stray answer as the
    answer to the next request."""

    def __init__(self, maxsize: int) -> None:
        self._idle: list[tuple[pycurl.Curl, int]] = []
        self._maxsize = maxsize
        self._lock = threading.Lock()
        self._closed = False

    def handle_request(self, request: httpx.Request, body: bytes) -> httpx.Response:
        handle = self._take()
        call = _Call(body)
        ok = False
        try:
            _prepare(handle, request, call)
            try:
                handle.perform()
            except pycurl.error as exc:
                raise _error(handle, exc) from None
            status = handle.getinfo(pycurl.RESPONSE_CODE)
            version = handle.getinfo(pycurl.INFO_HTTP_VERSION)
            fields, reason = _headers(call.lines)
            check_framing(fields)
            ok = True
        finally:
            self._give(handle, keep=ok)
        return answer(
            status,
            fields,
            httpx.ByteStream(b"".join(call.chunks)),
            http_version=b"HTTP/1.0" if version == _HTTP_1_0 else b"HTTP/1.1",
            reason=reason,
        )

    def _take(self) -> pycurl.Curl:
        while True:
            with self._lock:
                if not self._idle:
                    return _new_handle()
                handle, fd = self._idle.pop()
            # urllib3's readiness check, as before it reuses a connection (it polls any fd)
            if fd < 0 or not wait_for_read(cast(socket.socket, fd), timeout=0.0):
                return handle
            handle.close()  # bytes or a close arrived while it idled

    def _give(self, handle: pycurl.Curl, *, keep: bool) -> None:
        fd = handle.getinfo(pycurl.ACTIVESOCKET) if keep else -1
        with self._lock:
            if fd >= 0 and not self._closed and len(self._idle) < self._maxsize:
                self._idle.append((handle, fd))
                return
        handle.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle, self._closed = self._idle, [], True
        for handle, _ in idle:
            handle.close()


def _new_handle() -> pycurl.Curl:
    handle = pycurl.Curl()
    handle.setopt(pycurl.NOSIGNAL, 1)
    handle.setopt(pycurl.PROXY, _NO_PROXY)
    handle.setopt(pycurl.PROTOCOLS, pycurl.PROTO_HTTP)
    handle.setopt(pycurl.HTTP_VERSION, pycurl.CURL_HTTP_VERSION_1_1)
    handle.setopt(pycurl.MAXCONNECTS, 1)
    handle.setopt(pycurl.PATH_AS_IS, 1)  # httpx normalised the path; libcurl leaves it be
    handle.setopt(pycurl.POST, 1)
    # a Python callback libcurl runs while it waits: where Ctrl-C's KeyboardInterrupt is raised
    # (and then re-raised by perform), instead of after the answer or the timeout
    handle.setopt(pycurl.NOPROGRESS, 0)
    handle.setopt(pycurl.XFERINFOFUNCTION, _waiting)
    return handle


def _waiting(*_: int) -> None:
    """libcurl's progress callback: nothing to do but let pending signal handlers run."""


def _ms(seconds: float | None) -> int:
    return 0 if seconds is None else max(1, math.ceil(seconds * 1000))


def _prepare(handle: pycurl.Curl, request: httpx.Request, call: _Call) -> None:
    timeouts: dict[str, float | None] = request.extensions.get("timeout", {})
    connect, read = timeouts.get("connect"), timeouts.get("read")
    url = request.url  # without user:password@ (httpx made the Authorization header of it)
    handle.setopt(pycurl.URL, b"http://" + url.netloc + url.raw_path)
    lines = [b"%s: %s" % (name, value) for name, value in request.headers.raw]
    present = {name.lower() for name, _ in request.headers.raw}
    lines.append(b"Expect:")
    for name in (b"content-type", b"accept"):
        if name not in present:
            lines.append(name + b":")
    handle.setopt(pycurl.HTTPHEADER, lines)
    handle.setopt(pycurl.POSTFIELDSIZE_LARGE, len(call.body))
    handle.setopt(pycurl.READFUNCTION, call.read)
    handle.setopt(pycurl.WRITEFUNCTION, call.chunks.append)
    handle.setopt(pycurl.HEADERFUNCTION, call.header)
    handle.setopt(pycurl.CONNECTTIMEOUT_MS, _ms(connect))
    # libcurl has no per-read timeout: the whole answer must come within connect + read
    handle.setopt(pycurl.TIMEOUT_MS, 0 if read is None else _ms((connect or 0) + read))


def usable() -> bool:
    """Whether this pycurl and its libcurl are ones the glue is proven on (pycurl 7.46 with
    libcurl 8.19 or later); a pycurl built on an older system libcurl is left unused."""
    return hasattr(pycurl, "ACTIVESOCKET") and pycurl.version_info()[2] >= _OLDEST_LIBCURL
