"""
State shared by the worker processes of `--workers N`: one SQLite file (stdlib `sqlite3`).

Every worker opens the same file (WAL mode, so readers never wait for the writer). It holds the
configuration (as JSON, scripted answers included), the server faults and the request journal.
`SharedState` is a `MockState` whose journal and faults live in the file and whose configuration is
re-read whenever another process changed the file (`PRAGMA data_version`, checked once per request
by `sync()`); its own changes are written back by `publish()`. Metrics and concurrency permits stay
per process. Single-process servers (`MockServer`, the pytest plugin) keep the in-process store.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from tgi_mock.config import MockConfig
from tgi_mock.faults import FaultSpec, parse_faults
from tgi_mock.journal import Journal, Limit, RecordedRequest
from tgi_mock.state import MockState, ServerFaults

__all__ = ["SharedFaults", "SharedJournal", "SharedState", "SharedStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT, time REAL NOT NULL, method TEXT NOT NULL,
    path TEXT NOT NULL, query TEXT NOT NULL, headers TEXT NOT NULL, body BLOB NOT NULL,
    worker INTEGER NOT NULL
);
"""


class SharedStore:
    """The SQLite file: one connection per thread, autocommit, short explicit transactions."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()

    def db(self) -> sqlite3.Connection:
        """This thread's connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.executescript(_SCHEMA)
            conn.execute("PRAGMA busy_timeout=0")  # `run()` retries without sleeping 1 ms
            self._local.conn = conn
        return conn

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """Execute one statement. Another worker holds the write lock for microseconds, so a busy
        database is retried at once (yielding the CPU) rather than after SQLite's 1 ms sleep,
        which would stall this worker's event loop; after 200 tries, every 0.5 ms up to 10 s."""
        db = self.db()
        tries = 0
        deadline = 0.0
        while True:
            try:
                return db.execute(sql, params)
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                tries += 1
                if tries < 200:
                    time.sleep(0)
                    continue
                deadline = deadline or time.monotonic() + 10.0
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.0005)

    def get(self, name: str) -> Any:
        """The JSON value stored under `name`, or None."""
        row = self.run("SELECT value FROM kv WHERE name = ?", (name,)).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, name: str, value: Any) -> None:
        """Store `value` (JSON) under `name`."""
        self.run(
            "INSERT INTO kv (name, value) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (name, json.dumps(value)),
        )

    def data_version(self) -> int:
        """Changes whenever another connection commits to the file."""
        row = self.run("PRAGMA data_version").fetchone()
        return int(row[0])

    def init(self, config: MockConfig) -> None:
        """A fresh store for `config`: its faults, an empty journal."""
        self.run("DELETE FROM journal")
        self.run("DELETE FROM kv WHERE name = 'journal_dropped'")
        self.put("config", dataclasses.asdict(config))
        self.put("faults", _spec_json(parse_faults(config.faults)))


def _spec_json(spec: FaultSpec) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(spec).items() if v is not None}


_PRUNE_EVERY = 64


