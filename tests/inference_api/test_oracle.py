"""Oracle: ``huggingface_hub``'s ``InferenceClient`` (2.4.0) and our Inference API clients make the
same call to the recording mock (router and Hub API): same URL, same authorization, same body.

``huggingface_hub`` hard-codes the router and computes some provider base URLs at import; the
``oracle`` fixture points them at the mock (as ``router_url=`` and ``HF_ENDPOINT`` do for ours).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest
from huggingface_hub import InferenceClient, constants
from huggingface_hub.inference._providers import CONVERSATIONAL_AUTO_ROUTER, PROVIDERS
from huggingface_hub.inference._providers._common import _fetch_inference_provider_mapping
from huggingface_hub.inference._providers.hf_inference import _check_supported_task

from tests.facade.twins import Twin
from tests.inference_api.conftest import LLAMA, SKY, TOKEN
from text_generation import InferenceAPIAsyncClient, InferenceAPIClient
from text_generation.types import Message
from tgi_mock.journal import RecordedRequest
from tgi_mock.pytest_plugin import TGIMock

ZEPHYR = "HuggingFaceH4/zephyr-7b-beta"
GENERATE = {
    "details": True,
    "max_new_tokens": 20,
    "do_sample": False,
    "return_full_text": False,
    "watermark": False,
    "decoder_input_details": False,
    "stop": [],
}


@pytest.fixture
def oracle(hub: TGIMock, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[TGIMock]:
    """``huggingface_hub`` pointed at the mock, with no cached Hub answers and no saved token."""
    monkeypatch.setattr(constants, "ENDPOINT", hub.url)
    monkeypatch.setattr(constants, "INFERENCE_PROXY_TEMPLATE", hub.url + "/{provider}")
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "no_token"))
    monkeypatch.setattr(CONVERSATIONAL_AUTO_ROUTER, "base_url", hub.url)
    for helper in PROVIDERS["hf-inference"].values():
        monkeypatch.setattr(helper, "base_url", hub.url + "/hf-inference")
    _fetch_inference_provider_mapping.cache_clear()
    _check_supported_task.cache_clear()
    yield hub
    _fetch_inference_provider_mapping.cache_clear()
    _check_supported_task.cache_clear()


def recorded(hub: TGIMock, call: Callable[[], Any]) -> list[RecordedRequest]:
    """The requests ``call`` made (the Hub's telemetry-like ``/api/agent-harnesses`` left out)."""
    hub.journal.reset()
    call()
    return [r for r in hub.journal.all() if r.path != "/api/agent-harnesses"]


def ours(kind: str, repo_id: str, provider: str, hub: TGIMock, method: str, *args: Any) -> Any:
    cls = InferenceAPIAsyncClient if kind == "async" else InferenceAPIClient
    twin = Twin(kind, "http://unused").wrap(cls(repo_id, provider=provider, router_url=hub.url))
    try:
        if method == "generate_stream":
            return twin.stream(method, *args)
        return twin.call(method, *args)
    finally:
        twin.close()


CASES: dict[str, tuple[str, str, Callable[[Any], Any], tuple[Any, ...]]] = {
    "hf-inference-generate": (
        LLAMA,
        "hf-inference",
        lambda c: c.text_generation(SKY, model=LLAMA, stream=False, **GENERATE),
        ("generate", SKY),
    ),
    "hf-inference-stream": (
        LLAMA,
        "hf-inference",
        lambda c: list(c.text_generation(SKY, model=LLAMA, stream=True, **GENERATE)),
        ("generate_stream", SKY),
    ),
    "hf-inference-chat": (
        LLAMA,
        "hf-inference",
        lambda c: c.chat_completion([{"role": "user", "content": SKY}], model=LLAMA),
        ("chat", [Message(role="user", content=SKY)]),
    ),
    "together-chat": (
        LLAMA,
        "together",
        lambda c: c.chat_completion([{"role": "user", "content": SKY}], model=LLAMA),
        ("chat", [Message(role="user", content=SKY)]),
    ),
    "auto-chat": (
        ZEPHYR,
        "auto",
        lambda c: c.chat_completion([{"role": "user", "content": SKY}], model=ZEPHYR),
        ("chat", [Message(role="user", content=SKY)]),
    ),
}


# huggingface_hub needs a token for providers other than hf-inference.
PARAMS = [
    pytest.param(case, token, id=f"{case}-{'token' if token else 'anonymous'}")
    for case in CASES
    for token in (TOKEN, None)
    if token or CASES[case][1] == "hf-inference"
]


@pytest.mark.parametrize(("case", "token"), PARAMS)
def test_same_call_as_huggingface_hub(
    oracle: TGIMock, monkeypatch: pytest.MonkeyPatch, kind: str, case: str, token: str | None
) -> None:
    repo_id, provider, theirs_call, (method, *args) = CASES[case]
    if token is not None:
        monkeypatch.setenv("HF_TOKEN", token)  # both look it up the same way

    client = InferenceClient(provider=cast(Any, provider))
    theirs = recorded(oracle, lambda: theirs_call(client))
    mine = recorded(oracle, lambda: ours(kind, repo_id, provider, oracle, method, *args))

    call_theirs, call_mine = theirs[-1], mine[-1]
    assert call_theirs.method == call_mine.method == "POST"
    assert (call_mine.path, call_mine.query) == (call_theirs.path, call_theirs.query)
    assert call_mine.json == call_theirs.json
    expected = None if token is None else f"Bearer {token}"
    assert {r.header("authorization") for r in theirs} == {expected}
    assert {r.header("authorization") for r in mine} == {expected}
    hub_calls = {(r.path, r.query) for r in theirs[:-1]}
    if provider == "together":  # both read the provider mapping the same way
        assert {(r.path, r.query) for r in mine[:-1]} == hub_calls
