"""The Inference API clients against the mock Hub API and router: construction, generate,
stream and chat, sync and async, with and without a token, for two providers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.facade.twins import Twin
from tests.inference_api.conftest import LLAMA, PROVIDER_IDS, SKY, TOKEN
from text_generation import InferenceAPIAsyncClient, InferenceAPIClient
from text_generation.errors import (
    APIConnectionError,
    NotFoundError,
    NotSupportedError,
    ProviderNotSupportedError,
    TextGenerationError,
)
from text_generation.types import Message
from tgi_mock.pytest_plugin import TGIMock

USER = [Message(role="user", content=SKY)]


def make(kind: str, repo_id: str, token: str | None, **options: Any) -> Twin:
    cls = InferenceAPIAsyncClient if kind == "async" else InferenceAPIClient
    client = cls(repo_id, token, **options)
    return Twin(kind, "http://unused").wrap(client)


@pytest.fixture(params=["hf-inference", "together"])
def provider(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=[None, TOKEN], ids=["anonymous", "token"])
def token(request: pytest.FixtureRequest) -> str | None:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def client(kind: str, hub: TGIMock, provider: str, token: str | None) -> Iterator[Twin]:
    twin = make(kind, LLAMA, token, provider=provider, router_url=hub.url)
    yield twin
    twin.close()


def auth(hub: TGIMock, token: str | None) -> None:
    """Every request the mock received carried the token, or no authorization at all."""
    expected = None if token is None else f"Bearer {token}"
    assert [r.header("authorization") for r in hub.journal.all()] == [expected] * len(hub.journal)


def test_construction_asks_the_hub_for_the_mapping(
    client: Twin, hub: TGIMock, provider: str, token: str | None
) -> None:
    (ask,) = hub.journal.all()
    assert (ask.method, ask.path, ask.query) == (
        "GET",
        f"/api/models/{LLAMA}",
        "expand=inferenceProviderMapping",
    )
    assert client.client.provider == provider  # type: ignore[union-attr]
    base = f"{hub.url}/hf-inference/models/{LLAMA}" if provider == "hf-inference" else hub.url
    assert client.client.base_url == (base if provider == "hf-inference" else f"{base}/together")
    assert "hf_mock_token" not in repr(client.client)
    auth(hub, token)


def test_chat_goes_to_the_providers_route_with_its_model_id(
    client: Twin, hub: TGIMock, provider: str, token: str | None
) -> None:
    answer = client.call("chat", USER, max_tokens=5)
    assert answer.choices[0].message.content == " Rayleigh scattering"
    sent = hub.journal.all()[-1]
    route = f"/hf-inference/models/{LLAMA}" if provider == "hf-inference" else "/together"
    assert sent.path == f"{route}/v1/chat/completions"
    assert sent.json["model"] == PROVIDER_IDS[provider]
    chunks = client.stream("chat", USER, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == " Rayleigh scattering"
    assert hub.journal.all()[-1].json["stream"] is True
    auth(hub, token)


def test_generate_and_stream(client: Twin, hub: TGIMock, provider: str, token: str | None) -> None:
    if provider != "hf-inference":
        with pytest.raises(ProviderNotSupportedError, match="use chat"):
            client.call("generate", SKY)
        with pytest.raises(ProviderNotSupportedError):
            client.stream("generate_stream", SKY)
        assert len(hub.journal) == 1  # the Hub lookup only: nothing was posted
        return
    assert client.call("generate", SKY, max_new_tokens=5).generated_text == " Rayleigh scattering"
    sent = hub.journal.all()[-1]
    assert (sent.path, sent.json["stream"], sent.json["inputs"]) == (
        f"/hf-inference/models/{LLAMA}",
        False,
        SKY,
    )
    events = client.stream("generate_stream", SKY)
    assert [e.token.text for e in events][:2] == [" Rayleigh", " scattering"]
    assert events[-1].generated_text == " Rayleigh scattering"
    assert hub.journal.all()[-1].json["stream"] is True
    auth(hub, token)


def test_a_router_that_needs_a_token(kind: str, hub: TGIMock) -> None:
    hub.config.router_tokens = [TOKEN]
    anonymous = make(kind, LLAMA, None, provider="hf-inference", router_url=hub.url)
    signed = make(kind, LLAMA, TOKEN, provider="hf-inference", router_url=hub.url)
    try:
        with pytest.raises(TextGenerationError) as refused:
            anonymous.call("generate", SKY)
        assert refused.value.status_code == 401
        assert signed.call("generate", SKY).generated_text == " Rayleigh scattering"
    finally:
        anonymous.close()
        signed.close()


def test_the_token_comes_from_hf_token_then_the_saved_login(
    kind: str, hub: TGIMock, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    saved = tmp_path / "hf_home" / "token"
    saved.parent.mkdir(parents=True)
    saved.write_text("hf_saved_login\n")
    make(kind, LLAMA, None, router_url=hub.url).close()
    monkeypatch.setenv("HF_TOKEN", "hf_from_env")
    make(kind, LLAMA, None, router_url=hub.url).close()
    make(kind, LLAMA, "hf_argument", router_url=hub.url).close()
    assert [r.header("authorization") for r in hub.journal.all()] == [
        "Bearer hf_saved_login",
        "Bearer hf_from_env",
        "Bearer hf_argument",
    ]


def test_auto_prefers_hf_inference_else_the_routers_own_chat(kind: str, hub: TGIMock) -> None:
    twin = make(kind, LLAMA, TOKEN, router_url=hub.url)
    assert (twin.client.provider, twin.client.base_url) == (  # type: ignore[union-attr]
        "hf-inference",
        f"{hub.url}/hf-inference/models/{LLAMA}",
    )
    twin.close()
    zephyr = make(kind, "HuggingFaceH4/zephyr-7b-beta", TOKEN, router_url=hub.url)
    try:
        assert zephyr.client.provider == "auto"  # type: ignore[union-attr]
        assert zephyr.call("chat", USER).choices[0].message.content == " Rayleigh scattering"
        sent = hub.journal.all()[-1]
        assert (sent.path, sent.json["model"]) == (
            "/v1/chat/completions",
            "HuggingFaceH4/zephyr-7b-beta",
        )
        with pytest.raises(ProviderNotSupportedError):
            zephyr.call("generate", SKY)
    finally:
        zephyr.close()


@pytest.mark.parametrize("cls", [InferenceAPIClient, InferenceAPIAsyncClient])
def test_models_no_live_provider_serves_are_refused(hub: TGIMock, cls: type[Any]) -> None:
    for repo_id in ("gpt2", "openai/whisper-large-v3"):
        with pytest.raises(NotSupportedError):
            cls(repo_id, router_url=hub.url)
    with pytest.raises(ProviderNotSupportedError, match="'groq'"):
        cls(LLAMA, provider="groq", router_url=hub.url)
    with pytest.raises(NotFoundError):
        cls("nobody/nothing", router_url=hub.url)
    hub.config.hub_models[LLAMA]["inferenceProviderMapping"]["hf-inference"]["status"] = "error"
    with pytest.raises(NotSupportedError):
        cls(LLAMA, provider="hf-inference", router_url=hub.url)
    assert cls(LLAMA, provider="together", router_url=hub.url).provider == "together"


def test_a_users_http_client_carries_the_hub_lookup_and_the_calls(hub: TGIMock) -> None:
    seen: list[str] = []
    user_http = httpx.Client(event_hooks={"request": [lambda r: seen.append(r.url.path)]})
    client = InferenceAPIClient(
        LLAMA, provider="hf-inference", router_url=hub.url, http_client=user_http
    )
    assert client.generate(SKY, max_new_tokens=5).generated_text
    assert seen == [f"/api/models/{LLAMA}", f"/hf-inference/models/{LLAMA}"]
    client.close()
    assert not user_http.is_closed  # ours to use, not to close
    user_http.close()


def test_the_hub_lookup_goes_through_the_proxy_given(hub: TGIMock) -> None:
    # Nothing listens on port 9 (discard): a lookup that honours proxy= cannot reach the Hub.
    with pytest.raises(APIConnectionError) as caught:
        InferenceAPIClient(LLAMA, router_url=hub.url, proxy="http://127.0.0.1:9")
    assert f"/api/models/{LLAMA}" in str(caught.value)
    assert len(hub.journal) == 0
