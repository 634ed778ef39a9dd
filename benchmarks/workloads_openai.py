"""W6-W7 with the openai SDK's ``chat.completions.create``, pointed at the bench server's ``/v1``.

``OpenAI`` for W6, ``AsyncOpenAI`` with ``stream=True`` for W7, as a user points them at TGI's
Messages API (``base_url=<server>/v1``, any API key). Runs in ``.venv-openai``
(``openai==3.51.0``); openai is imported inside each workload.
"""

from __future__ import annotations

import asyncio
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

MODEL = "tgi"
KEY = "-"


def openai_w6(url: str, calls: int) -> dict[str, Any]:
    """W6 with ``OpenAI().chat.completions.create``."""
    from openai import OpenAI

    with OpenAI(base_url=url + "/v1", api_key=KEY) as client:
        create = client.chat.completions.create
        for _ in range(20):
            create(model=MODEL, messages=MESSAGES, max_tokens=W6_TOKENS)  # type: ignore[arg-type, unused-ignore]
        with Timed(url) as timed:
            for _ in range(calls):
                resp = create(model=MODEL, messages=MESSAGES, max_tokens=W6_TOKENS)  # type: ignore[arg-type, unused-ignore]
    check_chat(resp, W6_TOKENS)
    return summarize(calls, "calls/s", [timed], {"calls": calls})


def openai_w7(url: str, streams: int, repeat: int) -> dict[str, Any]:
    """W7 with ``AsyncOpenAI().chat.completions.create(stream=True)``."""
    from openai import AsyncOpenAI

    async def main() -> list[Timed]:
        async with AsyncOpenAI(base_url=url + "/v1", api_key=KEY) as client:

            async def one() -> None:
                count, last = 0, None
                stream: Any = await client.chat.completions.create(
                    model=MODEL,
                    messages=MESSAGES,  # type: ignore[arg-type, unused-ignore]
                    max_tokens=W7_TOKENS,
                    stream=True,
                )
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
