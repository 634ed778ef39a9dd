"""
The mutable state of a running mock: configuration, server faults, journal, metrics, permits.

One `MockState` belongs to one app. Tests and the CLI change it from other threads, so each
part guards itself with a lock; the configuration is read afresh on every request.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import replace
from typing import Any

from tgi_mock.config import MockConfig
from tgi_mock.faults import FaultSpec, parse_faults
from tgi_mock.journal import Journal
from tgi_mock.timing import Batcher

__all__ = ["Metrics", "MockState", "Permits", "ServerFaults"]


class ServerFaults:
    """Faults applied to every generation request (see `tgi_mock.faults` for the grammar)."""

    def __init__(self, spec: str | FaultSpec = "") -> None:
        self._lock = threading.Lock()
        self._spec = FaultSpec()
        self.set(spec)

    def set(self, spec: str | FaultSpec | None = None, **faults: Any) -> None:
        """Replace the server faults: a spec string (`"drop-after=2"`), a `FaultSpec`, or fields
        (`drop_after=2`, `latency_token=0.01`); fields override the spec. `times=N` limits them to
        the next N generation requests."""
        base = spec if isinstance(spec, FaultSpec) else parse_faults(spec)
        with self._lock:
            self._spec = base.merged(FaultSpec(**faults))

    def clear(self) -> None:
        """No server faults any more."""
        self.set(None)

    def current(self) -> FaultSpec:
        """The server faults now in force."""
        with self._lock:
            return self._spec

    def take(self) -> FaultSpec:
        """The faults for one generation request, counting down `times` when it is set."""
        with self._lock:
            spec = self._spec
            if spec.times is None:
                return spec
            self._spec = replace(spec, times=spec.times - 1) if spec.times > 1 else FaultSpec()
            return spec if spec.times > 0 else FaultSpec()


class Permits:
    """TGI's non-blocking concurrency semaphore: `try_acquire` fails at once when it is full."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.in_flight = 0

    def try_acquire(self, count: int, limit: int) -> bool:
        """Take `count` permits if `in_flight + count <= limit`."""
        with self._lock:
            if self.in_flight + count > limit:
                return False
            self.in_flight += count
            return True

    def release(self, count: int) -> None:
        """Give back `count` permits."""
        with self._lock:
            self.in_flight = max(self.in_flight - count, 0)


class Metrics:
    """Request counters, exposed by `/metrics` in the Prometheus text format."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()

    def inc(self, name: str, amount: int = 1, **labels: str) -> None:
        """Add `amount` to the counter `name` with `labels`."""
        with self._lock:
            self._counts[(name, tuple(sorted(labels.items())))] += amount

    def get(self, name: str, **labels: str) -> int:
        """The value of one counter (0 when never incremented)."""
        with self._lock:
            return self._counts[(name, tuple(sorted(labels.items())))]

    def reset(self) -> None:
        """Set every counter back to zero."""
        with self._lock:
            self._counts.clear()

    def render(self, in_flight: int) -> str:
        """The Prometheus exposition text."""
        with self._lock:
            items = sorted(self._counts.items())
        lines: list[str] = []
        typed: set[str] = set()
        for (name, labels), value in items:
            if name not in typed:
                typed.add(name)
                lines.append(f"# TYPE {name} counter")
            rendered = ",".join(f'{k}="{v}"' for k, v in labels)
            lines.append(f"{name}{{{rendered}}} {value}" if rendered else f"{name} {value}")
        lines += ["# TYPE tgi_queue_size gauge", f"tgi_queue_size {in_flight}"]
        return "\n".join(lines) + "\n"


class MockState:
    """Everything a running mock app reads and changes."""

    def __init__(self, config: MockConfig | None = None) -> None:
        self.config = config if config is not None else MockConfig()
        self.faults = ServerFaults(self.config.faults)
        self.journal = Journal(lambda: self.config.journal_limit)
        self.metrics = Metrics()
        self.permits = Permits()
        self.rng = random.Random(self.config.random_seed)
        self.batcher = Batcher(self.config.max_batch_total_tokens)
        self.timing_rng = random.Random(self.config.timing_seed)

    def sync(self) -> None:
        """Catch up with changes other processes made (nothing to do in one process)."""

    def publish(self) -> None:
        """Make a change of `config` seen by other processes (nothing to do in one process)."""

    def reset(self, config: MockConfig | None = None) -> None:
        """Back to `config` (or the current one): its faults only, empty journal and metrics."""
        if config is not None:
            self.config = config
        self.faults.set(self.config.faults)
        self.journal.reset()
        self.metrics.reset()
        self.rng = random.Random(self.config.random_seed)
        self.batcher = Batcher(self.config.max_batch_total_tokens)
        self.timing_rng = random.Random(self.config.timing_seed)
