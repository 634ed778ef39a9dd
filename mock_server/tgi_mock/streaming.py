"""
Real streaming: SSE frames flushed as they are due, with the stream faults applied between them.

A `StreamPlan` is the list of frames a healthy stream would send. `pump()` sends them as an async
byte iterator (for Starlette's `StreamingResponse`): it waits the timing model's delays and the
latency faults before token frames, sends the keep-alive comment `:` after `keep_alive` idle
seconds, and honours `error-event-after` (an error frame, then a clean end), `drop-after` (the
TCP connection is cut mid-body) and `no-final` (the final frames are left out). `on_close` runs
exactly once however the stream ends, so a concurrency permit is always given back.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from tgi_mock.extract import drop_connection, is_disconnected
from tgi_mock.faults import FaultSpec
from tgi_mock.sse import KEEP_ALIVE

__all__ = ["Frame", "StreamPlan", "pump", "sse_response"]


class Frame(NamedTuple):
    """One framed SSE event; faults count `token` frames, `no-final` skips `final` ones."""

    data: bytes
    token: bool = True
    final: bool = False


@dataclass
class StreamPlan:
    """The frames of a healthy stream and how to frame an injected error."""

    frames: list[Frame]
    error_frames: Callable[[str, str], list[bytes]]
    """(error, error_type) → the frames of an in-stream error (TGI or OpenAI shape)."""
    on_close: Callable[[], None] = field(default=lambda: None)
    delay_before: Callable[[int], float] | None = None
    """Seconds to wait before token frame `i` from the timing model (faults' latency adds up)."""


async def _idle(delay: float, keep_alive: float, idle: float) -> AsyncIterator[float]:
    """Sleep `delay` seconds; yields the idle time left over each time a keep-alive is due (-1)."""
    remaining = delay
    while remaining > 0:
        step = min(remaining, max(keep_alive - idle, 0.0))
        await asyncio.sleep(step)
        remaining -= step
        idle += step
        if idle >= keep_alive:
            idle = 0.0
            yield -1.0
    yield idle


def _no_stream_faults(faults: FaultSpec) -> bool:
    return (
        not faults.latency_first
        and not faults.latency_token
        and faults.drop_after is None
        and faults.error_event_after is None
        and not faults.no_final
    )


async def pump(
    plan: StreamPlan,
    faults: FaultSpec,
    keep_alive: float,
    request: Request,
    drop: Callable[[Request], Awaitable[None]] = drop_connection,
) -> AsyncIterator[bytes]:
    """Send the plan's frames with faults applied; see the module docstring. Frames that follow
    each other without a wait go out as one body chunk (one write instead of one per event)."""
    try:
        idle = 0.0
        sent_tokens = 0
        ready: list[bytes] = []
        for frame in plan.frames:
            if frame.final and faults.no_final:
                continue
            if frame.token:
                if faults.drop_after is not None and sent_tokens >= faults.drop_after:
                    if ready:
                        yield b"".join(ready)
                    await drop(request)
                    return
                if faults.error_event_after is not None and sent_tokens >= faults.error_event_after:
                    yield b"".join([*ready, *plan.error_frames(*faults.stream_error())])
                    return
                delay = plan.delay_before(sent_tokens) if plan.delay_before else 0.0
                delay += faults.delay_before(sent_tokens)
                if delay > 0:
                    if ready:
                        yield b"".join(ready)
                        ready = []
                    async for left in _idle(delay, keep_alive, idle):
                        if left < 0:
                            yield KEEP_ALIVE
                        else:
                            idle = left
                if is_disconnected(request):
                    return
                sent_tokens += 1
            ready.append(frame.data)
            idle = 0.0
        if ready:
            yield b"".join(ready)
        if faults.drop_after is not None and sent_tokens >= faults.drop_after:
            await drop(request)
    finally:
        plan.on_close()


class _AllAtOnce(StreamingResponse):
    """A stream whose events are all due at once: one chunk, without the task group that
    `StreamingResponse` runs to watch for a disconnect (nothing is left to wait for)."""

    def __init__(self, plan: StreamPlan, request: Request, headers: dict[str, str]) -> None:
        super().__init__(iter(()), status_code=200, headers=headers)
        self.plan = plan
        self.request = request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            frames = [] if is_disconnected(self.request) else self.plan.frames
            data = b"".join([frame.data for frame in frames])
            await send({"type": "http.response.body", "body": data, "more_body": False})
        finally:
            self.plan.on_close()


def sse_response(
    plan: StreamPlan,
    faults: FaultSpec,
    keep_alive: float,
    request: Request,
    headers: dict[str, str],
) -> StreamingResponse:
    """A 200 `text/event-stream` answer streaming `plan`."""
    headers = {**headers, "content-type": "text/event-stream", "cache-control": "no-cache"}
    if plan.delay_before is None and _no_stream_faults(faults):
        return _AllAtOnce(plan, request, headers)
    return StreamingResponse(
        pump(plan, faults, keep_alive, request), status_code=200, headers=headers
    )
