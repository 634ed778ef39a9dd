"""
Real streaming: SSE frames flushed one by one, with the stream faults applied between them.

A `StreamPlan` is the list of frames a healthy stream would send. `pump()` sends them as an async
byte iterator (for Starlette's `StreamingResponse`): it waits the latency faults before token
frames,
sends the keep-alive comment `:` after `keep_alive` idle seconds, and honours `error-event-after`
(an error frame, then a clean end), `drop-after` (the TCP connection is cut mid-body) and `no-final`
(the final frames are left out). `on_close` runs exactly once however the stream ends, so a
concurrency permit is always given back.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import StreamingResponse

from tgi_mock.extract import drop_connection, is_disconnected
from tgi_mock.faults import FaultSpec
from tgi_mock.sse import KEEP_ALIVE

__all__ = ["Frame", "StreamPlan", "pump", "sse_response"]


@dataclass(frozen=True)
class Frame:
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


async def pump(
    plan: StreamPlan,
    faults: FaultSpec,
    keep_alive: float,
    request: Request,
    drop: Callable[[Request], Awaitable[None]] = drop_connection,
) -> AsyncIterator[bytes]:
    """Send the plan's frames with faults applied; see the module docstring."""
    try:
        idle = 0.0
        sent_tokens = 0
        for frame in plan.frames:
            if frame.final and faults.no_final:
                continue
            if frame.token:
                if faults.drop_after is not None and sent_tokens >= faults.drop_after:
                    await drop(request)
                    return
                if faults.error_event_after is not None and sent_tokens >= faults.error_event_after:
                    for data in plan.error_frames(*faults.stream_error()):
                        yield data
                    return
                async for left in _idle(faults.delay_before(sent_tokens), keep_alive, idle):
                    if left < 0:
                        yield KEEP_ALIVE
                    else:
                        idle = left
                if is_disconnected(request):
                    return
                sent_tokens += 1
            yield frame.data
            idle = 0.0
        if faults.drop_after is not None and sent_tokens >= faults.drop_after:
            await drop(request)
    finally:
        plan.on_close()


def sse_response(
    plan: StreamPlan,
    faults: FaultSpec,
    keep_alive: float,
    request: Request,
    headers: dict[str, str],
) -> StreamingResponse:
    """A 200 `text/event-stream` answer streaming `plan`."""
    return StreamingResponse(
        pump(plan, faults, keep_alive, request),
        status_code=200,
        headers={**headers, "content-type": "text/event-stream", "cache-control": "no-cache"},
    )
