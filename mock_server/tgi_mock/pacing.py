"""
The timing model applied to a request: its schedule (queue wait, per-token delays, batch slot)
from `tgi_mock.timing`, the `x-mock-timing` header read over the server's values, and a stream
plan made to wait for it. The generation routes call these; the model itself is sans I/O.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from starlette.requests import Request
from starlette.responses import Response

from tgi_mock.extract import plain
from tgi_mock.state import MockState
from tgi_mock.streaming import StreamPlan
from tgi_mock.timing import HEADER as TIMING_HEADER
from tgi_mock.timing import Timing, TimingError, parse_timing

__all__ = [
    "TIMING_HEADER",
    "Schedule",
    "request_timing",
    "stream_timing",
    "timed",
    "timing_rejection",
    "wait_whole",
]


class Schedule:
    """The timing model's answer for one request: queue wait, per-token delays, batch slot."""

    def __init__(self, state: MockState, timing: Timing, prompt: int, budget: int, count: int):
        config = state.config
        batcher = state.batcher
        batcher.limit = config.max_batch_total_tokens
        self.delays = timing.delays(count, state.timing_rng)
        self.start = time.monotonic()
        self.slot = batcher.admit(self.start, prompt + budget, sum(self.delays))
        self.queue = self.slot.queue_time(self.start)
        self._batcher = batcher

    def delay_before(self, index: int) -> float:
        """Seconds before token `index`: the queue wait and TTFT first, then the ITL."""
        delay = self.delays[index] if index < len(self.delays) else 0.0
        return delay + self.queue if index == 0 else delay

    def finish(self) -> None:
        """The request is over: its tokens leave the batch."""
        self._batcher.finish(self.slot, time.monotonic())


def request_timing(request: Request, state: MockState) -> Timing | None:
    """The timing model for this request (server values, `x-mock-timing` over them), or None
    when nothing waits; `TimingError` on a bad header."""
    config = state.config
    base = Timing(config.ttft, config.ttft_spread, config.itl, config.itl_spread)
    timing = parse_timing(request.headers.get(TIMING_HEADER), base)
    return timing if timing.active or config.max_batch_total_tokens is not None else None


def timed(
    plan: StreamPlan,
    state: MockState,
    timing: Timing | None,
    prompt: int,
    budget: int,
    count: int,
) -> StreamPlan:
    """`plan` with the timing model's waits before its `count` token frames (`timing` None: as
    is); the request holds `prompt + budget` batch tokens until the stream ends."""
    if timing is None:
        return plan
    schedule = Schedule(state, timing, prompt, budget, count)
    close = plan.on_close

    def closed() -> None:
        close()
        schedule.finish()

    return replace(plan, on_close=closed, delay_before=schedule.delay_before)


async def wait_whole(
    state: MockState, timing: Timing | None, prompt: int, budget: int, count: int
) -> float:
    """Wait as the timing model says for an answer sent whole (queue, TTFT, then `count - 1`
    inter-token latencies); the queue time in seconds (0 when `timing` is None)."""
    if timing is None:
        return 0.0
    schedule = Schedule(state, timing, prompt, budget, count)
    try:
        await asyncio.sleep(schedule.queue + sum(schedule.delays))
    finally:
        schedule.finish()
    return schedule.queue


def stream_timing(request: Request, state: MockState) -> Timing | None:
    """`request_timing` of a request whose header `timing_rejection` already checked."""
    try:
        return request_timing(request, state)
    except TimingError:  # pragma: no cover - refused before
        return None


def timing_rejection(request: Request, state: MockState) -> Response | None:
    """The 400 answer to a bad `x-mock-timing` header, or None."""
    try:
        request_timing(request, state)
    except TimingError as error:
        return plain(400, f"Invalid {TIMING_HEADER}: {error}")
    return None
