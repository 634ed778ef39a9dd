"""Generation and wire shapes of the TGI-native routes: `/`, `/generate`, `/generate_stream`."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.mock.helpers import sse_json, stream
from tgi_mock.pytest_plugin import TGIMock
from tgi_mock.tokenizer import tokenize

SKY = "Why is the sky blue?"
TIMING = (
    "x-compute-type",
    "x-compute-time",
    "x-compute-characters",
    "x-total-time",
    "x-validation-time",
    "x-queue-time",
    "x-inference-time",
    "x-time-per-token",
    "x-prompt-tokens",
    "x-generated-tokens",
)


def compact(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def gen(http: httpx.Client, inputs: str, **parameters: Any) -> dict[str, Any]:
    response = http.post("/generate", json={"inputs": inputs, "parameters": parameters})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_readme_example_on_compat_route(http: httpx.Client) -> None:
    body = {
        "inputs": SKY,
        "parameters": {"max_new_tokens": 20, "details": True, "return_full_text": False},
        "stream": False,
    }
    response = http.post("/", json=body)
    assert response.status_code == 200
    answer = response.json()
    assert isinstance(answer, list)
    assert len(answer) == 1
    assert answer[0]["generated_text"] == " Rayleigh scattering"
    details = answer[0]["details"]
    assert details["finish_reason"] == "eos_token"
    assert [t["text"] for t in details["tokens"]] == [" Rayleigh", " scattering", "</s>"]
    assert details["tokens"][-1] == {**details["tokens"][-1], "id": 2, "special": True}
    assert details["seed"] is None
    assert details["prefill"] == []
    assert "best_of_sequences" not in details
    assert "top_tokens" not in details


def test_generate_is_bare_and_details_omitted_unless_asked(http: httpx.Client) -> None:
    response = http.post("/generate", json={"inputs": SKY, "parameters": {}})
    assert response.json() == {"generated_text": " Rayleigh scattering"}
    assert list(response.json()) == ["generated_text"]
    with_details = gen(http, SKY, details=True)
    assert list(with_details) == ["generated_text", "details"]
    assert list(with_details["details"]) == [
        "finish_reason",
        "generated_tokens",
        "seed",
        "prefill",
        "tokens",
    ]


def test_timing_headers_on_non_stream_success_only(http: httpx.Client) -> None:
    response = http.post(
        "/generate", json={"inputs": "日本語", "parameters": {"max_new_tokens": 3}}
    )
    headers = [name for name in response.headers if name.startswith("x-")]
    assert headers == list(TIMING)
    assert response.headers["x-compute-characters"] == "3"
    assert response.headers["x-generated-tokens"] == "3"
    assert response.headers["x-prompt-tokens"] == str(len(tokenize("日本語")))
    assert float(response.headers["x-compute-time"]) >= 0
    assert response.headers["x-compute-type"] == "gpu+optimized"
    assert "server" not in response.headers
    compat = http.post("/", json={"inputs": "Hi", "parameters": {"max_new_tokens": 1}})
    assert [n for n in compat.headers if n.startswith("x-")] == list(TIMING)


def test_stream_headers_and_exact_bytes(http: httpx.Client) -> None:
    response, raw = stream(
        http, "/generate_stream", {"inputs": SKY, "parameters": {"details": True}}
    )
    assert response.headers["content-type"] == "text/event-stream"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in response.headers
    assert sorted(n for n in response.headers if n.startswith("x-")) == [
        "x-accel-buffering",
        "x-compute-characters",
        "x-compute-type",
    ]
    events = sse_json(raw)
    assert raw == b"".join(b"data: " + compact(e) + b"\n\n" for e in events)
    assert [e["index"] for e in events] == [1, 2, 3]
    assert [list(e) for e in events] == [["index", "token", "generated_text", "details"]] * 3
    assert [e["generated_text"] for e in events] == [None, None, " Rayleigh scattering"]
    assert [e["details"] for e in events[:2]] == [None, None]
    assert events[-1]["details"] == {
        "finish_reason": "eos_token",
        "generated_tokens": 3,
        "seed": None,
        "input_length": len(tokenize(SKY)),
    }
    assert events[-1]["token"]["special"] is True


def test_stream_without_details_and_single_token(http: httpx.Client) -> None:
    _, raw = stream(http, "/", {"inputs": SKY, "stream": True, "parameters": {"max_new_tokens": 1}})
    events = sse_json(raw)
    assert len(events) == 1
    assert events[0]["index"] == 1
    assert events[0]["generated_text"] == SKY + " Rayleigh"  # `/` prepends by default
    assert events[0]["details"] is None


def test_legacy_sse_framing(tgi_mock: TGIMock, http: httpx.Client) -> None:
    tgi_mock.config.legacy_sse = True
    _, raw = stream(http, "/generate_stream", {"inputs": SKY})
    assert raw.startswith(b'data:{"index":1,')
    assert raw.count(b"data:{") == 3
    assert b"data: " not in raw


def test_keep_alive_comment_while_idle(tgi_mock: TGIMock, http: httpx.Client) -> None:
    tgi_mock.config.keep_alive = 0.1
    headers = {"x-mock-fault": "latency-first=0.45"}
    _, raw = stream(http, "/generate_stream", {"inputs": SKY}, headers=headers)
    assert raw.startswith(b":\n\n:\n\n:\n\n")
    assert raw.replace(b":\n\n", b"").startswith(b'data: {"index":1')


def test_no_keep_alive_when_events_are_frequent(http: httpx.Client) -> None:
    _, raw = stream(http, "/generate_stream", {"inputs": SKY})
    assert b":\n\n" not in raw.replace(b'":', b"")


def test_greedy_depends_on_prompt_only(http: httpx.Client) -> None:
    first = gen(http, "Tell me about Paris", max_new_tokens=8, details=True)
    again = gen(http, "Tell me about Paris", max_new_tokens=8, details=True)
    other = gen(http, "Tell me about rivers", max_new_tokens=8, details=True)
    assert first == again
    assert first["generated_text"] != other["generated_text"]
    assert first["details"]["seed"] is None


def test_sampling_depends_on_seed(http: httpx.Client) -> None:
    a = gen(http, "Tell me about Paris", max_new_tokens=8, details=True, do_sample=True, seed=42)
    b = gen(http, "Tell me about Paris", max_new_tokens=8, details=True, do_sample=True, seed=42)
    c = gen(http, "Tell me about Paris", max_new_tokens=8, details=True, do_sample=True, seed=43)
    greedy = gen(http, "Tell me about Paris", max_new_tokens=8)
    assert a == b
    assert a["details"]["seed"] == 42
    assert a["generated_text"] != c["generated_text"]
    assert a["generated_text"] != greedy["generated_text"]
    temperature = gen(http, "Hi", max_new_tokens=2, details=True, temperature=0.5, seed=7)
    assert temperature["details"]["seed"] == 7


def test_missing_parameters_samples_with_a_random_u64_seed(http: httpx.Client) -> None:
    seeds = set()
    for _ in range(3):
        _, raw = stream(http, "/generate_stream", {"inputs": "Hi"})
        events = sse_json(raw)
        assert events[-1]["details"] is None
        seeds.add(http.post("/", json={"inputs": "Hi"}).json()[0]["generated_text"])
    with_details = http.post(
        "/generate", json={"inputs": "Hi", "parameters": {"do_sample": True, "details": True}}
    )
    seed = with_details.json()["details"]["seed"]
    assert isinstance(seed, int)
    assert 0 <= seed < 2**64


def test_stop_sequence_included_and_matched_at_the_end(http: httpx.Client) -> None:
    first = gen(http, SKY, stop=["Rayleigh"], details=True)
    assert first["generated_text"] == " Rayleigh"
    assert first["details"]["finish_reason"] == "stop_sequence"
    assert first["details"]["generated_tokens"] == 1
    second = gen(http, SKY, stop=["nothing", "scattering"], details=True)
    assert second["generated_text"] == " Rayleigh scattering"
    assert second["details"]["finish_reason"] == "stop_sequence"
    assert second["details"]["generated_tokens"] == 2
    inner = gen(http, SKY, stop=["Ray"], details=True)
    assert inner["details"]["finish_reason"] == "eos_token"


def test_length_wins_over_eos_at_the_limit(http: httpx.Client) -> None:
    exact = gen(http, SKY, max_new_tokens=3, details=True)
    assert exact["details"]["finish_reason"] == "length"
    assert exact["details"]["tokens"][-1]["special"] is True
    assert exact["generated_text"] == " Rayleigh scattering"
    short = gen(http, SKY, max_new_tokens=1, details=True)
    assert short["details"]["finish_reason"] == "length"
    assert short["generated_text"] == " Rayleigh"


def test_natural_eos_and_length_both_happen(http: httpx.Client) -> None:
    reasons = {
        gen(http, f"prompt number {i}", max_new_tokens=20, details=True)["details"]["finish_reason"]
        for i in range(30)
    }
    assert reasons == {"eos_token", "length"}


def test_return_full_text(tgi_mock: TGIMock, http: httpx.Client) -> None:
    assert gen(http, SKY, return_full_text=True)["generated_text"] == SKY + " Rayleigh scattering"
    assert gen(http, SKY)["generated_text"] == " Rayleigh scattering"
    compat = http.post("/", json={"inputs": SKY, "parameters": {}}).json()
    assert compat[0]["generated_text"] == SKY + " Rayleigh scattering"
    explicit = http.post("/", json={"inputs": SKY, "parameters": {"return_full_text": False}})
    assert explicit.json()[0]["generated_text"] == " Rayleigh scattering"
    tgi_mock.config.model_pipeline_tag = "text2text-generation"
    other = http.post("/", json={"inputs": SKY, "parameters": {}}).json()
    assert other[0]["generated_text"] == " Rayleigh scattering"


def test_truncate_keeps_last_tokens_and_full_text_keeps_the_prompt(http: httpx.Client) -> None:
    prompt = "one two three four five"
    body = gen(
        http,
        prompt,
        truncate=2,
        decoder_input_details=True,
        return_full_text=True,
        max_new_tokens=2,
    )
    assert [t["text"] for t in body["details"]["prefill"]] == [" four", " five"]
    assert body["generated_text"].startswith(prompt)
    _, raw = stream(
        http, "/generate_stream", {"inputs": prompt, "parameters": {"truncate": 2, "details": True}}
    )
    assert sse_json(raw)[-1]["details"]["input_length"] == 2


def test_decoder_input_details(http: httpx.Client) -> None:
    body = gen(http, "Héllo 日本 world", decoder_input_details=True, max_new_tokens=2)
    prefill = body["details"]["prefill"]
    assert [p["text"] for p in prefill] == ["Héllo", " 日本", " world"]
    assert [p["id"] for p in prefill] == [p.id for p in tokenize("Héllo 日本 world")]
    assert prefill[0]["logprob"] is None
    assert all(p["logprob"] < 0 for p in prefill[1:])
    assert all(list(p) == ["id", "text", "logprob"] for p in prefill)


def test_top_n_tokens(http: httpx.Client) -> None:
    body = gen(http, SKY, top_n_tokens=3, details=True)
    tops = body["details"]["top_tokens"]
    tokens = body["details"]["tokens"]
    assert len(tops) == len(tokens) == 3
    for step, token in zip(tops, tokens, strict=True):
        assert len(step) == 3
        assert token in step
        assert step == sorted(step, key=lambda t: -t["logprob"])
    _, raw = stream(http, "/generate_stream", {"inputs": SKY, "parameters": {"top_n_tokens": 2}})
    events = sse_json(raw)
    assert all(len(e["top_tokens"]) == 2 and e["token"] in e["top_tokens"] for e in events)
    assert list(events[0]) == ["index", "token", "top_tokens", "generated_text", "details"]
    zero = gen(http, SKY, top_n_tokens=0, details=True)
    assert "top_tokens" not in zero["details"]


def test_best_of(http: httpx.Client) -> None:
    body = gen(http, "Tell me a story", best_of=2, do_sample=True, details=True, max_new_tokens=6)
    details = body["details"]
    assert isinstance(details["seed"], int)
    (loser,) = details["best_of_sequences"]
    assert list(loser) == [
        "generated_text",
        "finish_reason",
        "generated_tokens",
        "seed",
        "prefill",
        "tokens",
    ]
    assert isinstance(loser["seed"], int)
    assert loser["seed"] != details["seed"]

    def mean(tokens: list[dict[str, Any]]) -> float:
        return float(sum(t["logprob"] for t in tokens)) / len(tokens)

    assert mean(details["tokens"]) >= mean(loser["tokens"])


def test_non_ascii_is_sent_as_utf8(tgi_mock: TGIMock, http: httpx.Client) -> None:
    tgi_mock.scripted["Say something"] = " café 日本 🤗"
    response = http.post("/generate", json={"inputs": "Say something", "parameters": {}})
    assert " café 日本 🤗".encode() in response.content
    assert response.json()["generated_text"] == " café 日本 🤗"
    _, raw = stream(http, "/generate_stream", {"inputs": "Say something"})
    assert "日本".encode() in raw


@pytest.mark.parametrize("text", ["Héllo 日本 world!", "a  b\n\tc", "x__y 12,5 🤗🤗", ""])
def test_tokenize_route_byte_offsets(http: httpx.Client, text: str) -> None:
    tokens = http.post("/tokenize", json={"inputs": text}).json()
    data = text.encode()
    assert "".join(t["text"] for t in tokens) == text
    for token in tokens:
        assert list(token) == ["id", "text", "start", "stop"]
        assert data[token["start"] : token["stop"]].decode() == token["text"]
