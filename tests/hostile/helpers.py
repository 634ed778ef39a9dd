"""What the hostile-network cases share: twins with retries off and a short timeout, a heartbeat
that proves an event loop stayed free, and a count of open file descriptors."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tests.facade.twins import Twin
from text_generation import AsyncClient, Client

T = TypeVar("T")

#: The answer to every well-formed generate call of these tests.
ANSWER = (
    b'{"generated_text":" ok","details":{"finish_reason":"length","generated_tokens":1,'
    b'"seed":null,"prefill":[],"tokens":[{"id":1,"text":" ok","logprob":-0.1,"special":false}]}}'
)


def ok_response() -> bytes:
    return b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (
        len(ANSWER),
        ANSWER,
    )


def twin(kind: str, url: str, **options: Any) -> Twin:
    """A twin that never retries and gives up after 2 s of silence, unless told otherwise."""
    options.setdefault("max_retries", 0)
    options.setdefault("timeout", 2)
    return Twin(kind, url, **options)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def with_heartbeat(call: Callable[[], Awaitable[T]]) -> tuple[BaseException | T, float]:
    """Run ``call`` on a fresh loop beside a task beating every 10 ms; the outcome (a result or
    the exception raised) and the longest silence between two beats, in seconds (a parser that
    froze the loop shows as a silence as long as the freeze)."""

    async def main() -> tuple[BaseException | T, float]:
        longest = 0.0
        done = asyncio.Event()

        async def heartbeat() -> None:
            nonlocal longest
            last = time.monotonic()
            while not done.is_set():
                await asyncio.sleep(0.01)
                now = time.monotonic()
                longest, last = max(longest, now - last), now

        task = asyncio.create_task(heartbeat())
        await asyncio.sleep(0)  # the heartbeat is running before the call starts
        outcome: BaseException | T
        try:
            outcome = await call()
        except Exception as exc:
            outcome = exc
        finally:
            done.set()
            await task
        return outcome, longest

    return asyncio.run(main())


async def read_all(client: AsyncClient, method: str) -> Any:
    if method == "generate":
        return await client.generate("p")
    return [event async for event in client.generate_stream("p")]


def read_all_sync(client: Client, method: str) -> Any:
    if method == "generate":
        return client.generate("p")
    return list(client.generate_stream("p"))
