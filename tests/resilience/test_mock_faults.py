"""The fault matrix against the mock's fault injection, sync and async: every contract item of the
resilience issue that the mock can produce, over real sockets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.facade.twins import Twin
from text_generation import errors
from text_generation.types import StreamResponse
from tgi_mock.pytest_plugin import TGIMock

pytestmark = pytest.mark.timeout(30)

PROMPT = "Tell me about the sea"


@pytest.fixture
def twin(kind: str, tgi_mock: TGIMock) -> Iterator[Twin]:
    t = Twin(kind, tgi_mock.url, max_retries=0)
    yield t
    t.close()


def full_stream(t: Twin) -> list[StreamResponse]:
    events: list[StreamResponse] = t.stream("generate_stream", PROMPT, max_new_tokens=6)
    assert events[-1].generated_text is not None
    return events


def collect_until_error(
    t: Twin, prompt: str = PROMPT, **kw: Any
) -> tuple[list[StreamResponse], Exception]:
    received: list[StreamResponse] = []
    stream = t.collect_iter(t.run(t.client.generate_stream(prompt, max_new_tokens=6, **kw)))
    with pytest.raises(errors.TextGenerationError) as err:
        received.extend(stream)
    return received, err.value


def test_dropped_connection_keeps_the_tokens_received(twin: Twin, tgi_mock: TGIMock) -> None:
    whole = full_stream(twin)
    tgi_mock.faults.set("drop-after=2")
    received, err = collect_until_error(twin)
    assert isinstance(err, errors.StreamInterruptedError)
    assert [e.token for e in received] == [e.token for e in whole[:2]]
    assert err.partial_tokens == [e.token for e in whole[:2]]
    assert err.partial_text == "".join(e.token.text for e in whole[:2])


def test_stream_without_final_event(twin: Twin, tgi_mock: TGIMock) -> None:
    tgi_mock.faults.set("no-final")
    received, err = collect_until_error(twin)
    assert isinstance(err, errors.StreamInterruptedError)
    assert err.partial_tokens == [e.token for e in received]
    assert received


def test_error_event_after_tokens_raises_after_yielding_them(twin: Twin, tgi_mock: TGIMock) -> None:
    whole = full_stream(twin)
    tgi_mock.faults.set("error-event-after=3")
    received, err = collect_until_error(twin)
    assert [e.token for e in received] == [e.token for e in whole[:3]]
    assert isinstance(err, errors.GenerationError)
    assert err.error_type == "generation"


def test_prompt_marker_faults_for_clients_without_headers(twin: Twin) -> None:
    received, err = collect_until_error(twin, "[[mock:drop-after=1]] " + PROMPT)
    assert isinstance(err, errors.StreamInterruptedError)
    assert len(received) == 1


def test_in_band_overload_is_retried_before_the_first_event(kind: str, tgi_mock: TGIMock) -> None:
    tgi_mock.faults.set("overload;times=1")
    t = Twin(kind, tgi_mock.url)  # default retries
    try:
        assert t.stream("generate_stream", PROMPT, max_new_tokens=3)[-1].generated_text
    finally:
        t.close()
    assert len(tgi_mock.journal.by_path("/generate_stream")) == 2


def test_in_band_overload_without_retries(twin: Twin, tgi_mock: TGIMock) -> None:
    tgi_mock.faults.set("overload")
    received, err = collect_until_error(twin)
    assert received == []
    assert isinstance(err, errors.OverloadedError)
    assert err.status_code == 200


def test_503_with_retry_after_is_retried(kind: str, tgi_mock: TGIMock) -> None:
    tgi_mock.faults.set("status=503;error-type=unavailable;retry-after=0;times=2")
    t = Twin(kind, tgi_mock.url)
    try:
        assert t.call("generate", PROMPT, max_new_tokens=3).generated_text
    finally:
        t.close()
    assert len(tgi_mock.journal.by_path("/generate")) == 3


def test_html_502_gives_status_and_a_piece_of_the_body(twin: Twin, tgi_mock: TGIMock) -> None:
    tgi_mock.faults.set("html-502")
    with pytest.raises(errors.UnknownError) as err:
        twin.call("generate", PROMPT)
    assert err.value.status_code == 502
    assert "502" in str(err.value)
    assert "<" in str(err.value)


def test_keep_alive_comments_keep_a_slow_first_token_alive(kind: str, tgi_mock: TGIMock) -> None:
    tgi_mock.config.keep_alive = 0.1
    tgi_mock.faults.set("latency-first=1.2")
    t = Twin(kind, tgi_mock.url, timeout=0.5, max_retries=0)
    try:
        events = t.stream("generate_stream", PROMPT, max_new_tokens=3)
    finally:
        t.close()
    assert events[-1].generated_text is not None


def test_a_silent_stream_times_out_with_what_arrived(kind: str, tgi_mock: TGIMock) -> None:
    tgi_mock.faults.set("latency-token=3")
    t = Twin(kind, tgi_mock.url, timeout=0.4, max_retries=0)
    try:
        received, err = collect_until_error(t)
    finally:
        t.close()
    assert isinstance(err, errors.StreamTimeoutError)
    assert isinstance(err, errors.APITimeoutError)
    assert err.partial_tokens == [e.token for e in received]
    assert len(received) == 1
