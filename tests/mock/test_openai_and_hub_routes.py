"""The OpenAI-compatible routes, `/info`, `/v1/models`, `/metrics` and the Inference API routes."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.mock.helpers import sse_json, stream
from tgi_mock.pytest_plugin import TGIMock

SKY = "Why is the sky blue?"
USER = [{"role": "user", "content": SKY}]
CHUNK_KEYS = ["object", "id", "created", "model", "system_fingerprint", "choices", "usage"]


def test_chat_non_stream(http: httpx.Client) -> None:
    response = http.post("/v1/chat/completions", json={"model": "tgi", "messages": USER})
    assert response.status_code == 200
    assert "x-compute-time" in response.headers
    body = response.json()
    assert list(body) == CHUNK_KEYS
    assert body["object"] == "chat.completion"
    assert body["id"] == ""
    assert body["model"] == "tgi"
    assert body["system_fingerprint"] == "3.3.6-dev0-sha-db931fc"
    assert body["choices"] == [
        {
            "index": 0,
            "message": {"role": "assistant", "content": " Rayleigh scattering"},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ]
    usage = body["usage"]
    assert usage["completion_tokens"] == 3
    assert usage["total_tokens"] == usage["prompt_tokens"] + 3


def test_chat_content_parts_logprobs_and_length(http: httpx.Client) -> None:
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": SKY}]},
    ]
    body = {
        "messages": messages,
        "max_tokens": 1,
        "logprobs": True,
        "top_logprobs": 2,
        "temperature": 0,
    }
    answer = http.post("/v1/chat/completions", json=body).json()
    choice = answer["choices"][0]
    assert choice["finish_reason"] == "length"
    assert choice["message"]["content"] == " Rayleigh"
    (entry,) = choice["logprobs"]["content"]
    assert entry["token"] == " Rayleigh"
    assert len(entry["top_logprobs"]) == 2
    assert answer["model"] == "bigscience/bloom-560m"


def test_chat_stream(http: httpx.Client) -> None:
    body = {"messages": USER, "stream": True, "stream_options": {"include_usage": True}}
    response, raw = stream(http, "/v1/chat/completions", body)
    assert response.headers["content-type"] == "text/event-stream"
    events = sse_json(raw)
    assert events[-1] == "[DONE]"
    assert raw.endswith(b"data: [DONE]\n\n")
    chunks = events[:-2]
    assert [list(c) for c in chunks] == [CHUNK_KEYS] * 3
    assert [c["choices"][0]["delta"] for c in chunks] == [
        {"role": "assistant", "content": " Rayleigh"},
        {"role": "assistant", "content": " scattering"},
        {"role": "assistant", "content": ""},
    ]
    assert [c["choices"][0]["finish_reason"] for c in chunks] == [None, None, "stop"]
    assert all(c["object"] == "chat.completion.chunk" and c["usage"] is None for c in chunks)
    usage = events[-2]
    assert usage["choices"] == []
    assert usage["usage"]["completion_tokens"] == 3


def test_chat_errors(tgi_mock: TGIMock, http: httpx.Client) -> None:
    bad = http.post("/v1/chat/completions", json={"messages": USER, "top_p": 1.0})
    assert bad.status_code == 422
    assert bad.json() == {
        "error": "Input validation error: `top_p` must be > 0.0 and < 1.0",
        "error_type": "validation",
    }
    response, raw = stream(
        http, "/v1/chat/completions", {"messages": USER, "top_p": 1.0, "stream": True}
    )
    assert response.status_code == 200
    assert sse_json(raw) == [
        {
            "error": {
                "message": "Input validation error: `top_p` must be > 0.0 and < 1.0",
                "http_status_code": 422,
            }
        },
        "[DONE]",
    ]
    tools = {
        "messages": USER,
        "tools": [{"type": "function", "function": {"name": "f", "arguments": {}}}],
        "response_format": {"type": "json", "value": {"properties": {}}},
    }
    conflict = http.post("/v1/chat/completions", json=tools)
    assert conflict.status_code == 422
    assert conflict.json() == {
        "error": "Tool error: Grammar and tools are mutually exclusive",
        "error_type": "tool_error",
    }
    tgi_mock.config.max_concurrent_requests = 0
    assert http.post("/v1/chat/completions", json={"messages": USER}).status_code == 429


def test_completions(http: httpx.Client) -> None:
    answer = http.post(
        "/v1/completions", json={"prompt": [SKY, "Hello"], "max_tokens": 5, "temperature": 0}
    ).json()
    assert list(answer) == CHUNK_KEYS
    assert answer["object"] == "text_completion"
    assert answer["choices"][0] == {
        "index": 0,
        "text": " Rayleigh scattering",
        "logprobs": None,
        "finish_reason": "stop",
    }
    assert answer["choices"][1]["index"] == 1
    single = http.post("/v1/completions", json={"prompt": SKY, "max_tokens": 1}).json()
    assert single["choices"][0]["finish_reason"] == "length"


def test_completions_stream(http: httpx.Client) -> None:
    response, raw = stream(
        http, "/v1/completions", {"prompt": [SKY, "Hello"], "max_tokens": 3, "stream": True}
    )
    assert "x-compute-time" not in response.headers
    events = sse_json(raw)
    assert events[-1] == "[DONE]"
    chunks = events[:-1]
    assert [c["choices"][0]["index"] for c in chunks[:2]] == [0, 1]
    finals = [c for c in chunks if "usage" in c]
    assert len(finals) == 2
    assert all(c["choices"][0]["finish_reason"] == "" for c in chunks if "usage" not in c)
    assert {c["choices"][0]["finish_reason"] for c in finals} <= {"eos_token", "length"}
    first_prompt = [c["choices"][0] for c in chunks if c["choices"][0]["index"] == 0]
    assert first_prompt[-1]["finish_reason"] == "length"


@pytest.mark.parametrize(
    ("body", "error", "error_type"),
    [
        (
            {"prompt": "x", "suffix": "y"},
            "Suffix is not supported and can be achieved by preprocessing the prompt.",
            "suffix not supported",
        ),
        (
            {"prompt": ["a", "b", "c", "d", "e"]},
            "Number of prompts exceeds the maximum allowed batch size of 4",
            "batch size exceeded",
        ),
    ],
)
def test_completions_errors(
    http: httpx.Client, body: dict[str, Any], error: str, error_type: str
) -> None:
    for streamed in (False, True):
        response = http.post("/v1/completions", json={**body, "stream": streamed})
        assert response.status_code == 422
        assert response.json() == {"error": error, "error_type": error_type}


def test_info_and_models(tgi_mock: TGIMock, http: httpx.Client) -> None:
    info = http.get("/info").json()
    assert list(info) == [
        "model_id",
        "model_sha",
        "model_pipeline_tag",
        "max_concurrent_requests",
        "max_best_of",
        "max_stop_sequences",
        "max_input_tokens",
        "max_total_tokens",
        "validation_workers",
        "max_client_batch_size",
        "router",
        "version",
        "sha",
        "docker_label",
    ]
    assert "max_top_n_tokens" not in info
    tgi_mock.config.update(model_id="acme/model", max_best_of=4)
    info = http.get("/info").json()
    assert (info["model_id"], info["max_best_of"]) == ("acme/model", 4)
    assert http.get("/v1/models").json() == {
        "object": "list",
        "data": [{"id": "acme/model", "object": "model", "created": 0, "owned_by": "acme/model"}],
    }


def test_metrics(http: httpx.Client) -> None:
    http.post("/generate", json={"inputs": SKY})
    http.post("/generate", json={"inputs": SKY, "parameters": {"top_k": 0}})
    response = http.get("/metrics")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert 'tgi_request_count{route="/generate"} 2' in lines
    assert 'tgi_request_success{route="/generate"} 1' in lines
    assert 'tgi_request_failure{err="validation",route="/generate"} 1' in lines
    assert "tgi_queue_size 0" in lines


def test_inference_api_routes(tgi_mock: TGIMock, http: httpx.Client) -> None:
    deployed = http.get("/framework/text-generation-inference").json()
    assert {"model_id", "sha"} <= set(deployed[0])
    assert "bigscience/bloomz" in [m["model_id"] for m in deployed]
    status = http.get("/status/bigscience/bloomz").json()
    assert status["framework"] == "text-generation-inference"
    assert status["loaded"] is True
    assert http.get("/status/gpt2").json()["framework"] == "transformers"
    missing = http.get("/status/nobody/nothing")
    assert missing.status_code == 404
    assert "error" in missing.json()
    compat = http.post(
        "/models/bigscience/bloomz", json={"inputs": SKY, "parameters": {"return_full_text": False}}
    )
    assert compat.json() == [{"generated_text": " Rayleigh scattering"}]
    _, raw = stream(http, "/models/bigscience/bloomz", {"inputs": SKY, "stream": True})
    assert sse_json(raw)[-1]["generated_text"].endswith(" Rayleigh scattering")
    assert http.post("/models/nobody/nothing", json={"inputs": SKY}).status_code == 404
    tgi_mock.config.unsupported_models["acme/x"] = "diffusers"
    assert http.get("/status/acme/x").json()["framework"] == "diffusers"


def test_journal_records_every_request(tgi_mock: TGIMock, http: httpx.Client) -> None:
    http.post("/generate", json={"inputs": "hi"}, headers={"x-trace": "abc"})
    http.get("/nope?x=1")
    http.post("/generate", content=b"not json", headers={"content-type": "application/json"})
    entries = tgi_mock.journal.all()
    assert [(e.method, e.path) for e in entries] == [
        ("POST", "/generate"),
        ("GET", "/nope"),
        ("POST", "/generate"),
    ]
    first = tgi_mock.journal.by_path("/generate")[0]
    assert first.json == {"inputs": "hi"}
    assert first.header("X-Trace") == "abc"
    assert json.loads(first.body) == {"inputs": "hi"}
    assert tgi_mock.journal.last("/nope").query == "x=1"
    assert tgi_mock.journal.last().json is None
    assert tgi_mock.journal.last().body == b"not json"
    tgi_mock.journal.reset()
    assert len(tgi_mock.journal) == 0
    with pytest.raises(LookupError):
        tgi_mock.journal.last()
