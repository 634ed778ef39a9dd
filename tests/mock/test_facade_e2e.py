"""End-to-end contract tests: our `Client` and `AsyncClient` against the mock over real sockets.

Each test runs twice through `call()`: once with `Client`, once with `AsyncClient` (same method
names, awaited), so the two stay interchangeable. Faults come from the plugin's server faults.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from text_generation import AsyncClient, Client
from text_generation.errors import (
    APITimeoutError,
    GenerationError,
    IncompleteGenerationError,
    OverloadedError,
    TextGenerationError,
    ValidationError,
)
from text_generation.types import FinishReason
from tgi_mock.pytest_plugin import TGIMock

SKY = "Why is the sky blue?"
EXPECTED = " Rayleigh scattering"


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """Run the test with `Client` and with `AsyncClient`."""
    return str(request.param)


def call(
    mode: str,
    url: str,
    method: str,
    *args: Any,
    client: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Any:
    """Call `method` on a fresh client; a stream is collected into a list."""
    options = client or {}
    if mode == "sync":
        with Client(url, **options) as sync_client:
            result = getattr(sync_client, method)(*args, **kwargs)
            return list(result) if isinstance(result, Iterator) else result

    async def run() -> Any:
        async with AsyncClient(url, **options) as async_client:
            result = getattr(async_client, method)(*args, **kwargs)
            if isinstance(result, AsyncIterator):
                return [item async for item in result]
            return await result

    return asyncio.run(run())


def test_readme_generate(tgi_mock: TGIMock, mode: str) -> None:
    response = call(mode, tgi_mock.url, "generate", SKY)
    assert response.generated_text == EXPECTED
    details = response.details
    assert details.finish_reason == FinishReason.EndOfSequenceToken
    assert details.generated_tokens == 3
    assert details.seed is None
    assert [t.text for t in details.tokens] == [" Rayleigh", " scattering", "</s>"]
    assert details.tokens[-1].special is True
    sent = tgi_mock.journal.last()
    assert sent.method == "POST"
    assert sent.json["inputs"] == SKY
    assert sent.json["parameters"]["max_new_tokens"] == 20


def test_readme_generate_stream(tgi_mock: TGIMock, mode: str) -> None:
    events = call(mode, tgi_mock.url, "generate_stream", SKY)
    text = "".join(e.token.text for e in events if not e.token.special)
    assert text == EXPECTED
    assert [e.generated_text for e in events] == [None, None, EXPECTED]
    assert events[-1].details.finish_reason == FinishReason.EndOfSequenceToken
    assert events[-1].details.generated_tokens == 3
    assert all(e.details is None for e in events[:-1])


def test_generation_parameters(tgi_mock: TGIMock, mode: str) -> None:
    url = tgi_mock.url
    sampled = call(
        mode,
        url,
        "generate",
        "Tell me about Paris",
        do_sample=True,
        seed=42,
        max_new_tokens=5,
        decoder_input_details=True,
        top_n_tokens=2,
    )
    again = call(
        mode, url, "generate", "Tell me about Paris", do_sample=True, seed=42, max_new_tokens=5
    )
    assert sampled.generated_text == again.generated_text
    assert sampled.details.seed == 42
    assert sampled.details.prefill[0].logprob is None
    assert [p.text for p in sampled.details.prefill] == ["Tell", " me", " about", " Paris"]
    assert [len(step) for step in sampled.details.top_tokens] == [2] * 5
    stopped = call(mode, url, "generate", SKY, stop_sequences=["Rayleigh"])
    assert stopped.generated_text == " Rayleigh"
    assert stopped.details.finish_reason == FinishReason.StopSequence
    short = call(mode, url, "generate", SKY, max_new_tokens=1)
    assert short.details.finish_reason == FinishReason.Length
    full = call(mode, url, "generate", SKY, return_full_text=True)
    assert full.generated_text == SKY + EXPECTED
    truncated = call(
        mode,
        url,
        "generate",
        "one two three four",
        truncate=2,
        decoder_input_details=True,
        max_new_tokens=1,
    )
    assert [p.text for p in truncated.details.prefill] == [" three", " four"]
    best = call(mode, url, "generate", "Tell me", best_of=2, do_sample=True, max_new_tokens=3)
    (loser,) = best.details.best_of_sequences
    assert isinstance(loser.seed, int)


def test_stream_top_tokens(tgi_mock: TGIMock, mode: str) -> None:
    events = call(mode, tgi_mock.url, "generate_stream", SKY, top_n_tokens=3)
    assert all(len(e.top_tokens) == 3 for e in events)
    assert all(e.token in e.top_tokens for e in events)


def test_server_validation_errors(tgi_mock: TGIMock, mode: str) -> None:
    message = "Input validation error: `stop` supports up to 4 stop sequences. Given: 5"
    with pytest.raises(ValidationError, match="supports up to 4 stop sequences") as error:
        call(mode, tgi_mock.url, "generate", "x", stop_sequences=list("abcde"))
    assert error.value.status_code == 422
    assert error.value.error_type == "validation"
    assert str(error.value) == message
    with pytest.raises(ValidationError, match="supports up to 4 stop sequences"):
        call(mode, tgi_mock.url, "generate_stream", "x", stop_sequences=list("abcde"))


def test_overload_is_retried_then_raised(tgi_mock: TGIMock, mode: str) -> None:
    tgi_mock.faults.set("overload;retry-after=0;times=1")
    assert call(mode, tgi_mock.url, "generate", SKY).generated_text == EXPECTED
    assert len(tgi_mock.journal.by_path("/generate")) == 2
    tgi_mock.faults.set("overload;retry-after=0")
    with pytest.raises(OverloadedError) as error:
        call(mode, tgi_mock.url, "generate", SKY, client={"max_retries": 0})
    assert error.value.status_code == 429


def test_stream_faults(tgi_mock: TGIMock, mode: str) -> None:
    url = tgi_mock.url
    tgi_mock.faults.set("error-event-after=1")
    with pytest.raises(GenerationError, match="mock fault"):
        call(mode, url, "generate_stream", SKY)
    tgi_mock.faults.set("drop-after=1")
    with pytest.raises(TextGenerationError):
        call(mode, url, "generate_stream", SKY)
    tgi_mock.faults.set("no-final")
    with pytest.raises(IncompleteGenerationError):
        call(mode, url, "generate_stream", SKY)
    tgi_mock.faults.set("html-502")
    with pytest.raises(TextGenerationError) as error:
        call(mode, url, "generate", SKY, client={"max_retries": 0})
    assert error.value.status_code == 502


def test_timeout(tgi_mock: TGIMock, mode: str) -> None:
    tgi_mock.faults.set("latency-first=2")
    start = time.monotonic()
    with pytest.raises(APITimeoutError):
        call(mode, tgi_mock.url, "generate", SKY, client={"timeout": 0.3, "max_retries": 0})
    assert time.monotonic() - start < 1.9


def test_info_health_tokenize(tgi_mock: TGIMock, mode: str) -> None:
    info = call(mode, tgi_mock.url, "info")
    assert info.model_id == "bigscience/bloom-560m"
    assert info.max_best_of == 2
    assert call(mode, tgi_mock.url, "health") is True
    tgi_mock.config.healthy = False
    assert call(mode, tgi_mock.url, "health") is False
    tokens = call(mode, tgi_mock.url, "tokenize", "Héllo 日本")
    assert [(t.text, t.start, t.stop) for t in tokens] == [("Héllo", 0, 6), (" 日本", 6, 13)]


def test_make_demo_script_passes() -> None:
    """`make demo` runs examples/demo.py: it must pass on this checkout."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, str(root / "examples" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=root,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "demo: all examples passed" in result.stdout
    assert result.stdout.count("ok   ") == 12  # every example of examples/demo.py
