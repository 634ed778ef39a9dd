"""W1-W4 with plain httpx, the reference column: no client library, SSE split by hand.

``httpx.Client.post`` + ``.json()``, ``httpx.AsyncClient`` with its default pool, and
``iter_bytes`` / ``aiter_bytes`` with the ``data`` payloads split out by ``_Events``. Imported by
``workloads.py`` in every client's venv (``.venv-upstream`` has no httpx), so httpx is imported
inside each workload, not here.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from benchmarks.workloads_timing import (
    PROMPT,
    W1_TOKENS,
    W3_IN_FLIGHT,
    W4_TOKENS,
    Timed,
    run_in_flight,
    summarize,
    timed_batches,
)

_BODY = {"inputs": PROMPT, "parameters": {"max_new_tokens": W1_TOKENS, "details": True}}


def _stream_body(tokens: int) -> dict[str, Any]:
    return {"inputs": PROMPT, "parameters": {"max_new_tokens": tokens, "details": True}}


class _Events:
    """Split a byte stream into SSE ``data`` payloads, parsed as JSON."""

    def __init__(self) -> None:
        self._rest = b""
        self.count = 0
        self.last: Any = None

    def feed(self, chunk: bytes) -> None:
        parts = (self._rest + chunk).split(b"\n\n")
        self._rest = parts.pop()
        for part in parts:
            if part.startswith(b"data:"):
                self.last = json.loads(part[5:])
                self.count += 1

    def check(self, tokens: int) -> None:
        if self.count != tokens or self.last is None or self.last["generated_text"] is None:
            raise AssertionError(f"stream ended after {self.count} events, expected {tokens}")


def httpx_w1(url: str, calls: int) -> dict[str, Any]:
    """W1 with ``httpx.Client``: post, check the status, parse the JSON."""
    import httpx

    with httpx.Client(base_url=url) as client:
        for _ in range(20):
            client.post("/generate", json=_BODY).raise_for_status()
        with Timed(url) as timed:
            for _ in range(calls):
                resp = client.post("/generate", json=_BODY)
                resp.raise_for_status()
                payload = resp.json()
    if len(payload["details"]["tokens"]) != W1_TOKENS:
        raise AssertionError("unexpected generate answer")
    return summarize(calls, "calls/s", [timed], {"calls": calls})


def httpx_w2(url: str, tokens: int, repeat: int) -> dict[str, Any]:
    """W2 with ``httpx.Client.stream`` and ``iter_bytes``, SSE split by hand."""
    import httpx

    runs = []
    with httpx.Client(base_url=url) as client:
        for i in range(repeat + 1):
            events = _Events()
            with (
                Timed(url) as timed,
                client.stream("POST", "/generate_stream", json=_stream_body(tokens)) as resp,
            ):
                resp.raise_for_status()
                for chunk in resp.iter_bytes():
                    events.feed(chunk)
            events.check(tokens)
            if i:
                runs.append(timed)
    return summarize(tokens, "tokens/s", runs, {"tokens": tokens})


def httpx_w3(url: str, calls: int, repeat: int) -> dict[str, Any]:
    """W3 with ``httpx.AsyncClient`` and its default pool."""
    import httpx

    async def main() -> list[Timed]:
        async with httpx.AsyncClient(base_url=url) as client:

            async def call() -> None:
                resp = await client.post("/generate", json=_BODY)
                resp.raise_for_status()
                resp.json()

            return await timed_batches(
                url,
                repeat,
                lambda: run_in_flight(calls, W3_IN_FLIGHT, call),
                lambda: run_in_flight(W3_IN_FLIGHT, W3_IN_FLIGHT, call),
            )

    runs = asyncio.run(main())
    return summarize(calls, "calls/s", runs, {"calls": calls, "in_flight": W3_IN_FLIGHT})


def httpx_w4(url: str, streams: int, repeat: int) -> dict[str, Any]:
    """W4 with ``httpx.AsyncClient.stream`` and ``aiter_bytes``."""
    import httpx

    async def main() -> list[Timed]:
        limits = httpx.Limits(max_connections=streams, max_keepalive_connections=streams)
        async with httpx.AsyncClient(base_url=url, limits=limits) as client:

            async def one() -> None:
                events = _Events()
                body = _stream_body(W4_TOKENS)
                async with client.stream("POST", "/generate_stream", json=body) as resp:
                    resp.raise_for_status()
                    async for chunk in resp.aiter_bytes():
                        events.feed(chunk)
                events.check(W4_TOKENS)

            async def batch() -> None:
                await asyncio.gather(*(one() for _ in range(streams)))

            return await timed_batches(url, repeat, batch, batch)

    runs = asyncio.run(main())
    return summarize(
        streams * W4_TOKENS, "tokens/s", runs, {"streams": streams, "tokens": W4_TOKENS}
    )
