"""The Inference API clients keep 0.7.0's signatures (new arguments are keyword-only) and the
sync and async twins match; the guarded calls keep ``Client``'s signatures."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from typing import Any

import pytest

from text_generation import AsyncClient, Client, InferenceAPIAsyncClient, InferenceAPIClient


@pytest.mark.parametrize(
    ("cls", "base"), [(InferenceAPIClient, Client), (InferenceAPIAsyncClient, AsyncClient)]
)
def test_constructor_and_calls(cls: Any, base: Any) -> None:
    params = inspect.signature(cls.__init__).parameters
    assert list(params)[:4] == ["self", "repo_id", "token", "timeout"]
    assert params["token"].default is None
    assert params["timeout"].default == 10
    assert params["provider"].kind is inspect.Parameter.KEYWORD_ONLY
    assert params["provider"].default is None  # "auto", as huggingface_hub
    assert params["router_url"].kind is inspect.Parameter.KEYWORD_ONLY
    for name in ("generate", "generate_stream", "chat"):
        assert inspect.signature(getattr(cls, name)) == inspect.signature(getattr(base, name))
        assert getattr(cls, name).__doc__ == getattr(base, name).__doc__


def test_the_twins_match() -> None:
    sync = inspect.signature(InferenceAPIClient.__init__)
    assert sync == inspect.signature(InferenceAPIAsyncClient.__init__)
    assert inspect.iscoroutinefunction(InferenceAPIAsyncClient.generate)
    assert inspect.iscoroutinefunction(InferenceAPIAsyncClient.chat)
    assert not inspect.iscoroutinefunction(InferenceAPIAsyncClient.generate_stream)


def test_leaving_a_guarded_async_stream_closes_the_inner_one() -> None:
    from text_generation.inference_api import _guard_async

    closed: list[bool] = []

    class Fake:
        def _check(self, task_api: bool) -> None:
            pass

        def stream(self) -> AsyncIterator[int]:
            async def events() -> AsyncIterator[int]:
                try:
                    for i in range(3):
                        yield i
                finally:
                    closed.append(True)

            return events()

    guarded = _guard_async(Fake.stream)

    async def first() -> int:
        events = guarded(Fake())
        async for event in events:
            await events.aclose()  # type: ignore[attr-defined]
            assert closed == [True]  # at once, not when the loop shuts down
            return event
        raise AssertionError("empty")

    assert asyncio.run(first()) == 0
