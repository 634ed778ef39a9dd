"""W6-W7, the Messages API, with ``text_generation`` (ours and 0.7.0) and with plain httpx.

W6: ``W6_CALLS`` sequential ``chat`` calls of ``W6_TOKENS`` tokens (calls/s); W7: ``W7_STREAMS``
concurrent async chat streams of ``W7_TOKENS`` tokens (tokens/s). Imported by ``workloads.py``
inside the client's venv: the standard library here, the client imported inside each workload.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from benchmarks.workloads_timing import (
    MESSAGES,
    W6_TOKENS,
    W7_TOKENS,
    Timed,
    check_chat,
    check_chat_stream,
    summarize,
    timed_batches,
)

_CHAT = "/v1/chat/completions"


def tg_w6(url: str, calls: int) -> dict[str, Any]:
    """W6 with ``text_generation.Client.chat``."""
    from text_generation import Client
    from text_generation.types import Message

    messages = [Message(**m) for m in MESSAGES]
    client = Client(url)
    for _ in range(20):
        client.chat(messages, max_tokens=W6_TOKENS)
    with Timed(url) as timed:
        for _ in range(calls):
            resp = client.chat(messages, max_tokens=W6_TOKENS)
    check_chat(resp, W6_TOKENS)
    getattr(client, "close", lambda: None)()
    return summarize(calls, "calls/s", [timed], {"calls": calls})


def tg_w7(url: str, streams: int, repeat: int) -> dict[str, Any]:
    """W7 with ``text_generation.AsyncClient.chat(stream=True)``."""
    from text_generation import AsyncClient
    from text_generation.types import Message

    messages = [Message(**m) for m in MESSAGES]

    async def main() -> list[Timed]:
        client = AsyncClient(url)

        async def one() -> None:
            count, last = 0, None
            stream: Any = await client.chat(messages, max_tokens=W7_TOKENS, stream=True)
            try:
                async for last in stream:  # noqa: B007
                    count += 1
            except json.JSONDecodeError as exc:  # text-generation 0.7.0 at TGI's last event
                raise AssertionError(
                    f"the stream broke after {count} of {W7_TOKENS} chunks: {exc!r} (TGI ends a "
                    "chat stream with `data: [DONE]`, which is not JSON)"
                ) from exc
            check_chat_stream(count, last, W7_TOKENS)

        async def batch() -> None:
            await asyncio.gather(*(one() for _ in range(streams)))

        runs = await timed_batches(url, repeat, batch, batch)
        aclose = getattr(client, "aclose", None)  # text-generation 0.7.0 has nothing to close
        if aclose is not None:
            await aclose()
        return runs

    runs = asyncio.run(main())
    return summarize(
        streams * W7_TOKENS, "tokens/s", runs, {"streams": streams, "tokens": W7_TOKENS}
    )


class _Chunks:
    """SSE ``data`` payloads of a chat stream split by hand, ``[DONE]`` ending it."""

    def __init__(self) -> None:
        self._rest = b""
        self.count = 0
        self.finish: Any = None
        self.done = False

    def feed(self, chunk: bytes) -> None:
        parts = (self._rest + chunk).split(b"\n\n")
        self._rest = parts.pop()
        for part in parts:
            if part == b"data: [DONE]":
                self.done = True
            elif part.startswith(b"data:"):
                choice = json.loads(part[5:])["choices"][0]
                self.finish = choice["finish_reason"]
                self.count += 1

    def check(self, tokens: int) -> None:
        if self.count != tokens or self.finish != "length" or not self.done:
            raise AssertionError(f"chat stream ended after {self.count} chunks, expected {tokens}")


def httpx_w6(url: str, calls: int) -> dict[str, Any]:
    """W6 with ``httpx.Client.post`` and ``.json()``."""
    import httpx

    body = {"model": "tgi", "messages": MESSAGES, "max_tokens": W6_TOKENS}
    with httpx.Client(base_url=url) as client:
        for _ in range(20):
            client.post(_CHAT, json=body).raise_for_status()
        with Timed(url) as timed:
            for _ in range(calls):
                resp = client.post(_CHAT, json=body)
                resp.raise_for_status()
                payload = resp.json()
    if payload["usage"]["completion_tokens"] != W6_TOKENS:
        raise AssertionError("unexpected chat answer")
    return summarize(calls, "calls/s", [timed], {"calls": calls})


def httpx_w7(url: str, streams: int, repeat: int) -> dict[str, Any]:
    """W7 with ``httpx.AsyncClient.stream`` and ``aiter_bytes``, SSE split by hand."""
    import httpx

    body = {"model": "tgi", "messages": MESSAGES, "max_tokens": W7_TOKENS, "stream": True}

    async def main() -> list[Timed]:
        limits = httpx.Limits(max_connections=streams, max_keepalive_connections=streams)
        async with httpx.AsyncClient(base_url=url, limits=limits) as client:

            async def one() -> None:
                chunks = _Chunks()
                async with client.stream("POST", _CHAT, json=body) as resp:
                    resp.raise_for_status()
                    async for data in resp.aiter_bytes():
                        chunks.feed(data)
                chunks.check(W7_TOKENS)

            async def batch() -> None:
                await asyncio.gather(*(one() for _ in range(streams)))

            return await timed_batches(url, repeat, batch, batch)

    runs = asyncio.run(main())
    return summarize(
        streams * W7_TOKENS, "tokens/s", runs, {"streams": streams, "tokens": W7_TOKENS}
    )
