"""The retired ``api-inference.huggingface.co`` (reached through ``HF_INFERENCE_ENDPOINT``): its
410, its "no longer supported" text, or a name that no longer resolves raise
``EndpointRetiredError``, which names the router and ``HF_INFERENCE_ENDPOINT``."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from pytest_httpserver import HTTPServer

from tests.facade.twins import Twin
from text_generation import InferenceAPIAsyncClient, InferenceAPIClient
from text_generation.errors import APIConnectionError, EndpointRetiredError, NotSupportedError
from tgi_mock.pytest_plugin import TGIMock

RETIRED = "https://api-inference.huggingface.co"
GONE = (
    "https://api-inference.huggingface.co is no longer supported. "
    "Please use https://router.huggingface.co/ instead."
)
SECRET = "hf_do_not_print_me"
CLASSES = [InferenceAPIClient, InferenceAPIAsyncClient]


def check(err: EndpointRetiredError) -> None:
    text = str(err)
    assert "HF_INFERENCE_ENDPOINT" in text
    assert "https://router.huggingface.co" in text
    assert SECRET not in text
    assert SECRET not in repr(err)


@pytest.fixture
def legacy(monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer) -> HTTPServer:
    monkeypatch.setenv("HF_INFERENCE_ENDPOINT", httpserver.url_for("/").rstrip("/"))
    monkeypatch.setenv("HF_TOKEN", SECRET)
    return httpserver


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize(
    ("status", "body"),
    [(410, {"error": GONE}), (410, {}), (404, {"error": GONE}), (400, GONE)],
    ids=["410-text", "410-bare", "text-404", "text-plain"],
)
def test_the_retired_answer_raises_a_typed_error(
    legacy: HTTPServer, cls: type[Any], status: int, body: Any
) -> None:
    respond = legacy.expect_request("/status/bigscience/bloomz")
    if isinstance(body, str):
        respond.respond_with_data(body, status=status, content_type="text/plain")
    else:
        respond.respond_with_json(body, status=status)
    with pytest.raises(EndpointRetiredError) as caught:
        cls("bigscience/bloomz")
    check(caught.value)


@pytest.mark.parametrize("cls", CLASSES)
def test_a_name_that_no_longer_resolves(
    monkeypatch: pytest.MonkeyPatch, respx_mock: respx.MockRouter, cls: type[Any]
) -> None:
    monkeypatch.setenv("HF_INFERENCE_ENDPOINT", RETIRED)
    monkeypatch.setenv("HF_TOKEN", SECRET)
    respx_mock.get(f"{RETIRED}/status/bigscience/bloomz").mock(
        side_effect=httpx.ConnectError("[Errno -2] Name or service not known")
    )
    with pytest.raises(EndpointRetiredError) as caught:
        cls("bigscience/bloomz")
    check(caught.value)


def test_another_unreachable_endpoint_is_a_plain_connection_error(
    monkeypatch: pytest.MonkeyPatch, respx_mock: respx.MockRouter
) -> None:
    monkeypatch.setenv("HF_INFERENCE_ENDPOINT", "https://tgi.example.internal")
    respx_mock.get("https://tgi.example.internal/status/m").mock(
        side_effect=httpx.ConnectError("[Errno -2] Name or service not known")
    )
    with pytest.raises(APIConnectionError) as caught:
        InferenceAPIClient("m")
    assert not isinstance(caught.value, EndpointRetiredError)


def test_a_410_during_a_call(kind: str, legacy: HTTPServer) -> None:
    legacy.expect_request("/status/m").respond_with_json({"framework": "text-generation-inference"})
    legacy.expect_request("/models/m", method="POST").respond_with_json({"error": GONE}, status=410)
    client = InferenceAPIAsyncClient("m") if kind == "async" else InferenceAPIClient("m")
    twin = Twin(kind, "http://unused").wrap(client)
    try:
        with pytest.raises(EndpointRetiredError) as caught:
            twin.call("generate", "hi")
        check(caught.value)
        with pytest.raises(EndpointRetiredError):
            twin.stream("generate_stream", "hi")
    finally:
        twin.close()


@pytest.mark.parametrize("cls", CLASSES)
def test_a_self_hosted_legacy_endpoint_keeps_working(
    tgi_mock: TGIMock, monkeypatch: pytest.MonkeyPatch, cls: type[Any]
) -> None:
    """The mock's legacy routes (``/status``, ``/models``) stand for a self-hosted setup."""
    monkeypatch.setenv("HF_INFERENCE_ENDPOINT", tgi_mock.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    client = cls("bigscience/bloomz")
    assert client.base_url == f"{tgi_mock.url}/models/bigscience/bloomz"
    with pytest.raises(NotSupportedError):
        cls("gpt2")
    assert [r.path for r in tgi_mock.journal.all()] == [
        "/status/bigscience/bloomz",
        "/status/gpt2",
    ]
