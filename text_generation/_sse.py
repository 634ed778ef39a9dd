"""An incremental Server-Sent Events decoder (sans-I/O).

Feed it bytes in chunks of any size; it returns the ``data`` of each complete event, as bytes.
It follows the WHATWG event-stream rules that matter here: lines end in LF, CR or CRLF (a CRLF
split across chunks included); a line starting with ``:`` is a comment (TGI's keep-alive); the
field value drops one leading space, so ``data:{...}`` (TGI <= 2.0) and ``data: {...}`` both work;
several ``data`` lines join with LF; an event is dispatched at a blank line; an event left
unfinished when the stream ends is dropped. UTF-8 is never split: lines are cut on bytes, and
LF / CR never occur inside a multi-byte UTF-8 character.
"""

from __future__ import annotations

from text_generation.errors import InvalidResponseError

_DEFAULT_MAX_EVENT_BYTES = 64 * 1024 * 1024


class SSEDecoder:
    """Decode an event stream incrementally; one instance per stream."""

    __slots__ = ("_data", "_max", "_pending", "_pending_size", "_trailing_cr")

    def __init__(self, max_event_bytes: int = _DEFAULT_MAX_EVENT_BYTES) -> None:
        self._pending: list[bytes] = []  # the start of an unfinished line
        self._pending_size = 0
        self._data: list[bytes] = []  # data lines of the current event
        self._trailing_cr = False  # the last chunk ended in CR: a following LF belongs to it
        self._max = max_event_bytes

    def feed(self, chunk: bytes) -> list[bytes]:
        """Decode one chunk; return the data of every event it completes."""
        if (  # the usual chunk of a sync stream: one whole event of one data line, nothing pending
            chunk[:5] == b"data:"
            and chunk[-2:] == b"\n\n"
            and chunk.count(b"\n") == 2
            and not (self._pending or self._data or self._trailing_cr)
            and b"\r" not in chunk
        ):
            return [chunk[6:-2] if chunk[5:6] == b" " else chunk[5:-2]]
        if not chunk:
            return []
        if self._trailing_cr:
            self._trailing_cr = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        if b"\r" in chunk:
            if chunk[-1:] == b"\r":
                self._trailing_cr = True
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if b"\n" not in chunk:
            self._pending.append(chunk)
            self._pending_size += len(chunk)
            if self._pending_size > self._max:
                raise InvalidResponseError(
                    f"a server-sent event line exceeds {self._max} bytes; giving up on the stream"
                )
            return []
        if self._pending:
            self._pending.append(chunk)
            chunk = b"".join(self._pending)
            self._pending.clear()
            self._pending_size = 0
        events: list[bytes] = []
        if not self._data and b"\n\n" in chunk:
            # The usual chunk: whole events. Each ``data:`` line alone between blank lines is an
            # event as it stands; anything else goes through the line-by-line rules.
            parts = chunk.split(b"\n\n")
            chunk = parts.pop()
            for part in parts:
                if part[:5] == b"data:" and b"\n" not in part:
                    events.append(part[6:] if part[5:6] == b" " else part[5:])
                elif part:
                    self._lines([*part.split(b"\n"), b""], events)
        lines = chunk.split(b"\n")
        rest = lines.pop()
        if rest:
            self._pending.append(rest)
            self._pending_size = len(rest)
        self._lines(lines, events)
        return events

    def _lines(self, lines: list[bytes], events: list[bytes]) -> None:
        """Apply whole lines: append to ``events`` each event a blank line completes."""
        data = self._data
        for line in lines:
            if not line:
                if data:
                    events.append(data[0] if len(data) == 1 else b"\n".join(data))
                    data.clear()
                continue
            if line[0] == 58:  # b":" comment, e.g. the keep-alive
                continue
            if line[:5] == b"data:":
                value = line[5:]
                data.append(value[1:] if value[:1] == b" " else value)
            # Other fields (event, id, retry) carry nothing TGI uses.
            elif line == b"data":
                data.append(b"")