class SharedJournal(Journal):
    """The journal in the store's `journal` table; the count of dropped requests in `kv`. The
    oldest requests over the limit are let go every 64 requests (of all workers together), so the
    table may hold up to 63 more than the limit for a moment."""

    def __init__(self, store: SharedStore, limit: int | Limit | None = None) -> None:
        super().__init__()
        self.store = store
        self._shared_limit: Limit = limit if callable(limit) else (lambda: limit)
        self._applied: int | None = None  # the limit this process last trimmed to

    @property
    def limit(self) -> int | None:
        """How many requests are kept (the newest, of every worker); None: every one."""
        return self._shared_limit()

    @property
    def dropped(self) -> int:
        """How many older requests were let go, over the limit, since the last reset."""
        row = self.store.run("SELECT value FROM kv WHERE name = 'journal_dropped'").fetchone()
        return int(row[0]) if row else 0

    def _prune(self, up_to: int) -> None:
        """Let go of the requests whose id is at most `up_to` (the oldest), and count them."""
        gone = self.store.run("DELETE FROM journal WHERE id <= ?", (up_to,)).rowcount
        if gone > 0:
            self.store.run(
                "INSERT INTO kv (name, value) VALUES ('journal_dropped', ?) ON CONFLICT(name) "
                "DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value",
                (str(gone),),
            )

    def record(self, entry: RecordedRequest) -> None:
        """Append one request (letting the oldest go when the journal is full)."""
        cursor = self.store.run(
            "INSERT INTO journal (time, method, path, query, headers, body, worker) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                entry.time,
                entry.method,
                entry.path,
                entry.query,
                json.dumps(entry.headers),
                entry.body,
                entry.worker,
            ),
        )
        last, limit = cursor.lastrowid, self._shared_limit()
        due = last is not None and (last % _PRUNE_EVERY == 0 or limit != self._applied)
        if limit is not None and last is not None and due:
            self._prune(last - limit)
        self._applied = limit

    def all(self) -> list[RecordedRequest]:
        """Every recorded request (by any worker), oldest first."""
        rows = self.store.run(
            "SELECT time, method, path, query, headers, body, worker FROM journal ORDER BY id"
        )
        out = []
        for received, method, path, query, headers, body, worker in rows:
            out.append(
                RecordedRequest(
                    method=method,
                    path=path,
                    query=query,
                    headers=json.loads(headers),
                    body=bytes(body),
                    json=_loads(bytes(body)),
                    time=received,
                    worker=worker,
                )
            )
        return out

    def reset(self) -> None:
        """Forget every request, and the count of dropped ones."""
        self.store.run("DELETE FROM journal")
        self.store.run("DELETE FROM kv WHERE name = 'journal_dropped'")

    def __len__(self) -> int:
        row = self.store.run("SELECT COUNT(*) FROM journal").fetchone()
        return int(row[0])


def _loads(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


class SharedFaults(ServerFaults):
    """Server faults in the store; `times=N` counts down across all workers."""

    def __init__(self, store: SharedStore) -> None:  # no super(): it would clear the store
        self._lock = threading.Lock()
        self.store = store
        self.cached: FaultSpec | None = None
        """What the store held when last read or written here; `SharedState.sync()` drops it
        when another process changed the store."""

    def _put(self, spec: FaultSpec) -> None:
        self.store.put("faults", _spec_json(spec))
        self.cached = spec

    def set(self, spec: str | FaultSpec | None = None, **faults: Any) -> None:
        """As `ServerFaults.set`, for every worker."""
        base = spec if isinstance(spec, FaultSpec) else parse_faults(spec)
        self._put(base.merged(FaultSpec(**faults)))

    def current(self) -> FaultSpec:
        """The server faults now in force."""
        if self.cached is None:
            self.cached = FaultSpec(**(self.store.get("faults") or {}))
        return self.cached

    def take(self) -> FaultSpec:
        """The faults for one generation request, counting down `times` in one transaction."""
        spec = self.current()
        if spec.times is None:
            return spec
        db = self.store.db()
        self.store.run("BEGIN IMMEDIATE")
        try:
            self.cached = None
            spec = self.current()
            if spec.times is not None:
                self._put(replace(spec, times=spec.times - 1) if spec.times > 1 else FaultSpec())
            db.execute("COMMIT")
        except BaseException:
            self.cached = None
            db.execute("ROLLBACK")
            raise
        return spec if spec.times is None or spec.times > 0 else FaultSpec()


class SharedState(MockState):
    """A `MockState` whose configuration, faults and journal every worker shares."""

    def __init__(self, store: SharedStore) -> None:
        self.store = store
        super().__init__(MockConfig.from_dict(store.get("config") or {}))
        self.faults: SharedFaults = SharedFaults(store)
        self.journal = SharedJournal(store, lambda: self.config.journal_limit)
        self._version = store.data_version()

    def sync(self) -> None:
        """Re-read the configuration when another process changed the store."""
        version = self.store.data_version()
        if version != self._version:
            self._version = version
            self.config = MockConfig.from_dict(self.store.get("config") or {})
            self.faults.cached = None

    def publish(self) -> None:
        """Write this process's configuration for every worker."""
        self.store.put("config", dataclasses.asdict(self.config))

    def reset(self, config: MockConfig | None = None) -> None:
        """Back to `config` (or the current one) in every worker; metrics of this process only."""
        super().reset(config)
        self.publish()
