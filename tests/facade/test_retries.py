"""Retries: connection failures and overload answers are retried with backoff, honouring
Retry-After; nothing else is, and no stream after it handed out an event."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from tests.facade.conftest import BASE
from tests.facade.twins import Twin
from tests.facade.wire import generate_answer, sse, stream_events
from text_generation import errors
from text_generation._retry import RetryPolicy, parse_retry_after

OVERLOADED = {"error": "Model is overloaded", "error_type": "overloaded"}
SSE = {"content-type": "text/event-stream"}


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the clients waited, without waiting."""
    slept: list[float] = []
    real_sleep, real_async_sleep = time.sleep, asyncio.sleep

    def ours() -> bool:
        # time.sleep and asyncio.sleep are global: a server thread of another test may call them.
        return str(sys._getframe(2).f_globals.get("__name__", "")).startswith("text_generation")

    def fake_sleep(seconds: float) -> None:
        if ours():
            slept.append(seconds)
        else:
            real_sleep(seconds)

    async def fake_async_sleep(seconds: float) -> None:
        if ours():
            slept.append(seconds)
        else:
            await real_async_sleep(seconds)

    monkeypatch.setattr("text_generation.client.time.sleep", fake_sleep)
    monkeypatch.setattr("text_generation._async_client.asyncio.sleep", fake_async_sleep)
    return slept


@pytest.fixture
def retrying(kind: str) -> Iterator[Twin]:
    t = Twin(kind, BASE)  # the default: max_retries=2
    yield t
    t.close()


def test_overload_answers_are_retried_with_backoff(
    tgi: respx.MockRouter, retrying: Twin, sleeps: list[float]
) -> None:
    route = tgi.post("/generate").mock(
        side_effect=[
            httpx.Response(503, text="<html>busy</html>"),
            httpx.Response(429, json=OVERLOADED),
            httpx.Response(200, json=generate_answer()),
        ]
    )
    assert retrying.call("generate", "p").generated_text == " Rayleigh scattering"
    assert route.call_count == 3
    assert len(sleeps) == 2
    assert 0.375 <= sleeps[0] <= 0.5
    assert 0.75 <= sleeps[1] <= 1.0


def test_retry_after_is_honoured(
    tgi: respx.MockRouter, retrying: Twin, sleeps: list[float]
) -> None:
    tgi.post("/generate").mock(
        side_effect=[
            httpx.Response(429, json=OVERLOADED, headers={"retry-after": "3"}),
            httpx.Response(200, json=generate_answer()),
        ]
    )
    retrying.call("generate", "p")
    assert sleeps == [3.0]


def test_gives_up_after_max_retries(
    tgi: respx.MockRouter, retrying: Twin, sleeps: list[float]
) -> None:
    route = tgi.post("/generate").respond(429, json=OVERLOADED, headers={"retry-after": "1"})
    with pytest.raises(errors.OverloadedError) as err:
        retrying.call("generate", "p")
    assert route.call_count == 3
    assert err.value.status_code == 429
    assert err.value.retry_after == 1.0


def test_max_retries_zero_raises_at_once(
    tgi: respx.MockRouter, kind: str, sleeps: list[float]
) -> None:
    route = tgi.post("/generate").respond(503, json={"error": "down"})
    t = Twin(kind, BASE, max_retries=0)
    try:
        with pytest.raises(errors.UnknownError):
            t.call("generate", "p")
        assert sleeps == []
    finally:
        t.close()
    assert route.call_count == 1


def test_failures_before_sending_are_retried(
    tgi: respx.MockRouter, retrying: Twin, sleeps: list[float]
) -> None:
    route = tgi.post("/generate").mock(
        side_effect=[
            httpx.ConnectError("[Errno 111] Connection refused"),
            httpx.ConnectTimeout("timed out"),
            httpx.Response(200, json=generate_answer()),
        ]
    )
    assert retrying.call("generate", "p").generated_text
    assert route.call_count == 3


@pytest.mark.parametrize(
    "failure",
    [
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("connection reset"),
        httpx.WriteError("broken pipe"),
    ],
    ids=["disconnected", "reset", "write"],
)
def test_failures_after_sending_are_not_retried(
    tgi: respx.MockRouter, retrying: Twin, sleeps: list[float], failure: Exception
) -> None:
    """The server may have started on the request: only the policy's safe cases are resent."""
    route = tgi.post("/generate").mock(side_effect=[failure, httpx.Response(200)])
    with pytest.raises(errors.APIConnectionError) as err:
        retrying.call("generate", "p")
    assert route.call_count == 1
    assert not err.value.before_response
    assert err.value.attempts == 1


@pytest.mark.parametrize(
    ("failure", "cls"),
    [
        (httpx.ReadTimeout("timed out"), errors.APITimeoutError),
        (
            httpx.Response(422, json={"error": "bad", "error_type": "validation"}),
            errors.ValidationError,
        ),
        (
            httpx.Response(500, json={"error": "x", "error_type": "incomplete_generation"}),
            errors.IncompleteGenerationError,
        ),
    ],
    ids=["read-timeout", "422", "500"],
)
def test_other_failures_are_not_retried(
    tgi: respx.MockRouter,
    retrying: Twin,
    sleeps: list[float],
    failure: Any,
    cls: type[Exception],
) -> None:
    route = tgi.post("/generate").mock(side_effect=[failure, httpx.Response(200, json={})])
    with pytest.raises(cls):
        retrying.call("generate", "p")
    assert route.call_count == 1
    assert sleeps == []


def test_connect_timeout_is_retried_and_typed(
    tgi: respx.MockRouter, retrying: Twin, sleeps: list[float]
) -> None:
    route = tgi.post("/generate").mock(side_effect=httpx.ConnectTimeout("timed out"))
    with pytest.raises(errors.APITimeoutError) as err:
        retrying.call("generate", "p")
    assert err.value.before_response
    assert route.call_count == 3


def test_stream_retried_before_its_first_event(
    tgi: respx.MockRouter, retrying: Twin, sleeps: list[float]
) -> None:
    route = tgi.post("/generate_stream").mock(
        side_effect=[
            httpx.Response(503, text="busy"),
            httpx.Response(200, content=sse([OVERLOADED]), headers=SSE),  # TGI's in-band 429
            httpx.Response(200, content=sse(stream_events([" a", " b"])), headers=SSE),
        ]
    )
    events = retrying.stream("generate_stream", "p")
    assert [e.token.text for e in events] == [" a", " b"]
    assert route.call_count == 3


def test_stream_never_retried_after_an_event(
    tgi: respx.MockRouter, retrying: Twin, sleeps: list[float]
) -> None:
    first = sse(stream_events([" a", " b"])[:1]) + sse([OVERLOADED])
    route = tgi.post("/generate_stream").mock(
        side_effect=[
            httpx.Response(200, content=first, headers=SSE),
            httpx.Response(200, content=sse(stream_events([" a", " b"])), headers=SSE),
        ]
    )
    with pytest.raises(errors.OverloadedError):
        retrying.stream("generate_stream", "p")
    assert route.call_count == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("2", 2.0),
        ("0.5", 0.5),
        ("-3", 0.0),
        ("soon", None),
        (None, None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value) == seconds


def test_retry_after_is_capped() -> None:
    err = errors.OverloadedError("x", status_code=429)
    err.retry_after = 3600
    assert RetryPolicy().delay(0, err) == 60.0
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(max_retries=-1)
