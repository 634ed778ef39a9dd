"""W1-W4 and W6-W7 with huggingface_hub's ``InferenceClient`` / ``AsyncInferenceClient``.

``text_generation`` (with ``details``, streamed or not) and ``chat_completion``, the model being the
bench server's URL, as a user points them at a TGI server. Runs in ``.venv-hfhub``
(``huggingface_hub==2.4.0``); huggingface_hub is imported inside each workload.
"""

from __future__ import annotations

import asyncio
from typing import Any

from benchmarks.workloads_tg import _check_final, _check_response
from benchmarks.workloads_timing import (
    MESSAGES,
    PROMPT,
    W1_TOKENS,
    W3_IN_FLIGHT,
    W4_TOKENS,
    W6_TOKENS,
    W7_TOKENS,
    Timed,
    check_chat,
    check_chat_stream,
    run_in_flight,
    summarize,
    timed_batches,
)


def hfhub_w1(url: str, calls: int) -> dict[str, Any]:
    """W1 with ``InferenceClient.text_generation(details=True)``."""
    from huggingface_hub import InferenceClient

    with InferenceClient(url) as client:
        for _ in range(20):
            client.text_generation(PROMPT, max_new_tokens=W1_TOKENS, details=True)
        with Timed(url) as timed:
            for _ in range(calls):
                resp = client.text_generation(PROMPT, max_new_tokens=W1_TOKENS, details=True)
    _check_response(resp, W1_TOKENS)
    return summarize(calls, "calls/s", [timed], {"calls": calls})


def hfhub_w2(url: str, tokens: int, repeat: int) -> dict[str, Any]:
    """W2 with ``InferenceClient.text_generation(stream=True, details=True)``."""
    from huggingface_hub import InferenceClient

    runs = []
    with InferenceClient(url) as client:
        for i in range(repeat + 1):
            count, last = 0, None
            with Timed(url) as timed:
                for last in client.text_generation(  # noqa: B007
                    PROMPT, max_new_tokens=tokens, details=True, stream=True
                ):
                    count += 1
            _check_final(last, count, tokens)
            if i:
                runs.append(timed)
    return summarize(tokens, "tokens/s", runs, {"tokens": tokens})


def hfhub_w3(url: str, calls: int, repeat: int) -> dict[str, Any]:
    """W3 with ``AsyncInferenceClient.text_generation``."""
    from huggingface_hub import AsyncInferenceClient

    async def main() -> list[Timed]:
        async with AsyncInferenceClient(url) as client:
            last: list[Any] = [None]

            async def call() -> None:
                last[0] = await client.text_generation(
                    PROMPT, max_new_tokens=W1_TOKENS, details=True
                )

            runs = await timed_batches(
                url,
                repeat,
                lambda: run_in_flight(calls, W3_IN_FLIGHT, call),
                lambda: run_in_flight(W3_IN_FLIGHT, W3_IN_FLIGHT, call),
            )
            _check_response(last[0], W1_TOKENS)
            return runs

    runs = asyncio.run(main())
    return summarize(calls, "calls/s", runs, {"calls": calls, "in_flight": W3_IN_FLIGHT})


def hfhub_w4(url: str, streams: int, repeat: int) -> dict[str, Any]:
    """W4 with ``AsyncInferenceClient.text_generation(stream=True, details=True)``."""
    from huggingface_hub import AsyncInferenceClient

    async def main() -> list[Timed]:
        async with AsyncInferenceClient(url) as client:

            async def one() -> None:
                count, last = 0, None
                stream = await client.text_generation(
                    PROMPT, max_new_tokens=W4_TOKENS, details=True, stream=True
                )
                async for last in stream:  # noqa: B007
                    count += 1
                _check_final(last, count, W4_TOKENS)

            async def batch() -> None:
                await asyncio.gather(*(one() for _ in range(streams)))

            return await timed_batches(url, repeat, batch, batch)

    runs = asyncio.run(main())
    return summarize(
        streams * W4_TOKENS, "tokens/s", runs, {"streams": streams, "tokens": W4_TOKENS}
    )


def hfhub_w6(url: str, calls: int) -> dict[str, Any]:
    """W6 with ``InferenceClient.chat_completion``."""
    from huggingface_hub import InferenceClient

    with InferenceClient(url) as client:
        for _ in range(20):
            client.chat_completion(MESSAGES, max_tokens=W6_TOKENS)
        with Timed(url) as timed:
            for _ in range(calls):
                resp = client.chat_completion(MESSAGES, max_tokens=W6_TOKENS)
    check_chat(resp, W6_TOKENS)
    return summarize(calls, "calls/s", [timed], {"calls": calls})


def hfhub_w7(url: str, streams: int, repeat: int) -> dict[str, Any]:
    """W7 with ``AsyncInferenceClient.chat_completion(stream=True)``."""
    from huggingface_hub import AsyncInferenceClient

    async def main() -> list[Timed]:
        async with AsyncInferenceClient(url) as client:

            async def one() -> None:
                count, last = 0, None
                stream = await client.chat_completion(MESSAGES, max_tokens=W7_TOKENS, stream=True)
                async for last in stream:  # noqa: B007
                    count += 1
                check_chat_stream(count, last, W7_TOKENS)

            async def batch() -> None:
                await asyncio.gather(*(one() for _ in range(streams)))

            return await timed_batches(url, repeat, batch, batch)

    runs = asyncio.run(main())
    return summarize(
        streams * W7_TOKENS, "tokens/s", runs, {"streams": streams, "tokens": W7_TOKENS}
    )
