"""A sans-I/O HTTP/1.1 response parser shared by the sync and async transports.

Feed it what the socket gave; ask for the head, then for body bytes. Chunked bodies are decoded in
bulk: a read holding a hundred small chunks (a hundred SSE events) comes back as one piece of
bytes, which is what makes streams cheap. Protocol violations raise ``httpx.RemoteProtocolError``.
"""

from __future__ import annotations

import select
import socket

import httpx

Head = tuple[int, bytes, list[tuple[bytes, bytes]]]

_MAX_HEAD = 256 * 1024
_MAX_LINE = 4096

_SIZE, _DATA, _CRLF, _TRAILERS = range(4)


def silent(sock: socket.socket) -> bool:
    """Whether an idle keep-alive socket is still quiet: one that turned readable was closed by
    the server (or sent something unasked), so it must not carry another request."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


class Unanswered(httpx.RemoteProtocolError):
    """The connection failed before a single byte of the answer came back: on a reused
    keep-alive connection, the server had closed it, and the request can be sent again."""


def request_bytes(request: httpx.Request, body: bytes) -> bytes:
    """The bytes of a request line, headers and body."""
    url = request.url
    lines = [b"%s %s HTTP/1.1" % (request.method.encode(), url.raw_path)]
    if "host" not in request.headers:
        lines.append(b"Host: " + url.netloc)
    lines.extend(name + b": " + value for name, value in request.headers.raw)
    if body and "content-length" not in request.headers:
        lines.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class ResponseParser:
    """Parses one response. ``no_body``: the request was HEAD (or the status forbids a body)."""

    __slots__ = (
        "_buf",
        "_chunk_left",
        "_chunk_state",
        "_chunked",
        "_left",
        "_no_body",
        "_pos",
        "done",
        "head",
        "received",
        "reusable",
    )

    def __init__(self, *, no_body: bool = False) -> None:
        self._buf = bytearray()
        self._pos = 0
        self._no_body = no_body
        self.head: Head | None = None
        self.done = False
        self.reusable = True
        self.received = False  # any byte of the answer came back
        self._chunked = False
        self._left: int | None = None  # Content-Length bytes still to come; None: until close
        self._chunk_state = _SIZE
        self._chunk_left = 0

    def feed(self, data: bytes) -> None:
        """Add bytes read from the connection."""
        if data:
            self.received = True
            if self._pos and self._pos == len(self._buf):
                self._buf.clear()
                self._pos = 0
            self._buf += data

    def read_head(self) -> Head | None:
        """The status, reason and headers once they are complete (1xx answers skipped)."""
        while self.head is None:
            end = self._buf.find(b"\r\n\r\n", self._pos)
            if end < 0:
                if len(self._buf) - self._pos > _MAX_HEAD:
                    raise httpx.RemoteProtocolError("the answer's head is too large")
                return None
            raw = bytes(self._buf[self._pos : end])
            self._pos = end + 4
            status_line, *lines = raw.split(b"\r\n")
            parts = status_line.split(b" ", 2)
            if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
                raise httpx.RemoteProtocolError(f"malformed status line {status_line[:80]!r}")
            status = int(parts[1])
            if 100 <= status < 200 and status != 101:
                continue  # 100 Continue and friends precede the real answer
            headers = []
            for line in lines:
                name, sep, value = line.partition(b":")
                if not sep:
                    raise httpx.RemoteProtocolError(f"malformed header line {line[:80]!r}")
                headers.append((name.strip(), value.strip()))
            self.head = (status, parts[2] if len(parts) > 2 else b"", headers)
            self._frame(status, headers, http10=parts[0] == b"HTTP/1.0")
        return self.head

    def _frame(self, status: int, headers: list[tuple[bytes, bytes]], *, http10: bool) -> None:
        for name, value in headers:
            lname = name.lower()
            if lname == b"content-length":
                if not value.isdigit():
                    raise httpx.RemoteProtocolError(f"bad content-length {value[:40]!r}")
                self._left = int(value)
            elif lname == b"transfer-encoding" and b"chunked" in value.lower():
                self._chunked = True
            elif lname == b"connection" and value.lower() == b"close":
                self.reusable = False
        if http10:
            self.reusable = False
        if self._no_body or status in (204, 304):
            self._chunked, self._left = False, 0
        if self._chunked:
            self._left = None
        elif self._left is None:
            self.reusable = False  # the body runs until the server closes
        if self._left == 0:
            self.done = True

    def read_body(self) -> bytes:
        """Body bytes available now (possibly ``b""``); ``done`` turns True at the end."""
        if self.done:
            return b""
        if self._chunked:
            return self._read_chunked()
        avail = len(self._buf) - self._pos
        take = avail if self._left is None else min(avail, self._left)
        data = bytes(self._buf[self._pos : self._pos + take])
        self._pos += take
        if self._left is not None:
            self._left -= take
            if self._left == 0:
                self.done = True
                if self._pos < len(self._buf):
                    self.reusable = False  # bytes nobody asked for follow the body
        return data

    def _read_chunked(self) -> bytes:
        buf, out = self._buf, []
        while not self.done:
            if self._chunk_state == _DATA:
                take = min(self._chunk_left, len(buf) - self._pos)
                if take == 0:
                    break
                out.append(bytes(buf[self._pos : self._pos + take]))
                self._pos += take
                self._chunk_left -= take
                if self._chunk_left == 0:
                    self._chunk_state = _CRLF
                continue
            if self._chunk_state == _CRLF:
                if len(buf) - self._pos < 2:
                    break
                if buf[self._pos : self._pos + 2] != b"\r\n":
                    raise httpx.RemoteProtocolError("a chunk does not end in CRLF")
                self._pos += 2
                self._chunk_state = _SIZE
                continue
            end = buf.find(b"\r\n", self._pos)
            if end < 0:
                if len(buf) - self._pos > _MAX_LINE:
                    raise httpx.RemoteProtocolError("a chunk size line is too long")
                break
            line = bytes(buf[self._pos : end])
            self._pos = end + 2
            if self._chunk_state == _TRAILERS:
                self.done = not line
                continue
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise httpx.RemoteProtocolError(f"bad chunk size {line[:40]!r}") from None
            if size == 0:
                self._chunk_state = _TRAILERS
            else:
                self._chunk_state, self._chunk_left = _DATA, size
        if self.done and self._pos < len(buf):
            self.reusable = False  # bytes nobody asked for follow the body
        return b"".join(out)

    def eof(self) -> None:
        """The server closed the connection: fine for a close-delimited body, else an error."""
        self.reusable = False
        if not self.received:
            raise Unanswered("the server closed the connection without answering")
        if self.head is None:
            raise httpx.RemoteProtocolError("the server closed the connection mid-answer")
        if not self.done:
            if self._chunked or self._left is not None:
                raise httpx.RemoteProtocolError("the server closed the connection mid-answer")
            self.done = True
