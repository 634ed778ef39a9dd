"""The timing model on the OpenAI-compatible routes: chat and completions, streamed or not,
wait as `x-mock-timing` (or the server's `ttft`/`itl`) says; a bad header is a 400."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tgi_mock.config import MockConfig
from tgi_mock.server import MockServer

CHAT = {"model": "tgi", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 3}
COMPLETION = {"model": "tgi", "prompt": "hi", "max_tokens": 3}
ROUTES = [("/v1/chat/completions", CHAT), ("/v1/completions", COMPLETION)]


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with MockServer(MockConfig()) as server, httpx.Client(base_url=server.url, timeout=10) as c:
        yield c


@pytest.mark.parametrize(("path", "body"), ROUTES)
@pytest.mark.parametrize("stream", [False, True])
def test_the_answer_waits_for_its_first_token(
    http: httpx.Client, path: str, body: dict[str, object], stream: bool
) -> None:
    started = time.monotonic()
    answer = http.post(path, json={**body, "stream": stream}, headers={"x-mock-timing": "ttft=0.4"})
    assert answer.status_code == 200
    assert time.monotonic() - started >= 0.4


@pytest.mark.parametrize(("path", "body"), ROUTES)
def test_a_bad_timing_header_is_refused(
    http: httpx.Client, path: str, body: dict[str, object]
) -> None:
    answer = http.post(path, json=body, headers={"x-mock-timing": "speed=2"})
    assert answer.status_code == 400
    assert answer.text.startswith("Invalid x-mock-timing")
