"""With ``HF_INFERENCE_ENDPOINT`` set, ``deployed_models()`` and ``check_model_support()`` ask that
endpoint (``/framework/text-generation-inference``, ``/status/{repo_id}``) as text-generation
0.7.0 did, never the Hub API: here the Hub is a closed port, as on a machine without internet."""

from __future__ import annotations

import pytest

from tests.inference_api.conftest import TOKEN
from tests.inference_api.test_unreachable import closed_url, says_where
from text_generation.errors import APIConnectionError
from text_generation.inference_api import check_model_support, deployed_models
from text_generation.types import DeployedModel
from tgi_mock.pytest_plugin import TGIMock


@pytest.fixture
def legacy(hub: TGIMock, monkeypatch: pytest.MonkeyPatch) -> TGIMock:
    """The mock as a self-hosted Inference API; the Hub API unreachable."""
    monkeypatch.setenv("HF_ENDPOINT", closed_url())
    monkeypatch.setenv("HF_INFERENCE_ENDPOINT", hub.url + "/")
    return hub


def test_deployed_models_asks_the_inference_endpoint(legacy: TGIMock) -> None:
    legacy.config.deployed_models = [
        {"model_id": "bigscience/bloomz", "sha": "d" * 40},
        {"model_id": "org/other", "sha": "e" * 40},
    ]
    assert deployed_models() == [
        DeployedModel(model_id="bigscience/bloomz", sha="d" * 40),
        DeployedModel(model_id="org/other", sha="e" * 40),
    ]
    (request,) = legacy.journal.all()
    assert request.method == "GET"
    assert request.path == "/framework/text-generation-inference"


def test_deployed_models_sends_the_headers_given(
    legacy: TGIMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    deployed_models()
    deployed_models(headers={"x-team": "a"})
    first, second = legacy.journal.all()
    assert first.headers["authorization"] == f"Bearer {TOKEN}"
    assert second.headers["x-team"] == "a"
    assert "authorization" not in second.headers


@pytest.mark.parametrize(("repo_id", "supported"), [("bigscience/bloomz", True), ("gpt2", False)])
def test_check_model_support_asks_the_status_route(
    legacy: TGIMock, repo_id: str, supported: bool
) -> None:
    assert check_model_support(repo_id) is supported
    assert [r.path for r in legacy.journal.all()] == [f"/status/{repo_id}"]


def test_an_unreachable_inference_endpoint_is_named(
    hub: TGIMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_INFERENCE_ENDPOINT", endpoint := closed_url())
    for call in (deployed_models, lambda: check_model_support("bigscience/bloomz")):
        with pytest.raises(APIConnectionError) as caught:
            call()
        says_where(caught.value, endpoint)
    assert hub.journal.all() == []  # the Hub API was not asked
