"""What the clients send: routes, exact JSON bodies, headers; validation before sending."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from tests.facade.conftest import BASE
from tests.facade.twins import Twin
from tests.facade.wire import generate_answer, sse, stream_events
from text_generation import InferenceAPIAsyncClient, InferenceAPIClient
from text_generation.errors import ClientValidationError, ValidationError
from text_generation.types import Grammar, GrammarType, Message

README_PARAMETERS = {
    "decoder_input_details": False,
    "details": True,
    "do_sample": False,
    "max_new_tokens": 20,
    "return_full_text": False,
    "stop": [],
    "watermark": False,
}


def sent(route: respx.Route) -> Any:
    return json.loads(route.calls.last.request.content)


def test_readme_generate_sends_exact_body(tgi: respx.MockRouter, twin: Twin) -> None:
    route = tgi.post("/generate").respond(json=generate_answer())
    response = twin.call("generate", "Why is the sky blue?")
    assert response.generated_text == " Rayleigh scattering"
    assert sent(route) == {"inputs": "Why is the sky blue?", "parameters": README_PARAMETERS}


def test_readme_generate_stream_sends_exact_body(tgi: respx.MockRouter, twin: Twin) -> None:
    body = sse(stream_events([" Rayleigh", " scattering"]))
    route = tgi.post("/generate_stream").respond(
        content=body, headers={"content-type": "text/event-stream"}
    )
    events = twin.stream("generate_stream", "Why is the sky blue?")
    text = "".join(e.token.text for e in events if not e.token.special)
    assert text == " Rayleigh scattering"
    assert sent(route) == {"inputs": "Why is the sky blue?", "parameters": README_PARAMETERS}


def test_every_parameter_reaches_the_wire(tgi: respx.MockRouter, twin: Twin) -> None:
    route = tgi.post("/generate").respond(json=generate_answer())
    twin.call(
        "generate",
        "p",
        do_sample=True,
        max_new_tokens=5,
        best_of=2,
        repetition_penalty=1.2,
        frequency_penalty=-0.5,
        return_full_text=True,
        stop_sequences=["x"],
        temperature=0.5,
        top_k=10,
        top_p=0.9,
        truncate=7,
        typical_p=0.95,
        watermark=True,
        decoder_input_details=True,
        top_n_tokens=3,
        grammar=Grammar(type=GrammarType.Regex, value="[a-z]+"),
        adapter_id="lora-1",
    )
    assert sent(route)["parameters"] == {
        "adapter_id": "lora-1",
        "best_of": 2,
        "decoder_input_details": True,
        "details": True,
        "do_sample": True,
        "frequency_penalty": -0.5,
        "grammar": {"type": "regex", "value": "[a-z]+"},
        "max_new_tokens": 5,
        "repetition_penalty": 1.2,
        "return_full_text": True,
        "stop": ["x"],
        "temperature": 0.5,
        "top_k": 10,
        "top_n_tokens": 3,
        "top_p": 0.9,
        "truncate": 7,
        "typical_p": 0.95,
        "watermark": True,
    }


@pytest.mark.parametrize(
    ("grammar", "wire"),
    [
        (
            Grammar(type=GrammarType.Json, value={"properties": {"a": {"type": "integer"}}}),
            {"type": "json", "value": {"properties": {"a": {"type": "integer"}}}},
        ),
        (
            Grammar(type="json", value='{"properties": {}}'),  # type: ignore[arg-type]
            {"type": "json", "value": '{"properties": {}}'},
        ),
        (
            Grammar(type=GrammarType.JsonSchema, value={"name": "n", "schema": {"type": "object"}}),
            {"type": "json_schema", "value": {"name": "n", "schema": {"type": "object"}}},
        ),
    ],
    ids=["json-object", "json-string", "json_schema"],
)
def test_grammar_forms(tgi: respx.MockRouter, twin: Twin, grammar: Grammar, wire: Any) -> None:
    route = tgi.post("/generate").respond(json=generate_answer())
    twin.call("generate", "p", grammar=grammar)
    assert sent(route)["parameters"]["grammar"] == wire


def test_max_new_tokens_none_leaves_it_to_the_server(tgi: respx.MockRouter, twin: Twin) -> None:
    route = tgi.post("/generate").respond(json=generate_answer())
    twin.call("generate", "p", max_new_tokens=None)
    assert "max_new_tokens" not in sent(route)["parameters"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"temperature": 0},
        {"top_p": 1.0},
        {"top_k": 0},
        {"typical_p": 0.0},
        {"truncate": 0},
        {"repetition_penalty": 0},
        {"frequency_penalty": 2.5},
        {"seed": -1},
        {"best_of": 0},
        {"best_of": 2},
        {"best_of": 2, "do_sample": True, "seed": 1},
        {"top_n_tokens": 0},
        {"temperature": "hot"},
        {"stop_sequences": "stop"},
        {"grammar": {"type": "yaml", "value": "x"}},
        {"grammar": "[a-z]+"},
    ],
    ids=",".join,
)
def test_invalid_parameters_raise_before_sending(
    tgi: respx.MockRouter, twin: Twin, kwargs: dict[str, Any]
) -> None:
    route = tgi.post("/generate").respond(json=generate_answer())
    with pytest.raises(ValidationError) as err:
        twin.call("generate", "p", **kwargs)
    assert isinstance(err.value, ClientValidationError)
    assert err.value.status_code is None
    assert not route.called


def test_empty_prompt_raises_before_sending(tgi: respx.MockRouter, twin: Twin) -> None:
    route = tgi.post("/generate_stream").respond(200)
    with pytest.raises(ClientValidationError, match="`inputs` cannot be empty"):
        twin.stream("generate_stream", "")
    assert not route.called


def test_frequency_penalty_follows_the_server_range(tgi: respx.MockRouter, twin: Twin) -> None:
    route = tgi.post("/generate").respond(json=generate_answer())
    for value in (-2.0, 0.0, 2.0):
        twin.call("generate", "p", frequency_penalty=value)
        assert sent(route)["parameters"]["frequency_penalty"] == value


def test_headers_cookies_and_trailing_slash(kind: str) -> None:
    with respx.mock(base_url=BASE, using="httpx") as router:
        route = router.post("/generate").respond(json=generate_answer())
        t = Twin(kind, BASE + "/", headers={"x-team": "a"}, cookies={"session": "s1"})
        try:
            t.call("generate", "p")
        finally:
            t.close()
    request = route.calls.last.request
    assert request.url == httpx.URL(BASE + "/generate")
    assert request.headers["x-team"] == "a"
    assert request.headers["cookie"] == "session=s1"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"].startswith("text-generation/")


def test_chat_body_and_stream_ending_in_done(tgi: respx.MockRouter, twin: Twin) -> None:
    chunk = {
        "object": "chat.completion.chunk",
        "id": "",
        "created": 1,
        "model": "tgi",
        "system_fingerprint": "3.3.6-native",
        "choices": [
            {
                "index": 0,
                "delta": {"role": "assistant", "content": "Hi"},
                "logprobs": None,
                "finish_reason": None,
            }
        ],
        "usage": None,
    }
    route = tgi.post("/v1/chat/completions").respond(
        content=sse([chunk, chunk, "[DONE]"]), headers={"content-type": "text/event-stream"}
    )
    stream = twin.call(
        "chat",
        [Message(role="user", content="Hello"), {"role": "system", "content": "Be brief"}],
        stream=True,
        max_tokens=8,
        seed=1,
    )
    chunks = twin.collect(stream)
    assert [c.choices[0].delta.content for c in chunks] == ["Hi", "Hi"]
    assert sent(route) == {
        "model": "tgi",
        "messages": [
            {"role": "user", "content": "Hello"},
            {"role": "system", "content": "Be brief"},
        ],
        "max_tokens": 8,
        "seed": 1,
        "stream": True,
    }


@pytest.mark.parametrize("cls", [InferenceAPIClient, InferenceAPIAsyncClient])
def test_inference_api_uses_the_compat_route(
    tgi: respx.MockRouter, monkeypatch: pytest.MonkeyPatch, cls: type[Any]
) -> None:
    monkeypatch.setenv("HF_INFERENCE_ENDPOINT", BASE)
    monkeypatch.setenv("HF_TOKEN", "hf_secret_token")
    status = tgi.get("/status/bigscience/bloomz").respond(
        json={"framework": "text-generation-inference"}
    )
    stream = tgi.post("/models/bigscience/bloomz", json__stream=True).respond(
        content=sse(stream_events([" a", " b"])), headers={"content-type": "text/event-stream"}
    )
    route = tgi.post("/models/bigscience/bloomz").respond(json=[generate_answer()])
    client = cls("bigscience/bloomz")
    t = Twin("async" if cls is InferenceAPIAsyncClient else "sync", BASE).wrap(client)
    try:
        assert t.call("generate", "Why is the sky blue?").generated_text == " Rayleigh scattering"
        assert [e.token.text for e in t.stream("generate_stream", "Why?")] == [" a", " b"]
    finally:
        t.close()
    assert status.calls.last.request.headers["authorization"] == "Bearer hf_secret_token"
    assert sent(route) == {
        "inputs": "Why is the sky blue?",
        "parameters": README_PARAMETERS,
        "stream": False,
    }
    assert sent(stream)["stream"] is True
    assert route.calls.last.request.headers["authorization"] == "Bearer hf_secret_token"
    assert "hf_secret_token" not in repr(client)


def test_cookies_a_server_sets_are_sent_back(tgi: respx.MockRouter, twin: Twin) -> None:
    route = tgi.post("/generate").mock(
        side_effect=[
            httpx.Response(200, json=generate_answer(), headers={"set-cookie": "route=b7; Path=/"}),
            httpx.Response(200, json=generate_answer()),
        ]
    )
    twin.call("generate", "p")
    twin.call("generate", "p")
    assert "cookie" not in route.calls[0].request.headers
    assert route.calls[1].request.headers["cookie"] == "route=b7"
