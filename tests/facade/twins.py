"""One test body for ``Client`` and ``AsyncClient``: a ``Twin`` runs the same calls on either.

Async calls run on one event loop kept for the twin's lifetime, so pooled connections stay valid.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Iterator
from typing import Any

from text_generation import AsyncClient, Client

KINDS = ["sync", "async"]


class Twin:
    """Drives a ``Client`` (``kind="sync"``) or an ``AsyncClient`` (``kind="async"``)."""

    def __init__(self, kind: str, base_url: str, **options: Any) -> None:
        self.kind = kind
        self._runner = asyncio.Runner() if kind == "async" else None
        self.client: Client | AsyncClient = (
            AsyncClient(base_url, **options) if kind == "async" else Client(base_url, **options)
        )

    def wrap(self, client: Client | AsyncClient) -> Twin:
        """Drive an already built client (e.g. an InferenceAPI client) instead."""
        self.client = client
        return self

    def run(self, value: Any) -> Any:
        """Await ``value`` on the twin's loop when it is awaitable."""
        if inspect.isawaitable(value):
            assert self._runner is not None
            return self._runner.run(_await(value))
        return value

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call a non-streaming method and return its result."""
        return self.run(getattr(self.client, name)(*args, **kwargs))

    def collect(
        self, stream: Iterator[Any] | AsyncIterator[Any], limit: int | None = None
    ) -> list[Any]:
        """Read a stream (sync or async) to its end, or its first ``limit`` events."""
        if isinstance(stream, AsyncIterator):
            return list(self.run(_acollect(stream, limit)))
        out: list[Any] = []
        for event in stream:
            out.append(event)
            if limit is not None and len(out) >= limit:
                break
        return out

    def collect_iter(self, stream: Iterator[Any] | AsyncIterator[Any]) -> Iterator[Any]:
        """Iterate a stream (sync or async) event by event, as a plain iterator."""
        if not isinstance(stream, AsyncIterator):
            yield from stream
            return
        while True:
            try:
                yield self.run(anext(stream))
            except StopAsyncIteration:
                return

    def stream_first(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call a streaming method, take its first event and leave the loop, as a user's
        ``break`` does (nothing closes the stream explicitly)."""
        stream = self.run(getattr(self.client, name)(*args, **kwargs))
        if isinstance(stream, AsyncIterator):
            return self.run(_first(stream))
        for event in stream:
            return event
        raise AssertionError("the stream was empty")

    def stream(self, name: str, *args: Any, **kwargs: Any) -> list[Any]:
        """Call a streaming method and read all its events."""
        return self.collect(self.run(getattr(self.client, name)(*args, **kwargs)))

    def close(self) -> None:
        """Close the client and the loop."""
        if isinstance(self.client, AsyncClient):
            self.run(asyncio.sleep(0.05))  # let the finalizers of abandoned streams run
            self.run(self.client.aclose())
        else:
            self.client.close()
        if self._runner is not None:
            self._runner.close()


async def _await(value: Any) -> Any:
    return await value


async def _acollect(stream: AsyncIterator[Any], limit: int | None) -> list[Any]:
    out: list[Any] = []
    async for event in stream:
        out.append(event)
        if limit is not None and len(out) >= limit:
            break
    if hasattr(stream, "aclose"):
        await stream.aclose()
    return out


async def _first(stream: AsyncIterator[Any]) -> Any:
    async for event in stream:
        return event
    raise AssertionError("the stream was empty")
