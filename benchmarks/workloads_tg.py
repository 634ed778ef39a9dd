"""W1-W4 with ``text_generation``: the very same code for ``ours`` and ``upstream``.

Whichever ``text_generation`` the interpreter imports (ours in ``.venv-bench``, text-generation
0.7.0 in ``.venv-upstream``) runs these; each checks what it received. Imported by
``workloads.py`` inside the client's venv, so: the standard library and the client only (the
client is imported inside each workload, not here).
"""

from __future__ import annotations

import asyncio
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

#: Measures our client on another HTTP stack under httpx (benchmarks/README.md, "Candidates"):
#: ``httpx`` (httpx's own transports), ``httpx-aiohttp`` (its AsyncClient; the package must be
#: installed in the venv by hand). Unset: the client as shipped.
CANDIDATE_VARIABLE = "TGI_BENCH_TRANSPORT"


def use_candidate_transport() -> None:
    """Swap the httpx clients our ``text_generation`` builds, when the variable asks for it."""
    import os

    candidate = os.environ.get(CANDIDATE_VARIABLE, "")
    if not candidate:
        return
    import importlib

    import httpx

    sync = importlib.import_module("text_generation.client")
    aio = importlib.import_module("text_generation._async_client")
    if candidate == "httpx":
        setattr(sync, "_pool_class", lambda: httpx.Client)  # noqa: B010
        setattr(aio, "_pool_class", lambda: httpx.AsyncClient)  # noqa: B010
    elif candidate == "httpx-aiohttp":
        package = importlib.import_module("httpx_aiohttp")
        setattr(aio, "_pool_class", lambda: package.HttpxAiohttpClient)  # noqa: B010
    else:
        raise SystemExit(f"{CANDIDATE_VARIABLE}={candidate!r}: use httpx or httpx-aiohttp")


def _check_response(resp: Any, tokens: int) -> None:
    details = resp.details
    if details is None or details.generated_tokens != tokens or len(details.tokens) != tokens:
        raise AssertionError(f"unexpected generate answer: {resp!r:.300}")


def _check_final(last: Any, count: int, tokens: int) -> None:
    if count != tokens or last is None or last.generated_text is None:
        raise AssertionError(f"stream ended after {count} events, expected {tokens}")
    if last.details is None or last.details.generated_tokens != tokens:
        raise AssertionError(f"unexpected final event: {last!r:.300}")


async def _close(client: Any) -> None:
    aclose = getattr(client, "aclose", None)  # text-generation 0.7.0 has nothing to close
    if aclose is not None:
        await aclose()


def tg_w1(url: str, calls: int) -> dict[str, Any]:
    """W1 with ``text_generation.Client``."""
    from text_generation import Client

    if hasattr(Client, "_pool_options"):  # ours, not text-generation 0.7.0
        use_candidate_transport()
    client = Client(url)
    for _ in range(20):
        client.generate(PROMPT, max_new_tokens=W1_TOKENS)
    with Timed(url) as timed:
        for _ in range(calls):
            resp = client.generate(PROMPT, max_new_tokens=W1_TOKENS)
    _check_response(resp, W1_TOKENS)
    getattr(client, "close", lambda: None)()
    return summarize(calls, "calls/s", [timed], {"calls": calls})


def tg_w2(url: str, tokens: int, repeat: int) -> dict[str, Any]:
    """W2 with ``text_generation.Client``."""
    from text_generation import Client

    if hasattr(Client, "_pool_options"):  # ours, not text-generation 0.7.0
        use_candidate_transport()
    client = Client(url)
    runs = []
    for i in range(repeat + 1):
        count, last = 0, None
        with Timed(url) as timed:
            for last in client.generate_stream(PROMPT, max_new_tokens=tokens):  # noqa: B007
                count += 1
        _check_final(last, count, tokens)
        if i:  # the first one warms up
            runs.append(timed)
    getattr(client, "close", lambda: None)()
    return summarize(tokens, "tokens/s", runs, {"tokens": tokens})


def tg_w3(url: str, calls: int, repeat: int) -> dict[str, Any]:
    """W3 with ``text_generation.AsyncClient``."""
    from text_generation import AsyncClient

    if hasattr(AsyncClient, "_pool_options"):  # ours, not text-generation 0.7.0
        use_candidate_transport()

    async def main() -> list[Timed]:
        client = AsyncClient(url)
        last: list[Any] = [None]

        async def call() -> None:
            last[0] = await client.generate(PROMPT, max_new_tokens=W1_TOKENS)

        runs = await timed_batches(
            url,
            repeat,
            lambda: run_in_flight(calls, W3_IN_FLIGHT, call),
            lambda: run_in_flight(W3_IN_FLIGHT, W3_IN_FLIGHT, call),
        )
        _check_response(last[0], W1_TOKENS)
        await _close(client)
        return runs

    runs = asyncio.run(main())
    return summarize(calls, "calls/s", runs, {"calls": calls, "in_flight": W3_IN_FLIGHT})


def tg_w4(url: str, streams: int, repeat: int) -> dict[str, Any]:
    """W4 with ``text_generation.AsyncClient``."""
    from text_generation import AsyncClient

    if hasattr(AsyncClient, "_pool_options"):  # ours, not text-generation 0.7.0
        use_candidate_transport()

    async def main() -> list[Timed]:
        client = AsyncClient(url)

        async def one() -> None:
            count, last = 0, None
            async for last in client.generate_stream(PROMPT, max_new_tokens=W4_TOKENS):  # noqa: B007
                count += 1
            _check_final(last, count, W4_TOKENS)

        async def batch() -> None:
            await asyncio.gather(*(one() for _ in range(streams)))

        runs = await timed_batches(url, repeat, batch, batch)
        await _close(client)
        return runs

    runs = asyncio.run(main())
    return summarize(
        streams * W4_TOKENS, "tokens/s", runs, {"streams": streams, "tokens": W4_TOKENS}
    )
