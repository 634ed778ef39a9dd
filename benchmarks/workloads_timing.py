"""What every timed client workload shares: the issue's sizes and the measuring.

The sizes of W1-W4, W6-W7 and their prompt, the bench server's CPU seconds (``GET /_stats``),
``Timed`` (wall time, client CPU and bench-server CPU of one timed part), the median summary of
timed parts, the chat workloads' checks, and the async helpers that keep N calls in flight and
time repeated batches after a warm-up.

Imported by ``workloads.py`` inside every client's venv, so: the standard library only.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

PROMPT = "Why is the sky blue?"
W1_CALLS = 2000
W1_TOKENS = 20
W2_TOKENS = 20_000
W3_CALLS = 500
W3_IN_FLIGHT = 100
W4_STREAMS = 100
W4_TOKENS = 200
W6_CALLS = 2000
W6_TOKENS = 20
W7_STREAMS = 100
W7_TOKENS = 200
MESSAGES = [{"role": "user", "content": PROMPT}]
"""The chat workloads' conversation, as the Messages API takes it."""


def server_cpu(url: str) -> float:
    """The bench server's CPU seconds so far (``GET /_stats`` over a raw socket)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(f"GET /_stats HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return float(json.loads(data.split(b"\r\n\r\n", 1)[1])["cpu_s"])


class Timed:
    """Wall time, client CPU time and bench-server CPU time of one timed part."""

    def __init__(self, url: str) -> None:
        self._url = url
        self.elapsed = 0.0
        self.cpu = 0.0
        self.server_cpu = 0.0

    def __enter__(self) -> Timed:
        self._server0 = server_cpu(self._url)
        self._cpu0 = time.process_time()
        self._t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.elapsed = time.perf_counter() - self._t0
        self.cpu = time.process_time() - self._cpu0
        self.server_cpu = server_cpu(self._url) - self._server0


def summarize(units: float, unit: str, runs: list[Timed], extra: dict[str, Any]) -> dict[str, Any]:
    """The result of timed parts that each did ``units`` calls or tokens: the median one."""
    run = sorted(runs, key=lambda r: r.elapsed)[len(runs) // 2]
    return {
        "value": units / run.elapsed,
        "unit": unit,
        "elapsed_s": run.elapsed,
        "samples_s": [r.elapsed for r in runs],
        "cpu_s": run.cpu,
        "cpu_us_per_unit": run.cpu / units * 1e6,
        "server_cpu_s": run.server_cpu,
        **extra,
    }


async def run_in_flight(n_calls: int, in_flight: int, call: Callable[[], Awaitable[None]]) -> None:
    """``call`` ``n_calls`` times, ``in_flight`` of them at a time."""
    remaining = n_calls

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await call()

    await asyncio.gather(*(worker() for _ in range(in_flight)))


async def timed_batches(
    url: str,
    repeat: int,
    batch: Callable[[], Awaitable[None]],
    warmup: Callable[[], Awaitable[None]],
) -> list[Timed]:
    """``warmup`` once, then ``batch`` ``repeat`` times, each one timed."""
    await warmup()
    runs = []
    for _ in range(repeat):
        with Timed(url) as timed:
            await batch()
        runs.append(timed)
    return runs


# -- the chat workloads' checks (every client's answers have these attributes) -------------------


def check_chat(resp: Any, tokens: int) -> None:
    """A whole chat answer of ``tokens`` tokens."""
    usage = resp.usage  # text-generation 0.7.0: a dict
    done = usage.get("completion_tokens") if isinstance(usage, dict) else usage.completion_tokens
    if done != tokens or not resp.choices[0].message.content:
        raise AssertionError(f"unexpected chat answer: {resp!r:.300}")


def check_chat_stream(count: int, last: Any, tokens: int) -> None:
    """A chat stream that brought ``tokens`` chunks, the last one finished."""
    if count != tokens or last is None or last.choices[0].finish_reason != "length":
        raise AssertionError(f"chat stream ended after {count} chunks, expected {tokens}")
