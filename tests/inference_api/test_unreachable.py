"""When the router, the Hub API or ``HF_INFERENCE_ENDPOINT`` cannot be reached, the error names
the endpoint and ``HF_INFERENCE_ENDPOINT`` (and never the token)."""

from __future__ import annotations

import socket

import pytest

from tests.facade.twins import Twin
from tests.inference_api.conftest import LLAMA, SKY, TOKEN
from text_generation import InferenceAPIAsyncClient, InferenceAPIClient
from text_generation.errors import APIConnectionError, EndpointRetiredError
from text_generation.inference_api import check_model_support, deployed_models
from tgi_mock.pytest_plugin import TGIMock


def closed_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def says_where(err: APIConnectionError, url: str) -> None:
    assert url in str(err)
    assert "HF_INFERENCE_ENDPOINT" in str(err)
    assert TOKEN not in str(err) + repr(err)


def test_an_unreachable_router(kind: str, hub: TGIMock) -> None:
    router = closed_url()
    cls = InferenceAPIAsyncClient if kind == "async" else InferenceAPIClient
    twin = Twin(kind, "http://unused").wrap(cls(LLAMA, TOKEN, router_url=router))
    try:
        with pytest.raises(APIConnectionError) as caught:
            twin.call("generate", SKY)
        says_where(caught.value, router)
        assert "router" in str(caught.value)
    finally:
        twin.close()


def test_an_unreachable_hub(monkeypatch: pytest.MonkeyPatch, hub: TGIMock) -> None:
    monkeypatch.setenv("HF_ENDPOINT", hub_url := closed_url())
    for call in (
        lambda: InferenceAPIClient(LLAMA, TOKEN, router_url=hub.url),
        lambda: check_model_support(LLAMA),
        deployed_models,
    ):
        with pytest.raises(APIConnectionError) as caught:
            call()
        says_where(caught.value, hub_url)
        assert "HF_ENDPOINT" in str(caught.value)


@pytest.mark.parametrize("cls", [InferenceAPIClient, InferenceAPIAsyncClient])
def test_an_unreachable_inference_endpoint(
    monkeypatch: pytest.MonkeyPatch, hub: TGIMock, cls: type
) -> None:
    monkeypatch.setenv("HF_INFERENCE_ENDPOINT", endpoint := closed_url())
    with pytest.raises(APIConnectionError) as caught:
        cls(LLAMA, TOKEN)
    assert not isinstance(caught.value, EndpointRetiredError)
    says_where(caught.value, endpoint)
