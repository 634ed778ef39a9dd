"""
The request journal: the requests the mock received, in order, queryable and resettable.

It keeps the newest `MockConfig.journal_limit` requests (10,000 by default; None keeps every one,
0 none), so that a long load test does not grow the mock without bound; `dropped` counts the
older ones it let go since the last reset. Thread-safe: the server records from its event loop
thread while a test reads from its own.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
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


Limit = Callable[[], "int | None"]


class Journal:
    """A thread-safe list of the newest `RecordedRequest`s, with query helpers. `limit` is how
    many it keeps: a number, None (every one), or a function giving it (a mock's journal reads
    its live `MockConfig.journal_limit`, so a change applies at once)."""

    def __init__(self, limit: int | Limit | None = None) -> None:
        self._limit_of: Limit = limit if callable(limit) else (lambda: limit)
        self._lock = threading.Lock()
        self._entries: deque[RecordedRequest] = deque(maxlen=self._checked(self._limit_of()))
        self._dropped = 0

    @staticmethod
    def _checked(limit: int | None) -> int | None:
        if limit is not None and limit < 0:
            raise ValueError(f"journal limit must be >= 0 or None, not {limit}")
        return limit

    def _current(self) -> deque[RecordedRequest]:
        """The entries, after applying a limit that changed (call with the lock held)."""
        limit = self._checked(self._limit_of())
        entries = self._entries
        if limit != entries.maxlen:
            kept = list(entries)
            if limit is not None:
                kept = kept[max(0, len(kept) - limit) :]
            self._dropped += len(entries) - len(kept)
            entries = self._entries = deque(kept, maxlen=limit)
        return entries

    @property
    def limit(self) -> int | None:
        """How many requests are kept (the newest); None: every one."""
        return self._limit_of()

    @property
    def dropped(self) -> int:
        """How many older requests were let go, over the limit, since the last reset."""
        with self._lock:
            self._current()
            return self._dropped

    def record(self, entry: RecordedRequest) -> None:
        """Append one request (letting the oldest go when the journal is full)."""
        with self._lock:
            entries = self._current()
            if entries.maxlen is not None and len(entries) == entries.maxlen:
                self._dropped += 1
            entries.append(entry)

    def all(self) -> list[RecordedRequest]:
        """Every recorded request, oldest first."""
        with self._lock:
            return list(self._current())

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
        """Forget every request, and the count of dropped ones."""
        with self._lock:
            self._entries.clear()
            self._dropped = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._current())

    def __iter__(self) -> Any:
        return iter(self.all())
