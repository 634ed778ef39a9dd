"""The mock's Hub API and router routes (``tgi_mock.hub_routes``), on the wire."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.inference_api.conftest import LLAMA, SKY, TOKEN
from tgi_mock.pytest_plugin import TGIMock

CHAT = {"messages": [{"role": "user", "content": SKY}], "max_tokens": 2}


@pytest.fixture
def http(hub: TGIMock) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=hub.url, timeout=10) as client:
        yield client


def test_model_info_expands_what_is_asked(http: httpx.Client) -> None:
    full = http.get(f"/api/models/{LLAMA}").json()
    assert full["id"] == LLAMA
    assert full["pipeline_tag"] == "text-generation"
    assert full["inferenceProviderMapping"]["together"] == {
        "providerId": "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo",
        "task": "conversational",
        "status": "live",
    }
    for query in ("expand=inferenceProviderMapping", "expand[]=inferenceProviderMapping"):
        picked = http.get(f"/api/models/{LLAMA}?{query}").json()
        assert set(picked) == {"_id", "id", "inferenceProviderMapping"}
    missing = http.get("/api/models/nobody/nothing")
    assert (missing.status_code, missing.json()) == (404, {"error": "Repository not found"})


def test_listing_filters_and_pages(http: httpx.Client) -> None:
    together = http.get("/api/models?inference_provider=together&expand=sha").json()
    assert [m["id"] for m in together] == ["bigscience/bloomz", LLAMA]
    assert set(together[0]) == {"_id", "id", "sha"}
    speech = http.get("/api/models?pipeline_tag=automatic-speech-recognition").json()
    assert [m["id"] for m in speech] == ["openai/whisper-large-v3"]
    first = http.get("/api/models?inference_provider=all&limit=1")
    assert [m["id"] for m in first.json()] == ["bigscience/bloomz"]
    second = http.get(first.links["next"]["url"])
    assert [m["id"] for m in second.json()] == [LLAMA]
    listed = http.get("/api/models?expand=inferenceProviderMapping").json()
    assert {"provider": "hf-inference"}.items() <= listed[0]["inferenceProviderMapping"][0].items()


def test_router_routes(hub: TGIMock, http: httpx.Client) -> None:
    compat = http.post(f"/hf-inference/models/{LLAMA}", json={"inputs": SKY})
    # TGI's compat route: full text by default for a text-generation model
    assert compat.json() == [{"generated_text": SKY + " Rayleigh scattering"}]
    chat = http.post(f"/hf-inference/models/{LLAMA}/v1/chat/completions", json=CHAT)
    assert chat.status_code == 200
    turbo = "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo"
    assert http.post("/together/v1/chat/completions", json={**CHAT, "model": turbo}).is_success
    wrong = http.post("/together/v1/chat/completions", json={**CHAT, "model": LLAMA})
    assert wrong.status_code == 404
    assert http.post("/together/models/x", json={"inputs": SKY}).status_code == 404
    assert http.post("/hf-inference/models/gpt2", json={"inputs": SKY}).status_code == 404
    other = http.get(f"/hf-inference/models/{LLAMA}")  # not a router route: TGI's empty 404
    assert (other.status_code, other.content) == (404, b"")
    hub.config.router_tokens = [TOKEN]
    refused = http.post(f"/hf-inference/models/{LLAMA}", json={"inputs": SKY})
    assert refused.status_code == 401
    signed = http.post(
        f"/hf-inference/models/{LLAMA}",
        json={"inputs": SKY},
        headers={"authorization": f"Bearer {TOKEN}"},
    )
    assert signed.status_code == 200
