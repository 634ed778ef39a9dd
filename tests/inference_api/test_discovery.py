"""``deployed_models()`` and ``check_model_support()`` answer from the Hub API (the mock's)."""

from __future__ import annotations

import pytest

from tests.inference_api.conftest import LLAMA, TOKEN
from text_generation.errors import InvalidResponseError, NotFoundError
from text_generation.inference_api import check_model_support, deployed_models
from text_generation.types import DeployedModel
from tgi_mock.pytest_plugin import TGIMock


def test_deployed_models_lists_every_page(hub: TGIMock) -> None:
    models = deployed_models()
    assert all(isinstance(m, DeployedModel) for m in models)
    assert [(m.model_id, m.sha) for m in models] == [
        ("bigscience/bloomz", "d6d1a6dd5ad5f2d9ae4d7c5de3d58d48e46b2d20"),
        (LLAMA, "0e9e39f249a16976918f6564b8830bc894c89659"),
        ("HuggingFaceH4/zephyr-7b-beta", "892b3d7a7b1cf10c7a701c60881cd93df615734c"),
    ]
    first, second = hub.journal.all()
    assert first.path == second.path == "/api/models"
    assert first.query == (
        "inference_provider=all&pipeline_tag=text-generation"
        "&expand=sha&expand=inferenceProviderMapping"
    )
    assert second.query.endswith("&cursor=2")


def test_deployed_models_follows_the_hub(hub: TGIMock) -> None:
    hub.config.hub_models = {
        "a/b": {
            "sha": "1" * 40,
            "pipeline_tag": "text-generation",
            "inferenceProviderMapping": {
                "together": {"providerId": "b", "task": "conversational", "status": "live"}
            },
        }
    }
    assert deployed_models() == [DeployedModel(model_id="a/b", sha="1" * 40)]
    hub.config.hub_models["a/b"]["inferenceProviderMapping"]["together"]["status"] = "staging"
    assert deployed_models() == []


@pytest.mark.parametrize(
    ("repo_id", "supported"),
    [
        ("bigscience/bloomz", True),
        (LLAMA, True),
        ("HuggingFaceH4/zephyr-7b-beta", True),
        ("gpt2", False),  # its only mapping is in "error"
        ("openai/whisper-large-v3", False),  # not a text task
    ],
)
def test_check_model_support(hub: TGIMock, repo_id: str, supported: bool) -> None:
    assert check_model_support(repo_id) is supported
    assert hub.journal.last().path == f"/api/models/{repo_id}"


def test_check_model_support_of_an_unknown_repo_raises(hub: TGIMock) -> None:
    with pytest.raises(NotFoundError, match="Repository not found"):
        check_model_support("nobody/nothing")


def test_the_helpers_send_the_token_and_the_headers_given(
    hub: TGIMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_model_support(LLAMA)
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    check_model_support(LLAMA)
    deployed_models()
    deployed_models(headers={"authorization": "Bearer hf_other"})
    assert [r.header("authorization") for r in hub.journal.all()] == [
        None,
        f"Bearer {TOKEN}",
        f"Bearer {TOKEN}",
        f"Bearer {TOKEN}",
        "Bearer hf_other",
        "Bearer hf_other",
    ]


def test_a_malformed_mapping_is_an_invalid_response(hub: TGIMock) -> None:
    hub.config.hub_models[LLAMA]["inferenceProviderMapping"] = {"together": {"task": "x"}}
    with pytest.raises(InvalidResponseError, match="providerId"):
        check_model_support(LLAMA)
