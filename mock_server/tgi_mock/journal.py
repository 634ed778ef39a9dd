"""
The request journal: every request the mock received, in order, queryable and resettable.

Thread-safe: the server records from its event loop thread while a test reads from its own.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Journal", "RecordedRequest"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request as received: method, path, query string, headers, body and its JSON parse."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    """Header names lowercased; repeated headers joined with `, `."""
    body: bytes
    json: Any = field(default=None)
    """The body parsed as JSON, or None when it is empty or not JSON."""
    time: float = 0.0
    """When it was received, in seconds since the epoch (`time.time()`)."""
    worker: int = 0
    """The process id of the worker that received it (`--workers N`)."""

    def header(self, name: str) -> str | None:
        """One header's value, by case-insensitive name."""
        return self.headers.get(name.lower())


class Journal:
    """A thread-safe, append-only list of `RecordedRequest`s with query helpers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[RecordedRequest] = []

    def record(self, entry: RecordedRequest) -> None:
        """Append one request."""
        with self._lock:
            self._entries.append(entry)

    def all(self) -> list[RecordedRequest]:
        """Every recorded request, oldest first."""
        with self._lock:
            return list(self._entries)

    def by_path(self, path: str, method: str | None = None) -> list[RecordedRequest]:
        """The requests to `path` (and `method`, when given), oldest first."""
        return [
            e
            for e in self.all()
            if e.path == path and (method is None or e.method == method.upper())
        ]

    def find(
        self,
        path: str | None = None,
        method: str | None = None,
        since: float | None = None,
        until: float | None = None,
    ) -> list[RecordedRequest]:
        """The requests to `path` with `method` received in `[since, until]` (epoch seconds);
        a filter left None matches everything. Oldest first."""
        return [
            e
            for e in self.all()
            if (path is None or e.path == path)
            and (method is None or e.method == method.upper())
            and (since is None or e.time >= since)
            and (until is None or e.time <= until)
        ]

    def last(self, path: str | None = None) -> RecordedRequest:
        """The newest request (to `path`, when given); `LookupError` when there is none."""
        entries = self.all() if path is None else self.by_path(path)
        if not entries:
            raise LookupError(f"no request recorded{'' if path is None else ' for ' + path}")
        return entries[-1]

    def reset(self) -> None:
        """Forget every request."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __iter__(self) -> Any:
        return iter(self.all())
